/**
 * One sync at a time per users database, across processes: the scheduled service, the console's wizard
 * and `bcscmd /LDAP` take this lock in the database before an import starts. The holder is named (what,
 * pid, host, since) so that whoever is refused can say who runs; a heartbeat tells a live holder from a
 * dead one, and a holder on this machine whose process has ended is recognised at once.
 */
import { utcText } from '../../../shared/utc-text.ts';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { lockKey, type SqlEngine, type SqlQueryable } from '../database/engine/sql-engine.ts';
import type { StartedBy } from '../../../shared/import-run.ts';
import { processAlive } from '../database/interrupted-runs.ts';
import { BUSY_TIMEOUT_MS, type UsersDatabase } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import type {
  HeldLock as HeldConnectionLock,
  HoldOptions,
  PostgresEngine,
} from '../database/engine/postgres-engine.ts';

export const HEARTBEAT_MS = 10_000;
const BEAT_BUSY_MS = 200;
/** A holder on another machine that has not beaten for this long is taken to be gone. */
export const STALE_AFTER_MS = 120_000;

export interface LockHolder {
  holder: StartedBy;
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
}

interface LockRow {
  token: string;
  holder: StartedBy;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
}

const HOLDER_WORDS: Record<StartedBy, string> = {
  service: 'the scheduled sync service',
  wizard: "the console's Import Wizard",
  console: 'the console',
  'command-line': 'bcscmd /LDAP',
  'on-the-fly': 'an on-the-fly import',
};

export const describeHolder = (h: LockHolder): string =>
  `${HOLDER_WORDS[h.holder]}, pid ${h.pid} on ${h.host}, started ${utcText(h.startedAt)}`;

export class SyncRunning extends Failure {
  readonly holder: LockHolder;
  constructor(holder: LockHolder) {
    super(
      'sync-running',
      `A sync of this users database is running (${describeHolder(holder)}).`,
      "Wait for it to finish — the console's status bar and bcscmd /STATUS show it — then try again " +
        '(bcscmd /LDAP /WAIT:<seconds> queues behind it).',
      { nothingChanged: true },
    );
    this.holder = holder;
  }
}

/** A holder whose process is gone (same machine) or that stopped beating (any machine) holds nothing. */
export function isStale(
  row: { host: string; pid: number; heartbeat_at: string },
  now: Date,
  alive: (pid: number) => boolean = processAlive,
): boolean {
  if (row.host === os.hostname() && row.pid !== process.pid && !alive(row.pid)) return true;
  return now.getTime() - Date.parse(row.heartbeat_at) > STALE_AFTER_MS;
}

const toHolder = (row: LockRow): LockHolder => ({
  holder: row.holder,
  host: row.host,
  pid: row.pid,
  startedAt: row.started_at,
  heartbeatAt: row.heartbeat_at,
});

/**
 * Who holds the lock now. SQLite: the row, unless stale. PostgreSQL: the row names the holder only while a
 * connection holds the lock (a killed holder's row stays until the next one replaces it; no heartbeat is read).
 */
export async function lockHolder(engine: SqlEngine, now = new Date()): Promise<LockHolder | null> {
  const row = await engine.get<LockRow>('SELECT * FROM sync_lock WHERE id = 1');
  if (!row) return null;
  if (engine.name === 'postgresql') return (await sharedLockHeld(engine, 'sync')) ? toHolder(row) : null;
  return isStale(row, now) ? null : toHolder(row);
}

/** Whether some connection holds PostgreSQL's advisory lock of this name (pg_locks splits its 64-bit key). */
async function sharedLockHeld(q: SqlQueryable, name: string): Promise<boolean> {
  const key = BigInt(lockKey(name));
  const row = await q.get(
    "SELECT 1 AS held FROM pg_locks WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND objsubid = 1 " +
      'AND granted',
    Number(key >> 32n),
    Number(key & 0xffffffffn),
  );
  return row !== undefined;
}

