/** The users view's queries on a real SQLite file: OU counts, paging, sorting, search and the last run. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import type { SqlEngine, SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import { addLocalAccount, editLocalAccount } from '../../../../electron/core/accounts/local-accounts.ts';
import {
  accountsPage,
  type AccountsView,
  logonPosition,
  usersOverview,
} from '../../../../electron/core/database/users-view.ts';
import { type AccountFind, type AccountsQuery, EMPTY_FIND } from '../../../../shared/users-view.ts';
import { Preview } from '../../../../electron/core/import/plan-view.ts';
import { insertAccount, insertOu } from '../../../support/account-rows.ts';
import { plannedRow } from '../../../support/planned-row.ts';
import { closeSuiteDatabases, describeOnEngines } from '../../../support/sql-engines.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';

/** Every account, in logon order, a page of 100. */
const EVERYONE: AccountsQuery = {
  ouId: null,
  recursive: true,
  search: '',
  sort: 'logon',
  descending: false,
  offset: 0,
  limit: 100,
};

/** Accounts as an import leaves them: [logon, display name, department, enabled, OU, origin]. */
async function addAccounts(
  q: SqlQueryable,
  rows: [logon: string, name: string, dept: string, enabled: number, ou: number, origin: 'ad' | 'local'][],
) {
  for (const [i, [logon, displayName, department, enabled, ouId, origin]] of rows.entries())
    await insertAccount(q, {
      logon,
      displayName,
      department,
      email: `${logon}@corp.test`,
      enabled: enabled === 1,
      ouId,
      origin,
      guid: `0000000${i}-0000-0000-0000-000000000000`,
    });
}

