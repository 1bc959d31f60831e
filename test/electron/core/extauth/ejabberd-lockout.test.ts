/**
 * The logon service on a DC of its own (its domain gets a lockout policy, and it is stopped at the end):
 * wrong passwords from the IM server never lock the AD account out, a pool of extauth processes imports
 * a new user once, and local accounts keep logging on while the directory is down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { bcscmd } from '../../../support/bcscmd.ts';
import {
  BASE_DN,
  DOMAIN,
  type FixtureUser,
  NETBIOS,
  SERVICE_ACCOUNT,
  USERS,
  userDn,
} from '../../../support/directory-fixture.ts';
import {
  type Ejabberd,
  ejabberdInstalled,
  extauthCommand,
  giveToEjabberd,
  startEjabberd,
} from '../../../support/ejabberd.ts';
import { type ExtauthPool, startExtauthPool } from '../../../support/extauth-pool.ts';
import { createPso, letReadPsos } from '../../../support/password-policies.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { realPartsAvailable } from '../../../support/real-parts.ts';
import { type TestDc, startTestDc, stopTestDc } from '../../../support/samba-dc.ts';
import { addUser, adminClient, passwordOf } from '../../../support/seed-directory.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { sql } from '../../../support/users-db.ts';
import { xmppLogon } from '../../../support/xmpp.ts';

const NON_ASCII: FixtureUser = { sam: 'zoë.åkesson', given: 'Zoë', sn: 'Åkesson', ou: 'OU=Sales', enabled: true };
/** Under a fine-grained policy that locks after 3: read first without, then with read access to the PSO. */
const STRICT: FixtureUser = { sam: 'strict.one', given: 'Strict', sn: 'One', ou: 'OU=Sales', enabled: true };
const STRICT_READ: FixtureUser = { sam: 'strict.two', given: 'Strict', sn: 'Two', ou: 'OU=Sales', enabled: true };
/** Has failed Windows logons before the IM server sees them. */
const TYPO: FixtureUser = { sam: 'typo.user', given: 'Typo', sn: 'User', ou: 'OU=Sales', enabled: true };
const PSO_THRESHOLD = 3;
const THRESHOLD = 5;
const WINDOW_SECONDS = 20;
const user = (sam: string) => [...USERS, STRICT, STRICT_READ, TYPO].find((u) => u.sam === sam)!;
/** AD's intervals: negative counts of 100 ns. */
const interval = (seconds: number) => String(-seconds * 10_000_000);

