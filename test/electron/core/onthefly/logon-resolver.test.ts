/**
 * On-the-fly import against the real Samba DC and a real SQLite file: local first, AD within the OU path,
 * one query and one account for concurrent lookups, the not-found cache, injection attempts, an unreachable
 * directory, and imports recorded as on-the-fly runs with the engine's placement.
 */
import net from 'node:net';
import path from 'node:path';
import { Attribute, Change } from 'ldapts';
import { afterAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { LogonResolver, type ResolverOptions } from '../../../../electron/core/onthefly/logon-resolver.ts';
import type { Settings } from '../../../../shared/settings.ts';
import {
  BASE_DN,
  COMPUTERS,
  DOMAIN,
  GROUPS,
  MANAGERS_GROUP,
  NETBIOS,
  STAFF_OU,
  staffDn,
  staffUser,
} from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { adminClient } from '../../../support/seed-directory.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { addLocalAccount, databaseContent, sql } from '../../../support/users-db.ts';

const STAFF_PATH = `LDAP://${STAFF_OU},${BASE_DN}`;

describe.runIf(realPartsAvailable())('resolveLogon on the Samba DC', () => {
  const dc = testDc()!;
  const open: LogonResolver[] = [];
  afterAll(async () => {
    await Promise.all(open.map((r) => r.close()));
  });

  const make = (settings: Partial<Settings> = {}, options: Partial<ResolverOptions> = {}) => {
    const file = path.join(tempDir(), 'users.sqlite');
    openUsersDatabase(file).close();
    const resolver = new LogonResolver({
      settings: dcSettings(dc, { ouPath: STAFF_PATH, autoImport: true, ...settings }),
      password: SERVICE_PASSWORD,
      resolver: createResolver(),
      database: file,
      ...options,
    });
    open.push(resolver);
    return { resolver, file };
  };

  it(
    "imports an unknown logon from the OU path with the engine's mapping and placement, and records an " +
      'on-the-fly run',
    async () => {
      const { resolver, file } = make();
      const user = staffUser(7);
      const result = await resolver.resolveLogon(user.sam);
      expect(result).toMatchObject({
        result: 'imported',
        dryRun: false,
        dn: staffDn(user),
        account: {
          logon: user.sam,
          displayName: user.displayName,
          department: user.department,
          origin: 'ad',
          ou: 'Staff',
          enabled: user.enabled,
        },
      });
      const [guid] = [...ldapsearchAccounts(dc, staffDn(user), '(objectClass=user)').keys()];
      expect(result.result === 'imported' && result.account.adGuid).toBe(`{${guid}}`);
      expect(sql(file, 'SELECT mode, started_by, status, created FROM import_runs')).toEqual([
        { mode: 'on-the-fly', started_by: 'on-the-fly', status: 'succeeded', created: 1 },
      ]);
      expect(sql(file, 'SELECT action, logon FROM run_actions')).toEqual([{ action: 'create', logon: user.sam }]);
      // Next time it is local: no directory query.
      const before = resolver.queries;
      expect(await resolver.resolveLogon(user.sam.toUpperCase())).toMatchObject({
        result: 'local',
        account: { logon: user.sam },
      });
      expect(resolver.queries).toBe(before);
    },
  );

  it('accepts DOMAIN\\name and name@upn-suffix', async () => {
    const { resolver } = make();
    expect(await resolver.resolveLogon(`${NETBIOS}\\${staffUser(8).sam}`)).toMatchObject({
      result: 'imported',
      account: { logon: staffUser(8).sam },
    });
    const user = staffUser(9);
    const admin = await adminClient(dc.address, dc.caFile);
    const upn = `${user.sam}.upn@${DOMAIN}`;
    await admin.modify(
      staffDn(user),
      new Change({ operation: 'replace', modification: new Attribute({ type: 'userPrincipalName', values: [upn] }) }),
    );
    try {
      expect(await resolver.resolveLogon(upn.toUpperCase())).toMatchObject({
        result: 'imported',
        account: { logon: user.sam },
      });
    } finally {
      await admin.modify(
        staffDn(user),
        new Change({ operation: 'delete', modification: new Attribute({ type: 'userPrincipalName', values: [] }) }),
      );
      await admin.unbind();
    }
  });

  it(
    "imports nothing for DOMAIN\\name when DOMAIN is not this directory's domain (by NetBIOS or DNS " + 'name)',
    async () => {
      const { resolver, file } = make();
      expect(await resolver.resolveLogon('OTHER\\staff0010')).toEqual({
        result: 'not-found',
        reason:
          '"OTHER\\staff0010" names the domain OTHER, but this directory is CORP (corp.example.test); nothing ' +
          'was imported.',
      });
      expect(sql(file, 'SELECT * FROM accounts')).toEqual([]);
      expect(await resolver.resolveLogon('corp.example.test\\staff0010')).toMatchObject({
        result: 'imported',
        account: { logon: 'staff0010' },
      });
    },
  );

  it('answers a local account from the database, and leaves it as it is', async () => {
    const { resolver, file } = make();
    addLocalAccount(file, 'staff0011', 'Typed by hand');
    expect(await resolver.resolveLogon('staff0011')).toMatchObject({
      result: 'local',
      account: { origin: 'local', displayName: 'Typed by hand' },
    });
    expect(resolver.queries).toBe(0);
  });

  it('shares one directory query and creates one account for concurrent lookups of one name', async () => {
    const { resolver, file } = make();
    const names = [12, 13, 14, 15, 16].map((i) => staffUser(i).sam);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => resolver.resolveLogon(i % 2 ? names[i % 5]! : names[i % 5]!.toUpperCase())),
    );
    expect(results.every((r) => r.result === 'imported' || r.result === 'local')).toBe(true);
    expect(resolver.queries).toBe(5);
    expect(sql<{ n: number }>(file, 'SELECT count(*) AS n FROM accounts')[0]!.n).toBe(5);
    expect(resolver.connectionsOpened).toBeLessThanOrEqual(4);
  });

  it('imports what a dry run found without searching again, within a minute of the dry run', async () => {
    let now = 1_000_000;
    const { resolver, file } = make({}, { now: () => now });
    const [first, second] = [staffUser(17), staffUser(18)];
    expect(await resolver.resolveLogon(first.sam, { dryRun: true })).toMatchObject({
      result: 'imported',
      dryRun: true,
    });
    const searched = resolver.queries;
    expect(await resolver.resolveLogon(first.sam, { photo: false })).toMatchObject({
      result: 'imported',
      dryRun: false,
      account: { logon: first.sam, displayName: first.displayName },
    });
    expect(resolver.queries).toBe(searched); // the first logon's one search, before its password check
    // An entry found longer ago is searched again: the import takes the directory as it is now.
    await resolver.resolveLogon(second.sam, { dryRun: true });
    now += 61_000;
    const before = resolver.queries;
    expect(await resolver.resolveLogon(second.sam)).toMatchObject({ result: 'imported', dryRun: false });
    expect(resolver.queries).toBeGreaterThan(before);
    expect(sql(file, 'SELECT logon FROM accounts ORDER BY logon')).toEqual([
      { logon: first.sam },
      { logon: second.sam },
    ]);
  });

  it('refuses names outside the OU path and remembers "not found" for notFoundCacheSeconds', async () => {
    let now = 1_000_000;
    const { resolver, file } = make({ notFoundCacheSeconds: 30 }, { now: () => now });
    const outside = await resolver.resolveLogon('alice'); // in OU=Sales, not under OU=Staff
    expect(outside).toEqual({
      result: 'not-found',
      reason:
        `"alice" (CN=Alice Archer,OU=Sales,${BASE_DN}) is outside the import source: not in Staff ` +
        `(${STAFF_OU},${BASE_DN}) or below it, so a sync would not import it; nothing was imported.`,
    });
    await resolver.resolveLogon('ALICE');
    expect(resolver.queries).toBe(1);
    now += 31_000;
    await resolver.resolveLogon('alice');
    expect(resolver.queries).toBe(2);
    expect(sql(file, 'SELECT * FROM accounts')).toEqual([]);
  });

  describe('admits exactly the accounts a sync of the saved import source would import', () => {
    const groupDn = (dn: string) => `${dn},${BASE_DN}`;
    const cases: [string, Partial<Settings>, string[], [string, RegExp][]][] = [
      [
        'a group, nested members included',
        { importSource: `group:${groupDn(MANAGERS_GROUP.dn)}` },
        MANAGERS_GROUP.expected,
        [
          ['grace', /not a member of Managers \(CN=Managers,OU=Groups,/],
          ['staff0040', /not a member of Managers/],
        ],
      ],
      [
        'one OU level without its sub-OUs',
        { importSource: `level:OU=Sales,${BASE_DN}` },
        ['alice', 'bob'],
        [['dave', /not directly in Sales \(OU=Sales,DC=corp,DC=example,DC=test\)/]],
      ],
      [
        'an OU subtree and a group together',
        { importSource: `OU=LA,OU=Sales,${BASE_DN}; group:${groupDn(`CN=${GROUPS[1]!.name},${GROUPS[1]!.ou}`)}` },
        ['dave', 'frank', 'grace'],
        [['alice', /not in LA .* or below it, and not a member of Researchers/]],
      ],
    ];
    it.each(cases)('%s', async (_what, settings, admitted, refused) => {
      const { resolver, file } = make({ ouPath: `LDAP://${BASE_DN}`, ...settings });
      for (const name of admitted) {
        const result = await resolver.resolveLogon(name, { dryRun: true });
        expect(result, name).toMatchObject({ result: 'imported' });
      }
      for (const [name, why] of refused) {
        const result = await resolver.resolveLogon(name);
        expect(result, name).toMatchObject({ result: 'not-found', reason: expect.stringMatching(why) });
      }
      expect(sql(file, 'SELECT * FROM accounts')).toEqual([]);
    });

    it('asks the directory once for a member of a group source', async () => {
      const { resolver } = make({ ouPath: `LDAP://${BASE_DN}`, importSource: `group:${groupDn(MANAGERS_GROUP.dn)}` });
      expect(await resolver.resolveLogon('bob')).toMatchObject({ result: 'imported' });
      expect(resolver.queries).toBe(1);
    });

    it('refuses an account that is disabled in AD when the settings skip disabled accounts', async () => {
      const { resolver } = make({ importSource: `level:OU=Sales,${BASE_DN}`, importDisabled: false });
      expect(await resolver.resolveLogon('carol')).toMatchObject({
        result: 'not-found',
        reason: expect.stringMatching(/"carol" is disabled in Active Directory/),
      });
    });
  });

  it.each([
    ['a lone wildcard', '*'],
    ['a filter that matches everything', '*)(objectClass=*'],
    ['an OR injection', 'admin)(|(cn=*'],
    ['an empty name', ''],
    ['a 5 000-character name', 'x'.repeat(5000)],
    ['a NUL character', 'staff0001\u0000'],
    ['a trailing backslash', 'staff\\'],
  ])('imports nothing for %s and says why', async (_what, name) => {
    const { resolver, file } = make();
    const before = databaseContent(file);
    const result = await resolver.resolveLogon(name);
    expect(result.result).toBe('not-found');
    expect(result.result === 'not-found' && result.reason).toMatch(/Nothing was looked up or imported\.$/);
    expect(resolver.queries).toBe(0);
    expect(databaseContent(file)).toBe(before);
  });

  it('escapes what it sends: a name with filter characters AD allows matches only itself', async () => {
    const { resolver } = make({ ouPath: `LDAP://${BASE_DN}` });
    expect(await resolver.resolveLogon('staff(0001)')).toMatchObject({
      result: 'not-found',
      reason: expect.stringMatching(/no user account "staff\(0001\)"/),
    });
    expect(resolver.queries).toBe(1);
  });

  it('says on-the-fly import is off when the checkbox is off, without asking the directory', async () => {
    const { resolver } = make({ autoImport: false });
    expect(await resolver.resolveLogon('staff0020')).toMatchObject({
      result: 'not-found',
      reason: expect.stringMatching(/on-the-fly import from Active Directory is off/),
    });
    expect(resolver.queries).toBe(0);
  });

  it('shows in a dry run what would be imported, and imports nothing', async () => {
    const { resolver, file } = make({ autoImport: false, placement: 'single', placementOu: 'From AD' });
    const before = databaseContent(file);
    expect(await resolver.resolveLogon('staff0021', { dryRun: true })).toMatchObject({
      result: 'imported',
      dryRun: true,
      runId: null,
      account: { logon: 'staff0021', ou: 'From AD' },
    });
    expect(databaseContent(file)).toBe(before);
  });

  it('imports computers without the trailing $ when "Import computer names" is on', async () => {
    const { resolver } = make({ importComputers: true, ouPath: `LDAP://${BASE_DN}` });
    expect(await resolver.resolveLogon(COMPUTERS[0]!.name)).toMatchObject({
      result: 'imported',
      account: { logon: COMPUTERS[0]!.name, kind: 'computer' },
    });
  });

  it(
    'answers "unavailable" with the reason when the directory cannot be reached, at once for the lookups ' +
      'behind it',
    async () => {
      const closed = net.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r())); // nothing listens there now
      const { resolver, file } = make({ port, connectTimeout: 2 });
      const started = Date.now();
      const results = await Promise.all(
        ['staff0030', 'staff0031', 'staff0032', 'staff0033', 'staff0034', 'staff0035'].map((n) =>
          resolver.resolveLogon(n),
        ),
      );
      expect(results.every((r) => r.result === 'unavailable')).toBe(true);
      expect(results[0]!.result === 'unavailable' && results[0]!.reason).toMatch(
        /could not be asked .*refused|not listening|connect/i,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await resolver.resolveLogon('staff0036')).toMatchObject({ result: 'unavailable' });
      expect(resolver.connectionsOpened).toBe(0);
      expect(sql(file, 'SELECT * FROM accounts')).toEqual([]);
    },
  );
});
