/** The users view's queries on a real SQLite file: OU counts, paging, sorting, search and the last run. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsersDatabase, type UsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { OuTree } from '../../../../electron/core/database/ou-tree.ts';
import { searchTextOf } from '../../../../electron/core/database/accounts.ts';
import {
  addLocalAccount,
  editLocalAccount,
  setLocalEnabled,
} from '../../../../electron/core/accounts/local-accounts.ts';
import {
  accountsPage,
  type AccountsView,
  logonPosition,
  usersOverview,
} from '../../../../electron/core/database/users-view.ts';
import { beginRun, endRun } from '../../../../electron/core/import/run-history.ts';
import { emptyCounts } from '../../../../shared/import-run.ts';
import { type AccountFind, type AccountsQuery, EMPTY_FIND } from '../../../../shared/users-view.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';

describe('the users view over a real database', () => {
  const dir = tempDirFor('users-view');
  let database: UsersDatabase;
  let staff: number;
  let sales: number;

  beforeAll(() => {
    database = openUsersDatabase(path.join(dir, 'users.sqlite'));
    const { db } = database;
    const now = new Date().toISOString();
    const tree = new OuTree(db);
    staff = tree.ensure(['Staff'], now);
    sales = tree.ensure(['Staff', 'Sales'], now);
    const add = db.prepare(
      'INSERT INTO accounts (logon, logon_key, display_name, email, department, enabled, kind, ou_id, origin, ' +
        "ad_guid, created_at, updated_at, search_text) VALUES (?, ?, ?, ?, ?, ?, 'user', ?, ?, ?, ?, ?, ?)",
    );
    const rows: [string, string, string, number, number, 'ad' | 'local'][] = [
      ['anna', 'Anna Zed', 'Sales', 1, staff, 'ad'],
      ['ben', 'Ben Young', 'Support', 0, staff, 'ad'],
      ['carl_1', 'Carl 100%', 'Sales', 1, sales, 'ad'],
      ['dora', 'Dora Xu', 'Finance', 1, sales, 'ad'],
      ['local.eve', 'Eve Local', '', 1, 1, 'local'],
    ];
    rows.forEach(([logon, name, dept, enabled, ou, origin], i) =>
      add.run(
        logon,
        logon,
        name,
        `${logon}@corp.test`,
        dept,
        enabled,
        ou,
        origin,
        origin === 'ad' ? `0000000${i}-0000-0000-0000-000000000000` : null,
        now,
        now,
        searchTextOf({
          logon,
          displayName: name,
          firstName: '',
          middleName: '',
          lastName: '',
          email: `${logon}@corp.test`,
          department: dept,
        }),
      ),
    );
    const run = beginRun(db, {
      mode: 'sync',
      source: 'users in OU x',
      startedBy: 'wizard',
      incremental: false,
      dc: 'dc1',
      startedAt: now,
    });
    endRun(db, run, {
      status: 'failed',
      source: 'users in OU x',
      incremental: false,
      dc: 'dc1',
      counts: emptyCounts(),
      error: 'The domain controller closed the connection.',
      backup: null,
    });
  });
  afterAll(() => {
    database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const page = (q: Partial<AccountsQuery>) =>
    accountsPage(database.db, {
      ouId: null,
      recursive: true,
      search: '',
      sort: 'logon',
      descending: false,
      offset: 0,
      limit: 100,
      ...q,
    });

  it('counts accounts per OU, own and with everything below, and the totals', () => {
    const o = usersOverview(database.db, 'users.sqlite');
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

  it("keeps the last import as the status bar's Last import when an administrator changes an account", () => {
    const { db } = database;
    const before = usersOverview(db, 'users.sqlite').lastRun;
    setLocalEnabled(db, ['local.eve'], false, 'console');
    setLocalEnabled(db, ['local.eve'], true, 'console');
    expect(usersOverview(db, 'users.sqlite').lastRun).toEqual(before);
  });

  it('lists an OU with or without the OUs below it', () => {
    expect(page({ ouId: staff }).rows.map((r) => r.logon)).toEqual(['anna', 'ben', 'carl_1', 'dora']);
    expect(page({ ouId: staff, recursive: false }).rows.map((r) => r.logon)).toEqual(['anna', 'ben']);
    expect(page({ ouId: sales }).rows.map((r) => r.ou)).toEqual(['Staff/Sales', 'Staff/Sales']);
  });

  it('sorts by any column both ways, then by logon', () => {
    expect(page({ sort: 'displayName' }).rows.map((r) => r.displayName)).toEqual([
      'Anna Zed',
      'Ben Young',
      'Carl 100%',
      'Dora Xu',
      'Eve Local',
    ]);
    expect(page({ sort: 'department', descending: true }).rows.map((r) => r.department)).toEqual([
      'Support',
      'Sales',
      'Sales',
      'Finance',
      '',
    ]);
    expect(page({ sort: 'enabled' }).rows[0]!.logon).toBe('ben');
  });

  it('pages with offset and limit and reports the total', () => {
    const second = page({ offset: 2, limit: 2 });
    expect(second).toMatchObject({ total: 5, offset: 2 });
    expect(second.rows.map((r) => r.logon)).toEqual(['carl_1', 'dora']);
  });

  it('searches logon, display name, e-mail and department, case-insensitively, with % and _ taken literally', () => {
    expect(page({ search: 'SALES' }).rows.map((r) => r.logon)).toEqual(['anna', 'carl_1']);
    expect(page({ search: '100%' }).rows.map((r) => r.logon)).toEqual(['carl_1']);
    expect(page({ search: 'l_1' }).rows.map((r) => r.logon)).toEqual(['carl_1']);
    expect(page({ search: '_' }).total).toBe(1);
    expect(page({ search: 'eve@' }).rows.map((r) => r.origin)).toEqual(['local']);
  });

  it('finds by every Find… field together: logon, name, e-mail, department, OU name, origin and enabled', () => {
    const find = (f: Partial<AccountFind>) => page({ find: { ...EMPTY_FIND, ...f } }).rows.map((r) => r.logon);
    expect(find({})).toEqual(['anna', 'ben', 'carl_1', 'dora', 'local.eve']);
    expect(find({ logon: 'AR' })).toEqual(['carl_1']);
    expect(find({ name: 'young' })).toEqual(['ben']);
    expect(find({ email: 'dora@' })).toEqual(['dora']);
    expect(find({ department: 'sales', ou: 'sal' })).toEqual(['carl_1']);
    expect(find({ ou: 'staff' })).toEqual(['anna', 'ben']); // the account's own OU, not those above it
    expect(find({ origin: 'local' })).toEqual(['local.eve']);
    expect(find({ origin: 'ad', enabled: 'no' })).toEqual(['ben']);
    expect(find({ enabled: 'yes', department: 'sales' })).toEqual(['anna', 'carl_1']);
    expect(find({ name: '100%' })).toEqual(['carl_1']);
    expect(page({ search: 'anna', find: { ...EMPTY_FIND, origin: 'local' } }).total).toBe(0);
  });

  it('sorts by the added columns too: OU name and distinguished name', () => {
    expect(page({ sort: 'ou' }).rows.map((r) => r.logon)).toEqual(['local.eve', 'carl_1', 'dora', 'anna', 'ben']);
    expect(page({ sort: 'adDn', descending: true }).total).toBe(5);
  });

  it('finds where type-ahead lands in the whole view: the first logon with the prefix, either order, or null', () => {
    const view: AccountsView = { ouId: null, recursive: true, search: '', sort: 'logon', descending: false };
    const at = (prefix: string, v: Partial<AccountsView> = {}) => logonPosition(database.db, { ...view, ...v }, prefix);
    // anna, ben, carl_1, dora, local.eve
    expect(at('b')).toBe(1);
    expect(at('CAR')).toBe(2);
    expect(at('local.')).toBe(4);
    expect(at('zed')).toBeNull();
    expect(at('bz')).toBeNull(); // the row where it would be does not start with it
    expect(at('b', { descending: true })).toBe(3); // local.eve, dora, carl_1, ben, anna
    expect(at('d', { ouId: sales })).toBe(1); // carl_1, dora
    expect(at('a', { search: 'sales' })).toBe(0);
    expect(at('a', { sort: 'displayName' })).toBeNull(); // not in logon order: the table looks itself
    expect(at('d', { find: { ...EMPTY_FIND, department: 'finance' } })).toBe(0);
  });

  it("shows an AD account's GUID in braces and a local account without one", () => {
    const [anna] = page({ search: 'anna' }).rows;
    expect(anna!.adGuid).toBe('{00000000-0000-0000-0000-000000000000}');
    expect(page({ search: 'local.eve' }).rows[0]!.adGuid).toBeNull();
  });
});

describe('search and Find… without regard to accents or case', () => {
  it('finds Åberg by "aberg", Łódź by "lodz" and Zürich by "zurich", each Find… field only in that field', () => {
    const database = openUsersDatabase(path.join(tempDirFor('accents'), 'users.sqlite'));
    const { db } = database;
    addLocalAccount(db, { logon: 'bjorn', ou: 'Zürich Büro', displayName: 'Björn Åberg', email: '' }, 'console');
    editLocalAccount(db, 'bjorn', { fields: { department: 'Straße' } }, 'console');
    addLocalAccount(db, { logon: 'lukasz', ou: '', displayName: 'Łukasz Łódź', email: 'l@x.test' }, 'console');
    const logons = (view: Partial<AccountsView>) =>
      accountsPage(db, {
        ouId: null,
        recursive: true,
        search: '',
        sort: 'logon',
        descending: false,
        offset: 0,
        limit: 10,
        ...view,
      }).rows.map((r) => r.logon);
    expect(logons({ search: 'aberg' })).toEqual(['bjorn']);
    expect(logons({ search: 'ÅBERG' })).toEqual(['bjorn']);
    expect(logons({ search: 'lodz' })).toEqual(['lukasz']);
    expect(logons({ search: 'strasse' })).toEqual(['bjorn']);
    const find = (f: Partial<AccountFind>) => logons({ find: { ...EMPTY_FIND, ...f } });
    expect(find({ name: 'bjorn aberg' })).toEqual(['bjorn']);
    expect(find({ department: 'aberg' })).toEqual([]);
    expect(find({ ou: 'zurich' })).toEqual(['bjorn']);
    expect(find({ logon: 'LUK', email: 'x.test' })).toEqual(['lukasz']);
    database.close();
  });
});
