/** The users database on a real SQLite file: schema, rules the file itself enforces, upgrades and refusals. */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../electron/core/database/schema.ts';
import { explainDatabaseError, openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { addLocalAccount, sql } from '../../../support/users-db.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function fresh(): string {
  const file = path.join(tempDir(), 'users.sqlite');
  openUsersDatabase(file).close();
  return file;
}

describe('the users database file', () => {
  it('is created with the current schema, in WAL mode, with the built-in _Default OU', () => {
    const file = fresh();
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT name, builtin FROM ous').all()).toEqual([{ name: '_Default', builtin: 1 }]);
    db.close();
  });

  it('is created with 16 KB pages, and an existing file keeps the pages it has', () => {
    const pageSize = (file: string) => {
      const db = new DatabaseSync(file, { readOnly: true });
      const size = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
      db.close();
      return size;
    };
    expect(pageSize(fresh())).toBe(16_384);
    // A file an older version made, with SQLite's default pages: opened, upgraded, used — its pages stay 4 KB.
    const file = path.join(tempDir(), 'users.sqlite');
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0] as string);
    old.exec('PRAGMA user_version = 1');
    old.close();
    expect(pageSize(file)).toBe(4096);
    openUsersDatabase(file).close();
    addLocalAccount(file, 'jdoe');
    expect(pageSize(file)).toBe(4096);
    expect(sql(file, "SELECT logon FROM accounts WHERE logon = 'jdoe'")).toEqual([{ logon: 'jdoe' }]);
  });

  it('refuses to delete or rename _Default', () => {
    const file = fresh();
    expect(() => sql(file, 'DELETE FROM ous WHERE id = 1')).toThrow(/_Default cannot be deleted/);
    expect(() => sql(file, "UPDATE ous SET name = 'Other' WHERE id = 1")).toThrow(/cannot be renamed/);
  });

  it('keeps logon names unique regardless of case', () => {
    const file = fresh();
    addLocalAccount(file, 'jdoe');
    expect(() => addLocalAccount(file, 'JDoe')).toThrow(/UNIQUE/);
  });

  it('refuses an AD GUID on a local account', () => {
    const file = fresh();
    expect(() =>
      sql(
        file,
        'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, ' +
          "updated_at) VALUES ('x', 'x', 1, 'user', 1, 'local', 'g', 'now', 'now')",
      ),
    ).toThrow(/CHECK/);
  });

  it('upgrades an older file, keeping its accounts, after copying it aside', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0] as string);
    old.exec('PRAGMA user_version = 1');
    old.exec(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, created_at, updated_at) VALUES ' +
        "('kept', 'kept', 1, 'user', 1, 'local', 'then', 'then')",
    );
    old.close();
    const database = openUsersDatabase(file);
    expect(database.upgradeBackup).toMatch(new RegExp(`users\\.before-upgrade-to-${SCHEMA_VERSION}-.*\\.sqlite$`));
    database.close();
    expect(sql(file, 'SELECT logon FROM accounts')).toEqual([{ logon: 'kept' }]);
    expect(sql(file, 'SELECT count(*) AS n FROM import_runs')).toEqual([{ n: 0 }]);
    expect(sql(database.upgradeBackup!, 'PRAGMA user_version')).toEqual([{ user_version: 1 }]);
    // Schema 4: local accounts may get a password, AD accounts never.
    expect(sql(file, "SELECT password_hash, last_logon_at FROM accounts WHERE logon = 'kept'")).toEqual([
      { password_hash: null, last_logon_at: null },
    ]);
    sql(file, "UPDATE accounts SET password_hash = 'scrypt$x' WHERE logon = 'kept'");
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('ad1', 'ad1', 1, 'user', 1, 'ad', 'g', 't', 't')",
    );
    expect(() => sql(file, "UPDATE accounts SET password_hash = 'scrypt$x' WHERE logon = 'ad1'")).toThrow(/CHECK/);
  });

  it('upgrading to schema 8 tells accounts disabled in AD from those gone from the source, by history', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const old = new DatabaseSync(file);
    for (const step of MIGRATIONS.slice(0, 7)) old.exec(step as string);
    old.exec('PRAGMA user_version = 7');
    const add = old.prepare(
      'INSERT INTO accounts (logon, logon_key, enabled, disabled_by, kind, ou_id, origin, ad_guid, created_at, ' +
        "updated_at) VALUES (?, ?, ?, ?, 'user', 1, ?, ?, 't', 't')",
    );
    add.run('inad', 'inad', 0, 'sync', 'ad', 'g1');
    add.run('gone', 'gone', 0, 'sync', 'ad', 'g2');
    add.run('kiosk', 'kiosk', 0, null, 'local', null);
    old.exec(
      "INSERT INTO import_runs (id, mode, source, started_by, started_at, finished_at, status) VALUES (1, 'sync', " +
        "'s', 'command-line', 't', 't', 'succeeded')",
    );
    const action = old.prepare(
      'INSERT INTO run_actions (run_id, seq, action, logon, ad_guid, reason) VALUES (1, ?, ?, ?, ?, ?)',
    );
    action.run(1, 'create', 'inad', 'g1', 'disabled in Active Directory: created disabled');
    action.run(2, 'disable', 'gone', 'g2', 'no longer in the import source (deleted in AD, …)');
    old.close();
    openUsersDatabase(file).close();
    expect(sql(file, 'SELECT logon, disabled_by FROM accounts ORDER BY logon')).toEqual([
      { logon: 'gone', disabled_by: 'sync' },
      { logon: 'inad', disabled_by: 'ad' },
      { logon: 'kiosk', disabled_by: 'admin' },
    ]);
  });

  it('refuses a file from a newer version and leaves it untouched', () => {
    const file = fresh();
    sql(file, `PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    sql(file, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(
      new RegExp(
        `newer AD Console \\(schema ${SCHEMA_VERSION + 5}; this version reads up to schema ` +
          `${SCHEMA_VERSION}\\)\\. It was left untouched`,
      ),
    );
    expect(hash(file)).toBe(before);
  });

  it('refuses a damaged file and leaves it untouched', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    fs.writeFileSync(file, crypto.randomBytes(8192));
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(
      /cannot be used: it is not a SQLite database or it is damaged.*left untouched/,
    );
    expect(hash(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['users.sqlite']);
  });

  it("refuses another program's SQLite file", () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const other = new DatabaseSync(file);
    other.exec('CREATE TABLE invoices (id INTEGER)');
    other.close();
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(/SQLite database of another program/);
    expect(hash(file)).toBe(before);
  });
});

describe('several openers at once', () => {
  const opener = path.resolve('electron/core/database/users-database.ts');

  it('does not create the schema twice when another process made it while this one waited for the lock', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    // This opener read "no schema yet"; before it takes the write lock, another process creates the file whole.
    const database = openUsersDatabase(file, { beforeMigrate: () => openUsersDatabase(file).close() });
    expect(database.db!.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(database.upgradeBackup).toBeNull();
    database.close();
    expect(sql(file, 'SELECT name FROM ous')).toEqual([{ name: '_Default' }]);
  });

  it('does not upgrade twice, nor copy the file aside twice, when another process upgraded it meanwhile', () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.sqlite');
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0] as string);
    old.exec('PRAGMA user_version = 1');
    old.close();
    let other: string | null = null;
    const database = openUsersDatabase(file, {
      beforeMigrate: () => {
        const first = openUsersDatabase(file);
        other = first.upgradeBackup;
        first.close();
      },
    });
    expect(other).toMatch(/before-upgrade-to-/);
    expect(database.upgradeBackup).toBeNull();
    database.close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('before-upgrade'))).toHaveLength(1);
  });

  it('keeps every run and its report when the history table is rebuilt by an upgrade', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const old = new DatabaseSync(file, { enableForeignKeyConstraints: true });
    old.exec(MIGRATIONS[0] as string);
    old.exec(MIGRATIONS[1] as string);
    old.exec('PRAGMA user_version = 2');
    old.exec(
      'INSERT INTO import_runs (id, mode, source, started_by, started_at, finished_at, status, created) VALUES ' +
        "(7, 'sync', 'users in OU=Staff', 'command-line', 'then', 'later', 'succeeded', 1)",
    );
    old.exec("INSERT INTO run_actions (run_id, seq, action, logon) VALUES (7, 1, 'create', 'jdoe')");
    old.close();
    openUsersDatabase(file).close();
    expect(sql(file, 'SELECT id, status, created, finished_at, host, pid FROM import_runs')).toEqual([
      { id: 7, status: 'succeeded', created: 1, finished_at: 'later', host: null, pid: null },
    ]);
    expect(sql(file, 'SELECT run_id, logon FROM run_actions')).toEqual([{ run_id: 7, logon: 'jdoe' }]);
    expect(sql(file, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it('lets eight processes open a new data folder at the same moment, each getting the one schema', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const startAt = Date.now() + 1500; // every child waits for the same instant, so that they really race
    const script = `const { openUsersDatabase } = await import(${JSON.stringify(opener)});
      while (Date.now() < ${startAt});
      try { openUsersDatabase(${JSON.stringify(file)}).close(); console.log('ok'); }
      catch (err) { console.log(err.message); process.exitCode = 1; }`;
    const runs = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
              stdio: ['ignore', 'pipe', 'inherit'],
            });
            let out = '';
            child.stdout.on('data', (c: Buffer) => (out += c.toString()));
            child.on('exit', (code) => resolve({ code, out: out.trim() }));
          }),
      ),
    );
    expect(runs).toEqual(Array.from({ length: 8 }, () => ({ code: 0, out: 'ok' })));
    expect(sql(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(sql(file, 'PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
  });

  it('calls a locked file locked, not damaged, and a damaged one damaged', () => {
    const file = '/data/users.sqlite';
    const locked = explainDatabaseError(Object.assign(new Error('database is locked'), { errcode: 5 }), file);
    expect(locked).toMatchObject({
      code: 'database-busy',
      message: expect.stringMatching(/locked by another process .* It was not changed\./),
    });
    expect(locked.message + locked.hint).not.toMatch(/damaged|backup/i);
    const other = explainDatabaseError(Object.assign(new Error('disk I/O error'), { errcode: 10 }), file);
    expect(other.message + other.hint).not.toMatch(/damaged|restore/i);
    expect(
      explainDatabaseError(Object.assign(new Error('database disk image is malformed'), { errcode: 11 }), file),
    ).toMatchObject({ code: 'database-unreadable', message: expect.stringMatching(/damaged/) });
  });
});

describe('runs whose process died', () => {
  const running = (file: string, host: string, pid: number) =>
    sql(
      file,
      "INSERT INTO import_runs (mode, source, started_by, started_at, status, host, pid) VALUES ('sync', " +
        "'users in OU=Staff', 'command-line', '2026-12-01T08:00:00Z', 'running', ?, ?)",
      host,
      pid,
    );

  it(
    'are marked interrupted by the next opener, with host and pid; runs of live processes and other machines ' +
      'are not',
    () => {
      const file = fresh();
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has ended
      const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        running(file, os.hostname(), gone);
        running(file, os.hostname(), live.pid!);
        running(file, 'another-host.corp.example.test', gone);
        openUsersDatabase(file).close();
        const rows = sql<{ status: string; error: string | null; finished_at: string | null }>(
          file,
          'SELECT status, error, finished_at FROM import_runs ORDER BY id',
        );
        expect(rows[0]).toMatchObject({
          status: 'interrupted',
          error:
            `Interrupted: the process that ran it (pid ${gone} on ${os.hostname()}) ended before the run ` +
            `finished. Nothing was changed in the users database.`,
          finished_at: expect.any(String),
        });
        expect(rows[1]).toMatchObject({ status: 'running', finished_at: null });
        expect(rows[2]).toMatchObject({ status: 'running', finished_at: null });
      } finally {
        live.kill();
      }
    },
  );
});
