/**
 * Copying a users database from its SQLite file into an empty PostgreSQL database: every table arrives as it was,
 * the source is only read, a database that is not empty is refused and left as it was.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { addLocalAccount, setLocalPassword } from '../../../../electron/core/accounts/local-accounts.ts';
import { setOuPermissions } from '../../../../electron/core/accounts/ou-permissions.ts';
import { COPIED_TABLES, copyDatabase } from '../../../../electron/core/database/copy-database.ts';
import type { SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import { SCHEMA_VERSION } from '../../../../electron/core/database/schema.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { LockoutGuard } from '../../../../electron/core/extauth/lockout-guard.ts';
import { beginRun, endRun } from '../../../../electron/core/import/run-history.ts';
import { emptyCounts } from '../../../../shared/import-run.ts';
import { databaseContent } from '../../../support/users-db.ts';
import { describeOnPostgres, ENGINE_CASES } from '../../../support/sql-engines.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const postgres = ENGINE_CASES.find((c) => c.name === 'postgresql')!;

/** A SQLite users database with something in every table the copy carries, made the way the product makes it. */
async function richSqliteDatabase() {
  const file = path.join(tempDir(), 'users.sqlite');
  const opened = openUsersDatabase(file);
  const { engine } = opened;
  const db = opened.db!;
  await addLocalAccount(
    engine,
    { logon: 'zoë', ou: 'Staff/Sales', displayName: 'Zoë Ångström', email: 'zoe@corp.test' },
    'console',
  );
  await addLocalAccount(
    engine,
    { logon: 'Дмитриева', ou: 'Staff/HR', displayName: 'Анна\tДмитриева', email: '' },
    'console',
  );
  await setLocalPassword(engine, 'zoë', 'Local!Passw0rd-1', 'console');
  await setOuPermissions(engine, 'Staff/Sales', ['Staff/HR'], 'console');
  const run = await beginRun(engine, {
    mode: 'sync',
    source: 'users in OU Staff',
    startedBy: 'service',
    incremental: false,
    dc: 'dc1.corp.example.test',
    startedAt: new Date().toISOString(),
  });
  db.prepare(
    'INSERT INTO accounts (logon, logon_key, display_name, enabled, kind, ou_id, origin, ad_guid, ad_dn, ad_usn, ' +
      "created_at, updated_at, photo, photo_usn) VALUES ('ann', 'ann', 'Ann \\\\ Back', 1, 'user', 1, 'ad', " +
      "'11111111-2222-3333-4444-555555555555', 'CN=Ann,OU=Staff,DC=corp,DC=example,DC=test', 4294967396, " +
      "'2026-12-05T10:00:00.000Z', '2026-12-05T10:00:00.000Z', '/9j/4AAQSkZJRgABAQ+/==', 4294967396)",
  ).run();
  db.prepare(
    "INSERT INTO run_actions (run_id, seq, action, logon, changes, reason) VALUES (?, 1, 'create', 'ann', ?, ?)",
  ).run(run, JSON.stringify({ title: { from: '', to: 'Line\nbreak' } }), 'new in AD');
  await endRun(engine, run, {
    status: 'succeeded',
    source: 'users in OU Staff',
    incremental: false,
    dc: 'dc1.corp.example.test',
    counts: { ...emptyCounts(), created: 1 },
    error: null,
    backup: null,
  });
  db.exec(
    "INSERT INTO sync_marks VALUES ('src', 'dc1', 'inv-1', 4294967396, 3, '2026-12-05T10:00:00.000Z', 1733392800000);" +
      "INSERT INTO dc_marks VALUES ('src', 'inv-1', 'dc1', 4294967396, '2026-12-05T10:00:00.000Z');" +
      "INSERT INTO refused_passwords VALUES ('corp\\svc', 'CORP\\svc', 'scrypt$x', 'dc1', 'now', " +
      "'invalid-credentials', 'data 52e');" +
      "INSERT INTO published_groups VALUES ('adc-2', 'Staff / Sales', 'adc-2\\nadc-3');" +
      "INSERT INTO published_members VALUES ('adc-2', 'zoë');" +
      "INSERT INTO published_vcards VALUES ('zoë', 'rev-1');" +
      "UPDATE publish_state SET host = 'corp.example.test', published_revision = 7, last_counts = '{}';" +
      "UPDATE sync_state SET failures = 2, last_error = 'DC gone';",
  );
  const guard = new LockoutGuard(engine, () => 1_733_392_800_000);
  await guard.failed('ann', (await guard.take('ann', 60_000))!, 60_000);
  return { file, opened };
}

/** A table's rows, in a stable order (the schema version is PostgreSQL's own meta row; SQLite keeps it aside). */
async function rowsOf(q: SqlQueryable, table: string) {
  const where = table === 'meta' ? " WHERE key <> 'schema_version'" : '';
  return (await q.all(`SELECT * FROM ${table}${where}`)).map((r) => JSON.stringify(r)).sort();
}

describeOnPostgres('copying the users database into PostgreSQL', () => {
  it('carries every table row for row, continues the ids after the copied ones, only reads the source', async () => {
    const { file, opened } = await richSqliteDatabase();
    const before = databaseContent(file);
    const { engine: target } = await postgres.fresh();
    const counts = await copyDatabase(opened.db!, target);
    expect(counts).toMatchObject({ accounts: 3, ous: 4, import_runs: 5, logon_failures: 1, published_members: 1 });
    expect(counts.ou_visibility).toBeGreaterThan(0);
    for (const table of COPIED_TABLES)
      expect({ table, rows: await rowsOf(target, table) }).toEqual({ table, rows: await rowsOf(opened.engine, table) });
    expect(await target.get("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual({
      value: String(SCHEMA_VERSION),
    });
    const next = await target.get<{ id: number }>(
      "INSERT INTO ous (parent_id, name, name_key, created_at) VALUES (NULL, 'New', 'new', 'now') RETURNING id",
    );
    expect(next!.id).toBe(
      Math.max(...(await opened.engine.all<{ id: number }>('SELECT id FROM ous')).map((o) => o.id)) + 1,
    );
    expect(databaseContent(file)).toBe(before);
    opened.close();
  });

  it('refuses a database that is not empty and leaves it exactly as it was', async () => {
    const { opened } = await richSqliteDatabase();
    const { engine: target } = await postgres.fresh();
    await target.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (42)');
    await expect(copyDatabase(opened.db!, target)).rejects.toMatchObject({
      code: 'database-not-empty',
      message: expect.stringMatching(/is not empty \(it has the tables invoices\)\. Nothing was copied\./),
    });
    expect(
      await target.all('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()'),
    ).toEqual([{ table_name: 'invoices' }]);
    // A second copy into a database the first one filled is refused the same way.
    const { engine: filled } = await postgres.fresh();
    await copyDatabase(opened.db!, filled);
    await expect(copyDatabase(opened.db!, filled)).rejects.toMatchObject({ code: 'database-not-empty' });
    expect(await filled.get('SELECT count(*) AS n FROM accounts')).toEqual({ n: 3 });
    opened.close();
  });
});
