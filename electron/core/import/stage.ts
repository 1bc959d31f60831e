/**
 * Where a run keeps what it read, the accounts of the users database it plans against, and what it plans: a
 * private scratch database (never the users database, so a dry run writes nothing there), so that 100 000
 * entries cost disk pages, not memory. The users database is asked in bulk (`loadLocal`), then planning reads
 * here, synchronously.
 */
import { createHash } from 'node:crypto';
import { PERSON_FIELDS, PHOTO_FIELD } from '../../../shared/account-fields.ts';
import type { Action, FieldChange } from '../../../shared/import-run.ts';
import { type AccountRow, logonKey } from '../database/accounts.ts';
import { Scratch } from '../database/engine/scratch.ts';
import type { SqlQueryable, SqlValue } from '../database/engine/sql-engine.ts';
import type { AdAccount } from './ad-account.ts';
import { type Before, WRITTEN_COLUMNS, writeValues } from './write-values.ts';

export interface PlanRow {
  seq: number;
  action: Action;
  account_id: number | null;
  logon: string;
  dn: string | null;
  guid: string | null;
  changes: string | null;
  reason: string | null;
  target_ou: string | null;
  display_name: string | null;
  /** 1: the row's values are in the stage's writes (`writeOf`). */
  writes_entry: number;
}

/** A planned write's values as the stage keeps them: its account (null: a create), its server OU, WRITTEN_COLUMNS. */
export type StagedWrite = [number | null, string, ...SqlValue[]];

/** What planning needs of an account in the users database (not its photo or password). */
export type LocalRow = Omit<AccountRow, 'password_hash' | 'last_logon_at'>;
const LOCAL_COLUMNS = [
  'id',
  'logon_key',
  'enabled',
  'disabled_by',
  'kind',
  'ou_id',
  'origin',
  'ad_guid',
  'ad_dn',
  'ad_usn',
  PHOTO_FIELD.usnColumn,
  ...PERSON_FIELDS.map((f) => f.column),
].join(', ');
/**
 * `seen`'s rows (guid, usn, w) as a query, on the stage as its own connection sees it or as attached under
 * `schema`: the staged entries the plan does not create.
 */
export const seenQuery = (schema = 'main') =>
  `SELECT guid, usn, when_changed AS w FROM ${schema}.stage ` +
  `WHERE guid NOT IN (SELECT guid FROM ${schema}.plan WHERE action = 'create' AND guid IS NOT NULL)`;
/** Keys asked for in one statement: well under both engines' parameter limits. */
const KEYS_PER_QUERY = 500;
/** Accounts read per statement in a pass over the whole table. */
const ROWS_PER_CHUNK = 5000;

export interface LocalMark {
  logonKey: string;
  photoUsn: number | null;
}

/**
 * One batch of the apply, in the order `planned` gives: its updates, disables, enables, skips and conflicts are
 * the rows with seq in `others`, its creates those with seq in `creates` (null: none).
 */
export interface PlanBatch {
  rows: number;
  others: [number, number] | null;
  creates: [number, number] | null;
}

const NO_RANGE: [number, number] = [1, 0];
/** The parameters of IN_BATCH. */
export const batchRanges = (b: PlanBatch): number[] => [...(b.others ?? NO_RANGE), ...(b.creates ?? NO_RANGE)];
/**
 * A row of the batch whose ranges follow as parameters; `createdBy`: the column that tells a create — `action`
 * in the plan, `id` (null for a create) in the writes.
 */
export const IN_BATCH = (createdBy: 'action' | 'id') => {
  const create = createdBy === 'action' ? "action = 'create'" : 'id IS NULL';
  return `((NOT (${create}) AND seq BETWEEN ? AND ?) OR (${create} AND seq BETWEEN ? AND ?))`;
};

/** The stage's table of planned writes (`StagedWrite` as columns), which the apply reads. */
export const STAGED_WRITES = 'writes';
export const STAGED_WRITE_COLUMNS = ['seq', 'id', 'target_ou', ...WRITTEN_COLUMNS];

