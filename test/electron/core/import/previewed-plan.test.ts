/**
 * What the wizard relies on, against the real DC and a real SQLite file: a preview's digest, a run that
 * applies only that previewed plan, rows left out, one-level OU sources, and every account in the preview.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { type ImportRequest, LEFT_OUT_REASON, runImport } from '../../../../electron/core/import/import-engine.ts';
import { BASE_DN, ENGINEERING_OU, STAFF_OU } from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

const USERS = '(&(objectCategory=person)(objectClass=user))';
const STAFF_DN = `${STAFF_OU},${BASE_DN}`;
const ENGINEERING_DN = `${ENGINEERING_OU},${BASE_DN}`;

describe.runIf(realPartsAvailable())('a previewed plan on the Samba DC', () => {
  const dc = testDc()!;
  const resolver = createResolver();
  const run = (file: string, request: Partial<ImportRequest>) =>
    runImport(
      {
        mode: 'new',
        dryRun: false,
        full: true,
        confirmed: true,
        startedBy: 'wizard',
        source: { ous: [ENGINEERING_DN], groups: [] },
        ...request,
      },
      { settings: dcSettings(dc), password: SERVICE_PASSWORD, resolver, database: file },
    );
  const newFile = () => path.join(tempDir(), 'users.sqlite');

  it('applies exactly the previewed plan, and leaves out the unticked accounts as skips with the reason', async () => {
    const file = newFile();
    const preview = await run(file, { dryRun: true, listUnchanged: true });
    expect(preview.planDigest).toMatch(/^[0-9a-f]{64}$/);
    const creates = preview.plan!.filter((p) => p.action === 'create');
    expect(new Set(creates.map((p) => p.guid))).toEqual(new Set(ldapsearchAccounts(dc, ENGINEERING_DN, USERS).keys()));
    const leftOut = creates.slice(0, 2).map((p) => p.guid!);
    const applied = await run(file, { expectPlan: preview.planDigest, exclude: leftOut });
    expect(applied.error).toBeNull();
    expect(applied.leftOut).toBe(2);
    expect(applied.counts).toMatchObject({ created: creates.length - 2, skipped: 2 });
    const guids = sql<{ ad_guid: string }>(file, 'SELECT ad_guid FROM accounts').map((r) => r.ad_guid);
    expect(new Set(guids)).toEqual(new Set(creates.map((p) => p.guid).filter((g) => !leftOut.includes(g!))));
    const skips = sql<{ ad_guid: string; reason: string }>(
      file,
      "SELECT ad_guid, reason FROM run_actions WHERE action = 'skip'",
    );
    expect(skips).toEqual(expect.arrayContaining(leftOut.map((g) => ({ ad_guid: g, reason: LEFT_OUT_REASON }))));
    // Left-out accounts must come back in the next sync: no incremental marks were kept.
    expect(sql(file, 'SELECT * FROM sync_marks')).toEqual([]);
  });

  it('refuses to apply when the plan is no longer the previewed one, and changes nothing', async () => {
    const file = newFile();
    await run(file, {});
    const preview = await run(file, { mode: 'sync', dryRun: true, listUnchanged: true });
    expect(preview.counts.unchanged).toBeGreaterThan(0);
    expect(preview.plan!.every((p) => p.action === 'unchanged')).toBe(true);
    // Someone changes an account between the preview and the run: the sync would now also update it.
    sql(file, "UPDATE accounts SET title = 'changed behind the preview' WHERE logon = 'wilsonj'");
    const before = databaseContent(file);
    const applied = await run(file, { mode: 'sync', expectPlan: preview.planDigest });
    expect(applied.status).toBe('failed');
    expect(applied.error?.code).toBe('plan-changed');
    expect(applied.error?.message).toMatch(/changed since the preview.*Nothing was changed in the users database/);
    expect(databaseContent(file)).toBe(before);
  });

  it('reads one OU level without its sub-OUs, as ldapsearch -s one does', async () => {
    const file = newFile();
    const preview = await run(file, { dryRun: true, source: { ous: [], levels: [STAFF_DN], groups: [] } });
    const all = ldapsearchAccounts(dc, STAFF_DN, USERS);
    const below = ldapsearchAccounts(dc, ENGINEERING_DN, USERS);
    expect(preview.counts.created).toBe(all.size - below.size);
    expect(preview.plan!.some((p) => below.has(p.guid!))).toBe(false);
  });
});
