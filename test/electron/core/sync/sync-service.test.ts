/**
 * `bcscmd /SERVICE` end to end: real service processes on the real DC, each scenario on an OU of its own
 * and behind a relay of its own, so that a test can take "its" DC down, make it hang, or bring it back.
 * The scenarios that must watch the clock for a whole interval run side by side.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../../shared/sync-status.ts';
import { BCSCMD, bcscmd, bcscmdAsync } from '../../../support/bcscmd.ts';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { addStaffUser, adminClient, labUser } from '../../../support/seed-directory.ts';
import { startService } from '../../../support/sync-service.ts';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

const ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };
const MINUTE = 60_000;

interface Lab {
  ou: string;
  data: string;
  file: string;
  proxy: TcpProxy;
  addUser(n: number): Promise<void>;
  deleteUser(n: number): Promise<void>;
}

async function status(data: string): Promise<{ code: number | null; json: SyncStatus; text: string }> {
  const [json, text] = await Promise.all([
    bcscmdAsync([`/DATA:${data}`, '/STATUS', '/JSON']),
    bcscmdAsync([`/DATA:${data}`, '/STATUS']),
  ]);
  expect(json.code).toBe(text.code);
  return { code: json.code, json: JSON.parse(json.out) as SyncStatus, text: text.out };
}

/** Polls /STATUS until `ready` holds (a sync started by the service, say); fails with the last status. */
async function statusWhen(data: string, ready: (s: SyncStatus) => boolean, timeoutMs = 30_000): Promise<SyncStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await status(data);
    if (ready(json)) return json;
    if (Date.now() > deadline) throw new Error(`status never got there: ${JSON.stringify(json, null, 2)}`);
  }
}

const serviceRuns = (file: string) =>
  sql<{ id: number; status: string; incremental: number; started_at: string; finished_at: string | null }>(
    file,
    "SELECT id, status, incremental, started_at, finished_at FROM import_runs WHERE started_by = 'service' ORDER BY id",
  );
const logons = (file: string) =>
  sql<{ logon: string; enabled: number }>(file, 'SELECT logon, enabled FROM accounts ORDER BY logon_key');

