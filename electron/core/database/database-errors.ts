/**
 * What a person reads when the users database cannot be used, whichever engine it is on: one Failure per cause,
 * each with what to do. Used by everything that opens or writes the database.
 */
import { Failure } from '../failure.ts';
import { explainPostgresError } from './engine/postgres-errors.ts';
import { isBusy, sqliteCode } from './engine/sqlite-engine.ts';
import { SCHEMA_VERSION } from './schema.ts';

/** How long any connection waits for another process's lock (readers too: a file can be mid-creation). */
export const BUSY_TIMEOUT_MS = 10_000;

export function unreadable(file: string, why: string): Failure {
  return new Failure(
    'database-unreadable',
    `The users database ${file} cannot be used: ${why}. It was left untouched.`,
    'Restore it from a backup (the console keeps one next to it before every "Create a new database" run and ' +
      'every upgrade), or move it away to start with an empty database.',
  );
}

/** SQLite's result codes for a file that is not a database or is damaged. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

export function busy(file: string): Failure {
  return new Failure(
    'database-busy',
    `The users database ${file} is locked by another process (an import, bcscmd or the console) that held it ` +
      `for longer than ${BUSY_TIMEOUT_MS / 1000} s. It was not changed.`,
    'Wait for the other import to finish (bcscmd /HISTORY lists running ones), then try again.',
  );
}

export function newer(file: string, version: number): Failure {
  return new Failure(
    'database-newer',
    `The users database ${file} was written by a newer AD Console (schema ${version}; this version reads up to ` +
      `schema ${SCHEMA_VERSION}). It was left untouched.`,
    'Use the newer AD Console, or restore a backup made by this version.',
  );
}

/** An error the database engine raised, in words; null for any other error (a bug is not the database's). */
export function databaseFailureOf(err: unknown, location: string): Failure | null {
  if (err instanceof Failure) return err;
  return explainPostgresError(err, location) ?? (sqliteCode(err) !== null ? explainDatabaseError(err, location) : null);
}

/** Only a file SQLite itself calls damaged is "damaged"; anything else is said as what it is. */
export function explainDatabaseError(err: unknown, file: string): Failure {
  if (err instanceof Failure) return err;
  const postgres = explainPostgresError(err, file);
  if (postgres) return postgres;
  if (isBusy(err)) return busy(file);
  const code = sqliteCode(err);
  if (code === SQLITE_CORRUPT || code === SQLITE_NOTADB)
    return unreadable(file, `it is damaged (${(err as Error).message})`);
  return new Failure(
    'database-failed',
    `The users database ${file} could not be used: ${(err as Error).message}. It was not changed.`,
    'Check that the data folder is writable and has free space, then try again.',
  );
}
