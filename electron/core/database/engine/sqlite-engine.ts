/**
 * The users database in one SQLite file (the default: nothing to set up). WAL lets readers go on while the one
 * writer writes; BEGIN IMMEDIATE takes the write lock at the start, so two writers never deadlock half-way.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS, type SqlEngine, type SqlQueryable, type SqlRow, type SqlValue } from './sql-engine.ts';

/** SQLite's primary result code of an error (the extended code carries it in its low byte), or null. */
export const sqliteCode = (err: unknown): number | null => {
  const code = (err as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code & 0xff : null;
};
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** Another connection holds the lock (BUSY), or this one's own table is in use (LOCKED). */
export const isBusy = (err: unknown): boolean => sqliteCode(err) === SQLITE_BUSY || sqliteCode(err) === SQLITE_LOCKED;

/** Prepared statements are kept per SQL text: the product runs the same few hundred again and again. */
class Statements {
  private readonly cache = new Map<string, StatementSync>();
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }
  get(sql: string): StatementSync {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

export class SqliteEngine implements SqlEngine {
  readonly name = 'sqlite' as const;
  readonly dialect = DIALECTS.sqlite;
  readonly location: string;
  readonly db: DatabaseSync;
  private readonly statements: Statements;
  /** Inside write(): a second write on this connection would nest BEGIN, which SQLite refuses. */
  private writing: Promise<unknown> = Promise.resolve();

  private readonly busyTimeoutMs: number;

  constructor(db: DatabaseSync, file: string, busyTimeoutMs = 10_000) {
    this.db = db;
    this.location = file;
    this.busyTimeoutMs = busyTimeoutMs;
    this.statements = new Statements(db);
  }

  async all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.statements.get(sql).all(...params) as T[];
  }

  async get<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.statements.get(sql).get(...params) as T | undefined;
  }

  async run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return { changes: Number(this.statements.get(sql).run(...params).changes) };
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async copyRows(table: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): Promise<number> {
    const insert = this.statements.get(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    let n = 0;
    for (const row of rows) {
      insert.run(...row);
      n++;
    }
    return n;
  }

  write<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const turn = this.writing.then(async () => {
      await this.begin();
      try {
        const result = await work(this);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  /**
   * BEGIN IMMEDIATE without SQLite's busy handler, which would block this whole thread while another connection
   * writes — and never let it finish if that connection is on this thread, awaiting something. Retried with
   * growing pauses that yield to the event loop instead, up to the same busy timeout.
   */
  private async begin(): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    this.db.exec('PRAGMA busy_timeout = 0');
    try {
      for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
        try {
          this.db.exec('BEGIN IMMEDIATE');
          return;
        } catch (err) {
          if (!isBusy(err) || Date.now() > deadline) throw err;
        }
        await sleep(pause);
      }
    } finally {
      this.db.exec(`PRAGMA busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  /** ATTACH and DETACH are refused inside a transaction: they wait for this connection's write to end. */
  withAttached<T>(file: string, alias: string, work: () => Promise<T>): Promise<T> {
    const turn = this.writing.then(() => this.db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(file));
    return turn.then(async () => {
      try {
        return await work();
      } finally {
        await this.writing;
        this.db.exec(`DETACH DATABASE ${alias}`);
      }
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

const engines = new WeakMap<DatabaseSync, SqliteEngine>();

/**
 * The engine over a connection a module still holds as a DatabaseSync (one per connection): lets a module that
 * has not moved onto the seam yet call one that has, on the same connection and inside the same transactions.
 */
export function sqliteEngineOf(db: DatabaseSync, busyTimeoutMs = 10_000): SqliteEngine {
  let engine = engines.get(db);
  if (!engine) {
    engine = new SqliteEngine(db, db.location() ?? ':memory:', busyTimeoutMs);
    engines.set(db, engine);
  }
  return engine;
}
