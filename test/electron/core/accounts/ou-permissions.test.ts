/**
 * OU permissions and the contact lists they make, on both engines (no IM server): two-way, ticked OUs
 * with the OUs below them, new OUs inheriting, unknown OUs refused; disabled accounts in no list.
 */
import { expect, it } from 'vitest';
import { addLocalAccount, setLocalEnabled } from '../../../../electron/core/accounts/local-accounts.ts';
import { ouPermissions, setOuPermissions } from '../../../../electron/core/accounts/ou-permissions.ts';
import { addServerOu } from '../../../../electron/core/accounts/server-ous.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { contactsIn, directoryGroups } from '../../../../electron/core/publish/directory-groups.ts';
import { describeOnEngines, type EngineCase } from '../../../support/sql-engines.ts';
import { contentOf } from '../../../support/users-db.ts';

/** Staff/Office A, Staff/Office B, Sales, Sales/LA and HR, one local account in each. */
async function company(e: EngineCase) {
  const engine = (await e.usersDatabase()).engine;
  const people: [string, string][] = [
    ['anna', 'Staff/Office A'],
    ['ben', 'Staff/Office B'],
    ['sue', 'Sales'],
    ['lou', 'Sales/LA'],
    ['hal', 'HR'],
  ];
  for (const [logon, ou] of people)
    await addLocalAccount(engine, { logon, ou, displayName: logon.toUpperCase(), email: '' }, 'console');
  const contacts = async (logon: string) =>
    contactsIn(await directoryGroups(engine), logon)?.map(
      (g) => `${g.label}: ${g.members.map((m) => m.logon).join(',')}`,
    );
  return { engine, contacts };
}

describeOnEngines('OU permissions on $name', (e) => {
  it('lets every OU see every OU in a new database: one company directory', async () => {
    const { engine, contacts } = await company(e);
    expect(await contacts('anna')).toEqual(['HR: hal', 'Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(await ouPermissions(engine, 'HR')).toMatchObject({ ou: 'HR', everyOu: true });
  });

  it('narrows an OU to the OUs ticked (with the OUs below them), two-way, the others keeping the rest', async () => {
    const { engine, contacts } = await company(e);
    const set = await setOuPermissions(engine, 'Staff/Office A', ['Sales'], 'console');
    expect(set).toEqual({ ou: 'Staff/Office A', everyOu: false, sees: ['Sales', 'Sales/LA', 'Staff/Office A'] });
    expect(await contacts('anna')).toEqual(['Sales: sue', 'Sales / LA: lou']);
    // Two-way: HR no longer sees Office A, but still sees everyone else; Sales still sees Office A.
    expect(await contacts('hal')).toEqual(['Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(await contacts('sue')).toContain('Staff / Office A: anna');
    expect((await ouPermissions(engine, 'HR')).everyOu).toBe(false);
    // A new OU below Office A sees what Office A sees, and Office A.
    await addServerOu(engine, 'Staff/Office A/Interns', 'console');
    expect((await ouPermissions(engine, 'Staff/Office A/Interns')).sees).toEqual([
      'Sales',
      'Sales/LA',
      'Staff/Office A',
      'Staff/Office A/Interns',
    ]);
    // Every OU again.
    await setOuPermissions(engine, 'Staff/Office A', '*', 'console');
    expect(await contacts('anna')).toEqual(['HR: hal', 'Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(await engine.all("SELECT source FROM import_runs WHERE source LIKE 'server OU%sees%' ORDER BY id")).toEqual([
      { source: 'server OU Staff/Office A: sees Sales' },
      { source: 'server OU Staff/Office A: sees every OU' },
    ]);
  });

  it('refuses an unknown OU and changes nothing; a disabled account is in no contact list', async () => {
    const { engine, contacts } = await company(e);
    const before = await contentOf(engine);
    let refused: unknown;
    try {
      await setOuPermissions(engine, 'Staff/Office A', ['Sales', 'Nowhere'], 'console');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(Failure);
    expect(refused).toMatchObject({ code: 'no-such-server-ou', message: 'There is no OU "Nowhere" on the server.' });
    expect(await contentOf(engine)).toBe(before);
    await setLocalEnabled(engine, ['ben'], false, 'console');
    expect(await contacts('anna')).not.toContain('Staff / Office B: ben');
    expect(await contacts('ben')).toBeUndefined();
  });
});
