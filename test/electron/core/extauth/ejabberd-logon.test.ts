/**
 * A real ejabberd logs users on through `bcscmd /EXTAUTH` (auth_method: external), a real XMPP client
 * logs on as a user would, and the accounts come from the real DC into a real users database.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BCSCMD, bcscmd, dcSetArgs } from '../../../support/bcscmd.ts';
import { BASE_DN, DOMAIN, NETBIOS, SERVICE_ACCOUNT, USERS } from '../../../support/directory-fixture.ts';
import {
  type Ejabberd,
  ejabberdInstalled,
  extauthCommand,
  giveToEjabberd,
  startEjabberd,
} from '../../../support/ejabberd.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { passwordOf } from '../../../support/seed-directory.ts';
import { tempDir, tempDirFor } from '../../../support/temp-dir.ts';
import { sql } from '../../../support/users-db.ts';
import { xmppLogon } from '../../../support/xmpp.ts';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

const user = (sam: string) => USERS.find((u) => u.sam === sam)!;

/** A data folder as an administrator sets it up for ejabberd: settings, the service password in a file. */
function dataFolder(settings: Record<string, string>): { dir: string; passwordFile: string } {
  const dc = testDc()!;
  const dir = tempDirFor('extauth-data');
  folders.push(dir);
  // The ejabberd user reads the CA certificate too: a copy inside its own folder.
  const caFile = path.join(dir, 'ca.pem');
  fs.copyFileSync(dc.caFile, caFile);
  const base = {
    server: dc.address,
    caFile,
    login: `${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
    ouPath: `LDAP://OU=Sales,${BASE_DN}`,
    autoImport: 'yes',
    ...settings,
  };
  const set = bcscmd([`/DATA:${dir}`, ...Object.entries(base).map(([k, v]) => `/SET:${k}=${v}`)]);
  expect(set.code, set.err).toBe(0);
  const passwordFile = path.join(dir, 'ldap-password.txt');
  fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
  giveToEjabberd(dir);
  return { dir, passwordFile };
}

async function serverFor(
  data: { dir: string; passwordFile: string },
  env: Record<string, string> = {},
): Promise<Ejabberd> {
  return startEjabberd({
    domain: DOMAIN,
    extauth: extauthCommand([`/DATA:${data.dir}`, `/PASSWORDFILE:${data.passwordFile}`]),
    poolSize: 2,
    env,
  });
}

const logOf = (dir: string) => fs.readFileSync(path.join(dir, 'logon.log'), 'utf8');

