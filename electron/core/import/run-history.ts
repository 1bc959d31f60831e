/** Import runs as the history and the per-run report read them (`bcscmd /HISTORY`, `/REPORT`). */
import type { DatabaseSync } from 'node:sqlite';
import type { Counts, ImportMode, RunStatus, StartedBy } from '../../../shared/import-run.ts';

export interface RunStart {
  mode: ImportMode | 'on-the-fly';
  source: string;
  startedBy: StartedBy;
  incremental: boolean;
  dc: string | null;
  startedAt: string;
}

export interface RunRecord extends RunStart {
  id: number;
  finishedAt: string;
  status: RunStatus;
  counts: Counts;
  error: string | null;
  backup: string | null;
}

export function insertRun(db: DatabaseSync, run: RunStart, status: RunStatus, finishedAt: string, error: string | null = null): number {
  const result = db
    .prepare('INSERT INTO import_runs (mode, source, started_by, incremental, dc, started_at, finished_at, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(run.mode, run.source, run.startedBy, run.incremental ? 1 : 0, run.dc, run.startedAt, finishedAt, status, error);
  return Number(result.lastInsertRowid);
}

export function finishRun(db: DatabaseSync, id: number, counts: Counts, finishedAt: string, backup: string | null): void {
  db.prepare('UPDATE import_runs SET created = ?, updated = ?, disabled = ?, enabled = ?, unchanged = ?, skipped = ?, conflicts = ?, failed = ?, finished_at = ?, backup = ? WHERE id = ?').run(
    counts.created, counts.updated, counts.disabled, counts.enabled, counts.unchanged, counts.skipped, counts.conflicts, counts.failed, finishedAt, backup, id,
  );
}

interface RunRow extends Counts {
  id: number;
  mode: RunRecord['mode'];
  source: string;
  started_by: StartedBy;
  incremental: number;
  dc: string | null;
  started_at: string;
  finished_at: string;
  status: RunStatus;
  error: string | null;
  backup: string | null;
}

const toRecord = (r: RunRow): RunRecord => ({
  id: r.id,
  mode: r.mode,
  source: r.source,
  startedBy: r.started_by,
  incremental: r.incremental === 1,
  dc: r.dc,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  counts: { created: r.created, updated: r.updated, disabled: r.disabled, enabled: r.enabled, unchanged: r.unchanged, skipped: r.skipped, conflicts: r.conflicts, failed: r.failed },
  error: r.error,
  backup: r.backup,
});

export function listRuns(db: DatabaseSync): RunRecord[] {
  return (db.prepare('SELECT * FROM import_runs ORDER BY id DESC').all() as unknown as RunRow[]).map(toRecord);
}

export function findRun(db: DatabaseSync, id: number): RunRecord | null {
  const row = db.prepare('SELECT * FROM import_runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toRecord(row) : null;
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

export function* reportRows(db: DatabaseSync, runId: number): Generator<ReportRow> {
  yield* db.prepare('SELECT seq, action, logon, ad_dn AS dn, ad_guid AS guid, changes, reason FROM run_actions WHERE run_id = ? ORDER BY seq').iterate(runId) as Iterable<ReportRow>;
}