export interface HeldLock {
  readonly token: string;
  /** False when the lock was lost (taken over as stale, its connection ended): the caller carries on, but says so. */
  beat(now?: Date): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the sync lock of this users database or throws SyncRunning naming the holder. On SQLite a row with a
 * heartbeat (the holder's process checked on this machine); on PostgreSQL the lock a connection of this process
 * holds (acquireSharedSyncLock), which no clock decides. `database` stays open while the lock is held.
 */
export async function acquireSyncLock(
  database: Pick<UsersDatabase, 'engine' | 'postgres'>,
  holder: StartedBy,
  now = new Date(),
): Promise<HeldLock> {
  if (database.postgres) {
    const shared = await acquireSharedSyncLock(await database.postgres, holder);
    let lost = false;
    void shared.lost.then(() => (lost = true));
    return { token: shared.token, beat: async () => !lost, release: () => shared.release() };
  }
  const { engine } = database;
  const token = randomUUID();
  await engine.write(async (tx) => {
    const row = await tx.get<LockRow>('SELECT * FROM sync_lock WHERE id = 1');
    if (row && !isStale(row, now)) throw new SyncRunning(toHolder(row));
    await writeHolder(tx, token, holder, now.toISOString());
  });
  return {
    token,
    beat: async (at = new Date()) => {
      // A beat must never block this thread behind an import's commit (that would delay Ctrl+C).
      await engine.exec(`PRAGMA busy_timeout = ${BEAT_BUSY_MS}`);
      try {
        const result = await engine.run(
          'UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?',
          at.toISOString(),
          token,
        );
        return result.changes === 1;
      } catch {
        return true; // busy: an import is committing; the next beat will do
      } finally {
        await engine.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    },
    release: async () => {
      await engine.run('DELETE FROM sync_lock WHERE id = 1 AND token = ?', token);
    },
  };
}

/** The row that names the holder (a stale holder's row is replaced). */
function writeHolder(tx: SqlQueryable, token: string, holder: StartedBy, at: string) {
  return tx.run(
    'INSERT INTO sync_lock (id, token, holder, host, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (id) DO UPDATE SET token = excluded.token, holder = excluded.holder, host = excluded.host, ' +
      'pid = excluded.pid, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at',
    token,
    holder,
    os.hostname(),
    process.pid,
    at,
    at,
  );
}

/** The sync lock on a users database that several IM nodes share (PostgreSQL): see acquireSharedSyncLock. */
export interface SharedSyncLock {
  readonly token: string;
  /** Writes through the lock's own connection: they commit only while the lock is held. */
  write: HeldConnectionLock['write'];
  /** Settles when the lock's connection, and with it the lock, is lost: the run must stop applying. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

/**
 * One sync at a time across every node of a shared database: the lock is PostgreSQL's, held by the connection
 * of the node that runs (a node that is killed loses it at once, one that freezes when its session falls silent
 * — PostgresEngine.holdLock), never a heartbeat read against another machine's clock. The sync_lock row only
 * names the holder, so that whoever is refused can say who runs.
 */
export async function acquireSharedSyncLock(
  engine: PostgresEngine,
  holder: StartedBy,
  options?: HoldOptions,
): Promise<SharedSyncLock> {
  const held = await engine.holdLock('sync', options);
  if (!held) {
    // The holder names itself right after taking the lock: a moment's wait covers that gap.
    for (let i = 0; i < 20; i++) {
      const row = await engine.get<LockRow>('SELECT * FROM sync_lock WHERE id = 1');
      if (row) throw new SyncRunning(toHolder(row));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Failure(
      'sync-running',
      'A sync of this users database is running on another node (it has not named itself yet).',
      'Wait for it to finish — bcscmd /STATUS shows it — then try again.',
      { nothingChanged: true },
    );
  }
  const token = randomUUID();
  const at = new Date().toISOString();
  // A row left by a holder that was killed names nobody now: the lock is ours, so is the row.
  await held.write((tx) => writeHolder(tx, token, holder, at));
  return {
    token,
    write: held.write,
    lost: held.lost,
    release: async () => {
      await held
        .write((tx) => tx.run('DELETE FROM sync_lock WHERE id = 1 AND token = ?', token))
        .catch(() => undefined);
      await held.release();
    },
  };
}
