import { describe, expect, it } from 'vitest';
import type { SrvRecord } from 'node:dns';
import type { NameResolver } from '../../../../electron/core/directory/resolver.ts';
import { planConnection, preferHost } from '../../../../electron/core/directory/target.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';

/** A resolver that answers from a table (pure unit test; the real DNS path is tested against the DC). */
function resolverWith(srv: Record<string, SrvRecord[]>): NameResolver {
  return {
    lookup: async (host) => [host],
    resolveSrv: async (name) => {
      if (!srv[name]) throw Object.assign(new Error(`querySrv ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return srv[name];
    },
    describe: () => 'a table',
  };
}

describe('planConnection', () => {
  it("prefers the Server field, then the path's server, and strips IPv6 brackets", async () => {
    expect(
      await planConnection({ ...DEFAULT_SETTINGS, server: 'dc1', ouPath: 'LDAP://dc9/DC=x' }, resolverWith({})),
    ).toMatchObject({ hosts: ['dc1'], source: 'setting', port: 636, baseDn: 'DC=x' });
    expect(
      await planConnection({ ...DEFAULT_SETTINGS, ouPath: 'LDAP://[::1]:1636/DC=x' }, resolverWith({})),
    ).toMatchObject({ hosts: ['::1'], source: 'path', port: 1636 });
  });

  it('uses LDAPS when the path says LDAPS://, whatever the security setting', async () => {
    expect(
      await planConnection({ ...DEFAULT_SETTINGS, security: 'starttls', ouPath: 'LDAPS://dc9/DC=x' }, resolverWith({})),
    ).toMatchObject({ security: 'ldaps', port: 636 });
  });

  it('orders domain controllers from DNS by priority, then weight', async () => {
    const resolver = resolverWith({
      '_ldap._tcp.dc._msdcs.corp.com': [
        { name: 'backup.corp.com', port: 389, priority: 10, weight: 100 },
        { name: 'light.corp.com', port: 389, priority: 0, weight: 10 },
        { name: 'heavy.corp.com', port: 389, priority: 0, weight: 90 },
      ],
    });
    const plan = await planConnection({ ...DEFAULT_SETTINGS, ouPath: 'LDAP://OU=a,DC=corp,DC=com' }, resolver);
    expect(plan).toMatchObject({
      hosts: ['heavy.corp.com', 'light.corp.com', 'backup.corp.com'],
      source: 'dns-srv',
      domain: 'corp.com',
    });
  });

  it('says which SRV name DNS did not know and what to do', async () => {
    await expect(
      planConnection({ ...DEFAULT_SETTINGS, ouPath: 'LDAP://DC=nowhere,DC=com' }, resolverWith({})),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/_ldap\._tcp\.dc\._msdcs\.nowhere\.com: ENOTFOUND/),
      hint: expect.stringMatching(/domain's DNS servers/),
    });
  });

  it('asks for a server when neither a server nor DC= parts are given', async () => {
    await expect(planConnection({ ...DEFAULT_SETTINGS }, resolverWith({}))).rejects.toMatchObject({
      code: 'no-server',
    });
  });
});

describe('the DC an incremental sync read last', () => {
  const hosts = ['dc1.corp.test', 'dc2.corp.test', 'dc3.corp.test'];
  it('is tried first when DNS lists it (names compared case-insensitively)', () => {
    expect(preferHost(hosts, 'DC3.corp.test')).toEqual(['dc3.corp.test', 'dc1.corp.test', 'dc2.corp.test']);
  });
  it('changes nothing when DNS does not list it, or there is none', () => {
    expect(preferHost(hosts, 'dc9.corp.test')).toEqual(hosts);
    expect(preferHost(hosts, null)).toEqual(hosts);
  });
});
