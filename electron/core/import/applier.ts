/**
 * Applying a plan: one transaction for the whole run, so a failure or cancel at any row leaves the database as it
 * was. Set-based in batches — the rows go into a temporary table (PostgreSQL's COPY) and one UPDATE … FROM and one
 * INSERT … SELECT write them (a statement per row is 7–10× slower on PostgreSQL, DESIGN §13) — and row by row only
 * for a batch the database refuses, so that one refused account fails alone. Yields to the event loop between
 * batches so that progress and cancel get through.
 */
import { DERIVED_COLUMNS, derivedValues } from '../database/accounts.ts';
import { displayOuPath, OuTree } from '../database/ou-tree.ts';
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { AdAccount } from './ad-account.ts';
import { type Action, type Counts, COUNT_OF, type PlannedAction } from '../../../shared/import-run.ts';
import type { PlanRow, Stage } from './stage.ts';
import type { SqlEngine, SqlQueryable, SqlValue } from '../database/engine/sql-engine.ts';
import { bumpRevision } from '../database/users-database.ts';
import { endRun, type RunEnd } from './run-history.ts';

/** Planned rows written per statement set (progress and cancel are looked at between batches). */
const BATCH = 5000;
/** Up to this many writes in a batch, PostgreSQL gets a statement per row too (fewer round trips than a set). */
const FEW_WRITES = 3;
const WRITTEN: Action[] = ['create', 'update', 'disable', 'enable'];
/** Every planned action except "unchanged": what the report lists and the apply walks through. */
export const REPORTED_ACTIONS: Action[] = ['create', 'update', 'disable', 'enable', 'skip', 'conflict'];