describe.runIf(realPartsAvailable() && ejabberdInstalled())('the logon service and AD account lockout', () => {
  let dc: TestDc | null = null;
  let server: Ejabberd;
  let dir: string;
  const db = () => path.join(dir, 'users.sqlite');
  const log = () => fs.readFileSync(path.join(dir, 'logon.log'), 'utf8');

  async function attributeOf(sam: string, attribute: string): Promise<number> {
    const admin = await adminClient(dc!.address, dc!.caFile);
    try {
      const { searchEntries } = await admin.search(userDn(user(sam)), { scope: 'base', attributes: [attribute] });
      return Number(searchEntries[0]?.[attribute] ?? 0);
    } finally {
      await admin.unbind();
    }
  }
  const badPwdCount = (sam: string) => attributeOf(sam, 'badPwdCount');
  /** Until the observation window has passed since the account's last failure by the DC's record (+ its 1 s). */
  const afterAdWindow = async (sam: string) => {
    const lastMs = (await attributeOf(sam, 'badPasswordTime')) / 10_000 - 11_644_473_600_000;
    await new Promise((r) => setTimeout(r, Math.max(0, lastMs + WINDOW_SECONDS * 1000 + 1500 - Date.now())));
  };
  const lockoutTime = (sam: string) => attributeOf(sam, 'lockoutTime');

  beforeAll(async () => {
    dc = await startTestDc(
      path.join(os.tmpdir(), `adconsole-lockout-dc-${process.pid}`),
      (l) => console.log(`[lockout DC] ${l}`),
      '127.0.0.7',
    );
    const admin = await adminClient(dc.address, dc.caFile);
    const set = (type: string, value: string) =>
      admin.modify(
        BASE_DN,
        new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }),
      );
    await set('lockoutThreshold', String(THRESHOLD));
    await set('lockoutDuration', interval(WINDOW_SECONDS));
    await set('lockOutObservationWindow', interval(WINDOW_SECONDS));
    // A user whose logon name is not ASCII (this DC is the suite's own: no other suite counts OU=Sales here).
    await addUser(admin, NON_ASCII);
    for (const u of [STRICT, STRICT_READ, TYPO]) await addUser(admin, u);
    await admin.unbind();
    createPso(dc, 'StrictIM', PSO_THRESHOLD, 1, [STRICT.sam, STRICT_READ.sam]);

    dir = tempDirFor('lockout-data');
    const caFile = path.join(dir, 'ca.pem');
    fs.copyFileSync(dc.caFile, caFile);
    const configured = bcscmd([
      `/DATA:${dir}`,
      `/SET:server=${dc.address}`,
      `/SET:caFile=${caFile}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:ouPath=LDAP://OU=Sales,${BASE_DN}`,
      '/SET:autoImport=yes',
      '/SET:connectTimeout=2',
      '/SET:timeout=3',
    ]);
    expect(configured.code, configured.err).toBe(0);
    fs.writeFileSync(path.join(dir, 'ldap.txt'), `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
    giveToEjabberd(dir);
    server = await startEjabberd({
      domain: DOMAIN,
      extauth: extauthCommand([`/DATA:${dir}`, `/PASSWORDFILE:${path.join(dir, 'ldap.txt')}`]),
      poolSize: 2,
    });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    if (dc) stopTestDc(dc);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('binds only threshold − 2 of 12 wrong passwords, and lets the right one in once the window passed', async () => {
    const dave = user('dave');
    expect(await xmppLogon(server, 'dave', passwordOf(dave))).toEqual({ ok: true });
    for (let i = 0; i < 12; i++)
      expect(await xmppLogon(server, 'dave', `Wrong!Passw0rd-${i}`)).toEqual({ ok: false, error: 'not-authorized' });
    expect(await badPwdCount('dave')).toBe(THRESHOLD - 2);
    expect(log().match(/auth dave@\S+ false \d+ ms: protected from lockout/g)).toHaveLength(12 - (THRESHOLD - 2));
    // Still inside the window: even the right password is not tried.
    expect(await xmppLogon(server, 'dave', passwordOf(dave))).toEqual({ ok: false, error: 'not-authorized' });
    await afterAdWindow('dave');
    expect(await xmppLogon(server, 'dave', passwordOf(dave))).toEqual({ ok: true });
    // Never locked (Samba keeps badPwdCount until its window passes; the guard forgets at the success).
    expect(await badPwdCount('dave')).toBeLessThan(THRESHOLD);
    expect(await lockoutTime('dave')).toBe(0);
    expect(sql(db(), 'SELECT count(*) AS n FROM logon_failures')).toEqual([{ n: 0 }]);
  }, 90_000);

  const twelveWrong = async (sam: string) => {
    for (let i = 0; i < 12; i++)
      expect(await xmppLogon(server, sam, `Wrong!Passw0rd-${i}`)).toEqual({ ok: false, error: 'not-authorized' });
  };

  it('keeps an account under a fine-grained policy it cannot read below that policy, saying so', async () => {
    // Test connection names the policy it cannot read, and how to let the service account read it.
    const test = bcscmd([`/DATA:${dir}`, `/PASSWORDFILE:${path.join(dir, 'ldap.txt')}`, '/TEST']);
    expect(test.out).toMatch(
      /\[ OK \] policy .*The domain locks an account after 5 failed logons within 20 s\. The service account cannot read StrictIM \(CN=StrictIM,CN=Password Settings Container,CN=System,DC=corp,DC=example,DC=test\): IM logons of the accounts under it are checked as if it locked after 2 failed logons/,
    );
    expect(test.out).toMatch(
      /Note: Let the service account read the password policies: dsacls "CN=Password Settings Container,CN=System,DC=corp,DC=example,DC=test" \/I:T \/G "CORP\\svc-adconsole:GR"/,
    );
    giveToEjabberd(dir);
    await twelveWrong(STRICT.sam);
    expect(await badPwdCount(STRICT.sam)).toBe(1);
    expect(await lockoutTime(STRICT.sam)).toBe(0);
    expect(log()).toMatch(
      /auth strict\.one@\S+ false \d+ ms: wrong password .*strict\.one is under the password policy StrictIM, which the service account cannot read: taken as locking after 2 failures/,
    );
  }, 60_000);

  it('uses the fine-grained policy once the service account may read it', async () => {
    letReadPsos(dc!, SERVICE_ACCOUNT.sam);
    expect(bcscmd([`/DATA:${dir}`, `/PASSWORDFILE:${path.join(dir, 'ldap.txt')}`, '/TEST']).out).toMatch(
      /\[ OK \] policy .*Fine-grained policies: StrictIM locks an account after 3 failed logons within 1 min\./,
    );
    giveToEjabberd(dir);
    // A changed password file makes every extauth process read its settings (and the policies) again.
    fs.utimesSync(path.join(dir, 'ldap.txt'), new Date(), new Date(Date.now() + 2000));
    await twelveWrong(STRICT_READ.sam);
    expect(await badPwdCount(STRICT_READ.sam)).toBe(PSO_THRESHOLD - 2);
    expect(await lockoutTime(STRICT_READ.sam)).toBe(0);
    expect(log()).toMatch(
      /auth strict\.two@\S+ false \d+ ms: wrong password .*password policy StrictIM: locks after 3/,
    );
  }, 60_000);

  it("counts the account's failed Windows logons too, and lets the right password in after AD's window", async () => {
    // Two failed logons elsewhere (a Windows desktop), straight to the DC.
    for (let i = 0; i < 2; i++) {
      const client = new Client({
        url: `ldaps://${dc!.address}:636`,
        tlsOptions: { ca: [fs.readFileSync(dc!.caFile)] },
      });
      await expect(client.bind(userDn(TYPO), 'Typed!Wrong-1')).rejects.toThrow();
      await client.unbind();
    }
    expect(await badPwdCount(TYPO.sam)).toBe(2);
    await twelveWrong(TYPO.sam);
    // One IM check took it to threshold − 2; none went further.
    expect(await badPwdCount(TYPO.sam)).toBe(THRESHOLD - 2);
    expect(await lockoutTime(TYPO.sam)).toBe(0);
    expect(log()).toMatch(
      /auth typo\.user@\S+ false \d+ ms: protected from lockout: 127\.0\.0\.7 counts 3 failed logons for typo\.user \(Windows logons included\) and AD locks it at 5/,
    );
    await afterAdWindow(TYPO.sam);
    // The guard's own count (one failure) is within its allowance: AD's count has expired, so the check is made.
    expect(await xmppLogon(server, TYPO.sam, passwordOf(TYPO))).toEqual({ ok: true });
    expect(await lockoutTime(TYPO.sam)).toBe(0);
  }, 90_000);

  it('logs on, and imports, an AD user whose logon name is not ASCII, in any letter case', async () => {
    expect(await xmppLogon(server, 'zoë.åkesson', passwordOf(NON_ASCII))).toEqual({ ok: true });
    // XMPP clients send the name as typed; ejabberd lowercases it (nodeprep), the database compares it so too.
    expect(await xmppLogon(server, 'ZOË.ÅKESSON', passwordOf(NON_ASCII))).toEqual({ ok: true });
    expect(sql(db(), "SELECT logon, origin FROM accounts WHERE logon_key = 'zoë.åkesson'")).toEqual([
      { logon: 'zoë.åkesson', origin: 'ad' },
    ]);
  });

  it('imports a new user once when eight first logons arrive at once through a pool of two', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => xmppLogon(server, 'bob', passwordOf(user('bob')))),
    );
    expect(results, log()).toEqual(Array.from({ length: 8 }, () => ({ ok: true })));
    expect(sql(db(), "SELECT count(*) AS n FROM accounts WHERE logon = 'bob'")).toEqual([{ n: 1 }]);
    expect(sql(db(), "SELECT count(*) AS n FROM import_runs WHERE source LIKE 'logon bob %'")).toEqual([{ n: 1 }]);
  }, 60_000);

  it('never binds again, in any process, with a service password the DC refused, until it changes', async () => {
    const passwordFile = path.join(dir, 'ldap.txt');
    const wrongFile = path.join(dir, 'wrong.txt');
    fs.writeFileSync(wrongFile, 'Svc!Wr0ng-Passw0rd\n', { mode: 0o600 });
    const svcBad = () => badPwdCount(SERVICE_ACCOUNT.sam);
    const before = await svcBad();
    // Every extauth process reads the changed password file: the first bind is refused, and recorded.
    fs.writeFileSync(passwordFile, 'Svc!Wr0ng-Passw0rd\n');
    for (const name of ['alice', 'dave', 'alice', 'dave', 'grace', 'dave'])
      expect(await xmppLogon(server, name, passwordOf(user(name)))).toEqual({
        ok: false,
        error: 'not-authorized',
      });
    expect(await svcBad()).toBe(before + 1);
    expect(log()).toMatch(/was refused by 127\.0\.0\.7 at .*no process sends it again until the password changes/);
    const withWrong = [`/DATA:${dir}`, `/PASSWORDFILE:${wrongFile}`];
    // The command line: /STATUS, /LDAP and /TEST say it, and send nothing.
    const status = bcscmd([...withWrong, '/STATUS']);
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/password was refused by 127\.0\.0\.7 at \d\d:\d\d/);
    expect(bcscmd([...withWrong, '/LDAP'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/refused by 127\.0\.0\.7 at .* UTC .*no process sends it again/),
    });
    expect(bcscmd([...withWrong, '/TEST'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/\[FAIL\] bind .*was refused by/),
    });
    expect(await svcBad()).toBe(before + 1);
    // Asked for explicitly, Test connection sends it once more.
    expect(bcscmd([...withWrong, '/TEST', '/YES'])).toMatchObject({ code: 1, out: expect.stringMatching(/52e/) });
    expect(await svcBad()).toBe(before + 2);
    // The right password: the first bind clears the refusal for everyone.
    fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`);
    giveToEjabberd(dir);
    expect(await xmppLogon(server, 'dave', passwordOf(user('dave')))).toEqual({ ok: true });
    expect(sql(db(), 'SELECT count(*) AS n FROM refused_passwords')).toEqual([{ n: 0 }]);
    expect(bcscmd([`/DATA:${dir}`, '/STATUS']).out).not.toMatch(/refused/);
    expect(await svcBad()).toBe(0);
    fs.rmSync(wrongFile);
  }, 90_000);

  describe('two IM nodes sharing one users database on PostgreSQL', () => {
    if (inject('postgres') === null) {
      it.skip('cannot run: PostgreSQL is missing (the test setup printed why)', () => {});
      return;
    }
    const pools: ExtauthPool[] = [];
    let url: string;
    let nodes: ExtauthPool[];
    const shared = () => openUsersDatabase({ file: path.join(dir, 'unused.sqlite'), url, passwordFile: '' });
    const count = async (sql: string) => {
      const database = shared();
      try {
        return Number((await database.engine.get<{ n: number }>(sql))!.n);
      } finally {
        database.close();
      }
    };

    beforeAll(async () => {
      url = await createTestDatabase(inject('postgres')!);
      // Two data folders ("nodes") set up as the first one, on one PostgreSQL database, each with a pool of two.
      nodes = ['node-a', 'node-b'].map((name) => {
        const data = path.join(dir, name);
        fs.mkdirSync(data);
        fs.copyFileSync(path.join(dir, 'settings.json'), path.join(data, 'settings.json'));
        expect(bcscmd([`/DATA:${data}`, `/SET:database=${url}`]).code).toBe(0);
        const pool = startExtauthPool([`/DATA:${data}`, `/PASSWORDFILE:${path.join(dir, 'ldap.txt')}`], 2);
        pools.push(pool);
        return pool;
      });
    });
    afterAll(async () => {
      for (const pool of pools) await pool.close();
    });

    it('lets 12 wrong passwords spread over both nodes bind only threshold − 2 times: one count', async () => {
      const alice = user('alice');
      expect(await nodes[0]!.ask(`auth:alice:${DOMAIN}:${passwordOf(alice)}`)).toBe(true);
      for (let i = 0; i < 12; i++)
        expect(await nodes[i % 2]!.ask(`auth:alice:${DOMAIN}:Wrong!Passw0rd-${i}`)).toBe(false);
      expect(await badPwdCount('alice')).toBe(THRESHOLD - 2);
      expect(await lockoutTime('alice')).toBe(0);
      const protectedOn = (pool: ExtauthPool) =>
        pool.log().match(/auth alice@\S+ false \d+ ms: protected from lockout/g);
      // Both nodes held back: the count they share, not each its own.
      expect(protectedOn(nodes[0]!)?.length).toBeGreaterThan(0);
      expect(protectedOn(nodes[1]!)?.length).toBeGreaterThan(0);
      expect(await count("SELECT count(*) AS n FROM logon_failures WHERE account_key = 'alice'")).toBe(1);
    }, 90_000);

    it('imports a new user once when eight first logons arrive at once over both nodes', async () => {
      const bob = user('bob');
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => nodes[i % 2]!.ask(`auth:bob:${DOMAIN}:${passwordOf(bob)}`)),
      );
      expect(answers, nodes.map((n) => n.log()).join('\n')).toEqual(Array.from({ length: 8 }, () => true));
      expect(await count("SELECT count(*) AS n FROM accounts WHERE logon = 'bob'")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM import_runs WHERE source LIKE 'logon bob %'")).toBe(1);
    }, 60_000);
  });

  it('with the DC stopped, refuses AD accounts within the timeouts and still logs local accounts on', async () => {
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:kiosk']).code).toBe(0);
    const pw = path.join(dir, 'kiosk.txt');
    fs.writeFileSync(pw, 'Kiosk-Passw0rd\n');
    expect(bcscmd([`/DATA:${dir}`, '/SETPASSWORD:kiosk', `/PASSWORDFILE:${pw}`]).code).toBe(0);
    fs.rmSync(pw);
    giveToEjabberd(dir);
    stopTestDc(dc!);
    dc = null;
    const started = Date.now();
    // dave is in the database (imported above): his password can only be checked by the DC.
    expect(await xmppLogon(server, 'dave', passwordOf(user('dave')))).toEqual({ ok: false, error: 'not-authorized' });
    // Within the connect timeout (2 s) and the operation timeout (3 s), not ejabberd's own.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(log()).toMatch(/auth dave@\S+ false \d+ ms: directory unavailable/);
    expect(await xmppLogon(server, 'kiosk', 'Kiosk-Passw0rd')).toEqual({ ok: true });
  }, 60_000);
});
