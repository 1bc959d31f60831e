/**
 * OU permissions and the contact lists they make, on a real SQLite file (no IM server): two-way, ticked OUs
 * with the OUs below them, new OUs inheriting, unknown OUs refused; disabled accounts in no list.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addLocalAccount, setLocalEnabled } from '../../../../electron/core/accounts/local-accounts.ts';
import { ouPermissions, setOuPermissions } from '../../../../electron/core/accounts/ou-permissions.ts';
import { addServerOu } from '../../../../electron/core/accounts/server-ous.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { contactsIn, directoryGroups } from '../../../../electron/core/publish/directory-groups.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent } from '../../../support/users-db.ts';

/** Staff/Office A, Staff/Office B, Sales, Sales/LA and HR, one local account in each. */
function company() {
  const opened = openUsersDatabase(path.join(tempDir(), 'users.sqlite'));
  const { db } = opened;
  const people: [string, string][] = [
    ['anna', 'Staff/Office A'],
    ['ben', 'Staff/Office B'],
    ['sue', 'Sales'],
    ['lou', 'Sales/LA'],
    ['hal', 'HR'],
  ];
  for (const [logon, ou] of people)
    addLocalAccount(db, { logon, ou, displayName: logon.toUpperCase(), email: '' }, 'console');
  const contacts = async (logon: string) =>
    contactsIn(await directoryGroups(opened.engine), logon)?.map(
      (g) => `${g.label}: ${g.members.map((m) => m.logon).join(',')}`,
    );
  return { opened, db, contacts };
}

describe('OU permissions', () => {
  it('lets every OU see every OU in a new database: one company directory', async () => {
    const { opened, contacts } = company();
    expect(await contacts('anna')).toEqual(['HR: hal', 'Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(await ouPermissions(opened.engine, 'HR')).toMatchObject({ ou: 'HR', everyOu: true });
    opened.close();
  });

  it('narrows an OU to the OUs ticked (with the OUs below them), two-way, the others keeping the rest', async () => {
    const { opened, db, contacts } = company();
    const set = await setOuPermissions(db, 'Staff/Office A', ['Sales'], 'console');
    expect(set).toEqual({ ou: 'Staff/Office A', everyOu: false, sees: ['Sales', 'Sales/LA', 'Staff/Office A'] });
    expect(await contacts('anna')).toEqual(['Sales: sue', 'Sales / LA: lou']);
    // Two-way: HR no longer sees Office A, but still sees everyone else; Sales still sees Office A.
    expect(await contacts('hal')).toEqual(['Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(await contacts('sue')).toContain('Staff / Office A: anna');
    expect((await ouPermissions(opened.engine, 'HR')).everyOu).toBe(false);
    // A new OU below Office A sees what Office A sees, and Office A.
    addServerOu(db, 'Staff/Office A/Interns', 'console');
    expect((await ouPermissions(opened.engine, 'Staff/Office A/Interns')).sees).toEqual([
      'Sales',
      'Sales/LA',
      'Staff/Office A',
      'Staff/Office A/Interns',
    ]);
    // Every OU again.
    await setOuPermissions(db, 'Staff/Office A', '*', 'console');
    expect(await contacts('anna')).toEqual(['HR: hal', 'Sales: sue', 'Sales / LA: lou', 'Staff / Office B: ben']);
    expect(db.prepare("SELECT source FROM import_runs WHERE source LIKE 'server OU%sees%' ORDER BY id").all()).toEqual([
      { source: 'server OU Staff/Office A: sees Sales' },
      { source: 'server OU Staff/Office A: sees every OU' },
    ]);
    opened.close();
  });

  it('refuses an unknown OU and changes nothing; a disabled account is in no contact list', async () => {
    const { opened, db, contacts } = company();
    const before = databaseContent(db.location()!);
    let refused: unknown;
    try {
      await setOuPermissions(db, 'Staff/Office A', ['Sales', 'Nowhere'], 'console');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(Failure);
    expect(refused).toMatchObject({ code: 'no-such-server-ou', message: 'There is no OU "Nowhere" on the server.' });
    expect(databaseContent(db.location()!)).toBe(before);
    setLocalEnabled(db, ['ben'], false, 'console');
    expect(await contacts('anna')).not.toContain('Staff / Office B: ben');
    expect(await contacts('ben')).toBeUndefined();
    opened.close();
  });
});
