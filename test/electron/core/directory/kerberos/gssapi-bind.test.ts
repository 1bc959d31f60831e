/**
 * "Current account" against the real Samba DC with its default strong-auth policy: a SASL GSSAPI bind from
 * a real Kerberos ticket (kinit), sealed over ldap://389; what LDAPS, a missing ticket and a wrong host
 * name say; and bcscmd /TEST, /LDAP of the 1 604 staff accounts and /LOOKUP with account=current.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../../../../electron/core/directory/connection-test.ts';
import { createResolver } from '../../../../../electron/core/directory/resolver.ts';
import { openSession } from '../../../../../electron/core/directory/session.ts';
import { pagedSearch } from '../../../../../electron/core/directory/paged-search.ts';
import type { Settings } from '../../../../../shared/settings.ts';
import { bcscmd } from '../../../../support/bcscmd.ts';
import { consoleServices } from '../../../../support/console-services.ts';
import { BASE_DN, REALM, SERVICE_ACCOUNT, STAFF_OU } from '../../../../support/directory-fixture.ts';
import { kerberosMissing, type KerberosEnv, ticketFor, withEnv } from '../../../../support/kerberos.ts';
import { ldapsearchAccounts } from '../../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../../support/real-parts.ts';
import { startTestDc, stopTestDc, type TestDc } from '../../../../support/samba-dc.ts';
import { dcSettings } from '../../../../support/settings-for-dc.ts';
import { tempDir, tempDirFor } from '../../../../support/temp-dir.ts';
import { testGuard } from '../../../../support/bind-guard.ts';

const missing = realPartsAvailable() ? kerberosMissing() : 'the Samba DC is not available';
if (missing) console.log(`SKIPPING the Kerberos ("Current account") suite: ${missing}.`);

const STAFF_DN = `${STAFF_OU},${BASE_DN}`;
const USERS = '(&(objectCategory=person)(objectClass=user))';
const PRINCIPAL = `${SERVICE_ACCOUNT.sam}@${REALM}`;

describe.runIf(!missing)('Current account (Kerberos) on the Samba DC, named by its DNS name', () => {
  const dc = testDc()!;
  // The DC's own DNS knows its name (dc1.corp.example.test) and the domain's SRV records, as an
  // administrator's domain DNS does; the system resolver here does not.
  const dnsEnv = { ADCONSOLE_DNS_SERVERS: dc.address };
  const resolver = createResolver(dnsEnv);
  let ticket: KerberosEnv;
  /** Plain LDAP on 389, the server named as Kerberos needs it: the Kerberos session seals the traffic. */
  const current = (overrides: Partial<Settings> = {}) =>
    dcSettings(dc, {
      account: 'current',
      login: '',
      server: dc.fqdn,
      security: 'none',
      ouPath: `LDAP://${STAFF_DN}`,
      ...overrides,
    });
  const bindDetail = new RegExp(
    `^Logged on as ${PRINCIPAL} \\(current account, Kerberos, service ldap/dc1\\.corp\\.example\\.test; sealed ` +
      `\\(encrypted and signed\\) by Kerberos\\)`,
  );

  beforeAll(() => {
    ticket = ticketFor(dc, tempDirFor('kerberos'));
  });

  it('passes Test connection over ldap:// with no password, naming the principal and the sealing layer', async () => {
    const report = await withEnv(ticket, () => testConnection(current(), null, resolver, testGuard()));
    expect(report.ok, report.summary).toBe(true);
    const step = (name: string) => report.steps.find((s) => s.name === name)!;
    expect(step('resolve').detail).toContain(`${dc.fqdn} → ${dc.address}`);
    expect(step('tls').detail).toMatch(/No TLS: with Current account the Kerberos session seals the traffic/);
    expect(step('bind').detail).toMatch(bindDetail);
    expect(step('accounts').detail).toContain(String(ldapsearchAccounts(dc, STAFF_DN, USERS).size));
    // What protects the traffic is said as it is: sealed by Kerberos, not "unencrypted".
    expect(report.summary).toContain('over a connection sealed (encrypted and signed) by Kerberos');
    expect(report.summary).not.toMatch(/unencrypted/);
  });

  it("also binds with the DC named by its address (the DC's own name is read for the service principal)", async () => {
    const report = await withEnv(ticket, () =>
      testConnection(current({ server: dc.address }), null, resolver, testGuard()),
    );
    expect(report.ok, report.summary).toBe(true);
    expect(report.steps.find((s) => s.name === 'bind')!.detail).toMatch(bindDetail);
  });

  it('finds the DC by DNS SRV when no server is named (the name SRV gives) and binds to it', async () => {
    const report = await withEnv(ticket, () => testConnection(current({ server: '' }), null, resolver, testGuard()));
    expect(report.ok, report.summary).toBe(true);
    expect(report.steps.find((s) => s.name === 'resolve')!.detail).toMatch(
      /dc1\.corp\.example\.test → 127\.0\.0\.1.*DNS SRV/,
    );
    expect(report.steps.find((s) => s.name === 'bind')!.detail).toMatch(bindDetail);
  });

  it('pages through every staff account over the sealed session, as ldapsearch reads them', async () => {
    const session = await withEnv(ticket, () => openSession(current(), null, resolver, testGuard()));
    try {
      expect(session.host).toBe(dc.fqdn);
      const names = new Set<string>();
      for await (const page of pagedSearch(session.client, STAFF_DN, {
        scope: 'sub',
        filter: USERS,
        attributes: ['sAMAccountName'],
        pageSize: 500,
        timeLimit: 30,
      }))
        for (const e of page) names.add(String(e.sAMAccountName));
      expect(names).toEqual(new Set(ldapsearchAccounts(dc, STAFF_DN, USERS).values()));
    } finally {
      await session.close();
    }
  });

  it("answers Test lookup and runs the wizard's import job through the console's handlers", async () => {
    await withEnv({ ...ticket, ...dnsEnv }, async () => {
      const wizard = consoleServices(tempDir());
      try {
        const settings = current({ autoImport: true });
        const lookup = await wizard.call('directory.lookup', { settings, name: 'staff0042' });
        expect(lookup).toMatchObject({
          ok: true,
          value: { result: 'imported', dryRun: true, account: { logon: 'staff0042' } },
        });
        expect(await wizard.call('settings.save', { settings, password: { action: 'keep' } })).toMatchObject({
          ok: true,
        });
        const outcome = await wizard.startImport('new', [STAFF_DN]);
        expect(outcome.error).toBeNull();
        expect(outcome).toMatchObject({
          ok: true,
          dc: dc.fqdn,
          counts: { created: ldapsearchAccounts(dc, STAFF_DN, USERS).size },
        });
      } finally {
        await wizard.close();
      }
    });
  });

  it('says there is no ticket and to run kinit, when the ticket cache is empty', async () => {
    const report = await withEnv({ ...ticket, KRB5CCNAME: `FILE:${path.join(tempDir(), 'no-such-cache')}` }, () =>
      testConnection(current(), null, resolver, testGuard()),
    );
    expect(report.steps.find((s) => s.name === 'bind')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/no Kerberos ticket for the current account/),
      hint: expect.stringMatching(/kinit/),
    });
  });

  it(
    "explains that the DC refuses Kerberos over LDAPS without a layer (Samba's default policy), and what to " +
      'choose',
    async () => {
      const report = await withEnv(ticket, () =>
        testConnection(current({ security: 'ldaps' }), null, resolver, testGuard()),
      );
      const bind = report.steps.find((s) => s.name === 'bind')!;
      expect(bind).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/refuses Kerberos logons over TLS/),
        hint: expect.stringMatching(/Choose Security: None/),
      });
    },
  );

  it("says the DC's name does not match its Kerberos name when the server is given by another name", async () => {
    const report = await withEnv(ticket, () =>
      testConnection(current({ server: 'localhost' }), null, resolver, testGuard()),
    );
    expect(report.steps.find((s) => s.name === 'bind')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/no service principal ldap\/localhost/),
      hint: expect.stringMatching(/full DNS name/),
    });
  });

  it(
    'runs bcscmd /TEST, /LDAP of the 1 604 staff accounts and /LOOKUP as the current account, by DNS name and ' +
      'serverless',
    () => {
      const data = tempDir();
      const env = { ...ticket, ...dnsEnv };
      expect(
        bcscmd([
          `/DATA:${data}`,
          `/SET:server=${dc.fqdn}`,
          '/SET:account=current',
          '/SET:security=none',
          `/SET:ouPath=LDAP://${STAFF_DN}`,
          '/SET:autoImport=yes',
        ]).code,
      ).toBe(0);
      const test = bcscmd([`/DATA:${data}`, '/TEST', '/JSON'], env);
      expect(test.code, test.err).toBe(0);
      expect(JSON.parse(test.out)).toMatchObject({
        ok: true,
        summary: expect.stringContaining('sealed (encrypted and signed) by Kerberos'),
      });
      const ldap = bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new', '/JSON'], env);
      expect(ldap.code, ldap.err).toBe(0);
      const staff = ldapsearchAccounts(dc, STAFF_DN, USERS);
      expect(staff.size).toBeGreaterThanOrEqual(1500);
      expect(JSON.parse(ldap.out)).toMatchObject({ ok: true, created: staff.size });
      const users = JSON.parse(bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out) as { adGuid: string }[];
      expect(new Set(users.map((u) => u.adGuid.slice(1, -1)))).toEqual(new Set(staff.keys()));
      // A fresh data folder with no server named: the DC comes from DNS SRV, by the name SRV gives.
      const fresh = tempDir();
      bcscmd([
        `/DATA:${fresh}`,
        '/SET:server=',
        '/SET:account=current',
        '/SET:security=none',
        `/SET:ouPath=LDAP://${STAFF_DN}`,
        '/SET:autoImport=yes',
      ]);
      const lookup = bcscmd([`/DATA:${fresh}`, '/LOOKUP:staff0077', '/JSON'], env);
      expect(lookup.code, lookup.err).toBe(0);
      expect(JSON.parse(lookup.out)).toMatchObject({ result: 'imported', account: { logon: 'staff0077' } });
      const serverless = bcscmd([`/DATA:${fresh}`, '/LDAP', '/MODE:add', '/JSON'], env);
      expect(serverless.code, serverless.err).toBe(0);
      expect(JSON.parse(serverless.out)).toMatchObject({ ok: true, created: staff.size - 1 });
      const empty = { ...env, KRB5CCNAME: `FILE:${path.join(fresh, 'none')}` };
      const notImported = tempDir();
      bcscmd([
        `/DATA:${notImported}`,
        '/SET:server=',
        '/SET:account=current',
        '/SET:security=none',
        `/SET:ouPath=LDAP://${STAFF_DN}`,
        '/SET:autoImport=yes',
      ]);
      for (const args of [['/TEST'], ['/LDAP'], ['/LOOKUP:staff0078']]) {
        const noTicket = bcscmd([`/DATA:${args[0] === '/LOOKUP:staff0078' ? notImported : data}`, ...args], empty);
        expect(noTicket.code, args[0]).toBe(1);
        expect(noTicket.out + noTicket.err, args[0]).toMatch(/no Kerberos ticket .*kinit/s);
      }
    },
  );
});

