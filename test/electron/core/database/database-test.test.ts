/** Check users database (Advanced settings, bcscmd /TEST): each step on a real PostgreSQL server and SQLite file. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { testUsersDatabase } from '../../../../electron/core/database/database-test.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { PostgresEngine, type PostgresTarget } from '../../../../electron/core/database/engine/postgres-engine.ts';
import { parseDatabaseSetting } from '../../../../shared/database-setting.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { describeOnPostgres } from '../../../support/sql-engines.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const at = (url: string) => ({ file: path.join(tempDir(), 'users.sqlite'), url, passwordFile: '' });
const steps = (r: Awaited<ReturnType<typeof testUsersDatabase>>) => r.steps.map((s) => `${s.name} ${s.ok}`);

describeOnPostgres('checking a PostgreSQL users database', () => {
  it('says an empty database gets its schema at first use, and a used one has this version’s', async () => {
    const url = await createTestDatabase(inject('postgres')!);
    const empty = await testUsersDatabase(at(url));
    expect(steps(empty)).toEqual(['db-connect true', 'db-schema true', 'db-rights true']);
    expect(empty.steps[1]!.detail).toMatch(/empty: the first node that opens it creates schema \d+/);
    const opened = openUsersDatabase(at(url));
    await opened.engine.get('SELECT 1 AS one');
    opened.close();
    const used = await testUsersDatabase(at(url));
    expect(used.ok).toBe(true);
    expect(used.steps[1]!.detail).toMatch(/AD Console's schema \d+, the one this version uses/);
    expect(used.steps[2]!.detail).toMatch(/may read and write all \d+ tables/);
  });

  it("refuses another program's database at the schema step, naming its tables, and changes nothing", async () => {
    const url = await createTestDatabase(inject('postgres')!);
    const parsed = parseDatabaseSetting(url);
    if (!parsed.ok) throw new Error(parsed.error);
    const other = new PostgresEngine(parsed.target as PostgresTarget);
    await other.exec('CREATE TABLE invoices (id int)');
    const report = await testUsersDatabase(at(url));
    expect(report.ok).toBe(false);
    expect(report.steps[1]).toMatchObject({ name: 'db-schema', ok: false, code: 'database-unreadable' });
    expect(report.summary).toMatch(/failed at the "db-schema" step\. .*another program \(invoices\)/);
    expect(await other.all("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([
      { table_name: 'invoices' },
    ]);
    await other.close();
  });

  it('stops at the connect step with the reason when the database does not exist', async () => {
    const report = await testUsersDatabase(at(`postgresql://adconsole@127.0.0.1:${inject('postgres')!.port}/nowhere`));
    expect(steps(report)).toEqual(['db-connect false']);
    expect(report.steps[0]).toMatchObject({ code: 'database-missing', hint: expect.stringMatching(/CREATE DATABASE/) });
  });
});

it('checks a SQLite users database: to be created, then its schema; an unwritable folder is said', async () => {
  const location = { file: path.join(tempDir(), 'users.sqlite'), url: '', passwordFile: '' };
  const fresh = await testUsersDatabase(location);
  expect(steps(fresh)).toEqual(['db-connect true']);
  expect(fresh.steps[0]!.detail).toMatch(/will be .*users\.sqlite, created at first use/);
  openUsersDatabase(location.file).close();
  expect(steps(await testUsersDatabase(location))).toEqual(['db-connect true', 'db-schema true']);
  fs.writeFileSync(location.file, 'not a database at all, but a file with that name');
  const damaged = await testUsersDatabase(location);
  expect(damaged.steps[1]).toMatchObject({ ok: false, code: 'database-unreadable' });
});
