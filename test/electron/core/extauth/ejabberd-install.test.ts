/**
 * AD Console installed on the IM server as the README says, from a fresh clone, with only the machine's own
 * node and npm: `npm ci --omit=dev`, then a real ejabberd whose extauth_program is the README's own line
 * (its three paths pointed at this test's folders) logs a local and an AD user on through bin/bcscmd.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DN, DOMAIN, NETBIOS, SERVICE_ACCOUNT, USERS } from '../../../support/directory-fixture.ts';
import { type Ejabberd, ejabberdInstalled, giveToEjabberd, startEjabberd } from '../../../support/ejabberd.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { passwordOf } from '../../../support/seed-directory.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { xmppLogon } from '../../../support/xmpp.ts';

/** The machine's own tools only: no node_modules/.bin (which puts the project's Node 24 first) on the PATH. */
const SYSTEM = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: process.env.HOME ?? '/root',
};
const run = (command: string, args: string[], cwd?: string) =>
  spawnSync(command, args, { cwd, env: SYSTEM, encoding: 'utf8', timeout: 300_000 });

const cloneable = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).status === 0;
if (!cloneable) console.log('SKIPPING the install-from-a-clone suite: this checkout is not a git repository.');

/** The README's extauth_program line, from its "Connecting ejabberd" section. */
function readmeExtauthLine(): string {
  const readme = fs.readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Connecting ejabberd'));
  return /^extauth_program: "(.+)"$/m.exec(section)![1]!;
}

describe.runIf(realPartsAvailable() && ejabberdInstalled() && cloneable)('installing on a Linux server', () => {
  const dc = testDc()!;
  const root = tempDirFor('server-install');
  const install = path.join(root, 'opt', 'adconsole');
  const data = path.join(root, 'var', 'lib', 'adconsole');
  const etc = path.join(root, 'etc', 'adconsole');
  const passwordFile = path.join(etc, 'ldap-password.txt');
  let server: Ejabberd;

  beforeAll(async () => {
    fs.chmodSync(root, 0o755);
    for (const dir of [path.dirname(install), data, etc]) fs.mkdirSync(dir, { recursive: true });
    for (const dir of [
      path.join(root, 'opt'),
      path.join(root, 'var'),
      path.join(root, 'var', 'lib'),
      path.join(root, 'etc'),
    ])
      fs.chmodSync(dir, 0o755);
    // The README's commands, in order.
    const clone = run('git', ['clone', '--quiet', path.resolve('.'), install]);
    expect(clone.status, clone.stderr).toBe(0);
    const npm = run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], install);
    expect(npm.status, npm.stdout + npm.stderr).toBe(0);
    expect(run('chmod', ['-R', 'go+rX', install]).status).toBe(0);
    const bcscmd = (...args: string[]) => run(path.join(install, 'bin', 'bcscmd'), [`/DATA:${data}`, ...args]);
    fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
    fs.copyFileSync(dc.caFile, path.join(etc, 'corp-ca.pem'));
    const configured = bcscmd(
      `/SET:server=${dc.address}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:caFile=${path.join(etc, 'corp-ca.pem')}`,
      `/SET:ouPath=LDAP://OU=Sales,${BASE_DN}`,
      '/SET:autoImport=yes',
    );
    expect(configured.status, configured.stderr).toBe(0);
    expect(bcscmd('/ADDUSER:kiosk').status).toBe(0);
    const kioskPassword = path.join(root, 'kiosk.txt');
    fs.writeFileSync(kioskPassword, 'Kiosk-Passw0rd\n');
    expect(bcscmd('/SETPASSWORD:kiosk', `/PASSWORDFILE:${kioskPassword}`).status).toBe(0);
    fs.rmSync(kioskPassword);
    giveToEjabberd(data);
    giveToEjabberd(etc);
    const line = readmeExtauthLine()
      .replace('/opt/adconsole', install)
      .replace('/var/lib/adconsole', data)
      .replace('/etc/adconsole/ldap-password.txt', passwordFile);
    server = await startEjabberd({ domain: DOMAIN, extauth: line.split(' '), poolSize: 2 });
  }, 360_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("runs on AD Console's own Node.js, whatever the system's node says of bin/bcscmd.js", () => {
    const system = run('node', ['--version']).stdout.trim();
    const [major, minor] = system.replace(/^v/, '').split('.').map(Number) as [number, number];
    if (major < 22 || (major === 22 && minor < 18))
      expect(run('node', [path.join(install, 'bin', 'bcscmd.js'), '/?'])).toMatchObject({
        status: 2,
        stderr: expect.stringMatching(/needs Node\.js 22\.18 or later .*Run bin\/bcscmd/),
      });
    expect(run(path.join(install, 'bin', 'bcscmd'), ['/?'])).toMatchObject({ status: 0 });
  });

  it("logs a local and an AD user on through ejabberd with the README's extauth_program line", async () => {
    expect(await xmppLogon(server, 'kiosk', 'Kiosk-Passw0rd')).toEqual({ ok: true });
    expect(await xmppLogon(server, 'kiosk', 'not-it')).toEqual({ ok: false, error: 'not-authorized' });
    const bob = USERS.find((u) => u.sam === 'bob')!;
    expect(await xmppLogon(server, 'bob', passwordOf(bob))).toEqual({ ok: true });
    const log = fs.readFileSync(path.join(data, 'logon.log'), 'utf8');
    expect(log).toMatch(/auth kiosk@\S+ true \d+ ms: local password accepted/);
    expect(log).toMatch(/auth bob@\S+ true \d+ ms: password accepted by .*imported on the fly/);
  }, 60_000);
});
