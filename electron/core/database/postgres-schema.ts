/**
 * A users database on PostgreSQL gets its schema the first time any node opens it, and later steps as they come:
 * under the write lock (an advisory lock every node takes), so whichever node starts first creates it and the
 * others find it made. The version is a meta row (PostgreSQL has no user_version); a database written by a newer
 * AD Console, or one holding another program's tables, is refused and left untouched.
 */
import { DIALECTS, type SqlEngine, type SqlQueryable } from './engine/sql-engine.ts';
import { BASELINE_VERSION, baselineSchema, SCHEMA_STEPS, type SchemaStep } from './schema-baseline.ts';
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

/**
 * Brings the database to the version this code knows (the baseline and `steps`, by default SCHEMA_STEPS), under the
 * write lock: an empty one gets the baseline, then every step it lacks runs once. True when this call changed it.
 */
export async function ensurePostgresSchema(
  engine: SqlEngine,
  steps: readonly SchemaStep[] = SCHEMA_STEPS,
): Promise<boolean> {
  const target = BASELINE_VERSION + steps.length;
  return engine.write(async (tx) => {
    let version = await versionIn(tx, engine.location);
    if (version > target) throw newer(engine.location, version);
    if (version === target) return false;
    if (version === 0) {
      await tx.exec(baselineSchema('postgresql'));
      await tx.run('INSERT INTO meta (key, value) VALUES (?, ?)', VERSION_KEY, String(BASELINE_VERSION));
      version = BASELINE_VERSION;
    }
    for (; version < target; version++) await runStepOnPostgres(tx, steps[version - BASELINE_VERSION]!);
    await tx.run('UPDATE meta SET value = ? WHERE key = ?', String(target), VERSION_KEY);
    return true;
  });
}

/** Rows a derived-columns fill writes per statement. */
const FILL_BATCH = 1000;

/** A shared step on PostgreSQL: its script, then the derived columns of the rows already there, in batches. */
export async function runStepOnPostgres(tx: SqlQueryable, step: SchemaStep): Promise<void> {
  await tx.exec(step.sql(DIALECTS.postgresql));
  const derive = step.derive;
  if (!derive) return;
  const rows = await tx.all<Record<string, string | number>>(
    `SELECT id, ${derive.from.join(', ')} FROM ${derive.table}`,
  );
  const width = derive.to.length + 1;
  for (let at = 0; at < rows.length; at += FILL_BATCH) {
    const batch = rows.slice(at, at + FILL_BATCH);
    const tuples = batch.map(() => `(CAST(? AS BIGINT)${', ?'.repeat(width - 1)})`).join(', ');
    const values = batch.flatMap((row) => [row.id!, ...derive.compute(derive.from.map((c) => String(row[c])))]);
    await tx.run(
      `UPDATE ${derive.table} AS t SET ${derive.to.map((c) => `${c} = v.${c}`).join(', ')} ` +
        `FROM (VALUES ${tuples}) AS v(id, ${derive.to.join(', ')}) WHERE t.id = v.id`,
      ...values,
    );
  }
}