describeOnEngines('the users view over a real $name database', ({ usersDatabase }) => {
  let engine: SqlEngine;
  let staff: number;
  let sales: number;

  afterAll(closeSuiteDatabases);
  beforeAll(async () => {
    ({ engine } = await usersDatabase());
    staff = await insertOu(engine, null, 'Staff');
    sales = await insertOu(engine, staff, 'Sales');
    await addAccounts(engine, [
      ['anna', 'Anna Zed', 'Sales', 1, staff, 'ad'],
      ['ben', 'Ben Young', 'Support', 0, staff, 'ad'],
      ['carl_1', 'Carl 100%', 'Sales', 1, sales, 'ad'],
      ['dora', 'Dora Xu', 'Finance', 1, sales, 'ad'],
      ['local.eve', 'Eve Local', '', 1, 1, 'local'],
    ]);
    const now = new Date().toISOString();
    await engine.run(
      'INSERT INTO import_runs (mode, source, started_by, incremental, dc, started_at, finished_at, status, error) ' +
        "VALUES ('sync', 'users in OU x', 'wizard', 0, 'dc1', ?, ?, 'failed', ?)",
      now,
      now,
      'The domain controller closed the connection.',
    );
    // An administrator's change to an account after it: recorded as a run too, but not an import.
    await engine.run(
      'INSERT INTO import_runs (mode, source, started_by, started_at, finished_at, status, disabled) ' +
        "VALUES ('account', 'local.eve: disabled', 'console', ?, ?, 'succeeded', 1)",
      now,
      now,
    );
  });

  const page = (q: Partial<AccountsQuery>) => accountsPage(engine, { ...EVERYONE, ...q });

  it('counts accounts per OU, own and below, the totals, and the last import (not an account change)', async () => {
    const o = await usersOverview(engine, 'users.sqlite');
    const byName = Object.fromEntries(o.ous.map((ou) => [ou.name, [ou.own, ou.total]]));
    expect(byName).toEqual({ _Default: [1, 1], Staff: [2, 4], Sales: [2, 2] });
    expect(Object.fromEntries(o.ous.map((ou) => [ou.name, ou.fromAd]))).toEqual({ _Default: 0, Staff: 4, Sales: 2 });
    expect(o.totals).toEqual({ accounts: 5, enabled: 4, disabled: 1, fromAd: 4, local: 1 });
    expect(o.lastRun).toMatchObject({
      status: 'failed',
      error: 'The domain controller closed the connection.',
      startedBy: 'wizard',
    });
  });

  it('lists an OU with or without the OUs below it', async () => {
    expect((await page({ ouId: staff })).rows.map((r) => r.logon)).toEqual(['anna', 'ben', 'carl_1', 'dora']);
    expect((await page({ ouId: staff, recursive: false })).rows.map((r) => r.logon)).toEqual(['anna', 'ben']);
    expect((await page({ ouId: sales })).rows.map((r) => r.ou)).toEqual(['Staff/Sales', 'Staff/Sales']);
  });

  it('sorts by any column both ways, then by logon', async () => {
    expect((await page({ sort: 'displayName' })).rows.map((r) => r.displayName)).toEqual([
      'Anna Zed',
      'Ben Young',
      'Carl 100%',
      'Dora Xu',
      'Eve Local',
    ]);
    expect((await page({ sort: 'department', descending: true })).rows.map((r) => r.department)).toEqual([
      'Support',
      'Sales',
      'Sales',
      'Finance',
      '',
    ]);
    expect((await page({ sort: 'enabled' })).rows[0]!.logon).toBe('ben');
  });

  it('pages with offset and limit and reports the total', async () => {
    const second = await page({ offset: 2, limit: 2 });
    expect(second).toMatchObject({ total: 5, offset: 2 });
    expect(second.rows.map((r) => r.logon)).toEqual(['carl_1', 'dora']);
  });

  it('searches logon, display name, e-mail and department, any case, with % and _ taken literally', async () => {
    expect((await page({ search: 'SALES' })).rows.map((r) => r.logon)).toEqual(['anna', 'carl_1']);
    expect((await page({ search: '100%' })).rows.map((r) => r.logon)).toEqual(['carl_1']);
    expect((await page({ search: 'l_1' })).rows.map((r) => r.logon)).toEqual(['carl_1']);
    expect((await page({ search: '_' })).total).toBe(1);
    expect((await page({ search: 'eve@' })).rows.map((r) => r.origin)).toEqual(['local']);
  });

  it('finds by every Find… field together: logon, name, e-mail, department, OU, origin, enabled', async () => {
    const find = async (f: Partial<AccountFind>) =>
      (await page({ find: { ...EMPTY_FIND, ...f } })).rows.map((r) => r.logon);
    expect(await find({})).toEqual(['anna', 'ben', 'carl_1', 'dora', 'local.eve']);
    expect(await find({ logon: 'AR' })).toEqual(['carl_1']);
    expect(await find({ name: 'young' })).toEqual(['ben']);
    expect(await find({ email: 'dora@' })).toEqual(['dora']);
    expect(await find({ department: 'sales', ou: 'sal' })).toEqual(['carl_1']);
    expect(await find({ ou: 'staff' })).toEqual(['anna', 'ben']); // the account's own OU, not those above it
    expect(await find({ origin: 'local' })).toEqual(['local.eve']);
    expect(await find({ origin: 'ad', enabled: 'no' })).toEqual(['ben']);
    expect(await find({ enabled: 'yes', department: 'sales' })).toEqual(['anna', 'carl_1']);
    expect(await find({ name: '100%' })).toEqual(['carl_1']);
    expect((await page({ search: 'anna', find: { ...EMPTY_FIND, origin: 'local' } })).total).toBe(0);
  });

  it('sorts by the added columns too: OU name and distinguished name', async () => {
    expect((await page({ sort: 'ou' })).rows.map((r) => r.logon)).toEqual([
      'local.eve',
      'carl_1',
      'dora',
      'anna',
      'ben',
    ]);
    expect((await page({ sort: 'adDn', descending: true })).total).toBe(5);
  });

  it('finds where type-ahead lands in the whole view: the first logon with the prefix, or null', async () => {
    const view: AccountsView = { ouId: null, recursive: true, search: '', sort: 'logon', descending: false };
    const at = (prefix: string, v: Partial<AccountsView> = {}) => logonPosition(engine, { ...view, ...v }, prefix);
    // anna, ben, carl_1, dora, local.eve
    expect(await at('b')).toBe(1);
    expect(await at('CAR')).toBe(2);
    expect(await at('local.')).toBe(4);
    expect(await at('zed')).toBeNull();
    expect(await at('bz')).toBeNull(); // the row where it would be does not start with it
    expect(await at('b', { descending: true })).toBe(3); // local.eve, dora, carl_1, ben, anna
    expect(await at('d', { ouId: sales })).toBe(1); // carl_1, dora
    expect(await at('a', { search: 'sales' })).toBe(0);
    expect(await at('a', { sort: 'displayName' })).toBeNull(); // not in logon order: the table looks itself
    expect(await at('d', { find: { ...EMPTY_FIND, department: 'finance' } })).toBe(0);
  });

  it('sorts and finds names beyond ASCII alike on both engines: Zoë in NFC and NFD, Дмитриева, Émile', async () => {
    const { engine: other } = await usersDatabase();
    const team = await insertOu(other, null, 'Équipe Zürich');
    const people: [string, string][] = [
      ['zoe2', 'Zoe\u0308 Two'],
      ['zoe1', 'Zoë One'],
      ['dmitrieva', 'Дмитриева Анна'],
      ['DMITRIEV', 'ДМИТРИЕВ Пётр'],
      ['emile', 'Émile Zola'],
      ['abe', 'abe'],
      ['Abel', 'Ábel'],
      ['zed', 'zed'],
    ];
    await addAccounts(
      other,
      people.map(([logon, name]) => [logon, name, '', 1, team, 'local']),
    );
    const view = async (q: Partial<AccountsQuery>) => (await accountsPage(other, { ...EVERYONE, ...q })).rows;
    // Without regard to case or accents, on both engines, and in the order the import preview gives the names.
    const preview = new Preview(people.map(([logon, displayName]) => plannedRow('create', logon, { displayName })));
    const previewed = preview.sorted('all', 'displayName', false).map((r) => r.displayName);
    expect(previewed).toEqual([
      'abe',
      'Ábel',
      'Émile Zola',
      'zed',
      'Zoë One',
      'Zoe\u0308 Two',
      'ДМИТРИЕВ Пётр',
      'Дмитриева Анна',
    ]);
    expect((await view({ sort: 'displayName' })).map((r) => r.displayName)).toEqual(previewed);
    expect((await view({ sort: 'displayName', descending: true })).map((r) => r.displayName)).toEqual(
      preview.sorted('all', 'displayName', true).map((r) => r.displayName),
    );
    expect((await view({})).map((r) => r.logon)).toEqual([
      'abe',
      'Abel',
      'DMITRIEV',
      'dmitrieva',
      'emile',
      'zed',
      'zoe1',
      'zoe2',
    ]);
    // Search and Find… fold accents and case in the application: the same answers on both engines.
    expect((await view({ search: 'zoe' })).map((r) => r.logon)).toEqual(['zoe1', 'zoe2']);
    expect((await view({ search: 'дмитриев' })).map((r) => r.logon)).toEqual(['DMITRIEV', 'dmitrieva']);
    expect((await view({ find: { ...EMPTY_FIND, name: 'emile', ou: 'equipe zurich' } })).map((r) => r.logon)).toEqual([
      'emile',
    ]);
    expect(
      await logonPosition(other, { ouId: null, recursive: true, search: '', sort: 'logon', descending: false }, 'DMI'),
    ).toBe(2);
  });

  it('sorts numbers in names by value, as the preview does; type-ahead finds the first logon to match', async () => {
    const { engine: other } = await usersDatabase();
    const team = await insertOu(other, null, 'Kiosks');
    const logons = ['kiosk10', 'kiosk9', 'Kiosk100', 'kiosk1', 'kiosk2', 'lab3'];
    await addAccounts(
      other,
      logons.map((logon) => [logon, `Desk ${logon.slice(5)}`, '', 1, team, 'local']),
    );
    const all = { ouId: team, recursive: true, search: '', sort: 'logon', descending: false } as const;
    const shown = (await accountsPage(other, { ...all, offset: 0, limit: 50 })).rows.map((r) => r.logon);
    expect(shown).toEqual(['kiosk1', 'kiosk2', 'kiosk9', 'kiosk10', 'Kiosk100', 'lab3']);
    const preview = new Preview(logons.map((logon) => plannedRow('create', logon)));
    expect(preview.sorted('all', 'logon', false).map((r) => r.logon)).toEqual(shown);
    // "kiosk1" starts kiosk1, kiosk10 and Kiosk100, not one run of the order: the first of them is found.
    expect(await logonPosition(other, all, 'kiosk1')).toBe(0);
    expect(await logonPosition(other, all, 'KIOSK10')).toBe(3);
    expect(await logonPosition(other, { ...all, descending: true }, 'kiosk1')).toBe(1); // lab3, Kiosk100, …
    expect(await logonPosition(other, all, 'kiosk3')).toBeNull();
  });

  it("shows an AD account's GUID in braces and a local account without one", async () => {
    const [anna] = (await page({ search: 'anna' })).rows;
    expect(anna!.adGuid).toBe('{00000000-0000-0000-0000-000000000000}');
    expect((await page({ search: 'local.eve' })).rows[0]!.adGuid).toBeNull();
  });
});

