/**
 * The one list of schema steps after the baseline, on both engines: a step runs once, under the write lock,
 * whichever opener comes first; code that does not know a step refuses the database it made, untouched.
 */
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { PostgresEngine, type PostgresTarget } from '../../../../electron/core/database/engine/postgres-engine.ts';
import { ensurePostgresSchema } from '../../../../electron/core/database/postgres-schema.ts';
import { BASELINE_VERSION, SCHEMA_STEPS, type SchemaStep } from '../../../../electron/core/database/schema-baseline.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { parseDatabaseSetting } from '../../../../shared/database-setting.ts';
import { orderKey } from '../../../../shared/order-key.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { describeOnPostgres } from '../../../support/sql-engines.ts';
import { sql } from '../../../support/users-db.ts';
import { tempDir } from '../../../support/temp-dir.ts';

/** A step as a release would add one: a table, and a row that says it was made once. */
const STEP: SchemaStep = {
  sql: (d) =>
    `CREATE TABLE step_probe (id ${d.int} PRIMARY KEY, note ${d.text} NOT NULL);
     INSERT INTO step_probe (id, note) VALUES (1, 'made once');`,
};
/** The steps of a release after this one: today's, and the probe. */
const STEPS = [...SCHEMA_STEPS, STEP];
const NEXT = BASELINE_VERSION + STEPS.length;

it('takes a SQLite file from the baseline through a new step once; older code then refuses it', () => {
  const file = path.join(tempDir(), 'users.sqlite');
  openUsersDatabase(file).close();
  for (let i = 0; i < 2; i++) openUsersDatabase(file, { steps: STEPS }).close();
  expect(sql(file, 'PRAGMA user_version')).toEqual([{ user_version: NEXT }]);
  expect(sql(file, 'SELECT note FROM step_probe')).toEqual([{ note: 'made once' }]);
  expect(() => openUsersDatabase(file)).toThrow(
    new RegExp(`written by a newer AD Console \\(schema ${NEXT}; this version reads up to schema ${NEXT - 1}\\)`),
  );
});

/** Accounts written by a release at the baseline, without the order keys step 12 adds. */
const OLD_ACCOUNTS = [
  ['user10', 'Zoë Ten'],
  ['user9', 'Åke Nine'],
];
const insertOld = (logon: string, name: string) =>
  [
    'INSERT INTO accounts (logon, logon_key, display_name, enabled, kind, ou_id, origin, created_at, updated_at) ' +
      "VALUES (?, ?, ?, 1, 'user', 1, 'local', 't', 't')",
    logon,
    logon,
    name,
  ] as const;
const FILLED = [
  { logon: 'user10', logon_order: orderKey('user10'), name_order: orderKey('Zoë Ten') },
  { logon: 'user9', logon_order: orderKey('user9'), name_order: orderKey('Åke Nine') },
];

it("fills step 12's order keys for the accounts a SQLite file at the baseline already holds", () => {
  const file = path.join(tempDir(), 'users.sqlite');
  openUsersDatabase(file, { steps: [] }).close();
  for (const [logon, name] of OLD_ACCOUNTS) sql(file, ...insertOld(logon!, name!));
  openUsersDatabase(file).close();
  expect(sql(file, 'SELECT logon, logon_order, name_order FROM accounts ORDER BY logon')).toEqual(FILLED);
  expect(sql(file, 'SELECT logon FROM accounts ORDER BY logon_order')).toEqual([
    { logon: 'user9' },
    { logon: 'user10' },
  ]);
});

describeOnPostgres('schema steps on PostgreSQL', () => {
  it("fills step 12's order keys for the accounts a database at the baseline already holds", async () => {
    const parsed = parseDatabaseSetting(await createTestDatabase(inject('postgres')!));
    if (!parsed.ok) throw new Error(parsed.error);
    const node = new PostgresEngine(parsed.target as PostgresTarget);
    try {
      await ensurePostgresSchema(node, []);
      for (const [logon, name] of OLD_ACCOUNTS) await node.run(...insertOld(logon!, name!));
      expect(await ensurePostgresSchema(node)).toBe(true);
      expect(await node.all('SELECT logon, logon_order, name_order FROM accounts ORDER BY logon')).toEqual(FILLED);
    } finally {
      await node.close();
    }
  });

  it("leaves half of each accounts page free, new or upgraded: a sync's marks rewrite rows in place", async () => {
    const fillfactor = async (node: PostgresEngine) =>
      (await node.get<{ options: string[] | null }>(
        "SELECT reloptions AS options FROM pg_class WHERE relname = 'accounts'",
      ))!.options;
    const open = async () => {
      const parsed = parseDatabaseSetting(await createTestDatabase(inject('postgres')!));
      if (!parsed.ok) throw new Error(parsed.error);
      return new PostgresEngine(parsed.target as PostgresTarget);
    };
    const fresh = await open();
    const upgraded = await open();
    try {
      await ensurePostgresSchema(fresh);
      expect(await fillfactor(fresh)).toEqual(['fillfactor=50']);
      // A database of the release before step 13 has full pages; the upgrade changes the setting, not its rows.
      await ensurePostgresSchema(upgraded, SCHEMA_STEPS.slice(0, 1));
      expect(await fillfactor(upgraded)).toBeNull();
      await upgraded.run(...insertOld('user9', 'Åke Nine'));
      expect(await ensurePostgresSchema(upgraded)).toBe(true);
      expect(await fillfactor(upgraded)).toEqual(['fillfactor=50']);
      expect(await upgraded.all('SELECT logon FROM accounts')).toEqual([{ logon: 'user9' }]);
      // Rows rewritten in columns no index holds stay on their pages (heap-only updates), as the marks rewrite them.
      for (let n = 0; n < 200; n++) await fresh.run(...insertOld(`user${n}`, `User ${n}`));
      const pages = () =>
        fresh.all<{ logon: string; page: string }>(
          "SELECT logon, split_part(trim(both '()' from ctid::text), ',', 1) AS page FROM accounts ORDER BY logon",
        );
      const before = await pages();
      expect(new Set(before.map((r) => r.page)).size).toBeGreaterThan(1);
      await fresh.run("UPDATE accounts SET synced_at = 'now', photo = '' WHERE origin = 'local'");
      const after = await pages();
      // With full pages (no step 13) a rewritten row moves, except on the last page; here nearly all stay.
      const stayed = after.filter((r, i) => r.page === before[i]!.page).length;
      expect(stayed).toBeGreaterThanOrEqual(0.8 * before.length);
    } finally {
      await fresh.close();
      await upgraded.close();
    }
  });

  it('runs a new step once when four nodes open the database at once; older code then refuses it', async () => {
    const url = await createTestDatabase(inject('postgres')!);
    const parsed = parseDatabaseSetting(url);
    if (!parsed.ok) throw new Error(parsed.error);
    const nodes = Array.from({ length: 4 }, () => new PostgresEngine(parsed.target as PostgresTarget));
    try {
      expect(await ensurePostgresSchema(nodes[0]!)).toBe(true); // the baseline and today's steps
      const changed = await Promise.all(nodes.map((n) => ensurePostgresSchema(n, STEPS)));
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
      expect(await ensurePostgresSchema(fresh, STEPS)).toBe(true);
      expect(await fresh.all('SELECT note FROM step_probe')).toEqual([{ note: 'made once' }]);
    } finally {
      for (const n of nodes) await n.close();
    }
  });
});
