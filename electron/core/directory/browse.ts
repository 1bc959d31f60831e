/** Browse…: one level of the container tree at a time, as Active Directory Users and Computers shows it. */
import type { BrowseNode, BrowseResult } from '../../../shared/contract.ts';
import { domainOfDn, leafName, parseDn } from '../../../shared/dn.ts';
import type { Settings } from '../../../shared/settings.ts';
import { explainLdapError } from './ldap-errors.ts';
import { pagedSearch } from './paged-search.ts';
import type { NameResolver } from './resolver.ts';
import { readRootDse } from './rootdse.ts';
import type { SessionCache } from './session-cache.ts';
import { type DirectorySession, failoverNote } from './session.ts';

// Hidden system containers (System, Program Data, …) carry showInAdvancedViewOnly, as in ADUC's default view.
const CONTAINER_CLASSES = ['organizationalUnit', 'container', 'builtinDomain', 'domainDNS'];
const ANY_CONTAINER = `(|${CONTAINER_CLASSES.map((c) => `(objectClass=${c})`).join('')})`;
const CONTAINERS = `(&${ANY_CONTAINER}(!(showInAdvancedViewOnly=TRUE)))`;
const KIND_ORDER: BrowseNode['kind'][] = ['domain', 'organizationalUnit', 'container', 'builtinDomain'];

function kindOf(classes: string[]): BrowseNode['kind'] {
  const lower = classes.map((c) => c.toLowerCase());
  if (lower.includes('domaindns')) return 'domain';
  if (lower.includes('organizationalunit')) return 'organizationalUnit';
  if (lower.includes('builtindomain')) return 'builtinDomain';
  return 'container';
}

function nodeOf(dn: string, classes: string[]): BrowseNode {
  const parsed = parseDn(dn);
  const kind = kindOf(classes);
  const name = !parsed.ok
    ? dn
    : kind === 'domain'
      ? (domainOfDn(parsed.rdns) ?? leafName(parsed.rdns))
      : leafName(parsed.rdns);
  return { dn, name, kind };
}

export async function browse(
  settings: Settings,
  password: string | null,
  dn: string | null,
  resolver: NameResolver,
  sessions: SessionCache,
): Promise<BrowseResult> {
  return sessions.use(settings, password, resolver, (session) => browseWith(session, settings, dn));
}

async function browseWith(session: DirectorySession, settings: Settings, dn: string | null): Promise<BrowseResult> {
  const timeoutMs = settings.timeout * 1000;
  try {
    const base = dn ?? (await readRootDse(session.client)).defaultNamingContext;
    const self = await session.client.search(base, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['objectClass'],
      timeLimit: settings.timeout,
    });
    const node = nodeOf(base, ([] as unknown[]).concat(self.searchEntries[0]?.objectClass ?? []).map(String));
    const children: BrowseNode[] = [];
    for await (const entries of pagedSearch(session.client, base, {
      scope: 'one',
      filter: CONTAINERS,
      attributes: ['objectClass'],
      pageSize: settings.pageSize,
      timeLimit: settings.timeout,
    })) {
      for (const entry of entries)
        children.push(nodeOf(entry.dn, ([] as unknown[]).concat(entry.objectClass ?? []).map(String)));
    }
    children.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
    return { node, children, failover: failoverNote(session) };
  } catch (err) {
    throw explainLdapError(err, 'browse of the directory', timeoutMs);
  }
}
