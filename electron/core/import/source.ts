/**
 * What an import reads: the OU path from the settings, or chosen OUs (whole subtrees) and groups.
 * Group members are found with AD's in-chain rule (nested groups included, no `member` attribute read,
 * so groups of any size work without range retrieval) plus the group's primary-group members
 * (e.g. Domain Users), which AD never lists in `member`.
 */
import type { Client } from 'ldapts';
import { accountFilter } from '../directory/account-filter.ts';
import { escapeFilterValue } from '../directory/filter-escape.ts';
import { explainLdapError } from '../directory/ldap-errors.ts';
import { Failure } from '../failure.ts';
import { parseImportSource } from '../../../shared/import-source.ts';
import type { Settings } from '../../../shared/settings.ts';

export interface ImportSource {
  /** OUs read with everything below them. */
  ous: string[];
  groups: string[];
  /** OUs whose own accounts are read, without their sub-OUs (the wizard's tree without "include sub-OUs"). */
  levels?: string[];
}

export interface SourceSearch {
  base: string;
  filter: string;
  /** Where the entries come from, in words, for errors and progress. */
  label: string;
  scope: 'sub' | 'one';
  /** The filter does not select accounts by itself: entries are checked here (objectClass, objectCategory). */
  accountsOnly?: boolean;
}

const IN_CHAIN = '1.2.840.113556.1.4.1941';
const NO_SUCH_OBJECT = 32;

/** A search that failed: a missing base is named as such, anything else is explained like any LDAP error. */
export function explainSearchError(err: unknown, base: string, timeoutMs: number): Failure {
  if ((err as { code?: unknown }).code === NO_SUCH_OBJECT)
    return new Failure(
      'no-such-ou',
      `The container ${base} does not exist in the directory.`,
      'Correct the OU container path (Browse… in Advanced settings), or choose the source again.',
    );
  return explainLdapError(err, `search of ${base}`, timeoutMs);
}

/**
 * What a run reads: the run's own choice (the wizard, /OU, /GROUP), else the saved import source (what the
 * wizard last applied, or /SET:importSource), else null: the OU container path.
 */
export function chosenSource(own: ImportSource | null, settings: Settings): ImportSource | null {
  if (own) return own;
  const saved = parseImportSource(settings.importSource);
  if (!saved.ok)
    throw new Failure(
      'invalid-settings',
      `The saved import source is not valid: ${saved.error}`,
      'Run the Import Wizard to choose the source again, or correct it with bcscmd /SET:importSource=<dns>.',
    );
  return saved.source;
}

export const isGroupSource = (source: ImportSource): boolean => source.groups.length > 0;

export function describeSource(source: ImportSource, importComputers: boolean): string {
  const parts = [
    ...source.ous.map((dn) => `OU ${dn}`),
    ...(source.levels ?? []).map((dn) => `OU ${dn} (this level only)`),
    ...source.groups.map((dn) => `group ${dn}`),
  ];
  return `${importComputers ? 'computers' : 'users'} in ${parts.join('; ')}`;
}

async function primaryGroupToken(client: Client, groupDn: string, timeoutMs: number): Promise<number | null> {
  try {
    const { searchEntries } = await client.search(groupDn, {
      scope: 'base',
      filter: '(objectClass=group)',
      attributes: ['primaryGroupToken'],
    });
    if (searchEntries.length === 0)
      throw new Failure(
        'not-a-group',
        `${groupDn} is not a group.`,
        'Choose a group (objectClass group) as the import source.',
      );
    const token = Number(searchEntries[0]!.primaryGroupToken);
    return Number.isFinite(token) && token > 0 ? token : null;
  } catch (err) {
    if ((err as { code?: unknown }).code === NO_SUCH_OBJECT)
      throw new Failure(
        'no-such-group',
        `The group ${groupDn} does not exist in the directory.`,
        'It may have been renamed, moved or deleted: choose the source again.',
      );
    throw explainLdapError(err, 'group lookup', timeoutMs);
  }
}

export async function sourceSearches(
  client: Client,
  source: ImportSource,
  options: { importComputers: boolean; domainDn: string; timeoutMs: number },
): Promise<SourceSearch[]> {
  const accounts = accountFilter(options.importComputers);
  const searches: SourceSearch[] = [
    ...source.ous.map((dn) => ({ base: dn, filter: accounts, label: `OU ${dn}`, scope: 'sub' as const })),
    ...(source.levels ?? []).map((dn) => ({
      base: dn,
      filter: accounts,
      label: `OU ${dn} (this level only)`,
      scope: 'one' as const,
    })),
  ];
  for (const dn of source.groups) {
    const filter = `(&${accounts}${await groupMembersFilter(client, dn, options.timeoutMs)})`;
    searches.push({ base: options.domainDn, filter, label: `group ${dn}`, scope: 'sub' });
  }
  return searches;
}

/**
 * The members of a group as a filter term: nested groups included (AD's in-chain rule), and the accounts whose
 * primary group it is (AD lists those nowhere in `member`). One RootDSE-free read of the group's token.
 */
export async function groupMembersFilter(client: Client, groupDn: string, timeoutMs: number): Promise<string> {
  const token = await primaryGroupToken(client, groupDn, timeoutMs);
  const members = `(memberOf:${IN_CHAIN}:=${escapeFilterValue(groupDn)})`;
  return token ? `(|${members}(primaryGroupID=${token}))` : members;
}

/**
 * What a sync of the saved settings reads (the import source, else the OU container path, else the whole
 * domain): the one answer for scheduled syncs, `bcscmd /LDAP` and on-the-fly import, which must admit exactly
 * the accounts such a sync would import.
 */
export function savedScope(settings: Settings, pathDn: string, domainDn: string): ImportSource {
  return chosenSource(null, settings) ?? { ous: [pathDn || domainDn], groups: [] };
}

/**
 * Incremental passes ask only for what changed on this DC since the last mark, with uSNChanged as the
 * whole server-side filter: that is what the DC answers from its index (Samba scans the subtree when the
 * account filter is ANDed in: 3.0 s against 0.9 s for 100 changes among 100 000 users). Which of the
 * changed objects are accounts is then decided here (`accountsOnly`).
 */
export const changedSince = (search: SourceSearch, usn: number): SourceSearch => ({
  ...search,
  filter: `(uSNChanged>=${usn + 1})`,
  accountsOnly: true,
});
