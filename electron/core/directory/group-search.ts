/**
 * The wizard's group picker: groups whose name contains what the administrator typed, a bounded list
 * (a domain can hold tens of thousands of groups; the search box narrows it).
 */
import type { GroupNode, GroupSearchResult } from '../../../shared/contract.ts';
import type { Settings } from '../../../shared/settings.ts';
import { escapeFilterValue } from './filter-escape.ts';
import { explainLdapError } from './ldap-errors.ts';
import { pagedSearch } from './paged-search.ts';
import { readRootDse } from './rootdse.ts';
import type { DirectorySession } from './session.ts';

export const GROUP_LIST_LIMIT = 200;

export function groupFilter(text: string): string {
  const term = text.trim();
  if (!term) return '(objectClass=group)';
  const value = escapeFilterValue(term);
  return `(&(objectClass=group)(|(cn=*${value}*)(sAMAccountName=*${value}*)(description=*${value}*)))`;
}

export async function searchGroups(
  session: DirectorySession,
  settings: Settings,
  text: string,
): Promise<GroupSearchResult> {
  const timeoutMs = settings.timeout * 1000;
  try {
    const base = (await readRootDse(session.client)).defaultNamingContext;
    const groups: GroupNode[] = [];
    let truncated = false;
    const pages = pagedSearch(session.client, base, {
      scope: 'sub',
      filter: groupFilter(text),
      attributes: ['cn', 'description'],
      pageSize: Math.min(settings.pageSize, GROUP_LIST_LIMIT + 1),
      timeLimit: settings.timeout,
    });
    for await (const page of pages) {
      for (const entry of page)
        groups.push({
          dn: entry.dn,
          name: String(entry.cn ?? entry.dn),
          description: String(([] as unknown[]).concat(entry.description ?? [])[0] ?? ''),
        });
      if (groups.length > GROUP_LIST_LIMIT) {
        truncated = true;
        break; // the paged loop tells the server to drop the rest
      }
    }
    groups.sort((a, b) => a.name.localeCompare(b.name));
    return { groups: groups.slice(0, GROUP_LIST_LIMIT), truncated };
  } catch (err) {
    throw explainLdapError(err, 'group search', timeoutMs);
  }
}
