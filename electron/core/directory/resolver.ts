/**
 * Name resolution for the console. The system resolver by default; ADCONSOLE_DNS_SERVERS names DNS
 * servers to ask instead (a domain's DNS that the machine does not use, or the test DC's).
 */
import dns, { type SrvRecord } from 'node:dns';
import net from 'node:net';
import { querySrv } from './srv-query.ts';

export interface NameResolver {
  lookup(host: string): Promise<string[]>;
  resolveSrv(name: string): Promise<SrvRecord[]>;
  describe(): string;
}

export function createResolver(env: NodeJS.ProcessEnv = process.env): NameResolver {
  const servers = (env.ADCONSOLE_DNS_SERVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers.length === 0) {
    return {
      async lookup(host) {
        if (net.isIP(host)) return [host];
        const found = await dns.promises.lookup(host, { all: true });
        return found.map((a) => a.address);
      },
      resolveSrv: (name) => withSrvFallback(() => dns.promises.resolveSrv(name), name, dns.getServers()),
      describe: () => 'the system resolver',
    };
  }
  const resolver = new dns.promises.Resolver({ timeout: 3000, tries: 2 });
  resolver.setServers(servers);
  return {
    async lookup(host) {
      if (net.isIP(host)) return [host];
      const results = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
      const addresses = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      if (addresses.length > 0) return addresses;
      // Names the domain's DNS does not know (localhost, hosts-file entries) still resolve the usual way.
      const found = await dns.promises.lookup(host, { all: true });
      return found.map((a) => a.address);
    },
    resolveSrv: (name) => withSrvFallback(() => resolver.resolveSrv(name), name, servers),
    describe: () => `DNS server ${servers.join(', ')}`,
  };
}

/** c-ares first; on its EBADRESP (a parser bug, not a bad answer) read the same servers ourselves. */
async function withSrvFallback(
  primary: () => Promise<SrvRecord[]>,
  name: string,
  servers: string[],
): Promise<SrvRecord[]> {
  try {
    return await primary();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EBADRESP') throw err;
    return querySrv(name, servers);
  }
}
