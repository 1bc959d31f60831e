/**
 * A name that starts with "#" on the real DC: the OU "#2024" is OU=\#2024 in a DN, and must stay text
 * (not the BER hex value #2024) through the OU path, Test connection's search base and Browse.
 */
import { type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse } from '../../../../electron/core/directory/browse.ts';
import { testConnection } from '../../../../electron/core/directory/connection-test.ts';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { SessionCache } from '../../../../electron/core/directory/session-cache.ts';
import { BASE_DN } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { adminClient } from '../../../support/seed-directory.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { testGuard } from '../../../support/bind-guard.ts';

describe.runIf(realPartsAvailable())('an OU whose name starts with "#" on the real DC', () => {
  const dc = testDc()!;
  const ouDn = `OU=\\#2024,${BASE_DN}`;
  let admin: Client;
  const sessions = new SessionCache(testGuard());

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
    await admin.add(ouDn, { objectClass: ['top', 'organizationalUnit'], ou: '#2024' });
  });
  afterAll(async () => {
    await sessions.close();
    await admin.del(ouDn).catch(() => undefined);
    await admin.unbind();
  });

  it('is found by Test connection with the path LDAP://OU=\\#2024,…, searched as OU=\\#2024', async () => {
    const report = await testConnection(
      dcSettings(dc, { ouPath: `LDAP://${ouDn}` }),
      SERVICE_PASSWORD,
      createResolver({}),
      testGuard(),
    );
    const container = report.steps.find((s) => s.name === 'container')!;
    expect(container, report.summary).toMatchObject({ ok: true, detail: `${ouDn} exists (organizational unit).` });
    expect(report.ok).toBe(true);
  });

  it('is listed by Browse under its own name with the DN the directory writes', async () => {
    const { children } = await browse(dcSettings(dc), SERVICE_PASSWORD, null, createResolver({}), sessions);
    expect(children).toContainEqual({ dn: ouDn, name: '#2024', kind: 'organizationalUnit' });
    const inside = await browse(dcSettings(dc), SERVICE_PASSWORD, ouDn, createResolver({}), sessions);
    expect(inside.node).toMatchObject({ dn: ouDn, name: '#2024' });
  });
});