export class Stage {
  private readonly db: Scratch;
  private lastMark: { guid: string; mark: LocalMark | undefined } | null = null;
  private readonly keepsWrites: boolean;
  /** How many planned rows each action has (`countPlanned`); null once the plan changed. */
  private tally: Map<Action, number> | null = null;
  entries = 0;

  /**
   * `keepWrites`: planned writes keep their values (a dry run, which writes nothing, does not);
   * `attachable`: in a file the users database can attach (SQLite) and write a large plan from in one statement.
   */
  constructor(options: { keepWrites?: boolean; attachable?: boolean } = {}) {
    this.keepsWrites = options.keepWrites ?? true;
    this.db = new Scratch({ named: options.attachable ?? false });
    this.db.exec(`
      CREATE TABLE ${STAGED_WRITES} (seq INTEGER PRIMARY KEY, id INTEGER, target_ou TEXT NOT NULL,
        ${WRITTEN_COLUMNS.join(', ')});
      CREATE TABLE stage (guid TEXT PRIMARY KEY, logon_key TEXT NOT NULL, data TEXT NOT NULL, usn INTEGER,
        when_changed TEXT);
      CREATE TABLE plan (seq INTEGER PRIMARY KEY, action TEXT NOT NULL, account_id INTEGER,
        logon TEXT NOT NULL, dn TEXT, guid TEXT, changes TEXT, reason TEXT, target_ou TEXT,
        display_name TEXT, writes_entry INTEGER NOT NULL);
      CREATE TABLE deferred (guid TEXT PRIMARY KEY);
      CREATE TABLE local (id INTEGER PRIMARY KEY, ad_guid TEXT, logon_key TEXT NOT NULL, photo_usn INTEGER,
        data TEXT NOT NULL);
      CREATE INDEX local_by_guid ON local(ad_guid);
      CREATE INDEX local_by_logon ON local(logon_key);
    `);
  }

  /** Batches of staging writes share one transaction: row-by-row autocommit costs a file sync per row. */
  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** The file another connection can attach, or null. */
  get file(): string | null {
    return this.db.file;
  }

  /** Forgets the plan, keeping the staged entries (to plan again on a database that changed). */
  clearPlan(): void {
    this.db.exec(`DELETE FROM plan; DELETE FROM deferred; DELETE FROM ${STAGED_WRITES}`);
    this.tally = null;
  }

  /** An entry found by two searches (an OU and a group) counts once: false for the second. */
  add(account: AdAccount): boolean {
    const added = this.db.run(
      'INSERT OR IGNORE INTO stage (guid, logon_key, data, usn, when_changed) VALUES (?, ?, ?, ?, ?)',
      account.guid,
      logonKey(account.logon),
      JSON.stringify(account),
      // Also as columns: the "seen now" marks of 20 000 accounts read from the JSON took 16 ms more.
      account.usn,
      account.whenChanged,
    );
    if (added === 0) return false;
    this.entries++;
    return true;
  }

  /** An entry planned once the whole source is read (see `Planner.decidableBeforeTheEnd`). */
  defer(guid: string): void {
    this.db.run('INSERT INTO deferred (guid) VALUES (?)', guid);
  }

  has(guid: string): boolean {
    return this.db.get('SELECT 1 FROM stage WHERE guid = ?', guid) !== undefined;
  }

  /** The staged entries in the order they were read; `deferred`: only those `defer` set aside. */
  *accounts(deferred = false): Generator<AdAccount> {
    const sql = deferred
      ? 'SELECT data FROM stage WHERE guid IN (SELECT guid FROM deferred) ORDER BY rowid'
      : 'SELECT data FROM stage ORDER BY rowid';
    for (const row of this.db.iterate<{ data: string }>(sql)) yield JSON.parse(row.data) as AdAccount;
  }

  /**
   * The GUID and AD change marks of every staged entry the plan does not create: what the apply records as seen
   * now (a created account was written with them already).
   */
  *seen(): Generator<[string, number | null, string | null]> {
    for (const r of this.db.iterate<{ guid: string; usn: number | null; w: string | null }>(seenQuery()))
      yield [r.guid, r.usn, r.w];
  }

