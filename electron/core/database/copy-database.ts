/**
 * Copies a users database from one engine to another — a SQLite file into an empty PostgreSQL database when
 * several IM nodes are to share it (bcscmd /COPYDATABASE, issue 22) — in one write transaction on the target:
 * the schema, every table's rows by COPY, the ids the target assigns next, and a count of every table on both
 * sides before it commits. Anything short of an identical copy rolls back and leaves the target empty; the source
 * is only read.
 */
import type { DatabaseSync } from 'node:sqlite';
import { Failure } from '../failure.ts';
import { DIALECTS, type SqlEngine, type SqlQueryable } from './engine/sql-engine.ts';
import { VERSION_KEY } from './postgres-schema.ts';
import { baselineSchema, SCHEMA_STEPS } from './schema-baseline.ts';
import { SCHEMA_VERSION } from './schema.ts';

/**
 * What is copied, parents before children. Left out: sync_lock and sync_service (which process holds the sync
 * and which service checked in are facts about the old database's processes, not data).
 */
export const COPIED_TABLES = [
  'meta',
  'ous',
  'ou_visibility',
  'accounts',
  'import_runs',
  'run_actions',
  'sync_marks',
  'dc_marks',
  'logon_failures',
  'refused_passwords',
  'sync_state',
  'published_groups',
  'published_members',
  'published_vcards',
  'publish_state',
] as const;

/** Tables whose ids the database assigns: the target continues after the highest copied one. */
const IDENTITIES = ['ous', 'accounts', 'import_runs'];

export type CopyCounts = Record<(typeof COPIED_TABLES)[number], number>;

function notEmpty(location: string, tables: string[]): Failure {
  return new Failure(
    'database-not-empty',
    `The database ${location} is not empty (it has the tables ${tables.slice(0, 5).join(', ')}` +
      `${tables.length > 5 ? ' …' : ''}). Nothing was copied.`,
    'Copy into a new, empty database (CREATE DATABASE … OWNER <user>), or drop this one first if it is a failed ' +
      'attempt of yours.',
    { nothingChanged: true },
  );
}

/** Copies `source` (a SQLite users database at SCHEMA_VERSION) into the empty PostgreSQL `target`. */
export async function copyDatabase(source: DatabaseSync, target: SqlEngine): Promise<CopyCounts> {
  // The source's write lock for the whole copy: what is counted is what is copied, and nothing written meanwhile
  // is left behind in the file (writers wait, as behind an import).
  source.exec('BEGIN IMMEDIATE');
  try {
    return await copyWhole(source, target);
  } finally {
    source.exec('ROLLBACK');
  }
}

async function copyWhole(source: DatabaseSync, target: SqlEngine): Promise<CopyCounts> {
  const counts = {} as CopyCounts;
  for (const table of COPIED_TABLES)
    counts[table] = Number((source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  await target.write(async (tx) => {
    const tables = await tx.all<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
    );
    if (tables.length > 0)
      throw notEmpty(
        target.location,
        tables.map((t) => t.name),
      );
    // Without the rows a new database starts with: the copy brings its own (the built-in OU among them).
    await tx.exec(baselineSchema(target.name, { seed: false }));
    for (const step of SCHEMA_STEPS) await tx.exec(step.sql(DIALECTS[target.name]));
    for (const table of COPIED_TABLES) await copyTable(source, tx, table);
    await tx.run('INSERT INTO meta (key, value) VALUES (?, ?)', VERSION_KEY, String(SCHEMA_VERSION));
    if (target.name === 'postgresql')
      for (const table of IDENTITIES)
        await tx.get(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), ` +
            `coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
        );
    // The copy is whole or nothing: every table counted on both sides before the commit.
    for (const table of COPIED_TABLES) {
      const copied = Number((await tx.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
      const expected = counts[table] + (table === 'meta' ? 1 : 0);
      if (copied !== expected)
        throw new Error(`${table}: ${copied} rows arrived of ${expected}; the copy was rolled back`);
    }
  });
  return counts;
}

async function copyTable(source: DatabaseSync, tx: SqlQueryable, table: string): Promise<void> {
  const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  const rows = source.prepare(`SELECT ${columns.join(', ')} FROM ${table}`);
  rows.setReturnArrays(true);
  await tx.copyRows(table, columns, rows.iterate() as Iterable<(string | number | null)[]>);
}
