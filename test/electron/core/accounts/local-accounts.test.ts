/** Local accounts on a real SQLite file (no DC): one rule set for the console, bcscmd and the logon service. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addLocalAccount,
  deleteLocalAccounts,
  editLocalAccount,
  localLogonProblem,
  setLocalEnabled,
  setLocalPassword,
} from '../../../../electron/core/accounts/local-accounts.ts';
import { addServerOu } from '../../../../electron/core/accounts/server-ous.ts';
import { accountHistory } from '../../../../electron/core/import/run-history.ts';
import { passwordProblem } from '../../../../electron/core/accounts/local-password.ts';
import { hashPassword, verifyPassword } from '../../../../electron/core/secrets/password-hash.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent } from '../../../support/users-db.ts';

const open = () => openUsersDatabase(path.join(tempDir(), 'users.sqlite'));
const failureOf = async (work: () => unknown) => {
  try {
    await work();
  } catch (err) {
    return err instanceof Failure ? { code: err.code, nothingChanged: err.nothingChanged, message: err.message } : err;
  }
  return null;
};

describe('local account passwords', () => {
  it('stores a salted scrypt hash that only the same password matches', async () => {
    const one = await hashPassword('Corr3ct horse:battery');
    const two = await hashPassword('Corr3ct horse:battery');
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('Corr3ct horse:battery', one)).toBe(true);
    expect(await verifyPassword('Corr3ct horse:batter', one)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('refuses empty, short, huge and control-character passwords', () => {
    expect(passwordProblem('')).toBe('The password is empty.');
    expect(passwordProblem('short')).toMatch(/shorter than 8/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/longer than 1024/);
    expect(passwordProblem('line\nbreak!')).toMatch(/control character/);
    expect(passwordProblem('Long enough 1')).toBeNull();
  });
});

describe('local accounts', () => {
  it('adds an enabled local account in a server OU, and records it in the history as a console action', () => {
    const { db, close } = open();
    const made = addLocalAccount(
      db,
      { logon: 'Guest.One', ou: 'Guests/Visitors', displayName: 'Guest One', email: 'g@x.test' },
      'console',
    );
    expect(made).toMatchObject({
      logon: 'Guest.One',
      origin: 'local',
      enabled: true,
      ou: 'Guests/Visitors',
      firstName: 'Guest',
      lastName: 'One',
    });
    expect(db.prepare('SELECT mode, started_by, status, created, source FROM import_runs').all()).toEqual([
      {
        mode: 'account',
        started_by: 'console',
        status: 'succeeded',
        created: 1,
        source: 'local account Guest.One: created',
      },
    ]);
    close();
  });

  it('refuses a second account with the same logon name in any case, and bad names, changing nothing', async () => {
    const opened = open();
    addLocalAccount(opened.db, { logon: 'kiosk', ou: '', displayName: '', email: '' }, 'command-line');
    const before = databaseContent(opened.file);
    expect(
      await failureOf(() =>
        addLocalAccount(opened.db, { logon: 'KIOSK', ou: '', displayName: '', email: '' }, 'console'),
      ),
    ).toMatchObject({
      code: 'account-exists',
      nothingChanged: true,
    });
    for (const bad of ['', 'a b', 'x@y', 'DOMAIN\\x', 'a*', 'x'.repeat(65), "o'neil"])
      expect(
        await failureOf(() =>
          addLocalAccount(opened.db, { logon: bad, ou: '', displayName: '', email: '' }, 'console'),
        ),
      ).toMatchObject({
        code: 'invalid-logon',
      });
    expect(databaseContent(opened.file)).toBe(before);
    expect(localLogonProblem('björn.åberg')).toBeNull();
    opened.close();
  });

  it('sets, disables, enables and deletes local accounts only; AD accounts are refused with the reason', async () => {
    const opened = open();
    const { db } = opened;
    addLocalAccount(db, { logon: 'kiosk', ou: '', displayName: '', email: '' }, 'console');
    db.prepare(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    ).run();
    await setLocalPassword(db, 'kiosk', 'Kiosk-Passw0rd', 'console');
    const hash = (db.prepare("SELECT password_hash AS h FROM accounts WHERE logon = 'kiosk'").get() as { h: string }).h;
    expect(await verifyPassword('Kiosk-Passw0rd', hash)).toBe(true);
    setLocalEnabled(db, ['kiosk'], false, 'console');
    expect(db.prepare("SELECT enabled FROM accounts WHERE logon = 'kiosk'").get()).toEqual({ enabled: 0 });
    setLocalEnabled(db, ['kiosk'], true, 'console');
    for (const change of [
      () => setLocalPassword(db, 'alice', 'Alice-Passw0rd', 'console'),
      () => setLocalEnabled(db, ['alice'], false, 'console'),
      () => deleteLocalAccounts(db, ['alice'], 'console'),
    ])
      expect(await failureOf(change)).toMatchObject({ code: 'not-local-account', nothingChanged: true });
    expect(await failureOf(() => setLocalPassword(db, 'kiosk', 'short', 'console'))).toMatchObject({
      code: 'invalid-password',
    });
    expect(await failureOf(() => deleteLocalAccounts(db, ['nobody'], 'console'))).toMatchObject({
      code: 'no-such-account',
    });
    deleteLocalAccounts(db, ['kiosk'], 'console');
    expect(db.prepare('SELECT logon FROM accounts').all()).toEqual([{ logon: 'alice' }]);
    expect(db.prepare("SELECT source FROM import_runs WHERE mode = 'account' ORDER BY id").all()).toEqual([
      { source: 'local account kiosk: created' },
      { source: 'local account kiosk: password set' },
      { source: 'local account kiosk: disabled' },
      { source: 'local account kiosk: enabled' },
      { source: 'local account kiosk: deleted' },
    ]);
    opened.close();
  });

  it('disables and deletes several local accounts at once, all or none (an AD one among them stops all)', async () => {
    const opened = open();
    const { db } = opened;
    for (const logon of ['k1', 'k2', 'k3', 'k4'])
      addLocalAccount(db, { logon, ou: '', displayName: '', email: '' }, 'console');
    db.prepare(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    ).run();
    const enabled = () => db.prepare('SELECT logon, enabled FROM accounts ORDER BY logon').all();
    const before = enabled();
    expect(await failureOf(() => setLocalEnabled(db, ['k1', 'alice', 'k2'], false, 'console'))).toMatchObject({
      code: 'not-local-account',
    });
    expect(enabled()).toEqual(before);
    setLocalEnabled(db, ['k1', 'k2', 'k3', 'k4'], false, 'console');
    expect(enabled().filter((r) => (r as { enabled: number }).enabled === 0)).toHaveLength(4);
    expect(await failureOf(() => deleteLocalAccounts(db, ['k1', 'alice'], 'console'))).toMatchObject({
      code: 'not-local-account',
    });
    deleteLocalAccounts(db, ['k1', 'k2'], 'console');
    expect(db.prepare('SELECT logon FROM accounts ORDER BY logon').all()).toEqual([
      { logon: 'alice' },
      { logon: 'k3' },
      { logon: 'k4' },
    ]);
    const runs = db.prepare("SELECT id, source FROM import_runs WHERE mode = 'account' ORDER BY id DESC LIMIT 2").all();
    expect(runs.map((r) => (r as { source: string }).source)).toEqual([
      'local accounts k1, k2: deleted',
      'local accounts k1, k2, k3 and 1 more: disabled',
    ]);
    const lines = db
      .prepare('SELECT logon, reason FROM run_actions WHERE run_id = ?')
      .all((runs[0] as { id: number }).id);
    expect(lines).toEqual([
      { logon: 'k1', reason: 'deleted by the administrator' },
      { logon: 'k2', reason: 'deleted by the administrator' },
    ]);
    opened.close();
  });
});

describe('editing a local account (Properties, bcscmd /SETUSER)', () => {
  const withAlice = () => {
    const opened = open();
    const { db } = opened;
    addLocalAccount(db, { logon: 'desk', ou: 'Lobby', displayName: 'Front Desk', email: 'old@x.test' }, 'console');
    addLocalAccount(db, { logon: 'guest', ou: '', displayName: '', email: '' }, 'console');
    db.prepare(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    ).run();
    addServerOu(db, 'Reception', 'console');
    return opened;
  };

  it('changes fields, server OU and logon name in one change with one history line of old → new', async () => {
    const opened = withAlice();
    const { db } = opened;
    const edited = editLocalAccount(
      db,
      'desk',
      {
        fields: { email: 'desk@x.test', department: 'Facilities', title: 'Reception' },
        ou: 'Reception',
        rename: 'frontdesk',
      },
      'console',
    );
    expect(edited).toMatchObject({
      logon: 'frontdesk',
      email: 'desk@x.test',
      department: 'Facilities',
      title: 'Reception',
      displayName: 'Front Desk',
      ou: 'Reception',
    });
    const line = db
      .prepare('SELECT logon, action, changes, reason FROM run_actions ORDER BY run_id DESC LIMIT 1')
      .get() as { logon: string; action: string; changes: string; reason: string };
    expect({ ...line, changes: JSON.parse(line.changes) }).toEqual({
      logon: 'frontdesk',
      action: 'update',
      changes: {
        logon: { from: 'desk', to: 'frontdesk' },
        email: { from: 'old@x.test', to: 'desk@x.test' },
        department: { from: '', to: 'Facilities' },
        title: { from: '', to: 'Reception' },
        ou: { from: 'Lobby', to: 'Reception' },
      },
      reason: 'renamed from desk by the administrator',
    });
    // Its history keeps what happened under the old name.
    expect((await accountHistory(opened.engine, { logonKey: 'frontdesk', guid: null })).map((h) => h.action)).toEqual([
      'update',
      'create',
    ]);
    opened.close();
  });

  it('refuses a logon name another account has (an AD one too), AD accounts, bad values and missing OUs', async () => {
    const opened = withAlice();
    const { db } = opened;
    const before = databaseContent(db.location()!);
    for (const [change, code] of [
      [() => editLocalAccount(db, 'desk', { fields: {}, rename: 'ALICE' }, 'console'), 'account-exists'],
      [() => editLocalAccount(db, 'desk', { fields: {}, rename: 'guest' }, 'console'), 'account-exists'],
      [() => editLocalAccount(db, 'desk', { fields: {}, rename: 'has space' }, 'console'), 'invalid-logon'],
      [() => editLocalAccount(db, 'alice', { fields: { email: 'a@x.test' } }, 'console'), 'not-local-account'],
      [() => editLocalAccount(db, 'desk', { fields: { title: 'two\nlines' } }, 'console'), 'invalid-input'],
      [() => editLocalAccount(db, 'desk', { fields: {}, ou: 'Nowhere' }, 'console'), 'no-such-server-ou'],
      [() => editLocalAccount(db, 'desk', { fields: { email: 'old@x.test' } }, 'console'), 'nothing-to-change'],
    ] as const)
      expect(await failureOf(change)).toMatchObject({ code, nothingChanged: true });
    expect(
      await failureOf(() => editLocalAccount(db, 'desk', { fields: {}, rename: 'ALICE' }, 'console')),
    ).toMatchObject({
      message: expect.stringMatching(/"ALICE" is the logon name of an account from Active Directory \(alice/),
    });
    expect(databaseContent(db.location()!)).toBe(before);
    // Only the letter case: the same account, renamed.
    expect(editLocalAccount(db, 'desk', { fields: {}, rename: 'Desk' }, 'console').logon).toBe('Desk');
    opened.close();
  });
});
