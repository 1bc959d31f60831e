/**
 * Test database (Advanced settings, bcscmd /TEST): can this node use the users database the settings name — it
 * answers (and how the connection is protected), its schema is one this version reads (or it is empty and will get
 * one), and the login may do what the product does there. Reads only: nothing is created or changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestReport, TestStep } from '../../../shared/contract.ts';
import { timedStep } from '../timed-step.ts';
import { Failure } from '../failure.ts';
import { COPIED_TABLES } from './copy-database.ts';
import { explainDatabaseError, newer, unreadable } from './database-errors.ts';
import type { PostgresEngine } from './engine/postgres-engine.ts';
import { connectPostgres } from './postgres-database.ts';
import { VERSION_KEY } from './postgres-schema.ts';
import { SCHEMA_VERSION } from './schema.ts';
import type { DatabaseLocation } from './users-database.ts';

function report(steps: TestStep[], where: string): TestReport {
  const failed = steps.find((s) => !s.ok);
  return {
    ok: !failed,
    steps,
    summary: failed
      ? `Test database failed at the "${failed.name}" step. ${failed.detail} ${failed.hint ?? ''}`.trim()
      : `Test database succeeded: this node can use the users database ${where}.`,
  };
}

export async function testUsersDatabase(location: DatabaseLocation): Promise<TestReport> {
  return location.url ? testPostgres(location) : testSqlite(location.file);
}

function noRights(where: string, what: string): Failure {
  return new Failure(
    'database-no-rights',
    `The login may not ${what} in the users database ${where}.`,
    'Make the login the owner of the database (ALTER DATABASE … OWNER TO <user>), or grant it what is missing.',
  );
}

async function testPostgres(location: DatabaseLocation): Promise<TestReport> {
  const steps: TestStep[] = [];
  let engine: PostgresEngine | null = null;
  const where = location.url;
  try {
    const connect = await timedStep('db-connect', async () => {
      try {
        engine = connectPostgres(location.url, location.passwordFile);
        const server = (await engine.get<{ version: string; ssl: boolean | null; cipher: string | null }>(
          "SELECT current_setting('server_version') AS version, s.ssl, s.version AS cipher FROM pg_stat_ssl s " +
            'WHERE s.pid = pg_backend_pid()',
        ))!;
        const tls = server.ssl
          ? `encrypted (${server.cipher}), the server's certificate verified as the URL asks`
          : 'not encrypted (this machine only)';
        return { detail: `PostgreSQL ${server.version} answers at ${engine.location}; the connection is ${tls}.` };
      } catch (err) {
        throw explainDatabaseError(err, where);
      }
    });
    steps.push(connect);
    if (!connect.ok) return report(steps, where);
    const db = engine!;
    let empty = false;
    steps.push(
      await timedStep('db-schema', async () => {
        const tables = await db.all<{ name: string }>(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
        );
        empty = tables.length === 0;
        if (empty)
          return { detail: `The database is empty: the first node that opens it creates schema ${SCHEMA_VERSION}.` };
        if (!tables.some((t) => t.name === 'meta'))
          throw unreadable(where, `it holds tables of another program (${tables.map((t) => t.name).join(', ')})`);
        const row = await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', VERSION_KEY);
        if (!row) throw unreadable(where, 'it has a meta table but no AD Console schema version');
        if (Number(row.value) > SCHEMA_VERSION) throw newer(where, Number(row.value));
        return { detail: `AD Console's schema ${row.value}, the one this version uses.` };
      }),
    );
    if (!steps.at(-1)!.ok) return report(steps, where);
    steps.push(
      await timedStep('db-rights', async () => {
        const can = async (sql: string, ...params: string[]) =>
          (await db.get<{ ok: boolean }>(`SELECT ${sql} AS ok`, ...params))!.ok;
        if (!(await can("has_database_privilege(current_database(), 'TEMP')")))
          throw noRights(where, 'create temporary tables (imports stage their rows in them)');
        if (empty) {
          if (!(await can("has_schema_privilege(current_schema(), 'CREATE')")))
            throw noRights(where, 'create the tables');
          return { detail: 'The login may create the tables, and the temporary tables imports use.' };
        }
        const lacking: string[] = [];
        for (const table of COPIED_TABLES)
          if (!(await can("has_table_privilege(?, 'SELECT, INSERT, UPDATE, DELETE')", table))) lacking.push(table);
        if (lacking.length) throw noRights(where, `read and write ${lacking.join(', ')}`);
        return { detail: `The login may read and write all ${COPIED_TABLES.length} tables, and use temporary tables.` };
      }),
    );
    return report(steps, where);
  } finally {
    await (engine as PostgresEngine | null)?.close();
  }
}

async function testSqlite(file: string): Promise<TestReport> {
  const steps: TestStep[] = [];
  const folder = path.dirname(file);
  steps.push(
    await timedStep('db-connect', async () => {
      const exists = fs.existsSync(file);
      try {
        fs.accessSync(exists ? file : folder, fs.constants.W_OK);
      } catch {
        throw new Failure(
          'database-failed',
          `${exists ? file : folder} is not writable by this account: the users database cannot be written.`,
          'Give the account that runs AD Console write access to the data folder.',
        );
      }
      return {
        detail: exists
          ? `The users database is ${file} (${Math.round(fs.statSync(file).size / 1024)} KB), on this machine.`
          : `The users database will be ${file}, created at first use.`,
      };
    }),
  );
  if (fs.existsSync(file))
    steps.push(
      await timedStep('db-schema', async () => {
        let db: DatabaseSync;
        try {
          db = new DatabaseSync(file, { readOnly: true });
        } catch (err) {
          throw unreadable(file, (err as Error).message);
        }
        try {
          const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
          if (version > SCHEMA_VERSION) throw newer(file, version);
          return {
            detail:
              version === SCHEMA_VERSION
                ? `AD Console's schema ${version}, the one this version uses.`
                : `Schema ${version}: the first process to open it upgrades it to ${SCHEMA_VERSION}, keeping a copy.`,
          };
        } catch (err) {
          throw err instanceof Failure
            ? err
            : unreadable(file, `it is not a SQLite database (${(err as Error).message})`);
        } finally {
          db.close();
        }
      }),
    );
  return report(steps, file);
}
