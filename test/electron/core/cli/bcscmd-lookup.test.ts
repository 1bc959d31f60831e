/**
 * bcscmd /LOOKUP as the communication server (or an admin) runs it: a real process, the real DC, a real database file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcscmd, dcSetArgs } from '../../../support/bcscmd.ts';
import { BASE_DN, GROUPS, NETBIOS, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent } from '../../../support/users-db.ts';

const PASSWORD_ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };

describe('bcscmd /LOOKUP usage', () => {
  it('needs a name and does not mix with /LDAP', () => {
    expect(bcscmd(['/LOOKUP:'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/\/LOOKUP needs a value, e\.g\. \/LOOKUP:jsmith/),
    });
    expect(bcscmd(['/LDAP', '/LOOKUP:x'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Choose \/LDAP or \/LOOKUP/),
    });
    expect(bcscmd(['/?']).out).toMatch(/\/LOOKUP:<name>/);
  });
});

describe.runIf(realPartsAvailable())('bcscmd /LOOKUP against the real DC', () => {
  const dc = testDc()!;
  const configure = (autoImport: boolean) => {
    const data = tempDir();
    const set = bcscmd([
      `/DATA:${data}`,
      ...dcSetArgs(dc, `${STAFF_OU},${BASE_DN}`),
      `/SET:autoImport=${autoImport ? 'yes' : 'no'}`,
    ]);
    expect(set.code, set.err).toBe(0);
    return data;
  };

  it('imports an unknown logon (exit 0), then finds it in the database, printing the documented JSON', () => {
    const data = configure(true);
    const first = bcscmd([`/DATA:${data}`, '/LOOKUP:staff0040', '/JSON'], PASSWORD_ENV);
    expect(first.code, first.err).toBe(0);
    const imported = JSON.parse(first.out);
    expect(imported).toMatchObject({
      result: 'imported',
      dryRun: false,
      account: { logon: 'staff0040', origin: 'ad', ou: 'Staff' },
    });
    const users = JSON.parse(bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out) as Record<string, unknown>[];
    expect(Object.keys(imported.account)).toEqual(Object.keys(users[0]!)); // the same fields as /USERS
    const again = bcscmd([`/DATA:${data}`, `/LOOKUP:${NETBIOS}\\STAFF0040`, '/JSON'], PASSWORD_ENV);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ result: 'local', account: { logon: 'staff0040' } });
    expect(bcscmd([`/DATA:${data}`, '/HISTORY']).out).toMatch(/on-the-fly/);
  });

  it(
    'exits 1 with the reason for a name it will not look up, one outside the OU path, and with the checkbox ' + 'off',
    () => {
      const data = configure(true);
      const injection = bcscmd([`/DATA:${data}`, '/LOOKUP:*)(objectClass=*'], PASSWORD_ENV);
      expect(injection).toMatchObject({
        code: 1,
        err: expect.stringMatching(
          /^Not found: .*characters that Active Directory does not allow.*Nothing was looked up or imported\./,
        ),
      });
      expect(bcscmd([`/DATA:${data}`, '/LOOKUP:alice'], PASSWORD_ENV)).toMatchObject({
        code: 1,
        err: expect.stringMatching(/^Not found: "alice" \(CN=Alice Archer,OU=Sales,.*\) is outside the import source/),
      });
      const off = configure(false);
      expect(JSON.parse(bcscmd([`/DATA:${off}`, '/LOOKUP:staff0041', '/JSON'], PASSWORD_ENV).out)).toMatchObject({
        result: 'not-found',
        reason: expect.stringMatching(/on-the-fly import .* is off/),
      });
    },
  );

  it('imports no one outside a group source: a user in the OU path but not in the group is refused (exit 1)', () => {
    const data = configure(true);
    const group = `CN=${GROUPS[0]!.name},${GROUPS[0]!.ou},${BASE_DN}`;
    expect(bcscmd([`/DATA:${data}`, `/SET:ouPath=LDAP://${BASE_DN}`, `/SET:importSource=group:${group}`]).code).toBe(0);
    // carol is in OU=Sales, inside the OU path, but not a member of Sales Team.
    expect(bcscmd([`/DATA:${data}`, '/LOOKUP:carol'], PASSWORD_ENV)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^Not found: "carol" .* is outside the import source: not a member of Sales Team/),
    });
    expect(bcscmd([`/DATA:${data}`, '/LOOKUP:bob', '/JSON'], PASSWORD_ENV)).toMatchObject({ code: 0 });
    const users = JSON.parse(bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out) as { logon: string }[];
    expect(users.map((u) => u.logon)).toEqual(['bob']);
  });

  it('shows with /DRYRUN what would be imported and changes nothing', () => {
    const data = configure(false);
    bcscmd([`/DATA:${data}`, '/USERS']); // creates the empty database
    const before = databaseContent(path.join(data, 'users.sqlite'));
    const dry = bcscmd([`/DATA:${data}`, '/LOOKUP:staff0042', '/DRYRUN'], PASSWORD_ENV);
    expect(dry).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Would import staff0042 .* into Staff, (enabled|disabled)\./),
    });
    expect(databaseContent(path.join(data, 'users.sqlite'))).toBe(before);
  });

  it('says "directory unavailable" with exit 1 when the DC refuses the bind', () => {
    const data = configure(true);
    const refused = bcscmd([`/DATA:${data}`, '/LOOKUP:staff0043', '/JSON'], {
      ADCONSOLE_LDAP_PASSWORD: 'Not-The-Password-7391',
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({
      result: 'unavailable',
      reason: expect.stringMatching(/password is wrong \(AD code 52e\)/),
    });
    expect(refused.out + refused.err).not.toContain('Not-The-Password-7391');
  });
});
