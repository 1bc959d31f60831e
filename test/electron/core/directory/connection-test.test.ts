/** Test connection against the real Samba AD DC (started by the global setup). */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestReport, TEST_STEPS } from '../../../../shared/contract.ts';
import { testConnection } from '../../../../electron/core/directory/connection-test.ts';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import {
  BASE_DN,
  COMPUTERS,
  DOMAIN,
  NETBIOS,
  SERVICE_ACCOUNT,
  USERS,
  userDn,
} from '../../../support/directory-fixture.ts';
import { ldapsearchArgs, ldapsearchEnv } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { testGuard } from '../../../support/bind-guard.ts';

const resolver = createResolver({});
const failedStep = (r: TestReport) => r.steps.find((s) => !s.ok);

describe.runIf(realPartsAvailable())('Test connection against a real AD DC', () => {
  const dc = testDc()!;

  it('succeeds over LDAPS, runs every step in order and names account, DC, security and count', async () => {
    const report = await testConnection(
      dcSettings(dc, { ouPath: `LDAP://OU=Sales,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(report.ok).toBe(true);
    // Every step, in the order the contract lists them (resolve … accounts, password policy).
    expect(report.steps.map((s) => s.name)).toEqual([...TEST_STEPS]);
    expect(TEST_STEPS.at(-1)).toBe('policy');
    expect(report.steps.every((s) => s.ok && s.ms >= 0)).toBe(true);
    // The test domain has no lockout policy and no fine-grained one.
    expect(report.steps.find((s) => s.name === 'policy')!.detail).toBe(
      'The domain never locks accounts. No fine-grained password policy is visible to the service account.',
    );
    const sales = USERS.filter((u) => u.ou.endsWith('OU=Sales')).length;
    expect(report.summary).toContain(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`);
    expect(report.summary).toContain(dc.fqdn);
    expect(report.summary).toMatch(/LDAPS \(TLSv1\.[23]\)/);
    expect(report.summary).toContain(`holds ${sales} user accounts`);
    expect(report.steps.find((s) => s.name === 'tls')!.detail).toContain('AD Console Test CA');
    expect(report.steps.find((s) => s.name === 'directory')!.detail).toContain(BASE_DN);
  });

  it('succeeds over StartTLS on port 389', async () => {
    const report = await testConnection(
      dcSettings(dc, { security: 'starttls' }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(report.ok).toBe(true);
    expect(report.summary).toContain(':389');
    expect(report.summary).toContain('StartTLS');
  });

  it('explains the refused plain simple bind (result 8) and says to choose LDAPS or StartTLS', async () => {
    const report = await testConnection(dcSettings(dc, { security: 'none' }), SERVICE_PASSWORD, resolver, testGuard());
    expect(report.ok).toBe(false);
    expect(failedStep(report)).toMatchObject({
      name: 'bind',
      detail: expect.stringMatching(/requires an encrypted connection/),
      hint: expect.stringMatching(/LDAPS or StartTLS/),
    });
    expect(report.steps.find((s) => s.name === 'tls')!.detail).toMatch(/Not encrypted/);
  });

  it('decodes a wrong password (52e) into words', async () => {
    const report = await testConnection(dcSettings(dc), 'wrong-password', resolver, testGuard());
    expect(failedStep(report)).toMatchObject({
      name: 'bind',
      detail: expect.stringMatching(/login ID or password is wrong \(AD code 52e\)/),
    });
    expect(report.summary).toMatch(/failed at the "bind" step/);
  });

  it('refuses an unknown user at the bind step', async () => {
    const report = await testConnection(
      dcSettings(dc, { login: `nobody@${DOMAIN}` }),
      'whatever',
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({ name: 'bind', detail: expect.stringMatching(/AD code 52e|no account/) });
  });

  it.each([
    ['a disabled account', 'locked-out', /disabled .*533/],
    ['an account that must change its password', 'must-change', /must change its password .*773/],
    ['an expired account', 'expired', /expired .*701/],
  ])('decodes %s from the DC', async (_what, sam, words) => {
    const user = USERS.find((u) => u.sam === sam)!;
    const report = await testConnection(
      dcSettings(dc, { login: `${sam}@${DOMAIN}` }),
      user.password!,
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({ name: 'bind', detail: expect.stringMatching(words) });
  });

  it.each([
    ['down-level', `${NETBIOS}\\${SERVICE_ACCOUNT.sam}`],
    ['user principal name', `${SERVICE_ACCOUNT.sam}@${DOMAIN}`],
    ['distinguished name', userDn(USERS.find((u) => u.sam === SERVICE_ACCOUNT.sam)!)],
  ])('binds with the %s form of the login ID', async (_form, login) => {
    const report = await testConnection(dcSettings(dc, { login }), SERVICE_PASSWORD, resolver, testGuard());
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.name === 'bind')!.detail).toContain(login);
  });

  it('refuses a certificate from a CA it was not told to trust', async () => {
    const report = await testConnection(
      dcSettings(dc, { caFile: dc.otherCaFile }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({
      name: 'tls',
      detail: expect.stringMatching(/CA that this computer does not trust/),
      hint: expect.stringMatching(/CA certificate file/),
    });
    expect(report.steps.map((s) => s.name)).not.toContain('bind');
  });

  it('verifies the certificate after StartTLS just as strictly, before any bind', async () => {
    const report = await testConnection(
      dcSettings(dc, { security: 'starttls', caFile: dc.otherCaFile }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({ name: 'tls', detail: expect.stringMatching(/does not trust/) });
    expect(report.steps.map((s) => s.name)).not.toContain('bind');
  });

  it('refuses a certificate that does not name the server it connected to', async () => {
    const report = await testConnection(
      dcSettings(dc, { server: 'localhost' }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({
      name: 'tls',
      detail: expect.stringMatching(/is for dc1\.corp\.example\.test, 127\.0\.0\.1, not for "localhost"/),
    });
    expect(report.steps.map((s) => s.name)).not.toContain('bind');
  });

  it('says when the server name does not resolve, before connecting anywhere', async () => {
    const report = await testConnection(
      dcSettings(dc, { server: 'no-such-dc.invalid' }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(report.steps).toHaveLength(1);
    expect(failedStep(report)).toMatchObject({
      name: 'resolve',
      detail: expect.stringMatching(/no-such-dc\.invalid: E[A-Z]+/),
      hint: expect.stringMatching(/full DNS name/),
    });
  });

  it.each([
    [
      'LDAPS on the plain LDAP port',
      { port: 389 },
      'tls',
      /port 389 did not answer the TLS handshake/,
      /Port 389 is plain LDAP: choose StartTLS/,
    ],
    [
      'StartTLS on the LDAPS port',
      { security: 'starttls' as const, port: 636 },
      'tls',
      /port 636 closed the connection when asked for StartTLS/,
      /Choose LDAPS for port 636/,
    ],
    [
      'no encryption on the LDAPS port',
      { security: 'none' as const, port: 636 },
      'bind',
      /port 636 closed the connection when sent unencrypted LDAP/,
      /Choose LDAPS/,
    ],
  ])('explains %s', async (_what, overrides, stepName, detail, hint) => {
    const report = await testConnection(dcSettings(dc, overrides), SERVICE_PASSWORD, resolver, testGuard());
    expect(failedStep(report)).toMatchObject({
      name: stepName,
      detail: expect.stringMatching(detail),
      hint: expect.stringMatching(hint),
    });
  });

  it('says nothing listens on a closed port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const report = await testConnection(dcSettings(dc, { port: closed }), SERVICE_PASSWORD, resolver, testGuard());
    expect(failedStep(report)).toMatchObject({ name: 'connect', detail: expect.stringMatching(/connection refused/) });
  });

  describe('a listener that never answers', () => {
    let server: net.Server;
    let port = 0;
    const sockets: net.Socket[] = [];
    beforeAll(async () => {
      server = net.createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });

    it('gives up on the TLS handshake within the connect timeout', async () => {
      const started = Date.now();
      const report = await testConnection(
        dcSettings(dc, { port, connectTimeout: 2 }),
        SERVICE_PASSWORD,
        resolver,
        testGuard(),
      );
      expect(failedStep(report)).toMatchObject({
        name: 'tls',
        detail: expect.stringMatching(/did not complete the TLS handshake within 2 s/),
      });
      expect(Date.now() - started).toBeLessThan(2000 + 3000);
    });

    it('gives up on an unencrypted bind within the operation timeout', async () => {
      const report = await testConnection(
        dcSettings(dc, { port, security: 'none', timeout: 2 }),
        SERVICE_PASSWORD,
        resolver,
        testGuard(),
      );
      expect(failedStep(report)).toMatchObject({
        name: 'bind',
        detail: expect.stringMatching(/did not answer the logon \(bind\) within 2 s/),
      });
    });
  });

  it('reports a missing OU at the container step', async () => {
    const report = await testConnection(
      dcSettings(dc, { ouPath: `LDAP://OU=Nowhere,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(failedStep(report)).toMatchObject({
      name: 'container',
      detail: expect.stringMatching(/OU=Nowhere,DC=corp,DC=example,DC=test does not exist/),
    });
  });

  it('reads OUs with an escaped comma and with non-ASCII names', async () => {
    const research = await testConnection(
      dcSettings(dc, { ouPath: `LDAP://OU=Research\\, Development,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(research.summary).toContain('holds 2 user accounts');
    const zurich = await testConnection(
      dcSettings(dc, { ouPath: `LDAP://OU=Zürich Büro,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    expect(zurich.summary).toContain('holds 2 user accounts');
  });

  it('counts computers instead of users when asked', async () => {
    const report = await testConnection(
      dcSettings(dc, { importComputers: true, ouPath: `LDAP://OU=Workstations,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    const workstations = COMPUTERS.filter((c) => c.ou === 'OU=Workstations');
    expect(report.summary).toContain(`holds ${workstations.length} computer accounts`);
    expect(report.steps.find((s) => s.name === 'accounts')!.detail).toMatch(/WS01/);
    expect(report.steps.find((s) => s.name === 'accounts')!.detail).not.toMatch(/WS01\$/);
  });

  it('counts as many accounts as ldapsearch does, across pages', async () => {
    // OU=Sales, not the domain: other suites add and remove users elsewhere while this one counts.
    const report = await testConnection(
      dcSettings(dc, { pageSize: 2, ouPath: `LDAP://OU=Sales,${BASE_DN}` }),
      SERVICE_PASSWORD,
      resolver,
      testGuard(),
    );
    const ldif = execFileSync(
      'ldapsearch',
      ldapsearchArgs(dc, `OU=Sales,${BASE_DN}`, 2, '(&(objectCategory=person)(objectClass=user))', ['sAMAccountName']),
      {
        env: ldapsearchEnv(dc),
        encoding: 'utf8',
      },
    );
    const expected = ldif.split('\n').filter((l) => l.startsWith('dn:')).length;
    expect(expected).toBe(USERS.filter((u) => u.ou.endsWith('OU=Sales')).length); // more than one page of 2
    expect(report.summary).toContain(`holds ${expected} user accounts`);
  });

  it('finds the domain controllers by DNS SRV when no server is named', async () => {
    const report = await testConnection(
      dcSettings(dc, { server: '' }),
      SERVICE_PASSWORD,
      createResolver({ ADCONSOLE_DNS_SERVERS: dc.address }),
      testGuard(),
    );
    expect(report.ok).toBe(true);
    expect(report.steps[0]!.detail).toMatch(
      /dc1\.corp\.example\.test → 127\.0\.0\.1 \(domain controllers of corp\.example\.test from DNS SRV records\)/,
    );
  });

  it('never binds with an empty password (AD would log on anonymously)', async () => {
    const report = await testConnection(dcSettings(dc), '', resolver, testGuard());
    expect(failedStep(report)).toMatchObject({ name: 'bind', detail: 'No password is available for this login ID.' });
  });
});