  /** How many `seen` gives: a create's entry is staged once, and every create has one (no scan for the NOT IN). */
  seenCount(): number {
    return this.entries - this.countPlanned('create');
  }

  /**
   * Reads from the users database the accounts this plan can touch: those with a staged entry's GUID or logon
   * name, and those with the `also` GUIDs (entries read but rejected). Replaces what was read before (planning
   * again under the write lock reads through the transaction).
   */
  async loadLocal(q: SqlQueryable, also: Iterable<string> = []): Promise<void> {
    // A whole read of most of the database (a full sync): one pass over the table beats asking for every entry
    // twice, by GUID and by logon name, 500 at a time (a quarter less planning for 20 000 accounts). A few entries
    // (a first logon's one) are asked for by key at once: counting 20 000 accounts cost more than their plan.
    if (this.entries >= KEYS_PER_QUERY) {
      const total = Number((await q.get<{ n: number }>('SELECT count(*) AS n FROM accounts'))!.n);
      if (total <= 2 * this.entries) return this.loadAllLocal(q);
    }
    this.db.exec('DELETE FROM local');
    this.lastMark = null;
    return this.accountsOfStage(q, also);
  }

  /** Every account of the users database, read 5 000 at a time (replacing what was read before). */
  async loadAllLocal(q: SqlQueryable): Promise<void> {
    this.db.exec('DELETE FROM local');
    this.lastMark = null;
    for (let after = 0; ;) {
      const rows = await q.all<LocalRow>(
        `SELECT ${LOCAL_COLUMNS} FROM accounts WHERE id > ? ORDER BY id LIMIT ${ROWS_PER_CHUNK}`,
        after,
      );
      if (rows.length === 0) return;
      this.keep(rows);
      after = rows.at(-1)!.id;
    }
  }

  /** Kept chunk by chunk: 100 000 accounts read at once took the import's peak RSS from 180 to 355 MB. */
  private keep(rows: LocalRow[]): void {
    this.db.transaction(() => {
      for (const r of rows)
        this.db.run(
          'INSERT OR IGNORE INTO local (id, ad_guid, logon_key, photo_usn, data) VALUES (?, ?, ?, ?, ?)',
          r.id,
          r.ad_guid,
          r.logon_key,
          (r as LocalRow & { photo_usn: number | null }).photo_usn,
          JSON.stringify(r),
        );
    });
  }

  /** The accounts with a staged entry's GUID or logon name, or one of the `also` GUIDs, asked for in bulk. */
  private async accountsOfStage(q: SqlQueryable, also: Iterable<string>): Promise<void> {
    const guids = [...this.db.iterate<{ guid: string }>('SELECT guid FROM stage')].map((r) => r.guid);
    const keys = [...this.db.iterate<{ k: string }>('SELECT DISTINCT logon_key AS k FROM stage')].map((r) => r.k);
    for (const [column, values] of [
      ['ad_guid', [...guids, ...also]],
      ['logon_key', keys],
    ] as const)
      for (let at = 0; at < values.length; at += KEYS_PER_QUERY) {
        const part = values.slice(at, at + KEYS_PER_QUERY);
        this.keep(
          await q.all<LocalRow>(
            `SELECT ${LOCAL_COLUMNS} FROM accounts WHERE ${column} IN (${part.map(() => '?').join(', ')})`,
            ...part,
          ),
        );
      }
  }

  /**
   * Of the account of the users database with this GUID (undefined: none): its logon key, and the uSNChanged its
   * photo was read at. Asked twice per entry while reading: the last answer is kept.
   */
  localMark(guid: string): LocalMark | undefined {
    if (this.lastMark?.guid !== guid) {
      const row = this.db.get<LocalMark>(
        'SELECT logon_key AS logonKey, photo_usn AS photoUsn FROM local WHERE ad_guid = ?',
        guid,
      );
      this.lastMark = { guid, mark: row ? { logonKey: row.logonKey, photoUsn: row.photoUsn } : undefined };
    }
    return this.lastMark.mark;
  }

