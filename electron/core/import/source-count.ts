/**
 * How many accounts a wizard selection holds, before anything is planned: the same searches the import
 * runs, reading only objectGUID, with an account found by two selections (an OU and a group) counted once.
 */
import type { Settings } from '../../../shared/settings.ts';
import type { SourceCount } from '../../../shared/contract.ts';
import { explainLdapError } from '../directory/ldap-errors.ts';
import { pagedSearch } from '../directory/paged-search.ts';
import { readRootDse } from '../directory/rootdse.ts';
import type { DirectorySession } from '../directory/session.ts';
import { explainSearchError, type ImportSource, sourceSearches } from './source.ts';

export async function countSource(
  session: DirectorySession,
  settings: Settings,
  source: ImportSource,
): Promise<SourceCount> {
  const timeoutMs = settings.timeout * 1000;
  const { defaultNamingContext } = await readRootDse(session.client).catch((err) => {
    throw explainLdapError(err, 'RootDSE read', timeoutMs);
  });
  const searches = await sourceSearches(session.client, source, {
    importComputers: settings.importComputers,
    domainDn: defaultNamingContext,
    timeoutMs,
  });
  const seen = new Set<string>();
  const parts: SourceCount['parts'] = [];
  for (const search of searches) {
    let count = 0;
    try {
      for await (const page of pagedSearch(session.client, search.base, {
        scope: search.scope,
        filter: search.filter,
        attributes: ['objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
        pageSize: settings.pageSize,
        timeLimit: settings.timeout,
      })) {
        for (const entry of page) {
          count++;
          const guid = entry.objectGUID;
          seen.add(Buffer.isBuffer(guid) ? guid.toString('hex') : entry.dn.toLowerCase());
        }
      }
    } catch (err) {
      throw explainSearchError(err, search.base, timeoutMs);
    }
    parts.push({ label: search.label, count });
  }
  return { total: seen.size, parts };
}
