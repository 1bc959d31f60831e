/**
 * Opening the users database: one SQLite file in the data folder, WAL, upgraded step by step.
 * A file this version cannot read (not SQLite, damaged, another program's, a newer schema) is refused
 * with a sentence and left exactly as it was: it is probed read-only before anything writes to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SqlEngine, SqlQueryable } from './engine/sql-engine.ts';
import { COPIED_TABLES } from './copy-database.ts';
import type { PostgresEngine } from './engine/postgres-engine.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { isBusy, sqliteEngineOf } from './engine/sqlite-engine.ts';
import { BUSY_TIMEOUT_MS, busy, explainDatabaseError, newer, unreadable } from './database-errors.ts';

export { BUSY_TIMEOUT_MS, databaseFailureOf, explainDatabaseError, newer, unreadable } from './database-errors.ts';
import { markInterruptedRunsNow } from './interrupted-runs.ts';
import { APPLICATION_ID, MIGRATIONS } from './schema.ts';
import { BASELINE_VERSION, SCHEMA_STEPS, type SchemaStep } from './schema-baseline.ts';
import { DIALECTS } from './engine/sql-engine.ts';

export const DATABASE_FILE = 'users.sqlite';

/**
 * The page size of a new users database (SQLite's default is 4 KB). An import writes its accounts and their
 * indexes page by page, into the WAL and then into the file: 20 000 new accounts (15 MB) took 136 ms to insert,
 * commit and checkpoint with 4 KB pages and 111 ms with 16 KB; a one-row write (a logon) 0.03 ms either way.
 */
export const PAGE_SIZE = 16_384;

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

export interface UsersDatabase {
  /** SQLite only: the file's connection, for the copy to PostgreSQL (copy-database.ts). */
  readonly db: DatabaseSync | null;
  /** The database behind the engine seam (engine/sql-engine.ts): what every module reads and writes through. */
  readonly engine: SqlEngine;
  /** Where it is, for messages: the file, or the PostgreSQL URL (which holds no secret). */
  readonly file: string;
  /** Set when opening upgraded an older file: the copy made before the upgrade. */
  readonly upgradeBackup: string | null;
  /** PostgreSQL only: the engine once its schema is in place, for the locks a connection holds. */
  readonly postgres: Promise<PostgresEngine> | null;
  close(): void;
}

/**
 * Where a process finds the users database: the data folder's users.sqlite, or the PostgreSQL database the
 * setting `database` names (with the setting `databasePasswordFile`). Plain data: it goes to the import worker.
 */
export interface DatabaseLocation {
  /** users.sqlite in the data folder: the database when `url` is empty. */
  file: string;
  /** The setting `database`: '' or a PostgreSQL URL. */
  url: string;
  passwordFile: string;
}

export function databaseLocation(
  dataDir: string,
  settings: { database: string; databasePasswordFile: string },
): DatabaseLocation {
  return { file: databaseFile(dataDir), url: settings.database.trim(), passwordFile: settings.databasePasswordFile };
}

/** A location, or (tests, tools) a SQLite file's path. */
export type DatabaseAt = DatabaseLocation | string;

