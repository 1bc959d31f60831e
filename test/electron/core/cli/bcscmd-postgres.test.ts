/**
 * bcscmd with the users database on PostgreSQL, configured the way an administrator does it (/SET:database=<URL>),
 * against the real Samba DC and the run's private PostgreSQL cluster: the same import as on SQLite, incremental
 * syncs, the safety stop, a process killed mid-apply, and two data folders ("IM nodes") sharing one database and
 * its one sync lock.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { openUsersDatabase, type UsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { acquireSyncLock } from '../../../../electron/core/sync/sync-lock.ts';
import { bcscmd, bcscmdAsync, dcSetArgs, killDuringApply } from '../../../support/bcscmd.ts';
import { BASE_DN, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { describeOnPostgres } from '../../../support/sql-engines.ts';
import { startService } from '../../../support/sync-service.ts';
import { startTcpProxy } from '../../../support/tcp-proxy.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import type { SyncStatus } from '../../../../shared/sync-status.ts';
import { contentOf } from '../../../support/users-db.ts';

const PASSWORD_ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };

describeOnPostgres('bcscmd with the users database on PostgreSQL', () => {
  if (!realPartsAvailable()) {
    it.skip('cannot run: the Samba DC is missing (the test setup printed why)', () => {});
    return;
  }
  const dc = testDc()!;
  /** A data folder ("IM node") set up for the DC, on `url` (empty: its own users.sqlite). */
  const node = (url: string, ou = `${STAFF_OU},${BASE_DN}`) => {
    const data = tempDir();
    const set = bcscmd([`/DATA:${data}`, ...dcSetArgs(dc, ou), ...(url ? [`/SET:database=${url}`] : [])]);
    expect(set.code, set.err).toBe(0);
    return data;
  };
  const ldap = (data: string, ...args: string[]) => bcscmd([`/DATA:${data}`, '/LDAP', ...args], PASSWORD_ENV);
  const users = (data: string) => JSON.parse(bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out) as unknown[];
  /** The database as the product opens it from the URL (closed when the test ends). */
  const opened: UsersDatabase[] = [];
  const open = (url: string) => {
    const database = openUsersDatabase({ file: path.join(tempDir(), 'unused.sqlite'), url, passwordFile: '' });
    opened.push(database);
    return database;
  };
  const newDatabase = () => createTestDatabase(inject('postgres')!);
  /** A node on a new database into which the staff OU was imported, and that database's content now. */
  const importedNode = async () => {
    const url = await newDatabase();
    const data = node(url);
    expect(ldap(data, '/MODE:new').code).toBe(0);
    const database = open(url);
    return { url, data, database, before: await contentOf(database.engine) };
  };

  it('imports the very accounts a SQLite data folder gets from the same directory; syncs incrementally', async () => {
    const url = await newDatabase();
    const onSqlite = node('');
    const onPostgres = node(url);
    for (const data of [onSqlite, onPostgres]) expect(ldap(data, '/MODE:new').code).toBe(0);
    const imported = users(onPostgres);
    expect(imported.length).toBeGreaterThan(1500);
    expect(imported).toEqual(users(onSqlite));
    // The accounts are in PostgreSQL, not in a file of the data folder.
    expect(bcscmd([`/DATA:${tempDir()}`, '/USERS']).out).toMatch(/^0 accounts\./m);
    const database = open(url);
    expect(Number((await database.engine.get<{ n: number }>('SELECT count(*) AS n FROM accounts'))!.n)).toBe(
      imported.length,
    );
    // Syncs from the marks the import left: incremental, changing nothing, as on SQLite.
    for (const data of [onSqlite, onPostgres]) {
      const run = JSON.parse(ldap(data, '/JSON').out) as { ok: boolean; incremental: boolean; updated: number };
      expect(run).toMatchObject({ ok: true, incremental: true, updated: 0, created: 0, disabled: 0 });
    }
    const full = JSON.parse(ldap(onPostgres, '/FULL', '/JSON').out) as { ok: boolean; incremental: boolean };
    expect(full).toMatchObject({ ok: true, incremental: false, updated: 0, created: 0, disabled: 0 });
    // "Create a new database" keeps what it replaces: a schema of its own in the same database, named in the report.
    const again = JSON.parse(ldap(onPostgres, '/MODE:new', '/JSON').out) as { ok: boolean; backup: string };
    expect(again.backup).toMatch(/^postgresql:\/\/.*, schema adconsole_backup_\d{8}t\d{6}z$/);
    const schema = again.backup.split('schema ')[1]!;
    expect(Number((await database.engine.get<{ n: number }>(`SELECT count(*) AS n FROM ${schema}.accounts`))!.n)).toBe(
      imported.length,
    );
    expect(users(onPostgres)).toEqual(users(onSqlite));
    database.close();
  });

  it('stops a sync that would disable too many, exit 3, and changes nothing in PostgreSQL', async () => {
    const { data, database, before } = await importedNode();
    // The source narrowed to one OU: every account outside it would be "gone".
    expect(bcscmd([`/DATA:${data}`, `/SET:ouPath=LDAP://OU=Engineering,${STAFF_OU},${BASE_DN}`]).code).toBe(0);
    const stopped = ldap(data);
    expect(stopped.code).toBe(3);
    expect(stopped.err).toMatch(/would disable \d+ of \d+ imported accounts/);
    expect(await contentOf(database.engine)).toBe(before);
    database.close();
  });

  it('leaves PostgreSQL as it was when the process is killed outright during the apply', async () => {
    const { data, database, before } = await importedNode();
    const child = await killDuringApply([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV);
    expect(child.signal).toBe('SIGKILL');
    const finished = await database.engine.all("SELECT id FROM import_runs WHERE status = 'succeeded'");
    if (finished.length !== 1) {
      console.log('bcscmd-postgres: the kill came after the commit; the run is whole instead');
      return;
    }
    expect(await contentOf(database.engine)).toBe(before);
    // The next process on this machine that opens the database says the killed run was interrupted.
    const [latest] = JSON.parse(bcscmd([`/DATA:${data}`, '/HISTORY', '/JSON']).out) as { status: string }[];
    expect(latest).toMatchObject({ status: 'interrupted', pid: child.pid, host: os.hostname() });
    database.close();
  });

  it('leaves PostgreSQL as it was when the connection to it is lost during the apply, and says so', async () => {
    const postgres = inject('postgres')!;
    const url = await newDatabase();
    const relay = await startTcpProxy('127.0.0.1', postgres.port);
    try {
      // The node reaches the database through a relay that the test cuts in the middle of the apply.
      const data = node(url.replace(`:${postgres.port}/`, `:${relay.port}/`));
      // Not spawnSync: the relay in this process must keep pumping while bcscmd works through it.
      expect((await bcscmdAsync([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV)).code).toBe(0);
      const database = open(url);
      const before = await contentOf(database.engine);
      const run = await killDuringApply([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV, () => relay.down());
      const finished = await database.engine.all("SELECT id FROM import_runs WHERE status = 'succeeded'");
      if (finished.length !== 1) {
        console.log('bcscmd-postgres: the cut came after the commit; the run is whole instead');
        return;
      }
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/users database \(postgresql:.*\) (was lost|did not answer)/);
      expect(run.err).toMatch(/Nothing was changed in the users database/);
      expect(await contentOf(database.engine)).toBe(before);
      // Back: the run the lost connection could not close is marked by the next process on this machine.
      await relay.up();
      const history = await bcscmdAsync([`/DATA:${data}`, '/HISTORY', '/JSON']);
      const [latest] = JSON.parse(history.out) as { status: string }[];
      expect(['interrupted', 'failed']).toContain(latest!.status);
      database.close();
    } finally {
      await relay.close();
    }
  });

  it('rolls back an import cancelled during the apply (Ctrl+C), and the history says it was cancelled', async () => {
    const { data, database, before } = await importedNode();
    const run = await killDuringApply([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV, 'SIGINT');
    const [latest] = JSON.parse(bcscmd([`/DATA:${data}`, '/HISTORY', '/JSON']).out) as { status: string }[];
    if (latest!.status === 'succeeded') {
      console.log('bcscmd-postgres: the cancel came after the commit; the run is whole instead');
      return;
    }
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/The import was cancelled\. Nothing was changed in the users database\./);
    expect(latest).toMatchObject({ status: 'cancelled' });
    expect(await contentOf(database.engine)).toBe(before);
    database.close();
  });

  it('copies a data folder to PostgreSQL: /USERS, /HISTORY and each /REPORT read the same, the file kept', async () => {
    const url = await newDatabase();
    const data = node('');
    expect(ldap(data, '/MODE:new').code).toBe(0);
    expect(bcscmd([`/DATA:${data}`, '/ADDUSER:kiosk', '/NAME:Front Desk', '/OU:Lobby']).code).toBe(0);
    expect(bcscmd([`/DATA:${data}`, '/OUPERMISSIONS:Lobby', '/SEES:Lobby']).code).toBe(0);
    expect(ldap(data, '/FULL').code).toBe(0);
    const read = () => {
      const history = JSON.parse(bcscmd([`/DATA:${data}`, '/HISTORY', '/JSON']).out) as { id: number }[];
      return {
        users: bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out,
        history,
        reports: history.map((r) => bcscmd([`/DATA:${data}`, `/REPORT:${r.id}`, '/JSON']).out),
        contacts: bcscmd([`/DATA:${data}`, '/CONTACTS:kiosk', '/JSON']).out,
      };
    };
    const before = read();
    expect(before.history.length).toBeGreaterThanOrEqual(4);
    const file = path.join(data, 'users.sqlite');
    const fileBefore = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const copied = bcscmd([`/DATA:${data}`, `/COPYDATABASE:${url}`]);
    expect(copied.code, copied.err).toBe(0);
    expect(copied.out).toMatch(
      /^Copied .*users\.sqlite into postgresql:.*: \d+ accounts, \d+ server OUs, \d+ runs with /,
    );
    expect(bcscmd([`/DATA:${data}`, '/SHOW']).out).toMatch(new RegExp(`\n  database +${url}\n`));
    expect(read()).toEqual(before);
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(fileBefore);
    // The data folder works on PostgreSQL now; the copy cannot be made twice into the same database.
    expect(ldap(data).code).toBe(0);
    expect(bcscmd([`/DATA:${data}`, '/SET:database=']).code).toBe(0);
    const again = bcscmd([`/DATA:${data}`, `/COPYDATABASE:${url}`]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty .*Nothing was copied\./);
  });

  it('runs the schedule on one node of two; the other stands by, and leads within a minute of a SIGKILL', async () => {
    const url = await newDatabase();
    const sales = `OU=Sales,${BASE_DN}`;
    const [one, two] = [node(url, sales), node(url, sales)];
    for (const data of [one, two]) expect(bcscmd([`/DATA:${data}`, '/SET:syncEveryMinutes=1']).code).toBe(0);
    const services = [startService(one, PASSWORD_ENV), startService(two, PASSWORD_ENV)];
    try {
      // Both start at once: whichever takes the lock first leads.
      const leading = () => services.filter((s) => /This node leads now/.test(s.log()));
      await expect.poll(() => leading().length, { timeout: 30_000 }).toBe(1);
      const first = leading()[0]!;
      const second = services.find((s) => s !== first)!;
      await first.waitFor(/run \d+ succeeded/, 60_000);
      await second.waitFor(/this one stands by until it may/);
      expect(second.log()).not.toMatch(/leads now/);
      // Either node's /STATUS names the leader and the one standing by, as the database server sees them.
      const status = JSON.parse((await bcscmdAsync([`/DATA:${two}`, '/STATUS', '/JSON'])).out) as SyncStatus;
      expect(status.nodes).toHaveLength(2);
      expect(status.nodes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ role: 'leader', pid: first.pid, host: os.hostname() }),
          expect.objectContaining({ role: 'standby', pid: second.pid, host: os.hostname() }),
        ]),
      );
      const text = (await bcscmdAsync([`/DATA:${one}`, '/STATUS'])).out;
      expect(text).toMatch(new RegExp(`\\nLeader: +pid ${first.pid} on `));
      expect(text).toMatch(new RegExp(`\\nStandby: +pid ${second.pid} on `));
      expect(text).toMatch(/led by .* \(pid \d+\), 1 standing by/);
      const killedAt = Date.now();
      await first.stop('SIGKILL');
      await second.waitFor(/This node leads now/, 30_000);
      await second.waitFor(/run \d+ succeeded/, 60_000);
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const after = JSON.parse((await bcscmdAsync([`/DATA:${one}`, '/STATUS', '/JSON'])).out) as SyncStatus;
      expect(after.nodes).toEqual([expect.objectContaining({ role: 'leader', pid: second.pid })]);
    } finally {
      for (const s of services) await s.stop();
    }
  }, 150_000);

  it('lets one node sync at a time: another is refused (exit 4) naming the holder, or waits with /WAIT', async () => {
    const url = await newDatabase();
    const [one, two] = [node(url), node(url)];
    expect(ldap(one, '/MODE:new').code).toBe(0);
    // The first node's scheduled service holds the lock (this process plays it).
    const database = open(url);
    const held = await acquireSyncLock(database, 'service');
    const refused = ldap(two);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(
      new RegExp(`A sync of this users database is running \\(the scheduled sync service, pid ${process.pid} on `),
    );
    let waitingSaid = false;
    const waiting = bcscmdAsync([`/DATA:${two}`, '/LDAP', '/WAIT:60'], PASSWORD_ENV, (err) => {
      waitingSaid ||= err.includes('Waiting up to 60 s');
    });
    // Released once the other node says it waits (its refusal is written before it starts waiting).
    await expect.poll(() => waitingSaid, { timeout: 30_000 }).toBe(true);
    await held.release();
    const waited = await waiting;
    expect(waited.code, waited.err).toBe(0);
    expect(waited.err).toMatch(/Waiting up to 60 s for it to finish/);
    database.close();
  });
});
