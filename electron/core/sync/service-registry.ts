/**
 * The scheduled sync service's check-ins in the users database: which process serves this data folder
 * (one at a time), since when, when it last checked in and when it runs next. `bcscmd /STATUS` and the
 * console read it; a second service refuses to start while the first one lives.
 */
import { utcText } from '../../../shared/utc-text.ts';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
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

/**
 * Registers this process as the database's service; refuses while another one lives — unless `leading`: a node
 * that holds the service lock of a shared database (sync-service.ts) replaces whoever was named before.
 */
export async function registerService(
  engine: SqlEngine,
  now = new Date(),
  { leading = false }: { leading?: boolean } = {},
): Promise<string> {
  const token = randomUUID();
  await engine.write(async (tx) => {
    const other = serviceRecordOf(await tx.get<ServiceRow>(SERVICE_ROW), now);
    if (other?.running && !leading)
      throw new Failure(
        'service-running',
        `A sync service already runs on this data folder: pid ${other.pid} on ${other.host}, since ` +
          `${utcText(other.since)} (last check-in ${utcText(other.heartbeatAt)}).`,
        'Stop that one first (systemctl stop ad-console-sync, or end the process), or give this one another /DATA.',
      );
    const at = now.toISOString();
    await tx.run(
      'INSERT INTO sync_service (id, token, host, pid, since, heartbeat_at, next_run_at, stopped_at) ' +
        'VALUES (1, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT (id) DO UPDATE SET token = excluded.token, ' +
        'host = excluded.host, pid = excluded.pid, since = excluded.since, heartbeat_at = excluded.heartbeat_at, ' +
        'next_run_at = NULL, stopped_at = NULL',
      token,
      os.hostname(),
      process.pid,
      at,
      at,
    );
  });
  return token;
}

/** False when another service has taken this one's place (this one was silent too long). */
export async function checkIn(
  q: SqlQueryable,
  token: string,
  nextRunAt: Date | null,
  now = new Date(),
): Promise<boolean> {
  const result = await q.run(
    'UPDATE sync_service SET heartbeat_at = ?, next_run_at = ? WHERE id = 1 AND token = ?',
    now.toISOString(),
    nextRunAt?.toISOString() ?? null,
    token,
  );
  return result.changes === 1;
}

export async function signOff(q: SqlQueryable, token: string, now = new Date()): Promise<void> {
  await q.run(
    'UPDATE sync_service SET stopped_at = ?, next_run_at = NULL WHERE id = 1 AND token = ?',
    now.toISOString(),
    token,
  );
}

/** What a node's service connection is called on a shared database's server: its role, pid and host. */
const LABEL = 'AD Console service';
export const serviceLabel = (role: ServiceNode['role']): string => `${LABEL} ${role} ${process.pid} ${os.hostname()}`;

export interface ServiceNode {
  role: 'leader' | 'standby';
  pid: number;
  host: string;
  /** Since when its connection is there (ISO 8601). */
  since: string;
}

/**
 * The /SERVICE processes of every node on a PostgreSQL database, as the server sees their connections (alive by
 * definition: a node that is gone has no connection); null on SQLite, where one service serves one data folder.
 */
export async function serviceNodes(engine: SqlEngine): Promise<ServiceNode[] | null> {
  if (engine.name !== 'postgresql') return null;
  const rows = await engine.all<{ name: string; since_ms: number }>(
    'SELECT application_name AS name, CAST(extract(epoch FROM backend_start) * 1000 AS BIGINT) AS since_ms ' +
      'FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE ? ORDER BY backend_start',
    `${LABEL} %`,
  );
  return rows.flatMap((r) => {
    const m = /^AD Console service (leader|standby) (\d+) (.*)$/.exec(r.name);
    return m
      ? [
          {
            role: m[1] as ServiceNode['role'],
            pid: Number(m[2]),
            host: m[3]!,
            since: new Date(r.since_ms).toISOString(),
          },
        ]
      : [];
  });
}
