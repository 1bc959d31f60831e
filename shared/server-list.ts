/**
 * The Server setting: one or more domain controllers, separated by commas or spaces, tried in order
 * (as GitLab's `hosts` and Openfire's `ldap.host` take them). Blank = the server in the OU path, else
 * the domain's DCs from DNS SRV.
 */
import { hostError } from './adspath.ts';

/** More would only add connect timeouts to every failover; no site lists this many DCs by hand. */
export const MAX_SERVERS = 16;

export type ServerListParse = { ok: true; hosts: string[] } | { ok: false; error: string };

/** "[::1]" is how an IPv6 address is written in a path or a list; sockets and DNS want it bare. */
const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

export function parseServerList(text: string): ServerListParse {
  const entries = text.split(/[\s,;]+/).filter(Boolean);
  if (entries.length > MAX_SERVERS)
    return { ok: false, error: `${entries.length} servers are listed; at most ${MAX_SERVERS} are accepted.` };
  const hosts: string[] = [];
  for (const entry of entries) {
    const problem = hostError(entry);
    if (problem) return { ok: false, error: entries.length > 1 ? `${problem} (in the list of servers)` : problem };
    if (!hosts.some((h) => h.toLowerCase() === bare(entry).toLowerCase())) hosts.push(bare(entry));
  }
  return { ok: true, hosts };
}

/** The list as it is stored and compared: one spelling for the same servers in the same order. */
export function normalServerList(text: string): string {
  const parsed = parseServerList(text);
  return parsed.ok ? parsed.hosts.map((h) => h.toLowerCase()).join(', ') : text.trim().toLowerCase();
}
