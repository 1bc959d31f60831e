/**
 * The one list of schema steps after the baseline, on both engines: a step runs once, under the write lock,
 * whichever opener comes first; code that does not know a step refuses the database it made, untouched.
 */
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { PostgresEngine, type PostgresTarget } from '../../../../electron/core/database/engine/postgres-engine.ts';
import { ensurePostgresSchema } from '../../../../electron/core/database/postgres-schema.ts';
import { BASELINE_VERSION, type SchemaStep } from '../../../../electron/core/database/schema-baseline.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { parseDatabaseSetting } from '../../../../shared/database-setting.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { describeOnPostgres } from '../../../support/sql-engines.ts';
import { sql } from '../../../support/users-db.ts';
import { tempDir } from '../../../support/temp-dir.ts';

/** A step as a release would add one: a table, and a row that says it was made once. */
const STEP: SchemaStep = (d) =>
  `CREATE TABLE step_probe (id ${d.int} PRIMARY KEY, note ${d.text} NOT NULL);
   INSERT INTO step_probe (id, note) VALUES (1, 'made once');`;
const NEXT = BASELINE_VERSION + 1;

it('takes a SQLite file from the baseline through a new step once; older code then refuses it', () => {
  const file = path.join(tempDir(), 'users.sqlite');
  openUsersDatabase(file).close();
  for (let i = 0; i < 2; i++) openUsersDatabase(file, { steps: [STEP] }).close();
  expect(sql(file, 'PRAGMA user_version')).toEqual([{ user_version: NEXT }]);
  expect(sql(file, 'SELECT note FROM step_probe')).toEqual([{ note: 'made once' }]);
  expect(() => openUsersDatabase(file)).toThrow(
    new RegExp(
      `written by a newer AD Console \\(schema ${NEXT}; this version reads up to schema ${BASELINE_VERSION}\\)`,
    ),
  );
});

describeOnPostgres('schema steps on PostgreSQL', () => {
  it('runs a new step once when four nodes open the database at once; older code then refuses it', async () => {
    const url = await createTestDatabase(inject('postgres')!);
    const parsed = parseDatabaseSetting(url);
    if (!parsed.ok) throw new Error(parsed.error);
    const nodes = Array.from({ length: 4 }, () => new PostgresEngine(parsed.target as PostgresTarget));
    try {
      expect(await ensurePostgresSchema(nodes[0]!)).toBe(true); // the baseline
      const changed = await Promise.all(nodes.map((n) => ensurePostgresSchema(n, [STEP])));
      expect(changed.filter(Boolean)).toHaveLength(1);
      expect(await nodes[1]!.all('SELECT note FROM step_probe')).toEqual([{ note: 'made once' }]);
      expect(await nodes[2]!.get("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual({
        value: String(NEXT),
      });
      await expect(ensurePostgresSchema(nodes[3]!)).rejects.toThrow(/written by a newer AD Console \(schema \d+/);
      // A new database gets the baseline and every step in one go.
      const fresh = new PostgresEngine(
        (parseDatabaseSetting(await createTestDatabase(inject('postgres')!)) as { target: PostgresTarget }).target,
      );
      nodes.push(fresh);
      expect(await ensurePostgresSchema(fresh, [STEP])).toBe(true);
      expect(await fresh.all('SELECT note FROM step_probe')).toEqual([{ note: 'made once' }]);
    } finally {
      for (const n of nodes) await n.close();
    }
  });
});
