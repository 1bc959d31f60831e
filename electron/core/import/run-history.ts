/** Import runs as the history and the per-run report read them (`bcscmd /HISTORY`, `/REPORT`). */
import os from 'node:os';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import type { Counts, HistoryStatus, RunKind, RunStatus, StartedBy } from '../../../shared/import-run.ts';
import type { AccountHistoryLine } from '../../../shared/users-view.ts';

export interface RunStart {
  mode: RunKind;
  source: string;
  startedBy: StartedBy;
  incremental: boolean;
  dc: string | null;
  startedAt: string;
}

export interface RunRecord extends RunStart {
  id: number;
  /** null while the run is running. */
  finishedAt: string | null;
  status: HistoryStatus;
  counts: Counts;
  error: string | null;
  backup: string | null;
  /** The machine and process that ran it (older runs: null). */
  host: string | null;
  pid: number | null;
}

/** Records a run as running, committed at once, so that a process killed mid-run still leaves its trace. */
export async function beginRun(q: SqlQueryable, run: RunStart): Promise<number> {
  const row = await q.get<{ id: number }>(
    'INSERT INTO import_runs (mode, source, started_by, incremental, dc, started_at, finished_at, status, ' +
      "host, pid) VALUES (?, ?, ?, ?, ?, ?, NULL, 'running', ?, ?) RETURNING id",
    run.mode,
    run.source,
    run.startedBy,
    run.incremental ? 1 : 0,
    run.dc,
    run.startedAt,
    os.hostname(),
    process.pid,
  );
  return Number(row!.id);
}

export interface RunEnd {
  status: RunStatus;
  /** What the run found out after it started: the source's words, incremental or not, the DC. */
  source: string;
  incremental: boolean;
  dc: string | null;
  counts: Counts;
  error: string | null;
  backup: string | null;
}

export async function endRun(q: SqlQueryable, id: number, end: RunEnd): Promise<void> {
  const c = end.counts;
  await q.run(
    'UPDATE import_runs SET status = ?, source = ?, incremental = ?, dc = ?, created = ?, updated = ?, ' +
      'disabled = ?, enabled = ?, deleted = ?, unchanged = ?, skipped = ?, conflicts = ?, failed = ?, error = ?, ' +
      'backup = ?, finished_at = ? WHERE id = ?',
    end.status,
    end.source,
    end.incremental ? 1 : 0,
    end.dc,
    c.created,
    c.updated,
    c.disabled,
    c.enabled,
    c.deleted,
    c.unchanged,
    c.skipped,
    c.conflicts,
    c.failed,
    end.error,
    end.backup,
    new Date().toISOString(),
    id,
  );
}

export interface RunRow extends Counts {
  id: number;
  mode: RunRecord['mode'];
  source: string;
  started_by: StartedBy;
  incremental: number;
  dc: string | null;
  started_at: string;
  finished_at: string | null;
  status: HistoryStatus;
  error: string | null;
  backup: string | null;
  host: string | null;
  pid: number | null;
}

/** A row of import_runs as the product speaks of it. */
export const runRecordOf = (r: RunRow): RunRecord => ({
  id: r.id,
  mode: r.mode,
  source: r.source,
  startedBy: r.started_by,
  incremental: r.incremental === 1,
  dc: r.dc,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  counts: {
    created: r.created,
    updated: r.updated,
    disabled: r.disabled,
    enabled: r.enabled,
    deleted: r.deleted,
    unchanged: r.unchanged,
    skipped: r.skipped,
    conflicts: r.conflicts,
    failed: r.failed,
  },
  error: r.error,
  backup: r.backup,
  host: r.host,
  pid: r.pid,
});

export async function listRuns(q: SqlQueryable): Promise<RunRecord[]> {
  return (await q.all<RunRow>('SELECT * FROM import_runs ORDER BY id DESC')).map(runRecordOf);
}

/** The latest sync runs (scheduled or not), newest first: what the schedule dialog lists. */
export async function recentSyncRuns(q: SqlQueryable, limit: number): Promise<RunRecord[]> {
  return (await q.all<RunRow>("SELECT * FROM import_runs WHERE mode = 'sync' ORDER BY id DESC LIMIT ?", limit)).map(
    runRecordOf,
  );
}

export async function findRun(q: SqlQueryable, id: number): Promise<RunRecord | null> {
  const row = await q.get<RunRow>('SELECT * FROM import_runs WHERE id = ?', id);
  return row ? runRecordOf(row) : null;
}

/** The logon names a local account had: its renames' lines name the one before (followed back, bounded). */
async function formerLogons(q: SqlQueryable, logonKey: string): Promise<string[]> {
  const renames = await q.all<{ logon: string; changes: string }>(
    'SELECT lower(logon) AS logon, changes FROM run_actions WHERE ad_guid IS NULL AND changes LIKE \'%"logon":%\'',
  );
  const keys = [logonKey];
  for (let i = 0; i < keys.length && keys.length < 50; i++)
    for (const r of renames) {
      const from = (JSON.parse(r.changes) as { logon?: { from: string } }).logon?.from.toLowerCase();
      if (r.logon === keys[i] && from && !keys.includes(from)) keys.push(from);
    }
  return keys;
}

/**
 * What every run did to this account, newest first: by objectGUID for AD accounts (renames included), by its
 * logon names — the ones it had before a rename too — for local accounts.
 */
export async function accountHistory(
  q: SqlQueryable,
  account: { logonKey: string; guid: string | null },
  limit = 200,
): Promise<AccountHistoryLine[]> {
  const keys = account.guid ? [account.logonKey] : await formerLogons(q, account.logonKey);
  const byLogon = `lower(a.logon) IN (${keys.map(() => '?').join(', ')})`;
  return q.all<AccountHistoryLine>(
    'SELECT r.id AS "runId", r.mode, r.started_by AS "startedBy", coalesce(r.finished_at, r.started_at) AS at, ' +
      'a.action, a.changes, a.reason FROM run_actions a JOIN import_runs r ON r.id = a.run_id ' +
      `WHERE ${account.guid ? `a.ad_guid = ? OR ${byLogon}` : byLogon} ORDER BY r.id DESC, a.seq DESC LIMIT ?`,
    ...(account.guid ? [account.guid] : []),
    ...keys,
    limit,
  );
}

export interface ReportRow {
  seq: number;
  action: string;
  logon: string;
  dn: string | null;
  guid: string | null;
  changes: string | null;
  reason: string | null;
}

export function reportRows(q: SqlQueryable, runId: number): Promise<ReportRow[]> {
  return q.all<ReportRow>(
    'SELECT seq, action, logon, ad_dn AS dn, ad_guid AS guid, changes, reason FROM run_actions WHERE run_id ' +
      '= ? ORDER BY seq',
    runId,
  );
}
