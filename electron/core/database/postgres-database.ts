/**
 * Opening a users database on PostgreSQL (the setting `database` holds its URL): the connection settings checked,
 * the password read from `databasePasswordFile` (or left to PostgreSQL's PGPASSWORD and ~/.pgpass), the schema
 * made or checked once, the runs of this machine's dead processes marked interrupted — the same as opening the
 * SQLite file does. Opening returns at once (callers open synchronously); every statement waits for that first
 * step, and fails with its explanation when it failed.
 */
import fs from 'node:fs';
import { parseDatabaseSetting } from '../../../shared/database-setting.ts';
import { Failure } from '../failure.ts';
import { PostgresEngine } from './engine/postgres-engine.ts';
import type { SqlEngine, SqlQueryable, SqlRow, SqlValue, WriteOptions } from './engine/sql-engine.ts';
import { markInterruptedRuns } from './interrupted-runs.ts';
import { ensurePostgresSchema } from './postgres-schema.ts';
import { explainDatabaseError } from './database-errors.ts';

/** The first line of the password file; a file that cannot be read is said as such. */
function readPasswordFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0]!;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Failure(
      'database-login-failed',
      `The password file of the users database, ${file}, cannot be read (${why}).`,
      'Make it readable by the account that runs AD Console (only by it), or clear databasePasswordFile to use ' +
        'PGPASSWORD or ~/.pgpass.',
      { nothingChanged: true },
    );
  }
}

function readCaFile(file: string | null): string | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Failure(
      'database-unreachable',
      `The CA file of the users database's URL (sslrootcert=${file}) cannot be read (${(err as Error).message}).`,
      'Name a PEM file readable by the account that runs AD Console, or leave sslrootcert out to use the ' +
        "system's CAs.",
      { nothingChanged: true },
    );
  }
}

/** The engine behind a first step every statement waits for. */
class PreparedEngine implements SqlEngine {
  readonly inner: PostgresEngine;
  readonly ready: Promise<void>;

  constructor(inner: PostgresEngine, ready: Promise<void>) {
    this.inner = inner;
    this.ready = ready;
  }

  get name() {
    return this.inner.name;
  }
  get dialect() {
    return this.inner.dialect;
  }
  get location() {
    return this.inner.location;
  }

  async all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    await this.ready;
    return this.inner.all<T>(sql, ...params);
  }
  async get<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    await this.ready;
    return this.inner.get<T>(sql, ...params);
  }
  async run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    await this.ready;
    return this.inner.run(sql, ...params);
  }
  async exec(sql: string): Promise<void> {
    await this.ready;
    return this.inner.exec(sql);
  }
  async copyRows(table: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): Promise<number> {
    await this.ready;
    return this.inner.copyRows(table, columns, rows);
  }
  async write<T>(work: (tx: SqlQueryable) => Promise<T>, options?: WriteOptions): Promise<T> {
    await this.ready;
    return this.inner.write(work, options);
  }
  /** After the first step settled: ending the pool under it would turn its work into a failure. */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.inner.close();
  }
}

export interface OpenedPostgres {
  engine: SqlEngine;
  /** The engine once its schema is in place: for what only PostgreSQL does (locks held by a connection). */
  postgres: Promise<PostgresEngine>;
}

/** A connection pool to the database the URL names, its password read as the settings say; nothing asked yet. */
export function connectPostgres(url: string, passwordFile: string): PostgresEngine {
  const parsed = parseDatabaseSetting(url);
  if (!parsed.ok || parsed.target.engine !== 'postgresql')
    throw new Failure(
      'invalid-settings',
      `The users database setting is not valid: ${parsed.ok ? 'it is not a PostgreSQL URL' : parsed.error}`,
      'Correct it with bcscmd /SET:database=… (empty for the built-in database).',
      { nothingChanged: true },
    );
  const target = parsed.target;
  const password = passwordFile.trim() ? readPasswordFile(passwordFile.trim()) : undefined;
  return new PostgresEngine(target, password, readCaFile(target.caFile));
}

export function openPostgresDatabase(url: string, passwordFile: string): OpenedPostgres {
  const inner = connectPostgres(url, passwordFile);
  const location = inner.location;
  const ready = (async () => {
    try {
      await ensurePostgresSchema(inner);
      await markInterruptedRuns(inner);
    } catch (err) {
      throw explainDatabaseError(err, location);
    }
  })();
  ready.catch(() => undefined); // said by the first statement that waits for it
  const postgres = ready.then(() => inner);
  postgres.catch(() => undefined);
  return { engine: new PreparedEngine(inner, ready), postgres };
}