describe.runIf(realPartsAvailable())('bcscmd /SERVICE on the real DC', () => {
  const dc = testDc()!;
  let admin: Client;
  const labs: Lab[] = [];

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
  });

  afterAll(async () => {
    for (const lab of labs) {
      await lab.proxy.close();
      const { searchEntries } = await admin
        .search(lab.ou, { scope: 'one', attributes: ['dn'] })
        .catch(() => ({ searchEntries: [] }));
      for (const e of searchEntries) await admin.del(e.dn).catch(() => undefined);
      await admin.del(lab.ou).catch(() => undefined);
      fs.rmSync(lab.data, { recursive: true, force: true });
    }
    await admin.unbind();
  });

  /** An OU with `users` accounts, a relay in front of the DC, and a data folder set up to sync it every minute. */
  async function lab(tag: string, users: number, settings: string[] = []): Promise<Lab> {
    const ou = `OU=Schedule ${tag} ${process.pid},${BASE_DN}`;
    await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: `Schedule ${tag} ${process.pid}` });
    const sam = (n: number) => `sv${tag}${process.pid % 100000}-${n}`.toLowerCase();
    const dnOf = (n: number) => `CN=${sam(n)},${ou}`;
    const addUser = (n: number) => addStaffUser(admin, labUser(sam(n), n, 'Schedule'), dnOf(n));
    for (let n = 1; n <= users; n++) await addUser(n);
    const proxy = await startTcpProxy(dc.address, 636, dc.address);
    const data = tempDirFor(`schedule-${tag}`);
    const configured = bcscmd([
      `/DATA:${data}`,
      `/SET:server=${dc.address}`,
      `/SET:port=${proxy.port}`,
      `/SET:caFile=${dc.caFile}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:ouPath=LDAP://${ou}`,
      '/SET:syncEveryMinutes=1',
      '/SET:connectTimeout=30',
      '/SET:timeout=30',
      '/SET:pageSize=5',
      ...settings,
    ]);
    expect(configured.code, configured.err).toBe(0);
    const made: Lab = {
      ou,
      data,
      file: path.join(data, 'users.sqlite'),
      proxy,
      addUser,
      deleteUser: (n) => admin.del(dnOf(n)),
    };
    labs.push(made);
    return made;
  }

  describe.concurrent('on its own schedule', () => {
    it(
      'brings an AD change into the database by itself at the next interval',
      async () => {
        const { data, file, addUser } = await lab('a', 5);
        const service = startService(data, ENV);
        try {
          await service.waitFor(/run \d+ succeeded \(full: first sync/);
          expect(logons(file)).toHaveLength(5);
          const healthy = await status(data);
          expect(healthy.code).toBe(0);
          expect(healthy.json.health).toBe('ok');
          expect(healthy.text).toMatch(
            /^Scheduled sync every 1 min · next \d\d:\d\d · last \d\d:\d\d succeeded \(5 created\)/,
          );

          await addUser(6);
          const from = service.lineCount();
          await service.waitFor(/run \d+ succeeded \(incremental, on .*\): 1 created/, 2 * MINUTE, from);
          expect(logons(file).map((a) => a.logon)).toContain(`sva${process.pid % 100000}-6`);
          const [first, second] = serviceRuns(file);
          expect(second!.incremental).toBe(1);
          // Not before the interval was over, and not long after it.
          const gap = Date.parse(second!.started_at) - Date.parse(first!.finished_at!);
          expect(gap).toBeGreaterThanOrEqual(MINUTE - 1000);
          expect(gap).toBeLessThan(MINUTE + 15_000);
        } finally {
          expect((await service.stop()).code).toBe(0);
        }
      },
      4 * MINUTE,
    );

    it(
      'records failed runs while the DC is down, retries with back-off, and succeeds once it is back',
      async () => {
        const { data, file, proxy } = await lab('b', 3);
        await proxy.down();
        const service = startService(data, ENV);
        try {
          await service.waitFor(/run \d+ failed: /);
          const once = await statusWhen(data, (s) => s.failures === 1 && s.service?.nextRunAt !== null);
          expect(once.health).toBe('failing');
          expect(once.lastError).toMatch(/Nothing accepts connections|refused/i);
          const gapAfter = (s: SyncStatus) => Date.parse(s.service!.nextRunAt!) - Date.parse(s.lastRun!.finishedAt!);
          expect(gapAfter(once)).toBeGreaterThan(MINUTE - 2000);
          expect(gapAfter(once)).toBeLessThan(MINUTE + 2000);
          const failing = await status(data);
          expect(failing.code).toBe(1);
          expect(failing.text).toMatch(/^Scheduled sync failed 1 time: /);

          // Retried by itself at the next interval; failing again, it waits twice as long.
          const from = service.lineCount();
          await service.waitFor(/run \d+ failed: /, 2 * MINUTE, from);
          const twice = await statusWhen(data, (s) => s.failures === 2 && s.service?.nextRunAt !== null);
          expect(gapAfter(twice)).toBeGreaterThan(2 * MINUTE - 2000);
          expect(gapAfter(twice)).toBeLessThan(2 * MINUTE + 2000);
          expect(service.log()).toMatch(/Failed 2 times in a row; next try/);

          await proxy.up();
          const asked = await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
          expect(asked.out).toMatch(/Asked the service \(pid \d+ on .*\) to sync now/);
          await service.waitFor(/run \d+ succeeded/, 30_000, from);
          const back = await status(data);
          expect(back.code).toBe(0);
          expect(back.json).toMatchObject({ health: 'ok', failures: 0, lastError: null });
          expect(serviceRuns(file).map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
          expect(logons(file)).toHaveLength(3);
        } finally {
          expect((await service.stop()).code).toBe(0);
        }
      },
      4 * MINUTE,
    );

    it(
      'stops at the safety limit, waits for an administrator without retrying, and /LDAP /YES releases it',
      async () => {
        const { data, file, deleteUser } = await lab('c', 4, [
          '/SET:disableLimitCount=1',
          '/SET:disableLimitPercent=0',
          '/SET:fullSyncEvery=1',
        ]);
        const service = startService(data, ENV);
        try {
          await service.waitFor(/run \d+ succeeded/);
          await deleteUser(1);
          await deleteUser(2);
          const from = service.lineCount();
          expect((await bcscmdAsync([`/DATA:${data}`, '/RUNNOW'])).code).toBe(0);
          await service.waitFor(/run \d+ stopped: This sync would disable 2 of 4 imported accounts/, 30_000, from);
          await service.waitFor(/The schedule waits for an administrator: bcscmd \/LDAP \/YES/, 5000, from);
          const waiting = await status(data);
          expect(waiting.code).toBe(1);
          expect(waiting.json).toMatchObject({ health: 'waiting', waitingForConfirmation: true });
          expect(waiting.json.waiting?.disables).toBe(2);
          expect(waiting.text).toMatch(/^Scheduled sync is waiting for confirmation \(would disable 2 accounts\)/);

          // The next interval comes and goes: the service says why it does not run, and runs nothing.
          await service.waitFor(
            /The scheduled run does not start: waiting for confirmation of run \d+/,
            2 * MINUTE,
            from,
          );
          expect(serviceRuns(file).map((r) => r.status)).toEqual(['succeeded', 'stopped']);
          expect(logons(file).filter((a) => a.enabled === 0)).toHaveLength(0);

          const confirmed = await bcscmdAsync([`/DATA:${data}`, '/LDAP', '/YES'], ENV);
          expect(confirmed.code, confirmed.err).toBe(0);
          expect(logons(file).filter((a) => a.enabled === 0)).toHaveLength(2);
          const released = await status(data);
          expect(released.json).toMatchObject({ waitingForConfirmation: false, health: 'ok' });
          expect(released.code).toBe(0);
        } finally {
          expect((await service.stop()).code).toBe(0);
        }
      },
      4 * MINUTE,
    );
    it(
      'pauses when the settings change what it imports, until the preview was seen',
      async () => {
        // Moving to another OU disables the first one's accounts: allowed here, so that only the pause stops it.
        const { data, file } = await lab('h', 2, ['/SET:disableLimitPercent=100']);
        const other = await lab('i', 3);
        const service = startService(data, ENV);
        try {
          await service.waitFor(/run \d+ succeeded/);
          const from = service.lineCount();
          expect(bcscmd([`/DATA:${data}`, `/SET:ouPath=LDAP://${other.ou}`]).code).toBe(0);
          await service.waitFor(/The settings changed: every 1 min/, 10_000, from);
          const paused = await status(data);
          expect(paused.code).toBe(1);
          expect(paused.json.health).toBe('paused');
          expect(paused.text).toMatch(
            /^Scheduled sync is paused: the settings changed what a sync imports \(the OUs it reads\) since the last sync/,
          );
          // Its next time comes: it does not run the new source unseen.
          await service.waitFor(/The scheduled run does not start: paused: the settings changed/, 2 * MINUTE, from);
          expect(serviceRuns(file)).toHaveLength(1);
          // The administrator looks at what it would do: that lifts the pause, and the next run imports it.
          const preview = await bcscmdAsync([`/DATA:${data}`, '/LDAP', '/DRYRUN'], ENV);
          expect(preview.code, preview.err).toBe(0);
          expect(preview.out).toMatch(/DRY RUN/);
          expect((await status(data)).json.health).toBe('ok');
          await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
          await service.waitFor(/run \d+ succeeded .*: 3 created/, 30_000, from);
          expect(logons(file)).toHaveLength(5);
        } finally {
          expect((await service.stop()).code).toBe(0);
        }
      },
      4 * MINUTE,
    );
  });

  it('refuses a second service on the same data folder, naming the first one', async () => {
    const { data } = await lab('d', 2);
    const first = startService(data, ENV);
    try {
      await first.waitFor(/run \d+ succeeded/);
      const second = startService(data, ENV);
      expect((await second.exited()).code).toBe(1);
      expect(second.log()).toMatch(
        new RegExp(`A sync service already runs on this data folder: pid ${first.pid} on ${os.hostname()}, since`),
      );
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
  });

  it('makes /LDAP wait for a running sync: exit 4 at once, or with /WAIT it runs right after', async () => {
    const { data, file, proxy } = await lab('e', 6);
    const service = startService(data, ENV);
    try {
      await service.waitFor(/run \d+ succeeded/);
      proxy.hold(); // the DC stops answering: the service's next run hangs
      await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
      await statusWhen(data, (s) => s.runningNow !== null && s.lastRun?.status === 'running');

      const refused = await bcscmdAsync([`/DATA:${data}`, '/LDAP'], ENV);
      expect(refused.code).toBe(4);
      expect(refused.err).toMatch(
        new RegExp(
          `A sync of this users database is running \\(the scheduled sync service, pid ${service.pid} on ` +
            `${os.hostname()}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)\\.\\nWhat to do: .*\\/WAIT`,
        ),
      );

      const waiting = spawn(process.execPath, [BCSCMD, `/DATA:${data}`, '/LDAP', '/WAIT:60'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ENV },
      });
      let err = '';
      const queued = new Promise<void>((resolve) =>
        waiting.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          if (err.includes('Waiting up to 60 s')) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => waiting.on('exit', resolve));
      await queued;
      proxy.release();
      expect(await exited, err).toBe(0);
      const runs = sql<{ started_by: string; status: string; started_at: string; finished_at: string }>(
        file,
        'SELECT started_by, status, started_at, finished_at FROM import_runs ORDER BY id DESC LIMIT 2',
      );
      expect(runs.map((r) => `${r.started_by} ${r.status}`)).toEqual(['command-line succeeded', 'service succeeded']);
      expect(Date.parse(runs[0]!.started_at)).toBeGreaterThanOrEqual(Date.parse(runs[1]!.finished_at));
    } finally {
      proxy.release();
      expect((await service.stop()).code).toBe(0);
    }
  });

  it('cancels a run when stopped (SIGTERM): rolled back, recorded, exit 0 within 5 s', async () => {
    const { data, file, proxy } = await lab('f', 30, ['/SET:fullSyncEvery=1']);
    const service = startService(data, ENV);
    await service.waitFor(/run \d+ succeeded/);
    // Full passes: measure one, then let the DC stop answering half-way through the next one's search.
    const start = proxy.fromServer();
    let from = service.lineCount();
    await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
    await service.waitFor(/run \d+ succeeded/, 30_000, from);
    const fullRun = proxy.fromServer() - start;
    const before = databaseContent(file);
    proxy.stallAfter(proxy.fromServer() + Math.floor(fullRun / 2));
    from = service.lineCount();
    await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
    await service.waitFor(/Scheduled sync started/, 30_000, from);
    await statusWhen(data, (s) => s.runningNow !== null && s.lastRun?.status === 'running');
    const stopped = await service.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
    expect(service.log()).toMatch(/Stopping: the running import is cancelled/);
    expect(service.log()).toMatch(/Sync service stopped\./);
    expect(databaseContent(file)).toBe(before);
    const last = sql<{ status: string; error: string }>(
      file,
      'SELECT status, error FROM import_runs ORDER BY id DESC LIMIT 1',
    );
    expect(last[0]).toMatchObject({ status: 'cancelled' });
    expect(last[0]!.error).toMatch(/The import was cancelled\..*Nothing was changed in the users database/);
    const after = await status(data);
    expect(after.json.service).toMatchObject({ running: false });
    expect(after.json.service?.stoppedAt).not.toBe(null);
  });

  it('takes over the lock and the data folder of a service that was killed (SIGKILL) mid-run', async () => {
    const { data, file, proxy } = await lab('g', 4);
    const killed = startService(data, ENV);
    await killed.waitFor(/run \d+ succeeded/);
    proxy.hold();
    await bcscmdAsync([`/DATA:${data}`, '/RUNNOW']);
    await statusWhen(data, (s) => s.runningNow !== null && s.lastRun?.status === 'running');
    await killed.stop('SIGKILL');
    proxy.release();
    // The lock and the registration name a process that is gone: neither holds anything.
    expect(sql(file, 'SELECT pid FROM sync_lock')).toEqual([{ pid: killed.pid }]);
    const gone = await status(data);
    expect(gone.json.runningNow).toBe(null);
    expect(gone.json.service).toMatchObject({ running: false, pid: killed.pid });
    const ldap = await bcscmdAsync([`/DATA:${data}`, '/LDAP'], ENV);
    expect(ldap.code, ldap.err).toBe(0);
    expect(serviceRuns(file).map((r) => r.status)).toEqual(['succeeded', 'interrupted']);
    const next = startService(data, ENV);
    try {
      await next.waitFor(/Sync service started \(pid \d+/);
      await next.waitFor(/run \d+ succeeded/);
    } finally {
      expect((await next.stop()).code).toBe(0);
    }
  });

  it('is off in a new data folder until an import source is chosen, then says exit 3 while no service runs', () => {
    const data = path.join(tempDirFor('schedule-none'), 'data');
    const fresh = bcscmd([`/DATA:${data}`, '/STATUS', '/JSON']);
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.out)).toMatchObject({ health: 'off', schedule: { everyMinutes: 30, chosen: false } });
    expect(bcscmd([`/DATA:${data}`, '/STATUS']).out).toMatch(
      /^Scheduled sync is off until an import source is chosen \(Tools → Active Directory Import Wizard…\)/,
    );
    expect(bcscmd([`/DATA:${data}`, `/SET:importSource=OU=Staff,DC=corp,DC=example,DC=test`]).code).toBe(0);
    const run = bcscmd([`/DATA:${data}`, '/STATUS']);
    expect(run.code).toBe(3);
    expect(run.out).toMatch(
      /^Scheduled sync every 30 min: no sync service has checked in yet \(install one with bcscmd \/INSTALLSERVICE\)/,
    );
    expect(bcscmd([`/DATA:${data}`, '/SET:syncEveryMinutes=0']).code).toBe(0);
    const off = bcscmd([`/DATA:${data}`, '/STATUS']);
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/^Scheduled sync is off/);
    fs.rmSync(path.dirname(data), { recursive: true, force: true });
  });
});