  /** The account of the users database (as `loadLocal` read it) with this GUID, logon key or id. */
  local(by: 'ad_guid' | 'logon_key' | 'id', value: string | number): LocalRow | undefined {
    const row = this.db.get<{ data: string }>(`SELECT data FROM local WHERE ${by} = ?`, value);
    return row ? (JSON.parse(row.data) as LocalRow) : undefined;
  }

  plan(item: {
    action: Action;
    accountId?: number | null;
    logon: string;
    dn?: string | null;
    guid?: string | null;
    changes?: Record<string, FieldChange> | null;
    reason?: string | null;
    targetOu?: string[] | null;
    /** For the preview; by default the entry's. */
    displayName?: string | null;
    /** The entry a create or update writes. */
    account?: AdAccount | null;
    /** The account an update writes over. */
    was?: Before | null;
  }): void {
    this.tally = null;
    this.db.run(
      'INSERT INTO plan (action, account_id, logon, dn, guid, changes, reason, target_ou, display_name, ' +
        'writes_entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      item.action,
      item.accountId ?? null,
      item.logon,
      item.dn ?? null,
      item.guid ?? null,
      item.changes ? JSON.stringify(item.changes) : null,
      item.reason ?? null,
      item.targetOu ? JSON.stringify(item.targetOu) : null,
      item.displayName ?? item.account?.displayName ?? null,
      item.account ? 1 : 0,
    );
    if (item.account && this.keepsWrites) {
      const values = writeValues(item.action, item.account, item.was ?? null);
      this.db.run(
        `INSERT INTO ${STAGED_WRITES} (${STAGED_WRITE_COLUMNS.join(', ')}) ` +
          `VALUES (last_insert_rowid(), ${STAGED_WRITE_COLUMNS.slice(1)
            .map(() => '?')
            .join(', ')})`,
        item.action === 'create' ? null : (item.accountId ?? null),
        JSON.stringify(item.targetOu ?? []),
        ...values,
      );
    }
  }

  /** A planned write's values (see `StagedWrite`). */
  writeOf(seq: number): StagedWrite {
    const sql = `SELECT ${STAGED_WRITE_COLUMNS.slice(1).join(', ')} FROM ${STAGED_WRITES} WHERE seq = ?`;
    const row = this.db.get<Record<string, SqlValue>>(sql, seq);
    if (!row) throw new Error(`planned row ${seq} has no values`);
    return Object.values(row) as StagedWrite;
  }

  /** The server OUs the planned writes go to (each a JSON array of OU names). */
  *writeTargets(): Generator<string> {
    const sql = `SELECT DISTINCT target_ou FROM ${STAGED_WRITES}`;
    for (const r of this.db.iterate<{ target_ou: string }>(sql)) yield r.target_ou;
  }

  /**
   * Updates, disables and enables before creates, so that a renamed account frees its old name first; `batch`:
   * only the rows of one of `batches`.
   */
  *planned(actions: readonly Action[], batch?: PlanBatch): Generator<PlanRow> {
    const inBatch = batch ? ` AND ${IN_BATCH('action')}` : '';
    const sql = `SELECT * FROM plan WHERE action IN (${actions.map(() => '?').join(', ')})${inBatch}
      ORDER BY action = 'create', seq`;
    yield* this.db.iterate<PlanRow>(sql, ...actions, ...(batch ? batchRanges(batch) : []));
  }

  /**
   * The rows `planned` gives, cut into batches of `size`, each as its ranges of seq — worked out by SQLite, so
   * that an apply written from the stage passes no row through JavaScript (20 000 rows: some 0.1 s).
   */
  batches(actions: readonly Action[], size: number): PlanBatch[] {
    const of = (create: boolean, f: string) => `${f}(CASE WHEN action ${create ? '=' : '<>'} 'create' THEN seq END)`;
    const sql = `SELECT count(*) AS n, ${of(false, 'min')} AS o1, ${of(false, 'max')} AS o2,
      ${of(true, 'min')} AS c1, ${of(true, 'max')} AS c2
      FROM (SELECT seq, action, (row_number() OVER (ORDER BY action = 'create', seq) - 1) / CAST(? AS INTEGER)
        AS batch FROM plan WHERE action IN (${actions.map(() => '?').join(', ')}))
      GROUP BY batch ORDER BY batch`;
    type Row = { n: number; o1: number | null; o2: number | null; c1: number | null; c2: number | null };
    return [...this.db.iterate<Row>(sql, size, ...actions)].map((r) => ({
      rows: Number(r.n),
      others: r.o1 === null ? null : [Number(r.o1), Number(r.o2)],
      creates: r.c1 === null ? null : [Number(r.c1), Number(r.c2)],
    }));
  }

