/**
 * Applying a plan: one transaction for the whole run, so a failure or cancel at any row leaves the
 * database as it was. Yields to the event loop between batches so that progress and cancel get through.
 */
import type { DatabaseSync } from 'node:sqlite';
import { logonKey, searchTextOf } from '../database/accounts.ts';
import { displayOuPath, OuTree } from '../database/ou-tree.ts';
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { AdAccount } from './ad-account.ts';
import { type Action, type Counts, COUNT_OF, type PlannedAction } from '../../../shared/import-run.ts';
import type { PlanRow, Stage } from './stage.ts';
import { bumpRevision } from '../database/users-database.ts';
import { endRun, type RunEnd } from './run-history.ts';

const BATCH = 500;
const WRITTEN: Action[] = ['create', 'update', 'disable', 'enable'];
/** Every planned action except "unchanged": what the report lists and the apply walks through. */
export const REPORTED_ACTIONS: Action[] = ['create', 'update', 'disable', 'enable', 'skip', 'conflict'];

export interface ApplyContext {
  db: DatabaseSync;
  stage: Stage;
  runId: number;
  now: string;
  counts: Counts;
  problems: PlannedAction[];
  onRow: (done: number) => void;
  /** Throws when the run was cancelled. */
  checkCancelled: () => void;
}

export function plannedAction(row: PlanRow, override?: { action: Action; reason: string }): PlannedAction {
  return {
    action: override?.action ?? row.action,
    logon: row.logon,
    dn: row.dn,
    guid: row.guid,
    changes: row.changes ? JSON.parse(row.changes) : null,
    reason: override?.reason ?? row.reason,
    targetOu: row.target_ou ? displayOuPath(JSON.parse(row.target_ou) as string[]) : null,
    displayName: row.display_name,
  };
}

/** What one apply needs beyond the rows: the run it is recorded under and the steps around it. */
export interface TransactionalApply extends Omit<ApplyContext, 'runId'> {
  /**
   * Under the write lock, before anything is written: plan (again), check, back up. Returns the run the
   * apply is recorded under, or null to write nothing at all.
   */
  prepare: () => number | null;
  /** After the rows, in the same transaction (the sync marks). */
  finish?: () => void;
  /** How the run's history entry ends, in the same transaction. */
  end: () => RunEnd;
}

/**
 * The one apply path (imports, on-the-fly logons): under SQLite's write lock, prepare → apply every row
 * → finish → bump the revision → record the run's end → commit. Any failure rolls all of it back, so
 * a run whose end is not recorded changed nothing. Returns false when `prepare` chose to write nothing.
 */
