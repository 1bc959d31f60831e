/**
 * Synchronize after changes in AD — rename, disable, re-enable, move out of scope, delete, add — on an OU
 * of its own (created and removed by this suite, so that other suites' counts are not disturbed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAccounts } from '../../../../electron/core/database/accounts.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import type { ImportRequest } from '../../../../electron/core/import/import-engine.ts';
import { GONE_REASON } from '../../../../electron/core/import/planner.ts';
import { BASE_DN } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { addStaffUser, adminClient } from '../../../support/seed-directory.ts';
import { importFromOu } from '../../../support/settings-for-dc.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

describe.runIf(realPartsAvailable())('Synchronize after changes in Active Directory', () => {
  const dc = testDc()!;
  const lab = `OU=Sync Lab ${process.pid},${BASE_DN}`;
  const elsewhere = `OU=Elsewhere ${process.pid},${BASE_DN}`;
  const dir = tempDirFor('sync');
  const file = path.join(dir, 'users.sqlite');
  let admin: Client;

  const user = (n: number, enabled = true) => ({
    sam: `lab${String(n).padStart(2, '0')}`,
    given: 'Lab',
    sn: `User ${n}`,
    displayName: `Lab User ${n}`,
    mail: `lab${n}@corp.example.test`,
    department: 'Lab',
    title: 'Tester',
    phone: '',
    enabled,
    ou: '',
  });
  const dnOf = (n: number, ou = lab) => `CN=lab${String(n).padStart(2, '0')},${ou}`;
  const add = (n: number, enabled = true) => addStaffUser(admin, { ...user(n, enabled), ou: '' }, dnOf(n));
  const replace = (dn: string, type: string, value: string) =>
    admin.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }));
  const sync = (request: Partial<ImportRequest> = {}) => importFromOu(dc, lab, file, request);
  const state = async () => {
    const database = openUsersDatabase(file);
    try {
      return Object.fromEntries(
        (await listAccounts(database.engine)).map((a) => [
          a.logon,
          { enabled: a.enabled, title: a.title, displayName: a.displayName },
        ]),
      );
    } finally {
      database.close();
    }
  };

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
    await admin.add(lab, { objectClass: ['top', 'organizationalUnit'], ou: `Sync Lab ${process.pid}` });
    await admin.add(elsewhere, { objectClass: ['top', 'organizationalUnit'], ou: `Elsewhere ${process.pid}` });
    for (let n = 1; n <= 12; n++) await add(n, n !== 6);
  });

  afterAll(async () => {
    for (const base of [lab, elsewhere]) {
      const { searchEntries } = await admin
        .search(base, { scope: 'one', attributes: ['dn'] })
        .catch(() => ({ searchEntries: [] }));
      for (const e of searchEntries) await admin.del(e.dn).catch(() => undefined);
      await admin.del(base).catch(() => undefined);
    }
    await admin.unbind();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows each kind of change, incrementally first and in full to see deletions', async () => {
    const first = await sync();
    expect(first.counts).toMatchObject({ created: 12, failed: 0 });
    expect(first.incremental).toBe(false);
    // An administrator disables lab07 in the console: sync must never re-enable it.
    sql(file, "UPDATE accounts SET enabled = 0, disabled_by = 'admin' WHERE logon = 'lab07'");

    await replace(dnOf(1), 'sAMAccountName', 'lab01-renamed');
    await replace(dnOf(1), 'displayName', 'Lab User One');
    await replace(dnOf(2), 'userAccountControl', String(0x200 | 0x20 | 0x2));
    await replace(dnOf(3), 'title', 'Senior Tester');
    await replace(dnOf(6), 'userAccountControl', String(0x200 | 0x20));
    await replace(dnOf(7), 'title', 'Still here');
    await admin.modifyDN(dnOf(4), dnOf(4, elsewhere));
    await admin.del(dnOf(5));
    await add(13);

    const incremental = await sync();
    expect(incremental.incremental).toBe(true);
    expect(incremental.read).toBe(6); // lab01, 02, 03, 06, 07 and the new lab13: nothing else was read
    expect(incremental.counts).toMatchObject({
      created: 1,
      updated: 3,
      disabled: 1,
      enabled: 1,
      unchanged: 7,
      conflicts: 0,
      failed: 0,
    });
    let now = await state();
    expect(now['lab01-renamed']).toEqual({ enabled: true, title: 'Tester', displayName: 'Lab User One' });
    expect(now.lab01).toBeUndefined();
    expect(now.lab02!.enabled).toBe(false);
    expect(now.lab03!.title).toBe('Senior Tester');
    expect(now.lab06!.enabled).toBe(true);
    expect(now.lab07).toEqual({ enabled: false, title: 'Still here', displayName: 'Lab User 7' });
    expect(now.lab13!.enabled).toBe(true);
    // Incremental passes cannot see deletions or moves out of scope.
    expect(now.lab04!.enabled).toBe(true);
    expect(now.lab05!.enabled).toBe(true);

    const full = await sync({ full: true, confirmed: true });
    expect(full.incremental).toBe(false);
    expect(full.counts).toMatchObject({ created: 0, updated: 0, disabled: 2, enabled: 0, unchanged: 11 });
    now = await state();
    expect([now.lab04!.enabled, now.lab05!.enabled]).toEqual([false, false]);
    expect(
      sql(
        file,
        "SELECT logon, reason FROM run_actions WHERE run_id = ? AND action = 'disable' ORDER BY logon",
        full.runId,
      ),
    ).toEqual([
      { logon: 'lab04', reason: GONE_REASON },
      { logon: 'lab05', reason: GONE_REASON },
    ]);

    // Re-enabled in AD: sync re-enables what sync disabled, and still not what the admin disabled.
    await replace(dnOf(2), 'userAccountControl', String(0x200 | 0x20));
    const again = await sync();
    expect(again.counts).toMatchObject({ enabled: 1, updated: 0 });
    now = await state();
    expect(now.lab02!.enabled).toBe(true);
    expect(now.lab07!.enabled).toBe(false);
    expect(Object.keys(now).sort()).toEqual([
      'lab01-renamed',
      'lab02',
      'lab03',
      'lab04',
      'lab05',
      'lab06',
      'lab07',
      'lab08',
      'lab09',
      'lab10',
      'lab11',
      'lab12',
      'lab13',
    ]);
  });

  it('stops an unconfirmed sync that would disable more than the limit, changing nothing', async () => {
    await admin.modifyDN(dnOf(8), dnOf(8, elsewhere));
    await admin.modifyDN(dnOf(9), dnOf(9, elsewhere));
    const before = databaseContent(file);
    const stopped = await sync({ full: true });
    expect(stopped).toMatchObject({
      ok: false,
      status: 'stopped',
      error: {
        code: 'disable-threshold',
        message: expect.stringMatching(
          /would disable 2 of 13 imported accounts, more than the limit \(10 % or 50 accounts\)/,
        ),
      },
    });
    expect(databaseContent(file)).toBe(before);
    expect(sql(file, 'SELECT status FROM import_runs WHERE id = ?', stopped.runId)).toEqual([{ status: 'stopped' }]);
    const confirmed = await sync({ full: true, confirmed: true });
    expect(confirmed.counts.disabled).toBe(2);
  });
});
