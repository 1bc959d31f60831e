/** Server OUs and moving local accounts, on both engines: the rules the console and bcscmd share. */
import { expect, it } from 'vitest';
import { addLocalAccount, moveLocalAccounts } from '../../../../electron/core/accounts/local-accounts.ts';
import { addServerOu, deleteServerOu, renameServerOu } from '../../../../electron/core/accounts/server-ous.ts';
import { listAccounts } from '../../../../electron/core/database/accounts.ts';
import type { SqlEngine } from '../../../../electron/core/database/engine/sql-engine.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';
import { contentOf } from '../../../support/users-db.ts';

/** The refusal's code and words, after checking that nothing changed. */
async function refused(engine: SqlEngine, work: () => unknown): Promise<{ code: string; message: string }> {
  const before = await contentOf(engine);
  let failure: Failure | null = null;
  try {
    await work();
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    failure = err;
  }
  expect(failure, 'expected a refusal').not.toBe(null);
  expect(failure!.nothingChanged).toBe(true);
  expect(await contentOf(engine)).toBe(before);
  return { code: failure!.code, message: failure!.message };
}

const ouPaths = async (engine: SqlEngine) =>
  (await engine.all<{ name: string }>('SELECT name FROM ous ORDER BY id')).map((r) => r.name);

describeOnEngines('server OUs on $name', (e) => {
  const setUp = async () => ({ engine: (await e.usersDatabase()).engine });
  it('creates an OU with its missing parents, once, and records it in the history', async () => {
    const { engine } = await setUp();
    expect(await addServerOu(engine, 'Staff/Temps', 'console')).toBe('Staff/Temps');
    expect(await ouPaths(engine)).toEqual(['_Default', 'Staff', 'Temps']);
    expect(await refused(engine, () => addServerOu(engine, 'staff/TEMPS', 'console'))).toMatchObject({
      code: 'server-ou-exists',
      message: 'The OU "Staff/Temps" already exists.',
    });
    expect((await refused(engine, () => addServerOu(engine, '', 'console'))).code).toBe('invalid-input');
    expect(await engine.all("SELECT source, started_by FROM import_runs WHERE mode = 'account'")).toEqual([
      { source: 'server OU Staff/Temps: created', started_by: 'console' },
    ]);
  });

  it('renames an OU, but not to a sibling name, not _Default, and not one that holds AD accounts', async () => {
    const { engine } = await setUp();
    await addServerOu(engine, 'Staff/Temps', 'console');
    await addServerOu(engine, 'Staff/Interns', 'console');
    expect(await renameServerOu(engine, 'Staff/Temps', 'Contractors', 'console')).toBe('Staff/Contractors');
    expect(
      await refused(engine, () => renameServerOu(engine, 'Staff/Contractors', 'interns', 'console')),
    ).toMatchObject({
      code: 'server-ou-exists',
      message: 'There is already an OU "Staff/Interns".',
    });
    expect((await refused(engine, () => renameServerOu(engine, '_Default', 'Other', 'console'))).code).toBe(
      'server-ou-builtin',
    );
    expect((await refused(engine, () => renameServerOu(engine, 'Nowhere', 'X', 'console'))).code).toBe(
      'no-such-server-ou',
    );
    // An AD account below Staff: sync would put it back under the old name.
    const staff = (await engine.all<{ id: number }>("SELECT id FROM ous WHERE name = 'Interns'"))[0]!.id;
    await engine.all(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('adam', 'adam', 1, 'user', ?, 'ad', 'g-adam', 't', 't')",
      staff,
    );
    expect(await refused(engine, () => renameServerOu(engine, 'Staff', 'People', 'console'))).toMatchObject({
      code: 'server-ou-from-ad',
      message: expect.stringMatching(/holds 1 account from Active Directory: the next sync would create it again/),
    });
  });

  it('deletes only an empty OU, and never _Default', async () => {
    const { engine } = await setUp();
    await addServerOu(engine, 'Lobby/Desk', 'console');
    await addLocalAccount(engine, { logon: 'kiosk', ou: 'Lobby/Desk', displayName: 'Kiosk', email: '' }, 'console');
    expect(await refused(engine, () => deleteServerOu(engine, 'Lobby', 'console'))).toMatchObject({
      code: 'server-ou-not-empty',
      message: 'The OU "Lobby" is not empty: it holds 0 accounts and 1 OU.',
    });
    expect((await refused(engine, () => deleteServerOu(engine, 'Lobby/Desk', 'console'))).message).toMatch(
      /holds 1 account and 0 OUs/,
    );
    expect((await refused(engine, () => deleteServerOu(engine, '_Default', 'console'))).code).toBe('server-ou-builtin');
    await moveLocalAccounts(engine, ['kiosk'], '', 'console');
    await deleteServerOu(engine, 'Lobby/Desk', 'console');
    await deleteServerOu(engine, 'Lobby', 'console');
    expect(await ouPaths(engine)).toEqual(['_Default']);
  });
});

describeOnEngines('moving local accounts on $name', (e) => {
  const setUp = async () => ({ engine: (await e.usersDatabase()).engine });
  it('moves all the accounts named into an existing OU, or none of them', async () => {
    const { engine } = await setUp();
    await addServerOu(engine, 'Lobby', 'console');
    for (const logon of ['kiosk', 'desk'])
      await addLocalAccount(engine, { logon, ou: '', displayName: '', email: '' }, 'console');
    await engine.all(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('adam', 'adam', 1, 'user', 1, 'ad', 'g-adam', 't', 't')",
    );
    expect(await refused(engine, () => moveLocalAccounts(engine, ['kiosk', 'adam'], 'Lobby', 'console'))).toMatchObject(
      {
        code: 'not-local-account',
        message: expect.stringMatching(/^adam comes from Active Directory, so it cannot be moved here/),
      },
    );
    expect(await refused(engine, () => moveLocalAccounts(engine, ['kiosk'], 'Lobyy', 'console'))).toMatchObject({
      code: 'no-such-server-ou',
      message: 'There is no OU "Lobyy" on the server.',
    });
    expect(await moveLocalAccounts(engine, ['kiosk', 'DESK'], 'lobby', 'command-line')).toBe('Lobby');
    expect((await listAccounts(engine)).map((a) => `${a.logon} ${a.ou}`)).toEqual([
      'adam _Default',
      'desk Lobby',
      'kiosk Lobby',
    ]);
    expect(await engine.all("SELECT source, updated FROM import_runs WHERE source LIKE '%moved%'")).toEqual([
      { source: 'local accounts kiosk, DESK: moved to Lobby', updated: 2 },
    ]);
  });
});
