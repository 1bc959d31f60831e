/**
 * Applying a plan: one transaction for the whole run, so a failure or cancel at any row leaves the database as it
 * was. The rows' values were worked out when planned and wait in the run's stage; set-based in batches, one
 * UPDATE … FROM and one INSERT … SELECT write them — from the stage file itself, attached to the connection
 * (SQLite, a large plan), or from a temporary table they are copied into (PostgreSQL's COPY; a statement per row
 * is 7–10× slower there, DESIGN §13). A statement per row for small plans, and for a batch the database refuses,
 * so that one refused account fails alone. Yields to the event loop between batches so that progress and cancel
 * get through.
 */
import { displayOuPath, OuTree } from '../database/ou-tree.ts';
import { type Action, type Counts, COUNT_OF, type PlannedAction } from '../../../shared/import-run.ts';
import {
  batchRanges,
  IN_BATCH,
  type PlanBatch,
  type PlanRow,
  seenQuery,
  type Stage,
  STAGED_WRITE_COLUMNS,
  STAGED_WRITES,
} from './stage.ts';
import { INT_WRITTEN, WRITTEN_COLUMNS } from './write-values.ts';
import { refusedForItsData, type SqlEngine, type SqlQueryable, type SqlValue } from '../database/engine/sql-engine.ts';
import { bumpRevision } from '../database/users-database.ts';
import { endRun, type RunEnd } from './run-history.ts';

/** Planned rows written per statement set (progress and cancel are looked at between batches). */
const BATCH = 5000;
/** Up to this many writes in a plan, PostgreSQL gets a statement per row too (fewer round trips than a set). */
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
  /** The alias the run's stage file is attached under to `tx`'s connection (SQLite), if it is. */
  attachedStage?: string | null;
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
export interface TransactionalApply extends Omit<ApplyContext, 'runId' | 'tx' | 'attachedStage'> {
  /**
   * Under the write lock, before anything is written: plan (again), check, back up. Returns the run the
   * apply is recorded under, or null to write nothing at all. With the stage attached (`stageAttached`), the
   * stage cannot be written: to plan again, throw PlanAgain.
   */
  prepare: (tx: SqlQueryable, stageAttached: boolean) => Promise<number | null>;
  /** After the rows, in the same transaction (the sync marks). */
  finish?: (tx: SqlQueryable) => Promise<void>;
  /** How the run's history entry ends, in the same transaction. */
  end: () => RunEnd;
  /** Where the transaction runs: the engine's own write transaction unless given (a lock's connection). */
  write?: <T>(work: (tx: SqlQueryable) => Promise<T>) => Promise<T>;
}

const NOTHING_TO_WRITE = new Error('nothing to write');

/** Thrown by `prepare` to plan again: the transaction is redone without the stage attached. */
export class PlanAgain extends Error {
  constructor() {
    super('the users database changed while the directory was read: planning again');
  }
}

/** Below this many rows to write (accounts, seen marks), a statement per row is as quick on SQLite. */
const ATTACHED_FROM = 200;
const STAGE_ALIAS = 'run_stage';

/**
 * The one apply path (imports, on-the-fly logons): under the write lock, prepare → apply every row → finish →
 * bump the revision → record the run's end → commit. Any failure rolls all of it back, so a run whose end is
 * not recorded changed nothing. Returns false when `prepare` chose to write nothing. On SQLite, a large plan is
 * written straight from the run's stage file, attached to the users database's connection for the transaction.
 */
export async function applyInTransaction(t: TransactionalApply): Promise<boolean> {
  const file = t.stage.file;
  const rows = t.stage.countPlanned(...WRITTEN) + t.stage.seenCount();
  if (!t.write && t.engine.withAttached && file && rows >= ATTACHED_FROM) {
    try {
      return await t.engine.withAttached(file, STAGE_ALIAS, () => transaction(t, STAGE_ALIAS));
    } catch (err) {
      if (!(err instanceof PlanAgain)) throw err;
    }
  }
  return transaction(t, null);
}

