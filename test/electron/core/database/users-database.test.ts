/** The users database on a real SQLite file: schema, rules the file itself enforces, upgrades and refusals. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../electron/core/database/schema.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
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
    expect(() => sql(file, "INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) VALUES ('x', 'x', 1, 'user', 1, 'local', 'g', 'now', 'now')")).toThrow(/CHECK/);
  });

  it('upgrades an older file, keeping its accounts, after copying it aside', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0]!);
    old.exec('PRAGMA user_version = 1');
    old.exec("INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, created_at, updated_at) VALUES ('kept', 'kept', 1, 'user', 1, 'local', 'then', 'then')");
    old.close();
    const database = openUsersDatabase(file);
    expect(database.upgradeBackup).toMatch(/users\.before-upgrade-to-2-.*\.sqlite$/);
    database.close();
    expect(sql(file, 'SELECT logon FROM accounts')).toEqual([{ logon: 'kept' }]);
    expect(sql(file, 'SELECT count(*) AS n FROM import_runs')).toEqual([{ n: 0 }]);
    expect(sql(database.upgradeBackup!, 'PRAGMA user_version')).toEqual([{ user_version: 1 }]);
  });

  it('refuses a file from a newer version and leaves it untouched', () => {
    const file = fresh();
    sql(file, `PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    sql(file, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(new RegExp(`newer AD Console \\(schema ${SCHEMA_VERSION + 5}; this version reads up to schema ${SCHEMA_VERSION}\\)\\. It was left untouched`));
    expect(hash(file)).toBe(before);
  });

  it('refuses a damaged file and leaves it untouched', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    fs.writeFileSync(file, crypto.randomBytes(8192));
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(/cannot be used: it is not a SQLite database or it is damaged.*left untouched/);
    expect(hash(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['users.sqlite']);
  });

  it('refuses another program\'s SQLite file', () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const other = new DatabaseSync(file);
    other.exec('CREATE TABLE invoices (id INTEGER)');
    other.close();
    const before = hash(file);
    expect(() => openUsersDatabase(file)).toThrow(/SQLite database of another program/);
    expect(hash(file)).toBe(before);
  });
});
