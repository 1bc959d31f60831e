/** The import engine against the real Samba DC and a real SQLite file: each mode, sources, placement, matching. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { listAccounts } from '../../../../electron/core/database/accounts.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { type ImportRequest, runImport } from '../../../../electron/core/import/import-engine.ts';
import type { Settings } from '../../../../shared/settings.ts';
import {
  ALL_STAFF_GROUP,
  BASE_DN,
  COMPUTERS,
  ENGINEERING_OU,
  MANAGERS_GROUP,
  STAFF,
  STAFF_OU,
} from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { addLocalAccount, databaseContent, importRequest, runCount, sql } from '../../../support/users-db.ts';

const USERS_FILTER = '(&(objectCategory=person)(objectClass=user))';
const staffPath = `LDAP://${STAFF_OU},${BASE_DN}`;

describe.runIf(realPartsAvailable())('the import engine on the Samba DC', () => {
  const dc = testDc()!;
  const resolver = createResolver();
  let staffInAd: Map<string, string>;

  beforeAll(() => {
    staffInAd = ldapsearchAccounts(dc, `${STAFF_OU},${BASE_DN}`, USERS_FILTER);
  });

  const run = (file: string, request: Partial<ImportRequest>, settings: Partial<Settings> = {}) =>
    runImport(importRequest(request), {
      settings: dcSettings(dc, { ouPath: staffPath, ...settings }),
      password: SERVICE_PASSWORD,
      resolver,
      database: file,
    });
  const accounts = async (file: string) => {
    const database = openUsersDatabase(file);
    try {
      return await listAccounts(database.engine);
    } finally {
      database.close();
    }
  };
  const newFile = () => path.join(tempDir(), 'users.sqlite');

  it(
    'plans again under the write lock when another writer changed the database after planning, and applies ' +
      'onto what is there',
    async () => {
      const file = newFile();
      openUsersDatabase(file).close();
      let interfered = false;
      // The moment between planning and the apply's write lock: another process adds a local account with a
      // logon the plan would create, and counts as a write (the revision moves on).
      const outcome = await runImport(
        { mode: 'add', dryRun: false, full: false, confirmed: false, startedBy: 'command-line', source: null },
        {
          settings: dcSettings(dc, { ouPath: staffPath }),
          password: SERVICE_PASSWORD,
          resolver,
          database: file,
          onProgress: (p) => {
            if (p.phase !== 'apply' || interfered) return;
            interfered = true;
            addLocalAccount(file, 'staff0003', 'Local Staff Three');
            sql(file, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'");
          },
        },
      );
      expect(interfered).toBe(true);
      expect(outcome.error).toBeNull();
      expect(outcome.counts).toMatchObject({ created: staffInAd.size - 1, conflicts: 1, failed: 0 });
      expect(outcome.problems).toContainEqual(expect.objectContaining({ action: 'conflict', logon: 'staff0003' }));
      expect((await accounts(file)).find((a) => a.logon === 'staff0003')).toMatchObject({
        origin: 'local',
        displayName: 'Local Staff Three',
      });
    },
  );

  it(
    'creates a new database holding exactly the accounts and GUIDs that ldapsearch returns, across ' + 'pages',
    async () => {
      const file = newFile();
      const outcome = await run(file, { mode: 'new' });
      expect(outcome.error).toBeNull();
      expect(staffInAd.size).toBeGreaterThan(1500);
      expect(outcome.counts).toMatchObject({ created: staffInAd.size, failed: 0, conflicts: 0, skipped: 0 });
      const imported = await accounts(file);
      expect(new Map(imported.map((a) => [a.adGuid!.slice(1, -1), a.logon]))).toEqual(staffInAd);
      expect(outcome.backup).toBeNull(); // nothing to back up in an empty database
    },
  );

  it('maps names, mail, the disabled bit, middle names and the OU structure as AD holds them', async () => {
    const file = newFile();
    await run(file, { mode: 'new' }, { parseMiddleName: true });
    const byLogon = new Map((await accounts(file)).map((a) => [a.logon, a]));
    for (const u of STAFF) {
      const a = byLogon.get(u.sam)!;
      expect(a, u.sam).toBeDefined();
      expect([
        a.firstName,
        a.lastName,
        a.displayName,
        a.email,
        a.department,
        a.title,
        a.phone,
        a.enabled,
        a.origin,
        a.kind,
      ]).toEqual([u.given, u.sn, u.displayName, u.mail ?? '', u.department, u.title, u.phone, u.enabled, 'ad', 'user']);
      expect(a.ou).toBe(u.ou === ENGINEERING_OU ? 'Staff/Engineering' : 'Staff');
    }
    expect(byLogon.get('jwilson')!.middleName).toBe('Jr.');
    expect(byLogon.get('wilsonj')!.middleName).toBe('Jr.');
    expect(byLogon.get('staff0001')!.middleName).toBe('');
  });

  it('a second sync without changes reports every account unchanged and writes no action', async () => {
    const file = newFile();
    await run(file, { mode: 'new' });
    const outcome = await run(file, { mode: 'sync', full: true });
    expect(outcome.counts).toEqual({
      created: 0,
      updated: 0,
      disabled: 0,
      enabled: 0,
      deleted: 0,
      unchanged: staffInAd.size,
      skipped: 0,
      conflicts: 0,
      failed: 0,
    });
    expect(sql(file, 'SELECT count(*) AS n FROM run_actions WHERE run_id = ?', outcome.runId)).toEqual([{ n: 0 }]);
    const incremental = await run(file, { mode: 'sync' });
    expect(incremental).toMatchObject({
      incremental: true,
      counts: { created: 0, updated: 0, disabled: 0, unchanged: staffInAd.size },
    });
  });

  it('a dry run plans every action and writes nothing, not even a history entry', async () => {
    const file = newFile();
    await run(file, { mode: 'new' }, { ouPath: `LDAP://${ENGINEERING_OU},${BASE_DN}` });
    const before = databaseContent(file);
    const runs = runCount(file);
    const outcome = await run(file, { mode: 'sync', dryRun: true });
    expect(outcome.ok).toBe(true);
    expect(outcome.runId).toBeNull();
    expect(outcome.counts.created).toBe(staffInAd.size - 54);
    expect(outcome.plan!.filter((p) => p.action === 'create')).toHaveLength(outcome.counts.created);
    expect(databaseContent(file)).toBe(before);
    expect(runCount(file)).toBe(runs);
  });

  it('"Create a new database" backs the file up first and replaces everything, local accounts included', async () => {
    const file = newFile();
    await run(file, { mode: 'new' }, { ouPath: `LDAP://OU=Sales,${BASE_DN}` });
    addLocalAccount(file, 'helpdesk');
    const outcome = await run(file, { mode: 'new' }, { ouPath: `LDAP://OU=Research\\, Development,${BASE_DN}` });
    expect(outcome.backup).toMatch(/users\.backup-.*\.sqlite$/);
    expect((await accounts(file)).map((a) => a.logon).sort()).toEqual(['frank', 'grace']);
    expect(
      sql<{ logon: string }>(outcome.backup!, 'SELECT logon FROM accounts ORDER BY logon').map((r) => r.logon),
    ).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'helpdesk']);
    expect(sql(file, 'SELECT name FROM ous ORDER BY id')).toEqual([
      { name: '_Default' },
      { name: 'Research, Development' },
    ]);
  });

  it('"Add new accounts" only creates what is missing and leaves existing accounts as they are', async () => {
    const file = newFile();
    await run(file, { mode: 'new' }, { ouPath: `LDAP://OU=LA,OU=Sales,${BASE_DN}` });
    sql(file, "UPDATE accounts SET display_name = 'Changed here' WHERE logon = 'dave'");
    const outcome = await run(file, { mode: 'add' }, { ouPath: `LDAP://OU=Sales,${BASE_DN}` });
    expect(outcome.counts).toMatchObject({ created: 3, unchanged: 2, updated: 0, disabled: 0 });
    expect((await accounts(file)).find((a) => a.logon === 'dave')!.displayName).toBe('Changed here');
  });

  it(
    '"Add new accounts" into an empty database creates every account, under a chosen server OU with the AD ' +
      'structure below it',
    async () => {
      const file = newFile();
      const outcome = await run(
        file,
        { mode: 'add' },
        { ouPath: `LDAP://OU=Sales,${BASE_DN}`, placementOu: 'From AD' },
      );
      expect(outcome.counts).toMatchObject({ created: 5, unchanged: 0 });
      expect(Object.fromEntries((await accounts(file)).map((a) => [a.logon, a.ou]))).toEqual({
        alice: 'From AD/Sales',
        bob: 'From AD/Sales',
        carol: 'From AD/Sales',
        dave: 'From AD/Sales/LA',
        erin: 'From AD/Sales/LA',
      });
    },
  );

  it('reports a local account with an AD logon name as a conflict and never touches local accounts', async () => {
    const file = newFile();
    openUsersDatabase(file).close();
    addLocalAccount(file, 'Alice', 'Alice the local one');
    addLocalAccount(file, 'helpdesk');
    const before = sql(file, "SELECT * FROM accounts WHERE origin = 'local' ORDER BY id");
    const outcome = await run(file, { mode: 'sync' }, { ouPath: `LDAP://OU=Sales,${BASE_DN}` });
    expect(outcome.counts).toMatchObject({ created: 4, conflicts: 1 });
    expect(outcome.problems).toEqual([
      expect.objectContaining({
        action: 'conflict',
        logon: 'alice',
        reason: expect.stringMatching(/local account "Alice"/),
      }),
    ]);
    expect(sql(file, "SELECT * FROM accounts WHERE origin = 'local' ORDER BY id")).toEqual(before);
    const again = await run(file, { mode: 'sync', full: true }, { ouPath: `LDAP://OU=Sales,${BASE_DN}` });
    expect(again.counts).toMatchObject({ disabled: 0, conflicts: 1 });
    expect(sql(file, "SELECT * FROM accounts WHERE origin = 'local' ORDER BY id")).toEqual(before);
  });

  it(
    "imports the members of a group over 1 500 members and of a nested group, as ldapsearch's in-chain search " +
      'finds them',
    async () => {
      const file = newFile();
      const groups = [`${ALL_STAFF_GROUP},${BASE_DN}`, `${MANAGERS_GROUP.dn},${BASE_DN}`];
      const outcome = await run(file, { mode: 'new', source: { ous: [], groups } });
      const expected = new Map([
        ...groups.flatMap((g) => [
          ...ldapsearchAccounts(dc, BASE_DN, `(&${USERS_FILTER}(memberOf:1.2.840.113556.1.4.1941:=${g}))`),
        ]),
      ]);
      expect(expected.size).toBe(STAFF.length + MANAGERS_GROUP.expected.length);
      expect(outcome.counts.created).toBe(expected.size);
      expect(new Map((await accounts(file)).map((a) => [a.adGuid!.slice(1, -1), a.logon]))).toEqual(expected);
      expect(
        (await accounts(file))
          .filter((a) => MANAGERS_GROUP.expected.includes(a.logon))
          .map((a) => a.logon)
          .sort(),
      ).toEqual(MANAGERS_GROUP.expected);
    },
  );

  it('imports computer names without the trailing $ when asked for computers', async () => {
    const file = newFile();
    const outcome = await run(file, { mode: 'new' }, { ouPath: `LDAP://${BASE_DN}`, importComputers: true });
    const imported = await accounts(file);
    expect(imported.every((a) => a.kind === 'computer' && !a.logon.endsWith('$'))).toBe(true);
    expect(imported.map((a) => a.logon)).toEqual(expect.arrayContaining(COMPUTERS.map((c) => c.name)));
    expect(outcome.counts.created).toBe(ldapsearchAccounts(dc, BASE_DN, '(objectClass=computer)').size);
  });

  it('does not take a computer for a user account of the same name: that is a conflict', async () => {
    const file = newFile();
    openUsersDatabase(file).close();
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, created_at, updated_at) ' +
        "VALUES ('ws01', 'ws01', 1, 'user', 1, 'ad', '00000000-0000-0000-0000-000000000001', 'then', 'then')",
    );
    const outcome = await run(
      file,
      { mode: 'sync' },
      { ouPath: `LDAP://OU=Workstations,${BASE_DN}`, importComputers: true },
    );
    expect(outcome.counts).toMatchObject({ created: 1, conflicts: 1 });
    expect(outcome.problems).toEqual([
      expect.objectContaining({
        action: 'conflict',
        logon: 'WS01',
        reason: 'the logon name is taken by a user account "ws01"',
      }),
    ]);
    expect(sql(file, "SELECT kind, ad_guid FROM accounts WHERE logon = 'ws01'")).toEqual([
      { kind: 'user', ad_guid: '00000000-0000-0000-0000-000000000001' },
    ]);
  });

  it('places every account into one chosen server OU, or skips disabled accounts, as set', async () => {
    const file = newFile();
    const outcome = await run(
      file,
      { mode: 'new' },
      {
        ouPath: `LDAP://OU=Sales,${BASE_DN}`,
        placement: 'single',
        placementOu: 'Imported/From AD',
        importDisabled: false,
      },
    );
    expect(outcome.counts).toMatchObject({ created: 3, skipped: 2 });
    expect(outcome.problems.map((p) => [p.logon, p.reason])).toEqual(
      expect.arrayContaining([
        ['carol', expect.stringMatching(/disabled in Active Directory/)],
        ['erin', expect.stringMatching(/disabled/)],
      ]),
    );
    expect(new Set((await accounts(file)).map((a) => a.ou))).toEqual(new Set(['Imported/From AD']));
  });

  it('names a missing OU and changes nothing', async () => {
    const file = newFile();
    await run(file, { mode: 'new' }, { ouPath: `LDAP://OU=Sales,${BASE_DN}` });
    const before = databaseContent(file);
    const outcome = await run(file, { mode: 'sync' }, { ouPath: `LDAP://OU=Nowhere,${BASE_DN}` });
    expect(outcome).toMatchObject({
      ok: false,
      status: 'failed',
      error: { code: 'no-such-ou', message: expect.stringMatching(/OU=Nowhere.* does not exist.*Nothing was changed/) },
    });
    expect(databaseContent(file)).toBe(before);
  });
});