describe.runIf(!missing)('Current account over LDAPS where the DC accepts SASL over TLS', () => {
  // A DC of its own on 127.0.0.3 with "ldap server require strong auth = allow_sasl_over_tls" (AD's own
  // behaviour over LDAPS): Kerberos binds there with no SASL layer and TLS protects the session.
  let dc: TestDc | null = null;
  let ticket: KerberosEnv;
  const resolver = createResolver();

  beforeAll(async () => {
    dc = await startTestDc(
      path.join(os.tmpdir(), `adconsole-sasl-tls-dc-${process.pid}`),
      (l) => console.log(`[SASL-over-TLS DC] ${l}`),
      '127.0.0.3',
      ['ldap server require strong auth = allow_sasl_over_tls'],
    );
    ticket = ticketFor(dc, tempDirFor('kerberos-tls'));
  }, 240_000);
  afterAll(() => {
    if (dc) stopTestDc(dc);
  });

  it('binds over LDAPS with no SASL layer, says TLS protects the traffic, and reads the staff accounts', async () => {
    const settings = dcSettings(dc!, {
      account: 'current',
      login: '',
      security: 'ldaps',
      ouPath: `LDAP://${STAFF_DN}`,
    });
    const report = await withEnv(ticket, () => testConnection(settings, null, resolver, testGuard()));
    expect(report.ok, report.summary).toBe(true);
    expect(report.steps.find((s) => s.name === 'tls')!.detail).toMatch(/^LDAPS/);
    expect(report.steps.find((s) => s.name === 'bind')!.detail).toMatch(
      new RegExp(
        `^Logged on as ${PRINCIPAL} \\(current account, Kerberos, service ldap/dc1\\.corp\\.example\\.test; no ` +
          `SASL layer: the TLS session protects the traffic\\)`,
      ),
    );
    expect(report.steps.find((s) => s.name === 'accounts')!.detail).toContain(
      String(ldapsearchAccounts(dc!, STAFF_DN, USERS).size),
    );
  });
});
