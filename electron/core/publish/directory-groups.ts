/**
 * The IM network as the users database defines it: every server OU is a shared roster group on the IM server,
 * labelled with its path ("Staff / Sales / LA"), whose members are the OU's enabled accounts and whose
 * displayed groups are the OUs it sees (ou-permissions.ts). Members of a group see the members of every group
 * it displays, each under that group's label — what a user's contact list holds. Group ids carry a prefix of
 * their own, so that only groups this product made are ever touched on the IM server.
 */
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { visibleOus } from '../accounts/ou-permissions.ts';
import { OuTree } from '../database/ou-tree.ts';
import { logonKey } from '../database/accounts.ts';
import { Failure } from '../failure.ts';

export const GROUP_PREFIX = 'adc-';
export const groupIdOf = (ouId: number) => `${GROUP_PREFIX}${ouId}`;
export const isOurGroup = (id: string) => /^adc-\d+$/.test(id);

/** XMPP refuses these in the user part of an address (RFC 6122), so such a logon cannot be on the IM server. */
const NOT_IN_JID = /[\s"&'/:<>@]/u;
/** The IM user an account is (ejabberd compares user names in lower case), or null when it cannot be one. */
export const imUserOf = (logon: string): string | null =>
  NOT_IN_JID.test(logon) || logon === '' ? null : logon.normalize('NFC').toLowerCase();

export interface DirectoryGroup {
  id: string;
  ouId: number;
  /** The OU's path as the IM client shows it: "Staff / Sales / LA". */
  label: string;
  /** The groups its members see, itself included, sorted. */
  display: string[];
}

export interface DirectoryMember {
  user: string;
  logon: string;
  displayName: string;
  group: string;
}

export interface DirectoryGroups {
  groups: Map<string, DirectoryGroup>;
  /** Enabled accounts that can be IM users, by IM user. */
  members: Map<string, DirectoryMember>;
}

export async function directoryGroups(q: SqlQueryable): Promise<DirectoryGroups> {
  const tree = await OuTree.read(q);
  const visible = await visibleOus(q);
  const groups = new Map<string, DirectoryGroup>();
  for (const [ouId, seen] of visible) {
    const id = groupIdOf(ouId);
    groups.set(id, {
      id,
      ouId,
      label: tree.names(ouId).join(' / '),
      display: [...seen].map(groupIdOf).sort(),
    });
  }
  const members = new Map<string, DirectoryMember>();
  const rows = await q.all<{ logon: string; display_name: string; ou_id: number }>(
    'SELECT logon, display_name, ou_id FROM accounts WHERE enabled = 1 ORDER BY logon_key',
  );
  for (const r of rows) {
    const user = imUserOf(r.logon);
    if (user && !members.has(user))
      members.set(user, { user, logon: r.logon, displayName: r.display_name, group: groupIdOf(Number(r.ou_id)) });
  }
  return { groups, members };
}

export interface ContactGroup {
  /** The label the IM client shows the group under. */
  label: string;
  members: { logon: string; displayName: string }[];
}

/**
 * The contact list an account's IM client receives: the members of every group its OU's group displays, but
 * itself, each group under its label (the name shown is the display name, else the logon). Null when the
 * account is not in the IM network (disabled, or a logon XMPP cannot carry).
 */
export function contactsIn(directory: DirectoryGroups, user: string): ContactGroup[] | null {
  const me = directory.members.get(user);
  if (!me) return null;
  const byGroup = new Map<string, ContactGroup>();
  for (const id of directory.groups.get(me.group)?.display ?? []) {
    const group = directory.groups.get(id)!;
    byGroup.set(id, { label: group.label, members: [] });
  }
  for (const m of directory.members.values())
    if (m.user !== user && byGroup.has(m.group))
      byGroup.get(m.group)!.members.push({ logon: m.logon, displayName: m.displayName || m.logon });
  return [...byGroup.values()].filter((g) => g.members.length > 0).sort((a, b) => a.label.localeCompare(b.label));
}

/** /CONTACTS and Contact list…: the account's contact list, or the Failure that says why it has none. */
export async function contactListOf(q: SqlQueryable, logon: string) {
  const row = await q.get<{ logon: string; enabled: number }>(
    'SELECT logon, enabled FROM accounts WHERE logon_key = ?',
    logonKey(logon),
  );
  if (!row)
    throw new Failure(
      'no-such-account',
      `There is no account "${logon}" in the users database.`,
      'Check the spelling.',
      {
        nothingChanged: true,
      },
    );
  const user = imUserOf(row.logon);
  const contacts = user ? contactsIn(await directoryGroups(q), user) : null;
  if (!contacts)
    throw new Failure(
      'not-in-im-network',
      row.enabled
        ? `${row.logon} cannot be an IM user: its logon name holds characters IM addresses refuse ` +
            `(spaces, & ' " / : < > @).`
        : `${row.logon} is disabled, so it has no contact list (disabled accounts leave every group).`,
      'Enable the account, or give it a logon name an IM address can hold.',
      { nothingChanged: true },
    );
  return { logon: row.logon, groups: contacts };
}
