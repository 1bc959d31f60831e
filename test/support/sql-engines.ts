/**
 * The users database's two engines, for suites that must behave the same on both: SQLite on a file in a fresh
 * folder, PostgreSQL on a fresh database in the run's private cluster (test/support/postgres.ts). Every
 * engine opened here is closed when the test ends.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { inject, onTestFinished } from 'vitest';
import { parseDatabaseSetting } from '../../shared/database-setting.ts';
import { PostgresEngine, type PostgresTarget } from '../../electron/core/database/engine/postgres-engine.ts';
import type { EngineName, SqlEngine } from '../../electron/core/database/engine/sql-engine.ts';
import { SqliteEngine } from '../../electron/core/database/engine/sqlite-engine.ts';
import { ensurePostgresSchema } from '../../electron/core/database/postgres-schema.ts';
import { openUsersDatabase } from '../../electron/core/database/users-database.ts';
import { createTestDatabase } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

export interface EngineCase {
  name: EngineName;
  /** Null when this engine cannot run here (the reason was printed by the global setup). */
  available: () => boolean;
  /** A fresh, empty database; `connect` opens another connection to it (another process or node). */
  fresh: () => Promise<{ engine: SqlEngine; connect: () => Promise<SqlEngine> }>;
  /** A fresh users database (the product's schema); `connect` opens it again, as another process or node would. */
  usersDatabase: () => Promise<{ engine: SqlEngine; connect: () => Promise<SqlEngine> }>;
}

function closing<T extends SqlEngine>(engine: T): T {
  onTestFinished(() => engine.close());
  return engine;
}

export const ENGINE_CASES: EngineCase[] = [
  {
    name: 'sqlite',
    available: () => true,
    fresh: async () => {
      const file = path.join(tempDir(), 'users.sqlite');
      const connect = async () => {
        const db = new DatabaseSync(file, { timeout: 10_000 });
        db.exec('PRAGMA journal_mode = WAL');
        return closing(new SqliteEngine(db, file));
      };
      return { engine: await connect(), connect };
    },
    usersDatabase: async () => {
      const file = path.join(tempDir(), 'users.sqlite');
      const connect = async () => {
        const opened = openUsersDatabase(file);
        onTestFinished(() => opened.close());
        return opened.engine;
      };
      return { engine: await connect(), connect };
    },
  },
  {
    name: 'postgresql',
    available: () => inject('postgres') !== null,
    fresh: async () => {
      const parsed = parseDatabaseSetting(await createTestDatabase(inject('postgres')!));
      if (!parsed.ok) throw new Error(parsed.error);
      const target = parsed.target as PostgresTarget;
      const connect = async () => closing(new PostgresEngine(target));
      return { engine: await connect(), connect };
    },
    usersDatabase: async () => {
      const database = await ENGINE_CASES[1]!.fresh();
      await ensurePostgresSchema(database.engine);
      return database;
    },
  },
];
