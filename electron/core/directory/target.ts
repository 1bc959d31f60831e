/**
 * Where to connect: the server named in Advanced settings, else the one in the OU path, else the
 * domain controllers that DNS lists for the path's domain (SRV _ldap._tcp.dc._msdcs.<domain>).
 */
import { parseAdsPath } from '../../../shared/adspath.ts';
import { parseServerList } from '../../../shared/server-list.ts';
import { effectivePort, type Security } from '../../../shared/security-modes.ts';
import type { Settings } from '../../../shared/settings.ts';
import type { NameResolver } from './resolver.ts';
import { Failure } from '../failure.ts';

export interface ConnectionPlan {
  /** Host names or addresses to try, in order. */
  hosts: string[];
  port: number;
  security: Security;
  /** Search base from the OU path; '' = the server's default naming context. */
  baseDn: string;
  /** How the hosts were found, for the resolve step's detail. */
  source: 'setting' | 'path' | 'dns-srv';
  domain: string | null;
}

/** The protection a connection gets: an LDAPS:// path asks for LDAPS whatever the security setting says. */
export function securityOf(settings: Settings): Security {
  const path = parseAdsPath(settings.ouPath);
  return path.ok && path.scheme === 'LDAPS' ? 'ldaps' : settings.security;
}

export async function planConnection(settings: Settings, resolver: NameResolver): Promise<ConnectionPlan> {
  const path = parseAdsPath(settings.ouPath);
  if (!path.ok)
    throw new Failure(
      'invalid-path',
      `The OU container path is not valid: ${path.error}`,
      'Correct the OU container path in Advanced settings.',
    );
  const security = securityOf(settings);
  const port = effectivePort({ ...settings, security }, path.port);
  const base = { port, security, baseDn: path.dn, domain: path.domain };
  if (settings.server.trim()) {
    const servers = parseServerList(settings.server);
    if (!servers.ok)
      throw new Failure(
        'invalid-server',
        `The Server setting is not valid: ${servers.error}`,
        'Correct Server in Advanced settings: host names or addresses, separated by commas or spaces.',
      );
    return { ...base, hosts: servers.hosts, source: 'setting' };
  }
  if (path.server)
    return { ...base, hosts: (parseServerList(path.server) as { hosts: string[] }).hosts, source: 'path' };
  if (!path.domain) {
    throw new Failure(
      'no-server',
      'No server is named and the OU path has no DC= parts to find the domain by.',
      'Type the domain controller in Server (Advanced settings), or an OU path such as ' +
        'LDAP://OU=sales,DC=domain,DC=com.',
    );
  }
  const srvName = `_ldap._tcp.dc._msdcs.${path.domain}`;
  let records;
  try {
    records = await resolver.resolveSrv(srvName);
  } catch (err) {
    throw new Failure(
      'no-dc-in-dns',
      `DNS has no domain controllers for ${path.domain} (SRV ${srvName}: ` +
        `${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      "Check that this computer uses the domain's DNS servers, or type a domain controller in Server (Advanced " +
        'settings).',
    );
  }
  if (records.length === 0)
    throw new Failure(
      'no-dc-in-dns',
      `DNS lists no domain controllers for ${path.domain} (SRV ${srvName}).`,
      'Type a domain controller in Server (Advanced settings).',
    );
  // RFC 2782: lowest priority first, then heaviest weight.
  const hosts = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight).map((r) => r.name);
  return { ...base, hosts: [...new Set(hosts)], source: 'dns-srv' };
}

/** Incremental sync must read the DC it read last (USNs are per DC): try that one first when DNS lists it. */
export function preferHost(hosts: string[], preferred: string | null): string[] {
  if (!preferred) return hosts;
  const i = hosts.findIndex((h) => h.toLowerCase() === preferred.toLowerCase());
  return i <= 0 ? hosts : [hosts[i]!, ...hosts.slice(0, i), ...hosts.slice(i + 1)];
}