describe.runIf(realPartsAvailable() && ejabberdInstalled())('ejabberd logons through the users database', () => {
  let data: { dir: string; passwordFile: string };
  let server: Ejabberd;
  const db = () => path.join(data.dir, 'users.sqlite');

  beforeAll(async () => {
    data = dataFolder({});
    server = await serverFor(data);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('imports an AD user on the fly at the first logon and records an on-the-fly run', async () => {
    expect(await xmppLogon(server, 'alice', passwordOf(user('alice')))).toEqual({ ok: true });
    expect(
      sql(db(), "SELECT logon, origin, last_logon_at IS NOT NULL AS seen FROM accounts WHERE logon = 'alice'"),
    ).toEqual([{ logon: 'alice', origin: 'ad', seen: 1 }]);
    expect(sql(db(), "SELECT mode, started_by, status FROM import_runs WHERE source LIKE 'logon alice %'")).toEqual([
      { mode: 'on-the-fly', started_by: 'on-the-fly', status: 'succeeded' },
    ]);
    expect(logOf(data.dir)).toMatch(
      /auth alice@corp\.example\.test true \d+ ms: password accepted by .*; imported on the fly/,
    );
  });

  it('refuses a wrong password, and a user outside the OU path, importing nothing for the latter', async () => {
    expect(await xmppLogon(server, 'bob', 'Wrong!Passw0rd')).toEqual({ ok: false, error: 'not-authorized' });
    expect(logOf(data.dir)).toMatch(
      /auth bob@corp\.example\.test false \d+ ms: wrong password \(data 52e; 1 of \d+ allowed\); nothing was imported/,
    );
    expect(sql(db(), "SELECT count(*) AS n FROM accounts WHERE logon = 'bob'")).toEqual([{ n: 0 }]);
    // frank is in OU=Research, Development: not under OU=Sales.
    expect(await xmppLogon(server, 'frank', passwordOf(user('frank')))).toEqual({ ok: false, error: 'not-authorized' });
    expect(sql(db(), "SELECT count(*) AS n FROM accounts WHERE logon = 'frank'")).toEqual([{ n: 0 }]);
  });

  it('refuses an account disabled in AD though enabled in the database, and one disabled in the database', async () => {
    // carol is disabled in AD; imported as disabled (importDisabled), so enable her in the database by hand.
    expect(
      bcscmd([`/DATA:${data.dir}`, '/LOOKUP:carol'], { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password }).code,
    ).toBe(0);
    sql(db(), "UPDATE accounts SET enabled = 1 WHERE logon = 'carol'");
    giveToEjabberd(data.dir);
    expect(await xmppLogon(server, 'carol', passwordOf(user('carol')))).toMatchObject({ ok: false });
    expect(logOf(data.dir)).toMatch(/auth carol@corp\.example\.test false \d+ ms: .*disabled/i);
    sql(db(), "UPDATE accounts SET enabled = 0 WHERE logon = 'alice'");
    expect(await xmppLogon(server, 'alice', passwordOf(user('alice')))).toMatchObject({ ok: false });
    expect(logOf(data.dir)).toMatch(
      /auth alice@corp\.example\.test false \d+ ms: alice is disabled in the users database/,
    );
    sql(db(), "UPDATE accounts SET enabled = 1 WHERE logon = 'alice'");
  });

  it(
    'refuses a user of another OU whose name is not ASCII, and a name with filter characters, importing ' + 'nothing',
    async () => {
      expect(await xmppLogon(server, 'juerg', passwordOf(user('juerg')))).toEqual({
        ok: false,
        error: 'not-authorized',
      });
      expect(await xmppLogon(server, 'al*', passwordOf(user('alice')))).toEqual({ ok: false, error: 'not-authorized' });
      expect(await xmppLogon(server, 'x)(cn=*', 'whatever-Passw0rd')).toEqual({ ok: false, error: 'not-authorized' });
      expect(sql(db(), "SELECT logon FROM accounts WHERE logon NOT IN ('alice', 'carol') ORDER BY logon")).toEqual([]);
    },
  );

  it('logs on a local account with the password the administrator set, and never one without', async () => {
    expect(bcscmd([`/DATA:${data.dir}`, '/ADDUSER:guest.one', '/NAME:Guest One', '/OU:Guests']).code).toBe(0);
    expect(await xmppLogon(server, 'guest.one', 'anything-at-all')).toEqual({ ok: false, error: 'not-authorized' });
    const file = path.join(tempDir(), 'new-password.txt');
    fs.writeFileSync(file, 'Lökal-Pässw0rd:with:colons\n');
    expect(bcscmd([`/DATA:${data.dir}`, '/SETPASSWORD:guest.one', `/PASSWORDFILE:${file}`])).toMatchObject({ code: 0 });
    giveToEjabberd(data.dir);
    expect(await xmppLogon(server, 'guest.one', 'Lökal-Pässw0rd:with:colons')).toEqual({ ok: true });
    expect(await xmppLogon(server, 'guest.one', 'Lökal-Pässw0rd')).toEqual({ ok: false, error: 'not-authorized' });
  });

  it('never writes a password into any file of the data folder (log, database and its WAL)', () => {
    const files = fs
      .readdirSync(data.dir)
      .filter((f) => f !== 'ldap-password.txt')
      .map((f) => fs.readFileSync(path.join(data.dir, f)));
    expect(files.length).toBeGreaterThan(2);
    const everything = Buffer.concat(files);
    for (const secret of [passwordOf(user('alice')), 'Wrong!Passw0rd', 'Lökal-Pässw0rd', SERVICE_ACCOUNT.password])
      expect(everything.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
  });
});

describe.runIf(realPartsAvailable() && ejabberdInstalled())('ejabberd logons with on-the-fly import off', () => {
  it('refuses an AD user who is not in the database, and imports nothing', async () => {
    const data = dataFolder({ autoImport: 'no' });
    const server = await serverFor(data);
    try {
      expect(await xmppLogon(server, 'bob', passwordOf(user('bob')))).toEqual({ ok: false, error: 'not-authorized' });
      expect(sql(path.join(data.dir, 'users.sqlite'), 'SELECT count(*) AS n FROM accounts')).toEqual([{ n: 0 }]);
      expect(logOf(data.dir)).toMatch(/on-the-fly import from Active Directory is off/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe.runIf(realPartsAvailable() && ejabberdInstalled())(
  'ejabberd logons with the DC named as administrators do',
  () => {
    it('checks passwords on the DC named by its DNS name, and on the DCs found by DNS SRV records', async () => {
      const dc = testDc()!;
      // The DC's own DNS answers for its domain; the extauth processes inherit the variable from ejabberd.
      const dns = { ADCONSOLE_DNS_SERVERS: dc.address };
      for (const [server, sam] of [
        [dc.fqdn, 'dave'],
        ['', 'bob'],
      ] as const) {
        const data = dataFolder({ server });
        const ejabberd = await serverFor(data, dns);
        try {
          expect(await xmppLogon(ejabberd, sam, passwordOf(user(sam)))).toEqual({ ok: true });
          expect(await xmppLogon(ejabberd, sam, 'Wrong!Passw0rd')).toEqual({ ok: false, error: 'not-authorized' });
          expect(logOf(data.dir)).toMatch(new RegExp(`auth ${sam}@\\S+ true \\d+ ms: password accepted by dc1\\.corp`));
        } finally {
          await ejabberd.stop();
        }
      }
    }, 90_000);
  },
);

describe.runIf(realPartsAvailable())('/EXTAUTH and what AD says about an account', () => {
  it("refuses accounts whose password AD accepts but whose logon it refuses, saying why in AD's words", () => {
    const dc = testDc()!;
    const dir = tempDir();
    const set = bcscmd([
      `/DATA:${dir}`,
      ...dcSetArgs(dc, `OU=Service Accounts,${BASE_DN}`),
      '/SET:autoImport=yes',
      `/SET:imDomains=${DOMAIN}`,
    ]);
    expect(set.code, set.err).toBe(0);
    const frames = ['must-change', 'expired'].map((sam) => {
      const body = Buffer.from(`auth:${sam}:${DOMAIN}:${passwordOf(user(sam))}`);
      return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
    });
    const run = spawnSync(process.execPath, [BCSCMD, '/EXTAUTH', `/DATA:${dir}`], {
      input: Buffer.concat(frames),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password,
      },
    });
    expect([...run.stdout]).toEqual([0, 2, 0, 0, 0, 2, 0, 0]);
    const log = logOf(dir);
    expect(log).toMatch(
      /auth must-change@\S+ false \d+ ms: The account must change its password before it can log on \(AD code 773\)/,
    );
    expect(log).toMatch(/auth expired@\S+ false \d+ ms: The account has expired \(AD code 701\); nothing was imported/);
    // Neither counts as a wrong password: the guard has nothing on them.
    expect(sql(path.join(dir, 'users.sqlite'), 'SELECT count(*) AS n FROM logon_failures')).toEqual([{ n: 0 }]);
  });
});