/** The location as people read it: the file, or the URL. */
export const locationText = (location: DatabaseAt): string =>
  typeof location === 'string' ? location : location.url || location.file;

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A consistent copy of a live database, WAL included (VACUUM INTO reads through SQLite). */
export function backupDatabase(db: DatabaseSync, file: string, label: string): string {
  const target = `${file.replace(/\.sqlite$/, '')}.${label}-${timestamp()}.sqlite`;
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

const readPragma = (db: DatabaseSync, name: 'application_id' | 'user_version'): number =>
  Number((db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[name]);

/** Read-only look at a file before anything writes to it: refuses what this version must not touch. */
function probe(file: string, target: number): void {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw unreadable(file, (err as Error).message);
  }
  try {
    let appId: number;
    let version: number;
    try {
      appId = readPragma(db, 'application_id');
      version = readPragma(db, 'user_version');
    } catch (err) {
      if (isBusy(err)) throw busy(file);
      throw unreadable(file, `it is not a SQLite database or it is damaged (${(err as Error).message})`);
    }
    if (appId !== 0 && appId !== APPLICATION_ID)
      throw unreadable(file, "it belongs to another program (its SQLite application id is not AD Console's)");
    if (appId === 0 && version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
      if (Number(tables.n) > 0)
        throw unreadable(file, 'it is a SQLite database of another program (it has tables but no AD Console schema)');
    }
    if (version > target) throw newer(file, version);
  } finally {
    db.close();
  }
}

/**
 * Creates or upgrades the schema as the one writer: several processes may open a new or older file at
 * once (bcscmd runs, the console, the wizard's worker), so the version is read again once the write lock
 * is held, and only the missing steps run — all in one transaction, so nobody sees a half-made schema.
 */
function migrate(db: DatabaseSync, file: string, steps: readonly SchemaStep[]): string | null {
  const target = BASELINE_VERSION + steps.length;
  db.exec('BEGIN IMMEDIATE');
  try {
    const version = readPragma(db, 'user_version');
    if (version > target) throw newer(file, version);
    if (version === target) {
      db.exec('COMMIT');
      return null;
    }
    // An upgrade rewrites tables: keep the file as it was first (a reader sees it whole while we hold the lock).
    const backup = version > 0 ? backupWithReader(file, `before-upgrade-to-${target}`) : null;
    for (let step = version; step < target; step++) {
      // Up to the baseline, SQLite's own history; after it, the steps both engines share.
      if (step >= BASELINE_VERSION) {
        runStepOnSqlite(db, steps[step - BASELINE_VERSION]!);
        continue;
      }
      const migration = MIGRATIONS[step]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
    }
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.exec(`PRAGMA user_version = ${target}`);
    const broken = db.prepare('PRAGMA foreign_key_check').all();
    if (broken.length > 0) throw new Error(`the upgrade left ${broken.length} rows that refer to missing rows`);
    db.exec('COMMIT');
    return backup;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** A shared step on a SQLite file: its script, then the derived columns of the rows already there. */
function runStepOnSqlite(db: DatabaseSync, step: SchemaStep): void {
  db.exec(step.sql(DIALECTS.sqlite));
  const derive = step.derive;
  if (!derive) return;
  const rows = db.prepare(`SELECT id, ${derive.from.join(', ')} FROM ${derive.table}`).all();
  const set = db.prepare(`UPDATE ${derive.table} SET ${derive.to.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  for (const row of rows) set.run(...derive.compute(derive.from.map((c) => String(row[c]))), row.id as number);
}

/** A copy made through a connection of its own: usable while this process holds the write lock. */
export function backupWithReader(file: string, label: string): string {
  const reader = new DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    return backupDatabase(reader, file, label);
  } finally {
    reader.close();
  }
}

/**
 * A copy of the users database as it is inside the writer's transaction `tx`, made before a write that replaces
 * it ("Create a new database"), named for the run's report. SQLite: a file beside it, read through a connection
 * of its own. PostgreSQL: a schema of its own in the same database, one table per table, in the same transaction
 * (a backup that the run's rollback takes back with it).
 */
export async function backupBeforeWrite(engine: SqlEngine, tx: SqlQueryable, label: string): Promise<string> {
  if (engine.name === 'sqlite') return backupWithReader(engine.location, label);
  const schema = `adconsole_${label}_${timestamp().toLowerCase()}`;
  await tx.exec(`CREATE SCHEMA ${schema}`);
  for (const table of COPIED_TABLES) await tx.exec(`CREATE TABLE ${schema}.${table} AS TABLE ${table}`);
  return `${engine.location}, schema ${schema}`;
}

/** A pause that blocks this thread (opening is synchronous); used only between retries of a lock. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * WAL mode is a property of the file, set once by whoever creates it. Switching to it takes a lock
 * for which SQLite does not call the busy handler (SQLITE_BUSY at once while another process is
 * creating the same file), so the switch is retried within the busy timeout.
 */
function enableWal(db: DatabaseSync): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      const mode = (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;
      if (mode !== 'wal') db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
      pause(20);
    }
  }
}

export interface OpenHooks {
  /** Tests: runs after the version was read and before the write lock is taken (another process's moment). */
  beforeMigrate?: () => void;
  /** Tests: the schema steps after the baseline that this "version" of the code knows (default SCHEMA_STEPS). */
  steps?: readonly SchemaStep[];
}

/** Opens the users database where `location` says (a string: a SQLite file). */
export function openUsersDatabase(location: DatabaseAt, hooks: OpenHooks = {}): UsersDatabase {
  if (typeof location !== 'string' && location.url) {
    const opened = openPostgresDatabase(location.url, location.passwordFile);
    return {
      db: null,
      engine: opened.engine,
      file: location.url,
      upgradeBackup: null,
      postgres: opened.postgres,
      close: () => void opened.engine.close().catch(() => undefined),
    };
  }
  const file = typeof location === 'string' ? location : location.file;
  const steps = hooks.steps ?? SCHEMA_STEPS;
  if (fs.existsSync(file) && fs.statSync(file).size > 0) probe(file, BASELINE_VERSION + steps.length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw explainDatabaseError(err, file);
  }
  let backup: string | null = null;
  try {
    // Ignored by SQLite unless the file is still empty: only a new database gets its pages this size.
    db.exec(`PRAGMA page_size = ${PAGE_SIZE}`);
    enableWal(db);
    db.exec('PRAGMA synchronous = NORMAL'); // with WAL: durable at checkpoints, never corrupt
    if (readPragma(db, 'user_version') < BASELINE_VERSION + steps.length) {
      hooks.beforeMigrate?.();
      // Rebuilding a table that others refer to needs foreign keys off (a no-op inside a transaction).
      db.exec('PRAGMA foreign_keys = OFF');
      backup = migrate(db, file, steps);
      db.exec('PRAGMA foreign_keys = ON');
    }
    markInterruptedRunsNow(db);
  } catch (err) {
    db.close();
    throw explainDatabaseError(err, file);
  }
  const engine = sqliteEngineOf(db, BUSY_TIMEOUT_MS);
  return { db, engine, file, upgradeBackup: backup, postgres: null, close: () => db.close() };
}

/** Bumped by every import that writes: a run planned on revision N applies only onto revision N. */
export const REVISION = "SELECT value FROM meta WHERE key = 'revision'";

export async function revisionOf(q: SqlQueryable): Promise<number> {
  return Number((await q.get<{ value: string }>(REVISION))!.value);
}

/** Inside the writer's transaction. meta.value is text on both engines: the arithmetic casts both ways. */
export async function bumpRevision(q: SqlQueryable): Promise<void> {
  await q.run("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'revision'");
}

/**
 * The console's own connection for reading the users view: opened on first use (creating an empty
 * database if there is none yet), kept open, and opened again after a failure. Imports use their own
 * connection on the worker thread; WAL lets this one read while they write.
 */
export class SharedDatabase {
  private open: { at: string; database: UsersDatabase } | null = null;
  /** Where the database is now: read again at every use, so that a changed `database` setting applies at once. */
  readonly location: () => DatabaseLocation;

  constructor(location: DatabaseAt | (() => DatabaseLocation)) {
    this.location =
      typeof location === 'function'
        ? location
        : () => (typeof location === 'string' ? { file: location, url: '', passwordFile: '' } : location);
  }

  /** The location as people read it (the file, or the URL). */
  get file(): string {
    return locationText(this.location());
  }

  use<T>(work: (engine: SqlEngine) => T): T {
    const location = this.location();
    const at = JSON.stringify(location);
    if (this.open?.at !== at) {
      this.open?.database.close();
      this.open = null;
      this.open = { at, database: openUsersDatabase(location) };
    }
    return work(this.open.database.engine);
  }

  close(): void {
    this.open?.database.close();
    this.open = null;
  }
}
