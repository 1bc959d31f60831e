/**
 * Where a run keeps what it read and what it plans: temporary tables on the run's own connection
 * (never in the database file, so a dry run writes nothing), so that 100 000 entries cost disk pages,
 * not memory.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AdAccount } from './ad-account.ts';
import type { Action, FieldChange } from '../../../shared/import-run.ts';

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
  data: string | null;
}

export class Stage {
  private readonly db: DatabaseSync;
  private readonly insertEntry: StatementSync;
  private readonly insertPlan: StatementSync;
  private readonly hasGuid: StatementSync;
  entries = 0;
  private own = false;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(`
      DROP TABLE IF EXISTS temp.stage;
      DROP TABLE IF EXISTS temp.plan;
      CREATE TEMP TABLE stage (guid TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TEMP TABLE plan (seq INTEGER PRIMARY KEY, action TEXT NOT NULL, account_id INTEGER,
        logon TEXT NOT NULL, dn TEXT, guid TEXT, changes TEXT, reason TEXT, target_ou TEXT,
        display_name TEXT, writes_entry INTEGER NOT NULL);
    `);
    this.insertEntry = db.prepare('INSERT OR IGNORE INTO temp.stage (guid, data) VALUES (?, ?)');
    this.insertPlan = db.prepare(
      'INSERT INTO temp.plan (action, account_id, logon, dn, guid, changes, reason, target_ou, display_name, ' +
        'writes_entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.hasGuid = db.prepare('SELECT 1 FROM temp.stage WHERE guid = ?');
  }

  /** Batches of staging writes share one transaction: row-by-row autocommit costs a journal write per row. */
  begin(): void {
    // Inside a transaction already (planning again under the apply's write lock): work inside that one.
    this.own = !this.db.isTransaction;
    if (this.own) this.db.exec('BEGIN');
  }

  commit(): void {
    if (this.own) this.db.exec('COMMIT');
    this.own = false;
  }

  /** Forgets the plan, keeping the staged entries (to plan again on a database that changed). */
  clearPlan(): void {
    this.db.exec('DELETE FROM temp.plan');
  }

  /** An entry found by two searches (an OU and a group) counts once. */
  add(account: AdAccount): void {
    if (Number(this.insertEntry.run(account.guid, JSON.stringify(account)).changes) > 0) this.entries++;
  }

  has(guid: string): boolean {
    return this.hasGuid.get(guid) !== undefined;
  }

  *accounts(): Generator<AdAccount> {
    for (const row of this.db.prepare('SELECT data FROM temp.stage ORDER BY rowid').iterate() as Iterable<{
      data: string;
    }>)
      yield JSON.parse(row.data) as AdAccount;
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
    account?: AdAccount | null;
  }): void {
    this.insertPlan.run(
      item.action,
      item.accountId ?? null,
      item.logon,
      item.dn ?? null,
      item.guid ?? null,
      item.changes ? JSON.stringify(item.changes) : null,
      item.reason ?? null,
      item.targetOu ? JSON.stringify(item.targetOu) : null,
      item.displayName ?? item.account?.displayName ?? null,
      item.account ? 1 : 0, // the entry itself stays in the stage: no second copy
    );
  }

  /** Updates, disables and enables before creates, so that a renamed account frees its old name first. */
  *planned(actions: readonly Action[]): Generator<PlanRow> {
    const sql = `SELECT p.*, CASE WHEN p.writes_entry = 1 THEN s.data END AS data FROM temp.plan p LEFT JOIN
      temp.stage s ON s.guid = p.guid
      WHERE p.action IN (${actions.map(() => '?').join(', ')}) ORDER BY p.action = 'create', p.seq`;
    yield* this.db.prepare(sql).iterate(...actions) as Iterable<PlanRow>;
  }

  countPlanned(...actions: Action[]): number {
    return Number(
      (
        this.db
          .prepare(`SELECT count(*) AS n FROM temp.plan WHERE action IN (${actions.map(() => '?').join(', ')})`)
          .get(...actions) as { n: number }
      ).n,
    );
  }

  /**
   * A fingerprint of everything the plan would write or report, independent of search order: the wizard
   * applies a plan only when it is still the one the administrator previewed.
   */
  digest(actions: readonly Action[]): string {
    const hash = createHash('sha256');
    const sql = `SELECT action, ifnull(guid, '') AS guid, logon, ifnull(changes, '') AS changes,
      ifnull(target_ou, '') AS target_ou, ifnull(reason, '') AS reason FROM temp.plan
      WHERE action IN (${actions.map(() => '?').join(', ')}) ORDER BY guid, logon, action`;
    for (const row of this.db.prepare(sql).iterate(...actions) as Iterable<Record<string, string>>)
      hash.update(`${row.action}\t${row.guid}\t${row.logon}\t${row.changes}\t${row.target_ou}\t${row.reason}\n`);
    return hash.digest('hex');
  }

  /** Turns the planned writes for these GUIDs into skips with a reason; returns how many rows changed. */
  leaveOut(guids: readonly string[], writes: readonly Action[], reason: string): number {
    if (guids.length === 0) return 0;
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS left_out (guid TEXT PRIMARY KEY)');
    this.db.exec('DELETE FROM temp.left_out');
    const add = this.db.prepare('INSERT OR IGNORE INTO temp.left_out (guid) VALUES (?)');
    for (const guid of guids) add.run(guid.toLowerCase());
    const sql =
      `UPDATE temp.plan SET action = 'skip', reason = ?, writes_entry = 0 WHERE action IN ` +
      `(${writes.map(() => '?').join(', ')}) AND lower(guid) IN (SELECT guid FROM temp.left_out)`;
    return Number(this.db.prepare(sql).run(reason, ...writes).changes);
  }

  drop(): void {
    this.db.exec(
      'DROP TABLE IF EXISTS temp.stage; DROP TABLE IF EXISTS temp.plan; DROP TABLE IF EXISTS temp.left_out;',
    );
  }
}
