/**
 * The schedule's shared state in the users database, read and written by the service, the console and
 * bcscmd: consecutive failures, a run waiting for an administrator's confirmation, a Run now request, and
 * the scope (source and import options) last run or previewed by an administrator. When the settings
 * change what a sync would do, the schedule pauses until that new scope has been looked at.
 */
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { parseAdsPath } from '../../../shared/adspath.ts';
import type { ImportOutcome } from '../../../shared/import-run.ts';
import type { Settings } from '../../../shared/settings.ts';
import type { ImportRequest } from '../import/import-engine.ts';
import { chosenSource, type ImportSource } from '../import/source.ts';
import { type SyncScope, syncScope } from '../import/sync-marks.ts';

export interface SyncState {
  failures: number;
  lastError: string | null;
  waiting: { runId: number; reason: string; disables: number | null } | null;
  runNow: { at: string; confirmed: boolean } | null;
  approvedScope: SyncScope | null;
}

interface StateRow {
  failures: number;
  last_error: string | null;
  waiting_run_id: number | null;
  waiting_reason: string | null;
  waiting_disables: number | null;
  run_now_at: string | null;
  run_now_confirmed: number;
  approved_scope: string | null;
}

export async function readSyncState(q: SqlQueryable): Promise<SyncState> {
  const row = (await q.get<StateRow>('SELECT * FROM sync_state WHERE id = 1'))!;
  return {
    failures: row.failures,
    lastError: row.last_error,
    waiting:
      row.waiting_run_id === null
        ? null
        : { runId: row.waiting_run_id, reason: row.waiting_reason ?? '', disables: row.waiting_disables },
    runNow: row.run_now_at ? { at: row.run_now_at, confirmed: row.run_now_confirmed === 1 } : null,
    approvedScope: row.approved_scope ? (JSON.parse(row.approved_scope) as SyncScope) : null,
  };
}

/** The OU container path as a source; '' stands for the domain's root (found only when connected). */
function pathSource(settings: Settings): ImportSource {
  const path = parseAdsPath(settings.ouPath);
  return { ous: [path.ok && path.dn ? path.dn : ''], groups: [] };
}

/** What a scheduled sync imports with these settings. Throws for a saved source that does not parse. */
export const scheduledScope = (settings: Settings): SyncScope =>
  syncScope(chosenSource(null, settings) ?? pathSource(settings), settings);

const SCOPE_WORDS: [keyof SyncScope, string][] = [
  ['ous', 'the OUs it reads'],
  ['levels', 'the OUs it reads'],
  ['groups', 'the groups it reads'],
  ['placement', 'where accounts are placed'],
  ['under', 'where accounts are placed'],
  ['computers', 'users or computers'],
  ['middle', 'middle-name parsing'],
  ['disabled', 'whether disabled accounts are imported'],
];

/** What differs between two scopes, in words (empty = the same). */
export function scopeChanges(before: SyncScope, now: SyncScope): string[] {
  const differs = (key: keyof SyncScope) => JSON.stringify(before[key] ?? null) !== JSON.stringify(now[key] ?? null);
  return [...new Set(SCOPE_WORDS.filter(([key]) => differs(key)).map(([, words]) => words))];
}

/** Why the schedule is paused (null = it is not): the settings changed what a sync would do. */
export function pauseReason(state: SyncState, settings: Settings): string | null {
  if (!state.approvedScope) return null;
  let current: SyncScope;
  try {
    current = scheduledScope(settings);
  } catch (err) {
    return (err as Error).message;
  }
  const changes = scopeChanges(state.approvedScope, current);
  return changes.length === 0
    ? null
    : `the settings changed what a sync imports (${changes.join(', ')}) since the last sync`;
}

/** Whether a run of `source` with `settings` does what the scheduled sync with `saved` would do. */
export function previewsSchedule(source: ImportSource, settings: Settings, saved: Settings): boolean {
  try {
    return scopeChanges(syncScope(source, settings), scheduledScope(saved)).length === 0;
  } catch {
    return false; // a saved source that does not parse: nothing to compare with
  }
}

export async function approveScope(q: SqlQueryable, scope: SyncScope): Promise<void> {
  await q.run('UPDATE sync_state SET approved_scope = ? WHERE id = 1', JSON.stringify(scope));
}

/**
 * After any import job: an administrator's sync of the scheduled scope (bcscmd /LDAP without /OU, a dry
 * run included — the preview was seen; the wizard's preview of that same scope), or a wizard import (its
 * source becomes the scheduled one), lifts a pause; a real one that succeeded also ends a wait for
 * confirmation and the failure count.
 */
export async function noteFinishedRun(
  q: SqlQueryable,
  request: ImportRequest,
  settings: Settings,
  outcome: ImportOutcome,
): Promise<void> {
  if (request.startedBy === 'service' || !outcome.ok) return;
  const scheduled =
    (request.source === null && request.mode === 'sync') ||
    (request.startedBy === 'wizard' && !request.dryRun) ||
    request.previewsSchedule === true;
  if (!scheduled) return;
  await approveScope(q, syncScope(chosenSource(request.source, settings) ?? pathSource(settings), settings));
  if (!request.dryRun && request.mode === 'sync')
    await q.run(
      'UPDATE sync_state SET waiting_run_id = NULL, waiting_reason = NULL, waiting_disables = NULL, failures = 0, ' +
        'last_error = NULL WHERE id = 1',
    );
}

/** The service's own run: counted as a failure, a wait for confirmation, or a success. */
export async function noteServiceRun(q: SqlQueryable, outcome: ImportOutcome): Promise<void> {
  if (outcome.status === 'succeeded')
    await q.run(
      'UPDATE sync_state SET failures = 0, last_error = NULL, waiting_run_id = NULL, waiting_reason = NULL, ' +
        'waiting_disables = NULL WHERE id = 1',
    );
  else if (outcome.status === 'stopped')
    await q.run(
      'UPDATE sync_state SET waiting_run_id = ?, waiting_reason = ?, waiting_disables = ? WHERE id = 1',
      outcome.runId ?? 0,
      outcome.error?.message ?? '',
      outcome.wouldDisable,
    );
  else if (outcome.status === 'failed')
    await q.run(
      'UPDATE sync_state SET failures = failures + 1, last_error = ? WHERE id = 1',
      outcome.error?.message ?? 'the run failed',
    );
}

/** Run now: asks the service (through the database) to run at once; `confirmed` goes past the safety limit. */
export async function requestRunNow(q: SqlQueryable, confirmed: boolean, now = new Date()): Promise<void> {
  await q.run(
    'UPDATE sync_state SET run_now_at = ?, run_now_confirmed = ? WHERE id = 1',
    now.toISOString(),
    confirmed ? 1 : 0,
  );
}

/** The service takes a Run now request up (once: a request made meanwhile is kept for the next look). */
export async function takeRunNow(q: SqlQueryable): Promise<{ confirmed: boolean } | null> {
  const row = (await q.get<{ run_now_at: string | null; run_now_confirmed: number }>(
    'SELECT run_now_at, run_now_confirmed FROM sync_state WHERE id = 1',
  ))!;
  if (!row.run_now_at) return null;
  const taken = await q.run(
    'UPDATE sync_state SET run_now_at = NULL, run_now_confirmed = 0 WHERE id = 1 AND run_now_at = ?',
    row.run_now_at,
  );
  return taken.changes === 1 ? { confirmed: row.run_now_confirmed === 1 } : null;
}
