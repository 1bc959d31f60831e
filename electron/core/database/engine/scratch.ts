/**
 * A run's private working tables (the import's stage and plan): a throwaway SQLite database in the temp folder,
 * never the users database, whichever engine that is. Planning reads it synchronously row by row; the users
 * database is only asked in bulk (DESIGN §13: plan locally, apply set-based). 100 000 entries cost disk pages,
 * not memory, and nothing of a dry run reaches the users database.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlValue } from './sql-engine.ts';

const NAMED = /^adconsole-scratch-(\d+)-[0-9a-f-]+\.sqlite/;
let staleRemoved = false;

/** Removes the named scratch files of processes that are gone (killed mid-run). */
export function removeStaleScratchFiles(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return; // not listable: nothing of ours to remove either
  }
  for (const name of names) {
    const pid = NAMED.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(tmpdir(), name), { force: true });
    }
  }
}

/**
 * A new file in the temp folder, made readable by this user only before SQLite opens it (SQLite's own files are
 * 0644): it holds directory data. Null where the temp folder cannot be written: the run then keeps a private
 * scratch, and writes its plan a statement per row.
 */
function namedFile(): string | null {
  try {
    // Each process looks once, at its first named scratch.
    if (!staleRemoved) {
      staleRemoved = true;
      removeStaleScratchFiles();
    }
    const file = join(tmpdir(), `adconsole-scratch-${process.pid}-${randomUUID()}.sqlite`);
    writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
    return file;
  } catch {
    return null;
  }
}

export class Scratch {
  /**
   * Private (an empty file name: SQLite's temporary database, on disk once it outgrows its cache, deleted on
   * close), or `named`: a file in the temp folder that another connection can attach (and read the run's rows
   * from in one statement), deleted on close.
   */
  readonly file: string | null;
  private readonly db: DatabaseSync;
  private readonly cache = new Map<string, StatementSync>();

  constructor(options: { named?: boolean } = {}) {
    this.file = options.named ? namedFile() : null;
    this.db = new DatabaseSync(this.file ?? '');
    // Throwaway data: no file syncs, the rollback journal in memory.
    if (this.file) this.db.exec('PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY');
  }

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
    if (this.file) rmSync(this.file, { force: true });
  }
}