export interface ApplyContext {
  tx: SqlQueryable;
  engine: SqlEngine;
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
export interface TransactionalApply extends Omit<ApplyContext, 'runId' | 'tx'> {
  /**
   * Under the write lock, before anything is written: plan (again), check, back up. Returns the run the
   * apply is recorded under, or null to write nothing at all.
   */
  prepare: (tx: SqlQueryable) => Promise<number | null>;
  /** After the rows, in the same transaction (the sync marks). */
  finish?: (tx: SqlQueryable) => Promise<void>;
  /** How the run's history entry ends, in the same transaction. */
  end: () => RunEnd;
  /** Where the transaction runs: the engine's own write transaction unless given (a lock's connection). */
  write?: <T>(work: (tx: SqlQueryable) => Promise<T>) => Promise<T>;
}

const NOTHING_TO_WRITE = new Error('nothing to write');

/**
 * The one apply path (imports, on-the-fly logons): under the write lock, prepare → apply every row → finish →
 * bump the revision → record the run's end → commit. Any failure rolls all of it back, so a run whose end is
 * not recorded changed nothing. Returns false when `prepare` chose to write nothing.
 */
export async function applyInTransaction(t: TransactionalApply): Promise<boolean> {
  const write = t.write ?? ((work) => t.engine.write(work));
  try {
    return await write(async (tx) => {
      const runId = await t.prepare(tx);
      if (runId === null) throw NOTHING_TO_WRITE;
      await applyPlan({ ...t, tx, runId });
      await t.finish?.(tx);
      await bumpRevision(tx);
      await endRun(tx, runId, t.end());
      return true;
    });
  } catch (err) {
    if (err === NOTHING_TO_WRITE) return false;
    throw err;
  }
}

/** Empties the database for "Create a new database" (the caller made the backup). */
export async function clearForNewDatabase(tx: SqlQueryable): Promise<void> {
  for (const table of ['accounts', 'sync_marks', 'dc_marks']) await tx.run(`DELETE FROM ${table}`);
  await tx.run('DELETE FROM ous WHERE builtin = 0');
}

/** The person fields' columns come from the field table; the columns derived from them go with them. */
const PERSON_COLUMNS = [...DERIVED_COLUMNS, ...PERSON_FIELDS.map((f) => f.column)];
const TEXT_COLUMNS = [...PERSON_COLUMNS, 'disabled_by', 'kind', 'ad_guid', 'ad_dn', 'ad_when_changed'];
const DATE_COLUMNS = ['created_at', 'updated_at', 'synced_at'];
const INT_COLUMNS = ['enabled', 'ou_id', 'ad_usn'];
/** What an update sets; a create also sets the kind and when it was created. */
const UPDATED = [...PERSON_COLUMNS, 'enabled', 'disabled_by', 'ou_id', 'ad_guid', 'ad_dn', 'ad_usn', 'ad_when_changed'];
const INSERTED = [...UPDATED, 'kind', 'created_at', 'updated_at', 'synced_at'];

/** One planned row's write: a create or an update (all of INSERTED, id null for a create), or a gone-disable. */
interface Write {
  row: PlanRow;
  /** Values of INSERTED, or null for a disable of an account gone from the source. */
  values: SqlValue[] | null;
  outcome?: { action: Action; reason: string };
}

/** The values an AD entry writes (INSERTED's order). */
function valuesOf(a: AdAccount, enabled: number, disabledBy: string | null, ouId: number, now: string): SqlValue[] {
  const fields = [...derivedValues(a), ...PERSON_FIELDS.map((f) => a[f.key])];
  return [...fields, enabled, disabledBy, ouId, a.guid, a.dn, a.usn, a.whenChanged, a.kind, now, now, now];
}

/**
 * A disable that carries the entry is AD's (one without it is the gone-from-the-source disable); an account that
 * left the source and comes back disabled in AD is now disabled in AD.
 */
function enabledAfter(row: PlanRow, a: AdAccount, stage: Stage): [number, string | null] {
  if (row.action === 'create') return a.enabled ? [1, null] : [0, 'ad'];
  if (row.action === 'disable') return [0, 'ad'];
  if (row.action === 'enable') return [1, null];
  const was = stage.local('id', row.account_id!)!;
  return !a.enabled && was.enabled === 0 && was.disabled_by === 'sync' ? [0, 'ad'] : [was.enabled, was.disabled_by];
}

const SET = UPDATED.map((c) => `${c} = incoming.${c}`).join(', ');

/**
 * The temporary table a batch's rows go through, made at the first batch that carries rows (an on-the-fly import
 * of one account, or a sync that only disables, needs none) and emptied for the next; true once it exists.
 */
async function incomingTable(ctx: ApplyContext, made: boolean): Promise<true> {
  if (made) {
    await ctx.tx.run('DELETE FROM incoming');
    return true;
  }
  const { text, int } = ctx.engine.dialect;
  const typed = (columns: string[], type: string) => columns.map((c) => `${c} ${type}`);
  await ctx.tx.exec(
    `CREATE TEMP TABLE incoming (${[
      ...typed(['seq', 'id', ...INT_COLUMNS], int),
      ...typed([...TEXT_COLUMNS, ...DATE_COLUMNS], text),
    ].join(', ')})`,
  );
  return true;
}

/** Each statement only when the batch has rows for it: every one is a round trip on PostgreSQL. */
async function writeSetBased(ctx: ApplyContext, writes: Write[], temp: { incoming: boolean }): Promise<void> {
  const { tx, now } = ctx;
  const gone = writes.filter((w) => !w.values).map((w) => w.row.account_id!);
  for (let at = 0; at < gone.length; at += 500) {
    const part = gone.slice(at, at + 500);
    await tx.run(
      "UPDATE accounts SET enabled = 0, disabled_by = 'sync', updated_at = ? " +
        `WHERE id IN (${part.map(() => '?').join(', ')})`,
      now,
      ...part,
    );
  }
  const carried = writes.filter((w) => w.values);
  if (carried.length === 0) return;
  temp.incoming = await incomingTable(ctx, temp.incoming);
  await tx.copyRows(
    'incoming',
    ['seq', 'id', ...INSERTED],
    carried.map((w) => [w.row.seq, w.row.action === 'create' ? null : w.row.account_id, ...w.values!]),
  );
  // Updates first: a renamed account frees its old name before a create takes it.
  if (carried.some((w) => w.row.action !== 'create'))
    await tx.run(
      `UPDATE accounts SET ${SET}, updated_at = ?, synced_at = ? FROM incoming WHERE accounts.id = incoming.id`,
      now,
      now,
    );
  if (carried.some((w) => w.row.action === 'create'))
    await tx.run(
      `INSERT INTO accounts (${INSERTED.join(', ')}, origin) SELECT ${INSERTED.join(', ')}, 'ad' FROM incoming ` +
        'WHERE incoming.id IS NULL ORDER BY seq',
    );
}

/** One row's write: SQLite's batches are made of them, and a refused batch is redone with them one by one. */
async function writeOne(ctx: ApplyContext, w: Write): Promise<void> {
  const { tx, now } = ctx;
  if (!w.values) {
    await tx.run(
      "UPDATE accounts SET enabled = 0, disabled_by = 'sync', updated_at = ? WHERE id = ?",
      now,
      w.row.account_id,
    );
  } else if (w.row.action === 'create') {
    await tx.run(
      `INSERT INTO accounts (${INSERTED.join(', ')}, origin) VALUES (${INSERTED.map(() => '?').join(', ')}, 'ad')`,
      ...w.values,
    );
  } else {
    await tx.run(
      `UPDATE accounts SET ${UPDATED.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, synced_at = ? WHERE id = ?`,
      ...w.values.slice(0, UPDATED.length),
      now,
      now,
      w.row.account_id,
    );
  }
}

/** A batch row by row, in the order the set-based writes keep: updates (a rename frees its old name), then creates. */
async function writeRows(ctx: ApplyContext, writes: Write[]): Promise<void> {
  for (const w of writes) if (w.row.action !== 'create') await writeOne(ctx, w);
  for (const w of writes) if (w.row.action === 'create') await writeOne(ctx, w);
}

/**
 * A batch in one go (set-based through a temporary table on PostgreSQL, a statement per row on SQLite); if the
 * database refuses it, row by row, each under a savepoint of its own.
 */
async function writeBatch(ctx: ApplyContext, writes: Write[], temp: { incoming: boolean }): Promise<void> {
  const { tx } = ctx;
  if (writes.length === 0) return;
  const had = temp.incoming;
  await tx.exec('SAVEPOINT apply_batch');
  try {
    // SQLite answers in-process: a statement per row costs no round trip, and skips the temporary table's copy.
    // On PostgreSQL too for a few rows (an on-the-fly import's one): the set-based way takes four round trips.
    if (ctx.engine.name === 'sqlite' || writes.length <= FEW_WRITES) await writeRows(ctx, writes);
    else await writeSetBased(ctx, writes, temp);
    await tx.exec('RELEASE SAVEPOINT apply_batch');
    return;
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT apply_batch');
    await tx.exec('RELEASE SAVEPOINT apply_batch');
    temp.incoming = had; // the rollback took a table made in the batch with it
  }
  for (const w of writes) {
    await tx.exec('SAVEPOINT apply_row');
    try {
      await writeOne(ctx, w);
      await tx.exec('RELEASE SAVEPOINT apply_row');
    } catch (err) {
      await tx.exec('ROLLBACK TO SAVEPOINT apply_row');
      await tx.exec('RELEASE SAVEPOINT apply_row');
      w.outcome = { action: 'failed', reason: `the database refused the change: ${(err as Error).message}` };
    }
  }
}

/**
 * SQLite's page cache while a large plan is written (its default is 2 MB): the accounts' six indexes outgrow it
 * at some 20 000 rows, and every write then reads pages back. Measured on 100 000 creates (two runs each): the
 * apply 5.0–5.1 s with 2 MB, 4.2 s with 16 MB, 4.2–4.6 s with 32 MB. The cache counts towards the import's peak
 * RSS (+15 MB), so only for large plans, and given back after.
 */
const LARGE_PLAN = 20_000;
const LARGE_PLAN_CACHE_KIB = 16_384;

export async function applyPlan(ctx: ApplyContext): Promise<void> {
  const { tx, stage } = ctx;
  const roomy = ctx.engine.name === 'sqlite' && stage.countPlanned(...WRITTEN) >= LARGE_PLAN;
  const cache = roomy ? Number((await tx.get<{ cache_size: number }>('PRAGMA cache_size'))!.cache_size) : null;
  if (roomy) await tx.exec(`PRAGMA cache_size = -${LARGE_PLAN_CACHE_KIB}`);
  try {
    await applyRows(ctx);
  } finally {
    if (cache !== null) await tx.exec(`PRAGMA cache_size = ${cache}`);
  }
}

async function applyRows(ctx: ApplyContext): Promise<void> {
  const { tx, now, stage } = ctx;
  const { text, int } = ctx.engine.dialect;
  const tree = await OuTree.read(tx);
  const temp = { incoming: false };
  let done = 0;
  let seq = 0;
  let batch: Write[] = [];
  const flush = async () => {
    const writes = batch.filter((w) => WRITTEN.includes(w.row.action));
    await writeBatch(ctx, writes, temp);
    const report: SqlValue[][] = [];
    for (const w of batch) {
      const { row, outcome } = w;
      const action = outcome?.action ?? row.action;
      ctx.counts[COUNT_OF[action]]++;
      if (action === 'skip' || action === 'conflict' || action === 'failed')
        ctx.problems.push(plannedAction(row, outcome));
      report.push([ctx.runId, ++seq, action, row.logon, row.dn, row.guid, row.changes, outcome?.reason ?? row.reason]);
    }
    await tx.copyRows(
      'run_actions',
      ['run_id', 'seq', 'action', 'logon', 'ad_dn', 'ad_guid', 'changes', 'reason'],
      report,
    );
    done += batch.length;
    batch = [];
    ctx.onRow(done);
    await new Promise((resolve) => setImmediate(resolve));
    ctx.checkCancelled();
  };
  for (const row of stage.planned(REPORTED_ACTIONS)) {
    let values: SqlValue[] | null = null;
    if (WRITTEN.includes(row.action) && row.data) {
      const a = JSON.parse(row.data) as AdAccount;
      const ouId = await tree.ensure(tx, JSON.parse(row.target_ou!) as string[], now);
      const [enabled, disabledBy] = enabledAfter(row, a, stage);
      values = valuesOf(a, enabled, disabledBy, ouId, now);
    }
    batch.push({ row, values });
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  ctx.counts.unchanged = stage.countPlanned('unchanged');
  // Every account read in this run was seen now, changed or not; its change marker follows AD's
  // (an attribute the console does not map may have changed).
  if (stage.seenCount() > 0) {
    await tx.exec(`CREATE TEMP TABLE seen (guid ${text}, usn ${int}, when_changed ${text})`);
    await tx.copyRows('seen', ['guid', 'usn', 'when_changed'], stage.seen());
    await tx.run(
      'UPDATE accounts SET synced_at = ?, ad_usn = seen.usn, ad_when_changed = seen.when_changed FROM seen ' +
        "WHERE accounts.ad_guid = seen.guid AND accounts.origin = 'ad'",
      now,
    );
    await tx.exec('DROP TABLE seen');
  }
  if (temp.incoming) await tx.exec('DROP TABLE incoming');
  ctx.onRow(done);
}