async function transaction(t: TransactionalApply, attachedStage: string | null): Promise<boolean> {
  const write = t.write ?? ((work) => t.engine.write(work));
  try {
    return await write(async (tx) => {
      const runId = await t.prepare(tx, attachedStage !== null);
      if (runId === null) throw NOTHING_TO_WRITE;
      await applyPlan({ ...t, tx, runId, attachedStage });
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

/** What an update sets; a create also sets when it was created. */
const UPDATED = [...WRITTEN_COLUMNS.filter((c) => c !== 'kind'), 'ou_id'];
const INSERTED = [...WRITTEN_COLUMNS, 'ou_id', 'created_at', 'updated_at', 'synced_at'];

/** A planned row as the apply meets it; a write is a create or an update (values in the stage) or a gone-disable. */
interface Write {
  row: PlanRow;
  outcome?: { action: Action; reason: string };
}

/**
 * Where a set-based batch reads its rows: the run's stage file attached to the users database's connection
 * (SQLite, a large plan: no row passes through JavaScript under the write lock), or a temporary table the
 * batch's rows are copied into (PostgreSQL's COPY).
 */
type RowSource = { table: string; copied: boolean };

/** The server OUs of the planned writes, resolved (created when missing) once, as a table the statements join. */
async function targetTable(ctx: ApplyContext, tree: OuTree): Promise<void> {
  const { tx, now, stage } = ctx;
  const { text, int } = ctx.engine.dialect;
  const rows: SqlValue[][] = [];
  for (const path of stage.writeTargets()) rows.push([path, await tree.ensure(tx, JSON.parse(path) as string[], now)]);
  await tx.exec(`CREATE TEMP TABLE target_ous (path ${text}, id ${int})`);
  await tx.copyRows('target_ous', ['path', 'id'], rows);
}

/** The temporary table copied batches go through, made at the first and emptied for the next. */
async function copiedTable(ctx: ApplyContext, made: boolean): Promise<void> {
  if (made) {
    await ctx.tx.run('DELETE FROM incoming');
    return;
  }
  const { text, int } = ctx.engine.dialect;
  const columns = STAGED_WRITE_COLUMNS.map(
    (c) => `${c} ${c === 'seq' || c === 'id' || INT_WRITTEN.has(c) ? int : text}`,
  );
  await ctx.tx.exec(`CREATE TEMP TABLE incoming (${columns.join(', ')})`);
}

const SET = UPDATED.map((c) => (c === 'ou_id' ? 'ou_id = t.id' : `${c} = i.${c}`)).join(', ');
const SELECTED = [...WRITTEN_COLUMNS.map((c) => `i.${c}`), 't.id'].join(', ');

/**
 * A batch's writes in a few statements, its rows named by their ranges of seq. Each statement only when the
 * batch may have rows for it: every one is a round trip on PostgreSQL.
 */
async function writeSetBased(ctx: ApplyContext, batch: PlanBatch, source: RowSource, temp: Temp): Promise<void> {
  const { tx, now, stage } = ctx;
  const gone = stage.goneIn(batch, WRITTEN);
  for (let at = 0; at < gone.length; at += 500) {
    const part = gone.slice(at, at + 500);
    await tx.run(
      "UPDATE accounts SET enabled = 0, disabled_by = 'sync', updated_at = ? " +
        `WHERE id IN (${part.map(() => '?').join(', ')})`,
      now,
      ...part,
    );
  }
  let updates = batch.others !== null;
  let creates = batch.creates !== null;
  if (source.copied) {
    await copiedTable(ctx, temp.incoming);
    temp.incoming = true;
    const rows = [...stage.writesIn(batch)];
    await tx.copyRows('incoming', STAGED_WRITE_COLUMNS, rows);
    updates = rows.some((r) => r[1] !== null);
    creates = rows.some((r) => r[1] === null);
  }
  const from = `${source.table} AS i JOIN target_ous AS t ON t.path = i.target_ou`;
  // Updates first: a renamed account frees its old name before a create takes it.
  if (updates)
    await tx.run(
      `UPDATE accounts SET ${SET}, updated_at = ?, synced_at = ? FROM ${from} ` +
        'WHERE accounts.id = i.id AND i.id IS NOT NULL AND i.seq BETWEEN ? AND ?',
      now,
      now,
      ...batch.others!,
    );
  const time = 'CAST(? AS TEXT)'; // typed: PostgreSQL cannot tell a select list's parameters
  if (creates)
    await tx.run(
      `INSERT INTO accounts (${INSERTED.join(', ')}, origin) SELECT ${SELECTED}, ${time}, ${time}, ${time}, 'ad' ` +
        `FROM ${from} WHERE i.id IS NULL AND i.seq BETWEEN ? AND ? ORDER BY i.seq`,
      now,
      now,
      now,
      ...batch.creates!,
    );
}

/** One row's write: small batches are made of them, and a refused batch is redone with them one by one. */
async function writeOne(ctx: ApplyContext, tree: OuTree, w: Write): Promise<void> {
  const { tx, now } = ctx;
  if (!w.row.writes_entry) {
    await tx.run(
      "UPDATE accounts SET enabled = 0, disabled_by = 'sync', updated_at = ? WHERE id = ?",
      now,
      w.row.account_id,
    );
    return;
  }
  const [, target, ...values] = ctx.stage.writeOf(w.row.seq);
  const ouId = await tree.ensure(tx, JSON.parse(target) as string[], now);
  if (w.row.action === 'create') {
    await tx.run(
      `INSERT INTO accounts (${INSERTED.join(', ')}, origin) VALUES (${INSERTED.map(() => '?').join(', ')}, 'ad')`,
      ...values,
      ouId,
      now,
      now,
      now,
    );
  } else {
    await tx.run(
      `UPDATE accounts SET ${UPDATED.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, synced_at = ? WHERE id = ?`,
      ...values.slice(0, UPDATED.length - 1),
      ouId,
      now,
      now,
      w.row.account_id,
    );
  }
}

/** A batch row by row, in the order the set-based writes keep: updates (a rename frees its old name), then creates. */
async function writeRows(ctx: ApplyContext, tree: OuTree, writes: Write[]): Promise<void> {
  for (const w of writes) if (w.row.action !== 'create') await writeOne(ctx, tree, w);
  for (const w of writes) if (w.row.action === 'create') await writeOne(ctx, tree, w);
}

interface Temp {
  /** The copied batches' table exists. */
  incoming: boolean;
}

const isWrite = (w: Write) => WRITTEN.includes(w.row.action);
const rowsOf = (stage: Stage, batch: PlanBatch): Write[] =>
  [...stage.planned(REPORTED_ACTIONS, batch)].map((row) => ({ row }));

/**
 * A batch in one go (set-based when there is a row source, a statement per row of `rows` otherwise); if the
 * database refuses it, row by row, each under a savepoint of its own. Returns the batch's rows when they were
 * read (given, or for the row by row pass) with their outcomes, else null.
 */
async function writeBatch(
  ctx: ApplyContext,
  tree: OuTree,
  batch: PlanBatch,
  rows: Write[] | null,
  source: RowSource | null,
  temp: Temp,
): Promise<Write[] | null> {
  const { tx } = ctx;
  if (rows && !rows.some(isWrite)) return rows;
  const had = temp.incoming;
  await tx.exec('SAVEPOINT apply_batch');
  try {
    if (source) await writeSetBased(ctx, batch, source, temp);
    else await writeRows(ctx, tree, rows!.filter(isWrite));
    await tx.exec('RELEASE SAVEPOINT apply_batch');
    return rows;
  } catch (err) {
    // Only a refusal of some row's data is worth finding row by row; anything else fails the run.
    if (!refusedForItsData(err)) throw err;
    await tx.exec('ROLLBACK TO SAVEPOINT apply_batch');
    await tx.exec('RELEASE SAVEPOINT apply_batch');
    temp.incoming = had; // the rollback took a table made in the batch with it
  }
  const read = rows ?? rowsOf(ctx.stage, batch);
  for (const w of read.filter(isWrite)) {
    await tx.exec('SAVEPOINT apply_row');
    try {
      await writeOne(ctx, tree, w);
      await tx.exec('RELEASE SAVEPOINT apply_row');
    } catch (err) {
      if (!refusedForItsData(err)) throw err;
      await tx.exec('ROLLBACK TO SAVEPOINT apply_row');
      await tx.exec('RELEASE SAVEPOINT apply_row');
      w.outcome = { action: 'failed', reason: `the database refused the change: ${(err as Error).message}` };
    }
  }
  return read;
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

const REPORT_COLUMNS = ['run_id', 'seq', 'action', 'logon', 'ad_dn', 'ad_guid', 'changes', 'reason'];

/** A batch's lines of the run's report, as planned, straight from the attached stage. */
async function reportFromStage(ctx: ApplyContext, batch: PlanBatch, before: number): Promise<void> {
  await ctx.tx.run(
    `INSERT INTO run_actions (${REPORT_COLUMNS.join(', ')}) SELECT ?, ? + row_number() OVER ` +
      "(ORDER BY action = 'create', seq), action, logon, dn, guid, changes, reason " +
      `FROM ${ctx.attachedStage}.plan WHERE action IN (${REPORTED_ACTIONS.map(() => '?').join(', ')}) ` +
      `AND ${IN_BATCH('action')}`,
    ctx.runId,
    before,
    ...REPORTED_ACTIONS,
    ...batchRanges(batch),
  );
}

/** Where set-based batches read their rows (see RowSource); null: a statement per row. */
function rowSource(ctx: ApplyContext): RowSource | null {
  if (ctx.attachedStage) return { table: `${ctx.attachedStage}.${STAGED_WRITES}`, copied: false };
  // SQLite answers in-process: a statement per row costs no round trip, and skips a temporary table's copy.
  return ctx.engine.name === 'sqlite' ? null : { table: 'incoming', copied: true };
}

async function applyRows(ctx: ApplyContext): Promise<void> {
  const { tx, now, stage } = ctx;
  const { text, int } = ctx.engine.dialect;
  const tree = await OuTree.read(tx);
  let source = rowSource(ctx);
  // On PostgreSQL, a few writes (an on-the-fly import's one) go a statement per row: a copy takes more round trips.
  if (source?.copied && stage.countPlanned(...WRITTEN) <= FEW_WRITES) source = null;
  if (source) await targetTable(ctx, tree);
  const temp: Temp = { incoming: false };
  for (const action of REPORTED_ACTIONS) ctx.counts[COUNT_OF[action]] += stage.countPlanned(action);
  let done = 0;
  for (const batch of stage.batches(REPORTED_ACTIONS, BATCH)) {
    // Written and reported from the attached stage, a batch's rows need not pass through JavaScript.
    const rows = await writeBatch(ctx, tree, batch, ctx.attachedStage ? null : rowsOf(stage, batch), source, temp);
    const failed = rows?.filter((w) => w.outcome) ?? [];
    for (const { row, outcome } of failed) {
      ctx.counts[COUNT_OF[row.action]]--;
      ctx.counts[COUNT_OF[outcome!.action]]++;
    }
    if (rows)
      for (const { row, outcome } of rows) {
        const action = outcome?.action ?? row.action;
        if (action === 'skip' || action === 'conflict' || action === 'failed')
          ctx.problems.push(plannedAction(row, outcome));
      }
    else for (const row of stage.planned(['skip', 'conflict'], batch)) ctx.problems.push(plannedAction(row));
    if (!rows || (ctx.attachedStage && failed.length === 0)) await reportFromStage(ctx, batch, done);
    else
      await tx.copyRows(
        'run_actions',
        REPORT_COLUMNS,
        rows.map(({ row, outcome }, i) => [
          ctx.runId,
          done + i + 1,
          outcome?.action ?? row.action,
          row.logon,
          row.dn,
          row.guid,
          row.changes,
          outcome?.reason ?? row.reason,
        ]),
      );
    done += batch.rows;
    ctx.onRow(done);
    await new Promise((resolve) => setImmediate(resolve));
    ctx.checkCancelled();
  }
  ctx.counts.unchanged = stage.countPlanned('unchanged');
  // Every account read in this run was seen now, changed or not; its change marker follows AD's
  // (an attribute the console does not map may have changed).
  const seen = 'UPDATE accounts SET synced_at = ?, ad_usn = seen.usn, ad_when_changed = seen.w FROM ';
  const ofSeen = " AS seen WHERE accounts.ad_guid = seen.guid AND accounts.origin = 'ad'";
  if (stage.seenCount() > 0 && ctx.attachedStage) {
    await tx.run(`${seen}(${seenQuery(ctx.attachedStage)})${ofSeen}`, now);
  } else if (stage.seenCount() > 0) {
    await tx.exec(`CREATE TEMP TABLE seen (guid ${text}, usn ${int}, w ${text})`);
    await tx.copyRows('seen', ['guid', 'usn', 'w'], stage.seen());
    await tx.run(`${seen}seen${ofSeen}`, now);
    await tx.exec('DROP TABLE seen');
  }
  if (temp.incoming) await tx.exec('DROP TABLE incoming');
  if (source) await tx.exec('DROP TABLE target_ous');
  ctx.onRow(done);
}
