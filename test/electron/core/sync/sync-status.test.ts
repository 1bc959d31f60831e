/**
 * What /STATUS and the status bar say about the schedule and the publishing, read alike from a SQLite file and a
 * PostgreSQL database holding the same rows.
 */
import { expect, it } from 'vitest';
import type { PostgresEngine } from '../../../../electron/core/database/engine/postgres-engine.ts';
import type { SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import { readSyncStatus, statusExitCode } from '../../../../electron/core/sync/sync-status.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings.ts';
import type { SyncStatus } from '../../../../shared/sync-status.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';

const NOW = new Date('2026-12-05T12:00:00.000Z');
const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  login: 'CORP\\svc',
  ouPath: 'LDAP://OU=Staff,DC=corp,DC=example,DC=test',
  imDomains: 'corp.example.test',
  imApi: 'http://127.0.0.1:5285/api',
};

/** A service that checked in a minute ago, a sync running on another machine, two failures, a refused password. */
async function busyDay(q: SqlQueryable) {
  const minuteAgo = new Date(NOW.getTime() - 60_000).toISOString();
  await q.run(
    'INSERT INTO sync_service (id, token, host, pid, since, heartbeat_at, next_run_at) VALUES (1, ?, ?, ?, ?, ?, ?)',
    't1',
    'im1.corp.example.test',
    4242,
    '2026-12-05T08:00:00.000Z',
    minuteAgo,
    '2026-12-05T12:30:00.000Z',
  );
  await q.run(
    'INSERT INTO sync_lock (id, token, holder, host, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)',
    't2',
    'command-line',
    'im2.corp.example.test',
    777,
    minuteAgo,
    minuteAgo,
  );
  await q.run("UPDATE sync_state SET failures = 2, last_error = 'The DC closed the connection.' WHERE id = 1");
  await q.run(
    'INSERT INTO import_runs (mode, source, started_by, started_at, finished_at, status, error) ' +
      "VALUES ('sync', 'users in OU Staff', 'service', ?, ?, 'failed', 'The DC closed the connection.')",
    minuteAgo,
    minuteAgo,
  );
  await q.run(
    'INSERT INTO refused_passwords (login_key, login, hash, dc, refused_at, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
    'corp\\svc',
    'CORP\\svc',
    'scrypt$x',
    'dc1.corp.example.test',
    minuteAgo,
    'invalid-credentials',
    'data 52e',
  );
  await q.run(
    "UPDATE publish_state SET host = 'corp.example.test', published_revision = 0, published_config = ?, " +
      "last_error = 'ejabberd did not answer', last_error_at = ?, reconcile_needed = 1 WHERE id = 1",
    JSON.stringify(['corp.example.test', SETTINGS.companyName]),
    minuteAgo,
  );
}

const statuses = new Map<string, SyncStatus>();

describeOnEngines('the schedule status from a $name users database', ({ name, usersDatabase }) => {
  it('names the service, the running sync, the failures, the refused password and the failing publish', async () => {
    const { engine } = await usersDatabase();
    await busyDay(engine);
    // On PostgreSQL the row names the holder only while a connection holds the lock (here this test's).
    const held = name === 'postgresql' ? await (engine as PostgresEngine).holdLock('sync') : null;
    const status = await readSyncStatus(engine, SETTINGS, NOW);
    expect(status).toMatchObject({
      service: { running: true, pid: 4242, host: 'im1.corp.example.test' },
      runningNow: { pid: 777, host: 'im2.corp.example.test' },
      lastRun: { status: 'failed', startedBy: 'service', error: 'The DC closed the connection.' },
      failures: 2,
      refusedPassword: { login: 'CORP\\svc', dc: 'dc1.corp.example.test', reason: 'data 52e' },
      health: 'refused',
      publishing: { configured: true, host: 'corp.example.test', health: 'failing', pending: true },
    });
    expect(statusExitCode(status)).toBe(1);
    // Given the password at hand and it is not the refused one, the refusal does not count.
    expect((await readSyncStatus(engine, SETTINGS, NOW, null)).health).toBe('failing');
    // The service nodes are PostgreSQL's to say (none here); SQLite has one service per data folder.
    expect(status.nodes).toEqual(name === 'postgresql' ? [] : null);
    statuses.set(name, { ...status, nodes: null });
    if (statuses.size === 2) expect(statuses.get('postgresql')).toEqual(statuses.get('sqlite'));
    if (held) {
      // The holder killed: its row stays, but nobody runs.
      await held.release();
      expect((await readSyncStatus(engine, SETTINGS, NOW)).runningNow).toBeNull();
    }
  });

  it('says the service is missing when nothing checked in, and the publishing is off without an API', async () => {
    const { engine } = await usersDatabase();
    const status = await readSyncStatus(engine, { ...SETTINGS, imApi: '' }, NOW);
    expect(status).toMatchObject({ service: null, runningNow: null, lastRun: null, health: 'missing' });
    expect(status.publishing).toMatchObject({ configured: false, health: 'off' });
    expect(statusExitCode(status)).toBe(3);
  });
});
