/** Local accounts on a real SQLite file (no DC): one rule set for the console, bcscmd and the logon service. */
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
import { describeOnEngines } from '../../../support/sql-engines.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { contentOf } from '../../../support/users-db.ts';

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

  it('refuses empty, short, huge and control-character passwords', async () => {
    expect(passwordProblem('')).toBe('The password is empty.');
    expect(passwordProblem('short')).toMatch(/shorter than 8/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/longer than 1024/);
    expect(passwordProblem('line\nbreak!')).toMatch(/control character/);
    expect(passwordProblem('Long enough 1')).toBeNull();
  });
});

describeOnEngines('local accounts on $name', (e) => {
  const open = async () => (await e.usersDatabase()).engine;
  it('adds an enabled local account in a server OU, and records it in the history as a console action', async () => {
    const engine = await open();
    const made = await addLocalAccount(
      engine,
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
    expect(await engine.all('SELECT mode, started_by, status, created, source FROM import_runs')).toEqual([
      {
        mode: 'account',
        started_by: 'console',
        status: 'succeeded',
        created: 1,
        source: 'local account Guest.One: created',
      },
    ]);
  });

  it('refuses a second account with the same logon name in any case, and bad names, changing nothing', async () => {
    const engine = await open();
    await addLocalAccount(engine, { logon: 'kiosk', ou: '', displayName: '', email: '' }, 'command-line');
    const before = await contentOf(engine);
    expect(
      await failureOf(() => addLocalAccount(engine, { logon: 'KIOSK', ou: '', displayName: '', email: '' }, 'console')),
    ).toMatchObject({
      code: 'account-exists',
      nothingChanged: true,
    });
    for (const bad of ['', 'a b', 'x@y', 'DOMAIN\\x', 'a*', 'x'.repeat(65), "o'neil"])
      expect(
        await failureOf(() => addLocalAccount(engine, { logon: bad, ou: '', displayName: '', email: '' }, 'console')),
      ).toMatchObject({
        code: 'invalid-logon',
      });
    expect(await contentOf(engine)).toBe(before);
    expect(localLogonProblem('björn.åberg')).toBeNull();
  });

  it('sets, disables, enables and deletes local accounts only; AD accounts are refused with the reason', async () => {
    const engine = await open();
    await addLocalAccount(engine, { logon: 'kiosk', ou: '', displayName: '', email: '' }, 'console');
    await engine.run(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    );
    await setLocalPassword(engine, 'kiosk', 'Kiosk-Passw0rd', 'console');
    const hash = ((await engine.get("SELECT password_hash AS h FROM accounts WHERE logon = 'kiosk'")) as { h: string })
      .h;
    expect(await verifyPassword('Kiosk-Passw0rd', hash)).toBe(true);
    await setLocalEnabled(engine, ['kiosk'], false, 'console');
    expect(await engine.get("SELECT enabled FROM accounts WHERE logon = 'kiosk'")).toEqual({ enabled: 0 });
    await setLocalEnabled(engine, ['kiosk'], true, 'console');
    for (const change of [
      () => setLocalPassword(engine, 'alice', 'Alice-Passw0rd', 'console'),
      () => setLocalEnabled(engine, ['alice'], false, 'console'),
      () => deleteLocalAccounts(engine, ['alice'], 'console'),
    ])
      expect(await failureOf(change)).toMatchObject({ code: 'not-local-account', nothingChanged: true });
    expect(await failureOf(() => setLocalPassword(engine, 'kiosk', 'short', 'console'))).toMatchObject({
      code: 'invalid-password',
    });
    expect(await failureOf(() => deleteLocalAccounts(engine, ['nobody'], 'console'))).toMatchObject({
      code: 'no-such-account',
    });
    await deleteLocalAccounts(engine, ['kiosk'], 'console');
    expect(await engine.all('SELECT logon FROM accounts')).toEqual([{ logon: 'alice' }]);
    expect(await engine.all("SELECT source FROM import_runs WHERE mode = 'account' ORDER BY id")).toEqual([
      { source: 'local account kiosk: created' },
      { source: 'local account kiosk: password set' },
      { source: 'local account kiosk: disabled' },
      { source: 'local account kiosk: enabled' },
      { source: 'local account kiosk: deleted' },
    ]);
  });

  it('disables and deletes several local accounts at once, all or none (an AD one among them stops all)', async () => {
    const engine = await open();
    for (const logon of ['k1', 'k2', 'k3', 'k4'])
      await addLocalAccount(engine, { logon, ou: '', displayName: '', email: '' }, 'console');
    await engine.run(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    );
    const enabled = () => engine.all('SELECT logon, enabled FROM accounts ORDER BY logon');
    const before = await enabled();
    expect(await failureOf(() => setLocalEnabled(engine, ['k1', 'alice', 'k2'], false, 'console'))).toMatchObject({
      code: 'not-local-account',
    });
    expect(await enabled()).toEqual(before);
    await setLocalEnabled(engine, ['k1', 'k2', 'k3', 'k4'], false, 'console');
    expect((await enabled()).filter((r) => (r as { enabled: number }).enabled === 0)).toHaveLength(4);
    expect(await failureOf(() => deleteLocalAccounts(engine, ['k1', 'alice'], 'console'))).toMatchObject({
      code: 'not-local-account',
    });
    await deleteLocalAccounts(engine, ['k1', 'k2'], 'console');
    expect(await engine.all('SELECT logon FROM accounts ORDER BY logon')).toEqual([
      { logon: 'alice' },
      { logon: 'k3' },
      { logon: 'k4' },
    ]);
    const runs = await engine.all("SELECT id, source FROM import_runs WHERE mode = 'account' ORDER BY id DESC LIMIT 2");
    expect(runs.map((r) => (r as { source: string }).source)).toEqual([
      'local accounts k1, k2: deleted',
      'local accounts k1, k2, k3 and 1 more: disabled',
    ]);
    const lines = await engine.all(
      'SELECT logon, reason FROM run_actions WHERE run_id = ?',
      (runs[0] as { id: number }).id,
    );
    expect(lines).toEqual([
      { logon: 'k1', reason: 'deleted by the administrator' },
      { logon: 'k2', reason: 'deleted by the administrator' },
    ]);
  });
});

describeOnEngines('editing a local account (Properties, bcscmd /SETUSER) on $name', (e) => {
  const open = async () => (await e.usersDatabase()).engine;
  const withAlice = async () => {
    const engine = await open();
    await addLocalAccount(
      engine,
      { logon: 'desk', ou: 'Lobby', displayName: 'Front Desk', email: 'old@x.test' },
      'console',
    );
    await addLocalAccount(engine, { logon: 'guest', ou: '', displayName: '', email: '' }, 'console');
    await engine.run(
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice', 't', 't')",
    );
    await addServerOu(engine, 'Reception', 'console');
    return engine;
  };

  it('changes fields, server OU and logon name in one change with one history line of old → new', async () => {
    const engine = await withAlice();
    const edited = await editLocalAccount(
      engine,
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
    const line = (await engine.get(
      'SELECT logon, action, changes, reason FROM run_actions ORDER BY run_id DESC LIMIT 1',
    )) as { logon: string; action: string; changes: string; reason: string };
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
    expect((await accountHistory(engine, { logonKey: 'frontdesk', guid: null })).map((h) => h.action)).toEqual([
      'update',
      'create',
    ]);
  });

  it('refuses a logon name another account has (an AD one too), AD accounts, bad values and missing OUs', async () => {
    const engine = await withAlice();
    const before = await contentOf(engine);
    for (const [change, code] of [
      [() => editLocalAccount(engine, 'desk', { fields: {}, rename: 'ALICE' }, 'console'), 'account-exists'],
      [() => editLocalAccount(engine, 'desk', { fields: {}, rename: 'guest' }, 'console'), 'account-exists'],
      [() => editLocalAccount(engine, 'desk', { fields: {}, rename: 'has space' }, 'console'), 'invalid-logon'],
      [() => editLocalAccount(engine, 'alice', { fields: { email: 'a@x.test' } }, 'console'), 'not-local-account'],
      [() => editLocalAccount(engine, 'desk', { fields: { title: 'two\nlines' } }, 'console'), 'invalid-input'],
      [() => editLocalAccount(engine, 'desk', { fields: {}, ou: 'Nowhere' }, 'console'), 'no-such-server-ou'],
      [() => editLocalAccount(engine, 'desk', { fields: { email: 'old@x.test' } }, 'console'), 'nothing-to-change'],
    ] as const)
      expect(await failureOf(change)).toMatchObject({ code, nothingChanged: true });
    expect(
      await failureOf(() => editLocalAccount(engine, 'desk', { fields: {}, rename: 'ALICE' }, 'console')),
    ).toMatchObject({
      message: expect.stringMatching(/"ALICE" is the logon name of an account from Active Directory \(alice/),
    });
    expect(await contentOf(engine)).toBe(before);
    // Only the letter case: the same account, renamed.
    expect((await editLocalAccount(engine, 'desk', { fields: {}, rename: 'Desk' }, 'console')).logon).toBe('Desk');
  });
});
