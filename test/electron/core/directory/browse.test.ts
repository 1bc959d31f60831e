import { afterAll, describe, expect, it } from 'vitest';
import { browse } from '../../../../electron/core/directory/browse.ts';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { SessionCache } from '../../../../electron/core/directory/session-cache.ts';
import { startTcpProxy } from '../../../support/tcp-proxy.ts';
import { BASE_DN } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { testGuard } from '../../../support/bind-guard.ts';

describe.runIf(realPartsAvailable())('Browse on the real DC', () => {
  const dc = testDc()!;
  const resolver = createResolver({});
  const sessions = new SessionCache(testGuard());
  afterAll(() => sessions.close());

  it('starts at the naming context and lists its OUs before its containers', async () => {
    const { node, children } = await browse(dcSettings(dc), SERVICE_PASSWORD, null, resolver, sessions);
    expect(node).toMatchObject({ dn: BASE_DN, kind: 'domain', name: 'corp.example.test' });
    const names = children.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['Sales', 'Research, Development', 'Zürich Büro', 'Users', 'Computers']),
    );
    const firstContainer = children.findIndex((c) => c.kind !== 'organizationalUnit');
    expect(children.slice(firstContainer).every((c) => c.kind !== 'organizationalUnit')).toBe(true);
    expect(names).not.toContain('System'); // advanced-view-only containers stay hidden, as in ADUC
  });

  it('loads one level per expand, with DNs escaped as the directory writes them', async () => {
    const { children } = await browse(dcSettings(dc), SERVICE_PASSWORD, `OU=Sales,${BASE_DN}`, resolver, sessions);
    expect(children).toEqual([{ dn: `OU=LA,OU=Sales,${BASE_DN}`, name: 'LA', kind: 'organizationalUnit' }]);
    const research = (await browse(dcSettings(dc), SERVICE_PASSWORD, null, resolver, sessions)).children.find(
      (c) => c.name === 'Research, Development',
    )!;
    expect(research.dn).toBe(`OU=Research\\, Development,${BASE_DN}`);
  });

  it('explains a refused bind instead of showing an empty tree', async () => {
    await expect(browse(dcSettings(dc), 'wrong', null, resolver, sessions)).rejects.toMatchObject({
      message: expect.stringMatching(/52e/),
    });
  });

  it('expands over one bound session, and binds again only when the connection settings change', async () => {
    const own = new SessionCache(testGuard());
    try {
      await browse(dcSettings(dc), SERVICE_PASSWORD, null, resolver, own);
      await browse(dcSettings(dc), SERVICE_PASSWORD, `OU=Sales,${BASE_DN}`, resolver, own);
      await browse(dcSettings(dc, { pageSize: 7 }), SERVICE_PASSWORD, `OU=Sales,${BASE_DN}`, resolver, own);
      expect(own.opened).toBe(1);
      await browse(dcSettings(dc, { security: 'starttls' }), SERVICE_PASSWORD, null, resolver, own);
      expect(own.opened).toBe(2);
    } finally {
      await own.close();
    }
  });

  it(
    'does not bind again with a password the DC just refused, until another one is given (lockout ' + 'safety)',
    async () => {
      const proxy = await startTcpProxy(dc.address, 636);
      const own = new SessionCache(testGuard());
      const settings = dcSettings(dc, { port: proxy.port });
      try {
        await expect(browse(settings, 'wrong', null, resolver, own)).rejects.toMatchObject({
          code: 'invalid-credentials',
        });
        const after = proxy.fromServer();
        expect(after).toBeGreaterThan(0);
        await expect(browse(settings, 'wrong', `OU=Sales,${BASE_DN}`, resolver, own)).rejects.toMatchObject({
          code: 'invalid-credentials',
          message: expect.stringMatching(/52e/),
        });
        expect(proxy.fromServer()).toBe(after); // answered from memory: nothing reached the DC
        await browse(settings, SERVICE_PASSWORD, null, resolver, own);
        expect(own.opened).toBe(1);
      } finally {
        await own.close();
        await proxy.close();
      }
    },
  );

  it('does not keep a session whose bind was refused', async () => {
    const own = new SessionCache(testGuard());
    await expect(browse(dcSettings(dc), 'wrong', null, resolver, own)).rejects.toThrow();
    await expect(browse(dcSettings(dc), 'wrong', null, resolver, own)).rejects.toThrow();
    expect(own.opened).toBe(0);
    await own.close();
  });
});