describe('search and Find… without regard to accents or case', () => {
  it('finds Åberg by "aberg", Łódź by "lodz" and Zürich by "zurich", each Find… field only in that field', async () => {
    const database = openUsersDatabase(path.join(tempDirFor('accents'), 'users.sqlite'));
    const { engine } = database;
    await addLocalAccount(
      engine,
      { logon: 'bjorn', ou: 'Zürich Büro', displayName: 'Björn Åberg', email: '' },
      'console',
    );
    await editLocalAccount(engine, 'bjorn', { fields: { department: 'Straße' } }, 'console');
    await addLocalAccount(
      engine,
      { logon: 'lukasz', ou: '', displayName: 'Łukasz Łódź', email: 'l@x.test' },
      'console',
    );
    const logons = async (view: Partial<AccountsView>) =>
      (await accountsPage(database.engine, { ...EVERYONE, ...view })).rows.map((r) => r.logon);
    expect(await logons({ search: 'aberg' })).toEqual(['bjorn']);
    expect(await logons({ search: 'ÅBERG' })).toEqual(['bjorn']);
    expect(await logons({ search: 'lodz' })).toEqual(['lukasz']);
    expect(await logons({ search: 'strasse' })).toEqual(['bjorn']);
    const find = (f: Partial<AccountFind>) => logons({ find: { ...EMPTY_FIND, ...f } });
    expect(await find({ name: 'bjorn aberg' })).toEqual(['bjorn']);
    expect(await find({ department: 'aberg' })).toEqual([]);
    expect(await find({ ou: 'zurich' })).toEqual(['bjorn']);
    expect(await find({ logon: 'LUK', email: 'x.test' })).toEqual(['lukasz']);
    database.close();
  });
});