export async function applyInTransaction(t: TransactionalApply): Promise<boolean> {
  const { db } = t;
  db.exec('BEGIN IMMEDIATE');
  try {
    const runId = t.prepare();
    if (runId === null) {
      db.exec('ROLLBACK');
      return false;
    }
    await applyPlan({ ...t, runId });
    t.finish?.();
    bumpRevision(db);
    endRun(db, runId, t.end());
    db.exec('COMMIT');
    return true;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** Empties the database for "Create a new database" (the caller made the backup). */
export function clearForNewDatabase(db: DatabaseSync): void {
  db.exec('DELETE FROM accounts; DELETE FROM ous WHERE builtin = 0; DELETE FROM sync_marks; DELETE FROM dc_marks;');
}

export async function applyPlan(ctx: ApplyContext): Promise<void> {
  const { db, now } = ctx;
  const tree = new OuTree(db);
  // The person fields' columns come from the field table; logon_key and the search text go with them.
  const personColumns = ['logon_key', 'search_text', ...PERSON_FIELDS.map((f) => f.column)];
  const insertColumns = [
    ...personColumns,
    'enabled',
    'disabled_by',
    'kind',
    'ou_id',
    'ad_guid',
    'ad_dn',
    'ad_usn',
    'ad_when_changed',
    'created_at',
    'updated_at',
    'synced_at',
  ];
  const insert = db.prepare(
    `INSERT INTO accounts (${insertColumns.join(', ')}, origin) VALUES ` +
      `(${insertColumns.map(() => '?').join(', ')}, 'ad')`,
  );
  const updateColumns = [
    ...personColumns,
    'enabled',
    'disabled_by',
    'ou_id',
    'ad_guid',
    'ad_dn',
    'ad_usn',
    'ad_when_changed',
    'updated_at',
    'synced_at',
  ];
  const update = db.prepare(`UPDATE accounts SET ${updateColumns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  const disableGone = db.prepare("UPDATE accounts SET enabled = 0, disabled_by = 'sync', updated_at = ? WHERE id = ?");
  const report = db.prepare(
    'INSERT INTO run_actions (run_id, seq, action, logon, ad_dn, ad_guid, changes, reason) VALUES (?, ?, ?, ?, ' +
      '?, ?, ?, ?)',
  );
  const current = db.prepare('SELECT enabled, disabled_by FROM accounts WHERE id = ?');

  let done = 0;
  let seq = 0;
  for (const row of ctx.stage.planned(REPORTED_ACTIONS)) {
    let outcome: { action: Action; reason: string } | undefined;
    if (WRITTEN.includes(row.action)) {
      try {
        const a = row.data ? (JSON.parse(row.data) as AdAccount) : null;
        if (!a) {
          disableGone.run(now, row.account_id);
        } else {
          const ouId = tree.ensure(JSON.parse(row.target_ou!) as string[], now);
          const fields = [logonKey(a.logon), searchTextOf(a), ...PERSON_FIELDS.map((f) => a[f.key])];
          if (row.action === 'create') {
            insert.run(
              ...fields,
              a.enabled ? 1 : 0,
              a.enabled ? null : 'ad',
              a.kind,
              ouId,
              a.guid,
              a.dn,
              a.usn,
              a.whenChanged,
              now,
              now,
              now,
            );
          } else {
            const was = current.get(row.account_id) as { enabled: number; disabled_by: string | null };
            // A disable that carries the entry is AD's (one without it is the gone-from-the-source disable
            // above); an account that left the source and comes back disabled in AD is now disabled in AD.
            const [enabled, disabledBy] =
              row.action === 'disable'
                ? [0, 'ad']
                : row.action === 'enable'
                  ? [1, null]
                  : !a.enabled && was.enabled === 0 && was.disabled_by === 'sync'
                    ? [0, 'ad']
                    : [was.enabled, was.disabled_by];
            update.run(
              ...fields,
              enabled,
              disabledBy,
              ouId,
              a.guid,
              a.dn,
              a.usn,
              a.whenChanged,
              now,
              now,
              row.account_id,
            );
          }
        }
      } catch (err) {
        // One account the database refuses (a constraint) fails alone; the rest of the run goes on.
        outcome = { action: 'failed', reason: `the database refused the change: ${(err as Error).message}` };
      }
    }
    const action = outcome?.action ?? row.action;
    ctx.counts[COUNT_OF[action]]++;
    if (action === 'skip' || action === 'conflict' || action === 'failed')
      ctx.problems.push(plannedAction(row, outcome));
    report.run(ctx.runId, ++seq, action, row.logon, row.dn, row.guid, row.changes, outcome?.reason ?? row.reason);
    if (++done % BATCH === 0) {
      ctx.onRow(done);
      await new Promise((resolve) => setImmediate(resolve));
      ctx.checkCancelled();
    }
  }
  ctx.counts.unchanged = ctx.stage.countPlanned('unchanged');
  // Every account read in this run was seen now, changed or not; its change marker follows AD's
  // (an attribute the console does not map may have changed).
  db.prepare(
    `UPDATE accounts SET synced_at = ?1, ad_usn = json_extract(s.data, '$.usn'), ad_when_changed =
      json_extract(s.data, '$.whenChanged')
    FROM temp.stage AS s WHERE accounts.ad_guid = s.guid AND accounts.origin = 'ad'`,
  ).run(now);
  ctx.onRow(done);
}
