/**
 * Opening the users database: one SQLite file in the data folder, WAL, upgraded step by step.
 * A file this version cannot read (not SQLite, damaged, another program's, a newer schema) is refused
 * with a sentence and left exactly as it was: it is probed read-only before anything writes to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StepFailure } from '../failure.ts';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.ts';

export const DATABASE_FILE = 'users.sqlite';

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

export interface UsersDatabase {
  readonly db: DatabaseSync;
  readonly file: string;
  /** Set when opening upgraded an older file: the copy made before the upgrade. */
  readonly upgradeBackup: string | null;
  close(): void;
}

function unreadable(file: string, why: string): StepFailure {
  return new StepFailure('database-unreadable', `The users database ${file} cannot be used: ${why}. It was left untouched.`, 'Restore it from a backup (the console keeps one next to it before every "Create a new database" run and every upgrade), or move it away to start with an empty database.');
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A consistent copy of a live database, WAL included (VACUUM INTO reads through SQLite). */
export function backupDatabase(db: DatabaseSync, file: string, label: string): string {
  const target = `${file.replace(/\.sqlite$/, '')}.${label}-${timestamp()}.sqlite`;
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

function probe(file: string): { version: number; backup: string | null } {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (err) {
    throw unreadable(file, (err as Error).message);
  }
  try {
    let appId: number;
    let version: number;
    try {
      appId = Number((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id);
      version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    } catch (err) {
      throw unreadable(file, `it is not a SQLite database or it is damaged (${(err as Error).message})`);
    }
    if (appId !== 0 && appId !== APPLICATION_ID) throw unreadable(file, 'it belongs to another program (its SQLite application id is not AD Console\'s)');
    if (appId === 0 && version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
      if (Number(tables.n) > 0) throw unreadable(file, 'it is a SQLite database of another program (it has tables but no AD Console schema)');
    }
    if (version > SCHEMA_VERSION) {
      throw new StepFailure('database-newer', `The users database ${file} was written by a newer AD Console (schema ${version}; this version reads up to schema ${SCHEMA_VERSION}). It was left untouched.`, 'Use the newer AD Console, or restore a backup made by this version.');
    }
    // An upgrade rewrites tables: keep the file as it was first.
    const backup = version > 0 && version < SCHEMA_VERSION ? backupDatabase(db, file, `before-upgrade-to-${SCHEMA_VERSION}`) : null;
    return { version, backup };
  } finally {
    db.close();
  }
}

export function openUsersDatabase(file: string): UsersDatabase {
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  const { version, backup } = exists ? probe(file) : { version: 0, backup: null };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL'); // with WAL: durable at checkpoints, never corrupt
    for (let step = version; step < SCHEMA_VERSION; step++) {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(MIGRATIONS[step]!);
        db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
        db.exec(`PRAGMA user_version = ${step + 1}`);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    }
  } catch (err) {
    db.close();
    if (err instanceof StepFailure) throw err;
    throw unreadable(file, (err as Error).message);
  }
  return { db, file, upgradeBackup: backup, close: () => db.close() };
}

/** Bumped by every import that writes: a run planned on revision N applies only onto revision N. */
export function revisionOf(db: DatabaseSync): number {
  return Number((db.prepare("SELECT value FROM meta WHERE key = 'revision'").get() as { value: string }).value);
}

export function bumpRevision(db: DatabaseSync): void {
  db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'").run();
}

/**
 * The console's own connection for reading the users view: opened on first use (creating an empty
 * database if there is none yet), kept open, and opened again after a failure. Imports use their own
 * connection on the worker thread; WAL lets this one read while they write.
 */
export class SharedDatabase {
  private open: UsersDatabase | null = null;
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  use<T>(work: (db: DatabaseSync) => T): T {
    this.open ??= openUsersDatabase(this.file);
    return work(this.open.db);
  }

  close(): void {
    this.open?.close();
    this.open = null;
  }
}
