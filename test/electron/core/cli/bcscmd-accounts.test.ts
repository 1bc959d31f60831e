/** bcscmd's local account switches as an administrator types them: a real process and a real database file. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BCSCMD, bcscmd } from '../../../support/bcscmd.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

const withStdin = (args: string[], input: string) =>
  spawnSync(process.execPath, [BCSCMD, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });

describe('bcscmd local account switches', () => {
  it('adds an account into a server OU with /OU, and sets its password from stdin', () => {
    const dir = tempDir();
    expect(
      bcscmd([`/DATA:${dir}`, '/ADDUSER:kiosk', '/OU:Lobby/Front', '/NAME:Front Desk', '/EMAIL:desk@x.test']),
    ).toMatchObject({
      code: 0,
      out: 'Added the local account kiosk in Lobby/Front. Give it a password with bcscmd /SETPASSWORD:kiosk.\n',
    });
    const set = withStdin([`/DATA:${dir}`, '/SETPASSWORD:kiosk'], 'Kiosk-Passw0rd\nignored second line\n');
    expect(set.status, set.stderr).toBe(0);
    expect(
      sql(path.join(dir, 'users.sqlite'), 'SELECT password_hash LIKE ? AS hashed FROM accounts', 'scrypt$%'),
    ).toEqual([{ hashed: 1 }]);
    expect(bcscmd([`/DATA:${dir}`, '/USERS', '/JSON']).out).not.toContain('scrypt');
  });

  it('changes a local account with /SETUSER (fields, /OU, /RENAME), refusing AD ones and taken names', () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.sqlite');
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:kiosk', '/NAME:Front Desk']).code).toBe(0);
    expect(bcscmd([`/DATA:${dir}`, '/ADDOU:Reception']).code).toBe(0);
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    );
    expect(
      bcscmd([
        `/DATA:${dir}`,
        '/SETUSER:kiosk',
        '/EMAIL:desk@x.test',
        '/DEPARTMENT:Facilities',
        '/PHONE:+41 44 555 0000',
        '/OU:Reception',
        '/RENAME:frontdesk',
      ]),
    ).toMatchObject({ code: 0, out: 'Changed the local account frontdesk (was kiosk).\n' });
    const [account] = JSON.parse(bcscmd([`/DATA:${dir}`, '/USERS', '/JSON']).out).filter(
      (a: { origin: string }) => a.origin === 'local',
    );
    expect(account).toMatchObject({
      logon: 'frontdesk',
      displayName: 'Front Desk',
      email: 'desk@x.test',
      department: 'Facilities',
      phone: '+41 44 555 0000',
      ou: 'Reception',
    });
    const before = databaseContent(file);
    expect(bcscmd([`/DATA:${dir}`, '/SETUSER:frontdesk', '/RENAME:Alice'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/"Alice" is the logon name of an account from Active Directory.*Nothing was changed/s),
    });
    expect(bcscmd([`/DATA:${dir}`, '/SETUSER:alice', '/TITLE:Boss'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/alice comes from Active Directory/),
    });
    expect(bcscmd([`/DATA:${dir}`, '/SETUSER:frontdesk'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/\/SETUSER needs something to change/),
    });
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:x', '/DEPARTMENT:Sales'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/\/DEPARTMENT works with \/SETUSER/),
    });
    expect(databaseContent(file)).toBe(before);
    expect(bcscmd([`/DATA:${dir}`, '/SETUSER:frontdesk', '/EMAIL:desk@x.test'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Nothing to change: frontdesk already has these values\./),
    });
  });

  it("prints and sets OU permissions with /OUPERMISSIONS /SEES, and an account's contact list with /CONTACTS", () => {
    const dir = tempDir();
    for (const [logon, ou] of [
      ['anna', 'Office A'],
      ['ben', 'Office B'],
      ['hal', 'HR'],
    ] as const)
      expect(bcscmd([`/DATA:${dir}`, `/ADDUSER:${logon}`, `/OU:${ou}`, `/NAME:${logon.toUpperCase()}`]).code).toBe(0);
    expect(bcscmd([`/DATA:${dir}`, '/OUPERMISSIONS:Office A'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Office A sees every OU \(two-way: these OUs see it too\):\n {2}_Default\n {2}HR\n/),
    });
    const file = path.join(dir, 'users.sqlite');
    const before = databaseContent(file);
    expect(bcscmd([`/DATA:${dir}`, '/OUPERMISSIONS:Office A', '/SEES:HR;Nowhere'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/There is no OU "Nowhere" on the server\. Nothing was changed\./),
    });
    expect(databaseContent(file)).toBe(before);
    expect(bcscmd([`/DATA:${dir}`, '/OUPERMISSIONS:Office A', '/SEES:HR']).out).toBe(
      'Office A sees 2 OU(s) (two-way: these OUs see it too):\n  HR\n  Office A\n',
    );
    const list = JSON.parse(bcscmd([`/DATA:${dir}`, '/CONTACTS:anna', '/JSON']).out);
    expect(list).toEqual({ logon: 'anna', groups: [{ label: 'HR', members: [{ logon: 'hal', displayName: 'HAL' }] }] });
    expect(bcscmd([`/DATA:${dir}`, '/CONTACTS:ben']).out).toBe(
      'Contact list of ben:\nHR (1)\n  hal                  HAL\n',
    );
    expect(bcscmd([`/DATA:${dir}`, '/SEES:HR'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/\/SEES works with/),
    });
  });

  it('refuses bad input with exit 2 and AD accounts with exit 1, changing nothing', () => {
    const dir = tempDir();
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:kiosk']).code).toBe(0);
    const file = path.join(dir, 'users.sqlite');
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    );
    const before = databaseContent(file);
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:Kiosk'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/already has an account "kiosk"/),
    });
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:two words'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no spaces/),
    });
    expect(withStdin([`/DATA:${dir}`, '/SETPASSWORD:kiosk'], 'short\n')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/shorter than 8 characters\. Nothing was changed\./),
    });
    expect(bcscmd([`/DATA:${dir}`, '/DISABLE:alice'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /alice comes from Active Directory, so it cannot be disabled here.*Nothing was changed/s,
      ),
    });
    expect(bcscmd([`/DATA:${dir}`, '/DELETEUSER:nobody'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no account "nobody"/),
    });
    expect(bcscmd([`/DATA:${dir}`, '/NAME:X', '/DISABLE:kiosk'])).toMatchObject({
      code: 2,
      err: '/NAME and /EMAIL work with /ADDUSER and /SETUSER.\n',
    });
    expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:a', '/ENABLE:b'])).toMatchObject({
      code: 2,
      err: 'Give one account change at a time.\n',
    });
    expect(databaseContent(file)).toBe(before);
  });

  it('disables, enables and deletes a local account, each a history entry', () => {
    const dir = tempDir();
    for (const args of [['/ADDUSER:kiosk'], ['/DISABLE:kiosk'], ['/ENABLE:kiosk'], ['/DELETEUSER:kiosk']])
      expect(bcscmd([`/DATA:${dir}`, ...args]).code).toBe(0);
    const history = bcscmd([`/DATA:${dir}`, '/HISTORY']);
    expect(history.out).toMatch(/Account change.*local account kiosk: deleted/s);
    expect(sql(path.join(dir, 'users.sqlite'), "SELECT count(*) AS n FROM import_runs WHERE mode = 'account'")).toEqual(
      [{ n: 4 }],
    );
  });

  it('creates, renames and deletes server OUs and moves a local account, refusing what would lose track', () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.sqlite');
    const run = (...args: string[]) => bcscmd([`/DATA:${dir}`, ...args]);
    expect(run('/ADDOU:Lobby/Front')).toMatchObject({ code: 0, out: 'Created the server OU Lobby/Front.\n' });
    expect(run('/ADDUSER:kiosk').code).toBe(0);
    expect(run('/MOVE:kiosk')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^\/MOVE needs \/OU:<server OU path>/),
    });
    expect(run('/MOVE:kiosk', '/OU:Lobby/Back')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^There is no OU "Lobby\/Back" on the server\. Nothing was changed\./),
    });
    expect(run('/MOVE:kiosk', '/OU:lobby/front')).toMatchObject({
      code: 0,
      out: 'Moved the local account kiosk to Lobby/Front.\n',
    });
    expect(run('/RENAMEOU:Lobby/Front')).toMatchObject({ code: 2, err: expect.stringMatching(/needs the new name/) });
    expect(run('/RENAMEOU:Lobby/Front', '/NAME:Desk')).toMatchObject({
      code: 0,
      out: 'Renamed the server OU Lobby/Front to Lobby/Desk.\n',
    });
    const before = databaseContent(file);
    expect(run('/DELETEOU:Lobby/Desk')).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /^The OU "Lobby\/Desk" is not empty: it holds 1 account and 0 OUs\. Nothing was changed\./,
      ),
    });
    expect(run('/DELETEOU:_Default').code).toBe(1);
    expect(databaseContent(file)).toBe(before);
    expect(run('/MOVE:kiosk', '/OU:_Default').code).toBe(0);
    expect(run('/DELETEOU:Lobby/Desk')).toMatchObject({ code: 0, out: 'Deleted the server OU Lobby/Desk.\n' });
    expect(run('/USERS').out).toMatch(/^kiosk .* local +_Default\n/);
  });
});
