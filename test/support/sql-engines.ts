/**
 * The users database's two engines, for suites that must behave the same on both: SQLite on a file in a fresh
 * folder, PostgreSQL on a fresh database in the run's private cluster (test/support/postgres.ts). What is opened
 * here is closed when the test ends — or, opened in a suite's beforeAll, by `closeSuiteDatabases` in its afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, inject, it, onTestFinished } from 'vitest';
import { parseDatabaseSetting } from '../../shared/database-setting.ts';
import { PostgresEngine, type PostgresTarget } from '../../electron/core/database/engine/postgres-engine.ts';
import type { EngineName, SqlEngine } from '../../electron/core/database/engine/sql-engine.ts';
import { SqliteEngine } from '../../electron/core/database/engine/sqlite-engine.ts';
import { ensurePostgresSchema } from '../../electron/core/database/postgres-schema.ts';
import { openUsersDatabase } from '../../electron/core/database/users-database.ts';
import { createTestDatabase } from './postgres.ts';

type Opened = { engine: SqlEngine; connect: () => Promise<SqlEngine> };

export interface EngineCase {
  name: EngineName;
  /** False when this engine cannot run here (the reason was printed by the global setup). */
  available: () => boolean;
  /** A fresh, empty database; `connect` opens another connection to it (another process or node). */
  fresh: () => Promise<Opened>;
  /** A fresh users database (the product's schema); `connect` opens it again, as another process or node would. */
  usersDatabase: () => Promise<Opened>;
}

const suiteCleanups: (() => void | Promise<void>)[] = [];

/** Inside a test: when it ends; otherwise (a suite's beforeAll): at closeSuiteDatabases. */
function atEnd(cleanup: () => void | Promise<void>): void {
  try {
    onTestFinished(cleanup);
  } catch {
    suiteCleanups.push(cleanup);
  }
}

/** Closes what a suite's beforeAll opened here; call it from the suite's afterAll. */
export async function closeSuiteDatabases(): Promise<void> {
  for (const cleanup of suiteCleanups.splice(0)) await cleanup();
}

function freshFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adconsole-engine-'));
  atEnd(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function closing<T extends SqlEngine>(engine: T): T {
  atEnd(() => engine.close());
  return engine;
}

async function freshPostgres(): Promise<Opened> {
  const parsed = parseDatabaseSetting(await createTestDatabase(inject('postgres')!));
  if (!parsed.ok) throw new Error(parsed.error);
  const target = parsed.target as PostgresTarget;
  const connect = async () => closing(new PostgresEngine(target));
  return { engine: await connect(), connect };
}

export const ENGINE_CASES: EngineCase[] = [
  {
    name: 'sqlite',
    available: () => true,
    fresh: async () => {
      const file = path.join(freshFolder(), 'users.sqlite');
      const connect = async () => {
        const db = new DatabaseSync(file, { timeout: 10_000 });
        db.exec('PRAGMA journal_mode = WAL');
        return closing(new SqliteEngine(db, file));
      };
      return { engine: await connect(), connect };
    },
    usersDatabase: async () => {
      const file = path.join(freshFolder(), 'users.sqlite');
      const connect = async () => {
        const opened = openUsersDatabase(file);
        atEnd(() => opened.close());
        return opened.engine;
      };
      return { engine: await connect(), connect };
    },
  },
  {
    name: 'postgresql',
    available: () => inject('postgres') !== null,
    fresh: freshPostgres,
    usersDatabase: async () => {
      const database = await freshPostgres();
      await ensurePostgresSchema(database.engine);
      return database;
    },
  },
];

/**
 * A suite run once per engine ("$name" in the title names it); an engine that cannot run here is one skipped test
 * that says so.
 */
/** A suite that needs the PostgreSQL server; without one it is one skipped test that says why. */
export function describeOnPostgres(title: string, body: () => void): void {
  describe(title, () => {
    if (inject('postgres') === null) {
      it.skip('cannot run: PostgreSQL is missing (the test setup printed why)', () => {});
      return;
    }
    body();
  });
}

export function describeOnEngines(title: string, body: (engine: EngineCase) => void): void {
  describe.each(ENGINE_CASES)(title, (engine) => {
    if (!engine.available()) {
      it.skip(`cannot run: ${engine.name} is missing (the test setup printed why)`, () => {});
      return;
    }
    body(engine);
  });
}
