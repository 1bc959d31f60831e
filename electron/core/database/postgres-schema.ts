/**
 * A users database on PostgreSQL gets its schema the first time any node opens it, and later steps as they come:
 * under the write lock (an advisory lock every node takes), so whichever node starts first creates it and the
 * others find it made. The version is a meta row (PostgreSQL has no user_version); a database written by a newer
 * AD Console, or one holding another program's tables, is refused and left untouched.
 */
import type { SqlEngine, SqlQueryable } from './engine/sql-engine.ts';
import { BASELINE_VERSION, baselineSchema } from './schema-baseline.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { newer, unreadable } from './database-errors.ts';

export const VERSION_KEY = 'schema_version';

/** The schema version this database has, or 0 for an empty one; another program's database is refused. */
async function versionIn(tx: SqlQueryable, location: string): Promise<number> {
  const tables = await tx.all<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  );
  if (tables.length === 0) return 0;
  if (!tables.some((t) => t.name === 'meta'))
    throw unreadable(location, `it holds tables of another program (${tables.map((t) => t.name).join(', ')})`);
  const row = await tx.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', VERSION_KEY);
  if (!row) throw unreadable(location, 'it has a meta table but no AD Console schema version');
  return Number(row.value);
}

/** Brings the database to SCHEMA_VERSION, under the write lock; true when this call created it. */
export async function ensurePostgresSchema(engine: SqlEngine): Promise<boolean> {
  if (SCHEMA_VERSION !== BASELINE_VERSION)
    throw new Error('a schema step after the baseline needs its PostgreSQL form (schema-baseline.ts)');
  return engine.write(async (tx) => {
    const version = await versionIn(tx, engine.location);
    if (version > SCHEMA_VERSION) throw newer(engine.location, version);
    if (version === SCHEMA_VERSION) return false;
    await tx.exec(baselineSchema('postgresql'));
    await tx.run('INSERT INTO meta (key, value) VALUES (?, ?)', VERSION_KEY, String(SCHEMA_VERSION));
    return true;
  });
}
