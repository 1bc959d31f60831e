/**
 * The scheduled sync service's check-ins in the users database: which process serves this data folder
 * (one at a time), since when, when it last checked in and when it runs next. `bcscmd /STATUS` and the
 * console read it; a second service refuses to start while the first one lives.
 */
import { utcText } from '../../../shared/utc-text.ts';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { Failure } from '../failure.ts';
import { isStale } from './sync-lock.ts';

export interface ServiceRecord {
  host: string;
  pid: number;
  since: string;
  heartbeatAt: string;
  nextRunAt: string | null;
  stoppedAt: string | null;
  /** It checks in (or has not been silent for long): see isStale. */
  running: boolean;
}

interface ServiceRow {
  token: string;
  host: string;
  pid: number;
  since: string;
  heartbeat_at: string;
  next_run_at: string | null;
  stopped_at: string | null;
}

const SERVICE_ROW = 'SELECT * FROM sync_service WHERE id = 1';

export async function readService(q: SqlQueryable, now = new Date()): Promise<ServiceRecord | null> {
  return serviceRecordOf(await q.get<ServiceRow>(SERVICE_ROW), now);
}

function serviceRecordOf(row: ServiceRow | undefined, now: Date): ServiceRecord | null {
  if (!row) return null;
  return {
    host: row.host,
    pid: row.pid,
    since: row.since,
    heartbeatAt: row.heartbeat_at,
    nextRunAt: row.next_run_at,
    stoppedAt: row.stopped_at,
    running: row.stopped_at === null && !isStale(row, now),
  };
}

/** Registers this process as the data folder's service; refuses while another one lives. */
export function registerService(db: DatabaseSync, now = new Date()): string {
  const token = randomUUID();
  db.exec('BEGIN IMMEDIATE');
  try {
    const other = serviceRecordOf(db.prepare(SERVICE_ROW).get() as ServiceRow | undefined, now);
    if (other?.running)
      throw new Failure(
        'service-running',
        `A sync service already runs on this data folder: pid ${other.pid} on ${other.host}, since ` +
          `${utcText(other.since)} (last check-in ${utcText(other.heartbeatAt)}).`,
        'Stop that one first (systemctl stop ad-console-sync, or end the process), or give this one another /DATA.',
      );
    const at = now.toISOString();
    db.prepare(
      'INSERT OR REPLACE INTO sync_service (id, token, host, pid, since, heartbeat_at, next_run_at, stopped_at) ' +
        'VALUES (1, ?, ?, ?, ?, ?, NULL, NULL)',
    ).run(token, os.hostname(), process.pid, at, at);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return token;
}

/** False when another service has taken this one's place (this one was silent too long). */
export function checkIn(db: DatabaseSync, token: string, nextRunAt: Date | null, now = new Date()): boolean {
  const result = db
    .prepare('UPDATE sync_service SET heartbeat_at = ?, next_run_at = ? WHERE id = 1 AND token = ?')
    .run(now.toISOString(), nextRunAt?.toISOString() ?? null, token);
  return Number(result.changes) === 1;
}

export function signOff(db: DatabaseSync, token: string, now = new Date()): void {
  db.prepare('UPDATE sync_service SET stopped_at = ?, next_run_at = NULL WHERE id = 1 AND token = ?').run(
    now.toISOString(),
    token,
  );
}
