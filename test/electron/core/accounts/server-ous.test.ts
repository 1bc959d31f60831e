/** Server OUs and moving local accounts, on a real SQLite file: the rules the console and bcscmd share. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addLocalAccount, moveLocalAccounts } from '../../../../electron/core/accounts/local-accounts.ts';
import { addServerOu, deleteServerOu, renameServerOu } from '../../../../electron/core/accounts/server-ous.ts';
import { listAccounts } from '../../../../electron/core/database/accounts.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

function setUp() {
  const file = path.join(tempDir(), 'users.sqlite');
  const database = openUsersDatabase(file);
  return { file, db: database.db };
}

/** The refusal's code and words, after checking that nothing changed. */
function refused(file: string, work: () => unknown): { code: string; message: string } {
  const before = databaseContent(file);
  let failure: Failure | null = null;
  try {
    work();
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    failure = err;
  }
  expect(failure, 'expected a refusal').not.toBe(null);
  expect(failure!.nothingChanged).toBe(true);
  expect(databaseContent(file)).toBe(before);
  return { code: failure!.code, message: failure!.message };
}

const ouPaths = (file: string) => sql<{ name: string }>(file, 'SELECT name FROM ous ORDER BY id').map((r) => r.name);

describe('server OUs', () => {
  it('creates an OU with its missing parents, once, and records it in the history', () => {
    const { file, db } = setUp();
    expect(addServerOu(db, 'Staff/Temps', 'console')).toBe('Staff/Temps');
    expect(ouPaths(file)).toEqual(['_Default', 'Staff', 'Temps']);
    expect(refused(file, () => addServerOu(db, 'staff/TEMPS', 'console'))).toMatchObject({
      code: 'server-ou-exists',
      message: 'The OU "Staff/Temps" already exists.',
    });
    expect(refused(file, () => addServerOu(db, '', 'console')).code).toBe('invalid-input');
    expect(sql(file, "SELECT source, started_by FROM import_runs WHERE mode = 'account'")).toEqual([
      { source: 'server OU Staff/Temps: created', started_by: 'console' },
    ]);
  });

  it('renames an OU, but not to a sibling name, not _Default, and not one that holds AD accounts', () => {
    const { file, db } = setUp();
    addServerOu(db, 'Staff/Temps', 'console');
    addServerOu(db, 'Staff/Interns', 'console');
    expect(renameServerOu(db, 'Staff/Temps', 'Contractors', 'console')).toBe('Staff/Contractors');
    expect(refused(file, () => renameServerOu(db, 'Staff/Contractors', 'interns', 'console'))).toMatchObject({
      code: 'server-ou-exists',
      message: 'There is already an OU "Staff/Interns".',
    });
    expect(refused(file, () => renameServerOu(db, '_Default', 'Other', 'console')).code).toBe('server-ou-builtin');
    expect(refused(file, () => renameServerOu(db, 'Nowhere', 'X', 'console')).code).toBe('no-such-server-ou');
    // An AD account below Staff: sync would put it back under the old name.
    const staff = sql<{ id: number }>(file, "SELECT id FROM ous WHERE name = 'Interns'")[0]!.id;
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('adam', 'adam', 1, 'user', ?, 'ad', 'g-adam', 't', 't')",
      staff,
    );
    expect(refused(file, () => renameServerOu(db, 'Staff', 'People', 'console'))).toMatchObject({
      code: 'server-ou-from-ad',
      message: expect.stringMatching(/holds 1 account from Active Directory: the next sync would create it again/),
    });
  });

  it('deletes only an empty OU, and never _Default', () => {
    const { file, db } = setUp();
    addServerOu(db, 'Lobby/Desk', 'console');
    addLocalAccount(db, { logon: 'kiosk', ou: 'Lobby/Desk', displayName: 'Kiosk', email: '' }, 'console');
    expect(refused(file, () => deleteServerOu(db, 'Lobby', 'console'))).toMatchObject({
      code: 'server-ou-not-empty',
      message: 'The OU "Lobby" is not empty: it holds 0 accounts and 1 OU.',
    });
    expect(refused(file, () => deleteServerOu(db, 'Lobby/Desk', 'console')).message).toMatch(
      /holds 1 account and 0 OUs/,
    );
    expect(refused(file, () => deleteServerOu(db, '_Default', 'console')).code).toBe('server-ou-builtin');
    moveLocalAccounts(db, ['kiosk'], '', 'console');
    deleteServerOu(db, 'Lobby/Desk', 'console');
    deleteServerOu(db, 'Lobby', 'console');
    expect(ouPaths(file)).toEqual(['_Default']);
  });
});

describe('moving local accounts', () => {
  it('moves all the accounts named into an existing OU, or none of them', () => {
    const { file, db } = setUp();
    addServerOu(db, 'Lobby', 'console');
    for (const logon of ['kiosk', 'desk'])
      addLocalAccount(db, { logon, ou: '', displayName: '', email: '' }, 'console');
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('adam', 'adam', 1, 'user', 1, 'ad', 'g-adam', 't', 't')",
    );
    expect(refused(file, () => moveLocalAccounts(db, ['kiosk', 'adam'], 'Lobby', 'console'))).toMatchObject({
      code: 'not-local-account',
      message: expect.stringMatching(/^adam comes from Active Directory, so it cannot be moved here/),
    });
    expect(refused(file, () => moveLocalAccounts(db, ['kiosk'], 'Lobyy', 'console'))).toMatchObject({
      code: 'no-such-server-ou',
      message: 'There is no OU "Lobyy" on the server.',
    });
    expect(moveLocalAccounts(db, ['kiosk', 'DESK'], 'lobby', 'command-line')).toBe('Lobby');
    expect(listAccounts(db).map((a) => `${a.logon} ${a.ou}`)).toEqual(['adam _Default', 'desk Lobby', 'kiosk Lobby']);
    expect(sql(file, "SELECT source, updated FROM import_runs WHERE source LIKE '%moved%'")).toEqual([
      { source: 'local accounts kiosk, DESK: moved to Lobby', updated: 2 },
    ]);
  });
});
