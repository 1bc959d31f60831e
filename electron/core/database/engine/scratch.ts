/**
 * A run's private working tables (the import's stage and plan): a throwaway SQLite database in the temp folder,
 * never the users database, whichever engine that is. Planning reads it synchronously row by row; the users
 * database is only asked in bulk (DESIGN §13: plan locally, apply set-based). 100 000 entries cost disk pages,
 * not memory, and nothing of a dry run reaches the users database.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlValue } from './sql-engine.ts';

export class Scratch {
  // An empty file name: SQLite's private temporary database, on disk once it outgrows its cache, deleted on close.
  private readonly db = new DatabaseSync('');
  private readonly cache = new Map<string, StatementSync>();

  private statement(sql: string): StatementSync {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** How many rows the statement changed. */
  run(sql: string, ...params: SqlValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  /** A statement of its own: the caller may await between rows while other statements run. */
  iterate<T>(sql: string, ...params: SqlValue[]): IterableIterator<T> {
    return this.db.prepare(sql).iterate(...params) as IterableIterator<T>;
  }

  /** Batches of writes share one transaction (autocommit would sync the file per row). */
  transaction(work: () => void): void {
    this.db.exec('BEGIN');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.cache.clear();
    if (this.db.isOpen) this.db.close();
  }
}
