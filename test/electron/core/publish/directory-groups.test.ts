/**
 * The IM directory as the users database defines it — groups per server OU, the OUs each displays, members,
 * contact lists, OU permissions — read alike from a real SQLite file and a real PostgreSQL database.
 */
import { expect, it } from 'vitest';
import { ouPermissions } from '../../../../electron/core/accounts/ou-permissions.ts';
import type { SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import { contactListOf, contactsIn, directoryGroups } from '../../../../electron/core/publish/directory-groups.ts';
import { insertAccount, insertOu } from '../../../support/account-rows.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';

/** Sales (with LA below it) and HR see each other; Branch sees only itself; _Default sees every OU. */
async function company(q: SqlQueryable) {
  const ou = (parent: number | null, name: string, seesAll: number) => insertOu(q, parent, name, seesAll);
  const sales = await ou(null, 'Sales', 0);
  const la = await ou(sales, 'LA', 0);
  const hr = await ou(null, 'HR', 0);
  const branch = await ou(null, 'Branch', 0);
  for (const [a, b] of [
    [sales, hr],
    [la, hr],
    [sales, la],
  ] as const)
    await q.run('INSERT INTO ou_visibility (a, b) VALUES (?, ?)', Math.min(a, b), Math.max(a, b));
  const people: [string, string, number, number][] = [
    ['zoë', 'Zoë Ångström', sales, 1],
    ['lou', 'Lou LA', la, 1],
    ['hal', '', hr, 1],
    ['bea', 'Bea Branch', branch, 1],
    ['dan', 'Dan Disabled', hr, 0],
    ['eve', 'Eve Everywhere', 1, 1],
    ['bad name', 'Not an IM user', sales, 1],
  ];
  for (const [logon, displayName, ouId, enabled] of people)
    await insertAccount(q, { logon, displayName, ouId, enabled: enabled === 1 });
  return { sales, la, hr, branch };
}

describeOnEngines('the IM directory from a $name users database', ({ usersDatabase }) => {
  it('makes a group per OU that displays the OUs it sees, with its enabled IM users as members', async () => {
    const { engine } = await usersDatabase();
    const { sales, la, hr, branch } = await company(engine);
    const directory = await directoryGroups(engine);
    expect(directory.groups.get(`adc-${la}`)).toEqual({
      id: `adc-${la}`,
      ouId: la,
      label: 'Sales / LA',
      display: [`adc-1`, `adc-${hr}`, `adc-${la}`, `adc-${sales}`].sort(),
    });
    expect(directory.groups.get(`adc-${branch}`)!.display).toEqual(['adc-1', `adc-${branch}`]);
    expect(directory.groups.get('adc-1')!.display).toHaveLength(5);
    expect([...directory.members.keys()].sort()).toEqual(['bea', 'eve', 'hal', 'lou', 'zoë']);
  });

  it('gives each account the contact list its IM client gets, names and groups as /CONTACTS shows them', async () => {
    const { engine } = await usersDatabase();
    await company(engine);
    const list = (user: string) =>
      contactListOf(engine, user).then((l) =>
        l.groups.map((g) => `${g.label}: ${g.members.map((m) => m.displayName).join(', ')}`),
      );
    expect(await list('ZOË')).toEqual(['_Default: Eve Everywhere', 'HR: hal', 'Sales / LA: Lou LA']);
    expect(await list('bea')).toEqual(['_Default: Eve Everywhere']);
    expect(contactsIn(await directoryGroups(engine), 'eve')!.map((g) => g.label)).toEqual([
      'Branch',
      'HR',
      'Sales',
      'Sales / LA',
    ]);
    await expect(contactListOf(engine, 'dan')).rejects.toMatchObject({ code: 'not-in-im-network' });
    await expect(contactListOf(engine, 'bad name')).rejects.toMatchObject({ code: 'not-in-im-network' });
    await expect(contactListOf(engine, 'nobody')).rejects.toMatchObject({ code: 'no-such-account' });
  });

  it('says which OUs an OU sees, itself included, and refuses an unknown one', async () => {
    const { engine } = await usersDatabase();
    await company(engine);
    expect(await ouPermissions(engine, 'Sales/LA')).toEqual({
      ou: 'Sales/LA',
      everyOu: false,
      sees: ['_Default', 'HR', 'Sales', 'Sales/LA'],
    });
    expect(await ouPermissions(engine, '')).toMatchObject({ ou: '_Default', everyOu: true });
    await expect(ouPermissions(engine, 'Nowhere')).rejects.toMatchObject({ code: 'no-such-server-ou' });
  });
});