  /** The accounts a batch disables because they are gone from AD (planned writes without values). */
  goneIn(batch: PlanBatch, writes: readonly Action[]): number[] {
    if (!batch.others) return [];
    const sql = `SELECT account_id FROM plan WHERE writes_entry = 0 AND action <> 'create'
      AND action IN (${writes.map(() => '?').join(', ')}) AND seq BETWEEN ? AND ? ORDER BY seq`;
    return [...this.db.iterate<{ account_id: number }>(sql, ...writes, ...batch.others)].map((r) => r.account_id);
  }

  /** A batch's planned writes with their values: `seq` and a `StagedWrite` (a create's account is null). */
  *writesIn(batch: PlanBatch): Generator<SqlValue[]> {
    const sql = `SELECT ${STAGED_WRITE_COLUMNS.join(', ')} FROM ${STAGED_WRITES} WHERE ${IN_BATCH('id')} ORDER BY seq`;
    for (const row of this.db.iterate<Record<string, SqlValue>>(sql, ...batchRanges(batch))) yield Object.values(row);
  }

  /** Counted once per plan: the apply asks a dozen times, and each count was a pass over the plan. */
  countPlanned(...actions: Action[]): number {
    this.tally ??= new Map(
      [...this.db.iterate<{ action: Action; n: number }>('SELECT action, count(*) AS n FROM plan GROUP BY action')].map(
        (r) => [r.action, Number(r.n)],
      ),
    );
    return actions.reduce((n, action) => n + (this.tally!.get(action) ?? 0), 0);
  }

  /**
   * A fingerprint of everything the plan would write or report, independent of search order: the wizard
   * applies a plan only when it is still the one the administrator previewed.
   */
  digest(actions: readonly Action[]): string {
    const hash = createHash('sha256');
    const sql = `SELECT action, ifnull(guid, '') AS guid, logon, ifnull(changes, '') AS changes,
      ifnull(target_ou, '') AS target_ou, ifnull(reason, '') AS reason FROM plan
      WHERE action IN (${actions.map(() => '?').join(', ')}) ORDER BY guid, logon, action`;
    for (const row of this.db.iterate<Record<string, string>>(sql, ...actions))
      hash.update(`${row.action}\t${row.guid}\t${row.logon}\t${row.changes}\t${row.target_ou}\t${row.reason}\n`);
    return hash.digest('hex');
  }

  /** Turns the planned writes for these GUIDs into skips with a reason; returns how many rows changed. */
  leaveOut(guids: readonly string[], writes: readonly Action[], reason: string): number {
    if (guids.length === 0) return 0;
    this.db.exec('CREATE TABLE IF NOT EXISTS left_out (guid TEXT PRIMARY KEY)');
    this.db.exec('DELETE FROM left_out');
    for (const guid of guids) this.db.run('INSERT OR IGNORE INTO left_out (guid) VALUES (?)', guid.toLowerCase());
    const sql =
      `UPDATE plan SET action = 'skip', reason = ?, writes_entry = 0 WHERE action IN ` +
      `(${writes.map(() => '?').join(', ')}) AND lower(guid) IN (SELECT guid FROM left_out)`;
    const changed = this.db.run(sql, reason, ...writes);
    this.tally = null;
    this.db.run(`DELETE FROM ${STAGED_WRITES} WHERE seq NOT IN (SELECT seq FROM plan WHERE writes_entry = 1)`);
    return changed;
  }

  /** Deletes the scratch database. */
  drop(): void {
    this.db.close();
  }
}
