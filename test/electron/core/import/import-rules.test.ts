/**
 * The import rules on both engines and no domain controller: the stage, the planner and the
 * applier, as the engine chains them (stage → plan → apply in one transaction). Runs anywhere.
 */
import { describe, expect, it } from 'vitest';
import { listAccounts } from '../../../../electron/core/database/accounts.ts';
import { OuTree } from '../../../../electron/core/database/ou-tree.ts';
import { accountsPage } from '../../../../electron/core/database/users-view.ts';
import type { SqlEngine } from '../../../../electron/core/database/engine/sql-engine.ts';
import type { AdAccount } from '../../../../electron/core/import/ad-account.ts';
import { applyPlan, plannedAction, REPORTED_ACTIONS } from '../../../../electron/core/import/applier.ts';
import {
  enabledAdIds,
  GONE_REASON,
  goneCandidates,
  Planner,
  type PlanOptions,
} from '../../../../electron/core/import/planner.ts';
import { beginRun } from '../../../../electron/core/import/run-history.ts';
import { Stage } from '../../../../electron/core/import/stage.ts';
import { PlanWhileReading } from '../../../../electron/core/import/plan-while-reading.ts';
import { checkSafety } from '../../../../electron/core/import/import-engine.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';
import { bumpRevision } from '../../../../electron/core/database/users-database.ts';
import { type Counts, emptyCounts, type ImportMode, type PlannedAction } from '../../../../shared/import-run.ts';
import { describeOnEngines, ENGINE_CASES } from '../../../support/sql-engines.ts';

const guid = (n: number) => `0000000${n}-1111-2222-3333-444444444444`.slice(-36);

function ad(n: number, overrides: Partial<AdAccount> = {}): AdAccount {
  return {
    guid: guid(n),
    logon: `user${n}`,
    firstName: `First${n}`,
    middleName: '',
    lastName: `Last${n}`,
    displayName: `First${n} Last${n}`,
    email: `user${n}@corp.test`,
    department: 'Sales',
    title: '',
    phone: '',
    enabled: true,
    kind: 'user',
    dn: `CN=user${n},OU=Sales,DC=corp,DC=test`,
    adOus: ['Sales'],
    usn: 100 + n,
    whenChanged: null,
    ...overrides,
  };
}

async function addLocal(d: SqlEngine, logon: string): Promise<void> {
  await d.run(
    'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, created_at, updated_at) VALUES ' +
      "(?, ?, 1, 'user', 1, 'local', 'then', 'then')",
    logon,
    logon.toLowerCase(),
  );
}

/** The stage of these entries, planned as the engine plans them against the database as it is. */
async function planned(
  d: SqlEngine,
  mode: ImportMode,
  entries: AdAccount[],
  options: Partial<PlanOptions> & { full?: boolean } = {},
): Promise<Stage> {
  const stage = new Stage({ attachable: true });
  stage.begin();
  for (const e of entries) stage.add(e);
  stage.commit();
  await stage.loadLocal(d, options.seenGuids ?? []);
  const tree = await OuTree.read(d);
  const enabled = mode === 'sync' && options.full !== false ? await enabledAdIds(d, options.kind ?? 'user') : [];
  stage.begin();
  const planner = new Planner(stage, tree, {
    mode,
    kind: 'user',
    importDisabled: true,
    placement: 'recreate',
    placementOu: ['AD'],
    seenGuids: new Set(),
    ...options,
  });
  for (const account of stage.accounts()) planner.planEntry(account);
  if (mode === 'sync' && options.full !== false) planner.planGone(await goneCandidates(d, planner.unmatched(enabled)));
  stage.commit();
  // Every rule holds alike when a whole read is planned while it is read (the engine's way for Create and full syncs).
  const early = await plannedWhileReading(d, mode, entries, options);
  if (early !== null) expect(early, 'the plan made while reading').toBe(stage.digest(EVERY_ACTION));
  return stage;
}

const EVERY_ACTION = [...REPORTED_ACTIONS, 'unchanged' as const];

/**
 * The same entries planned as the engine plans a whole read while reading it (entry by entry as they arrive,
 * the rest at the end): the plan's fingerprint, or null where the engine would plan after the read.
 */
async function plannedWhileReading(
  d: SqlEngine,
  mode: ImportMode,
  entries: AdAccount[],
  options: Partial<PlanOptions> & { full?: boolean },
): Promise<string | null> {
  if (options.full === false) return null; // an incremental pass is planned after its read
  const { full: _full, seenGuids, ...rest } = options;
  const stage = new Stage();
  try {
    const early = await PlanWhileReading.consider(
      d,
      stage,
      { mode, kind: 'user', importDisabled: true, placement: 'recreate', placementOu: ['AD'], ...rest },
      entries.length,
    );
    if (!early) return null;
    await early.prepare();
    stage.begin();
    for (const e of entries) if (stage.add(e)) early.take(e);
    stage.commit();
    const planner = await early.finish(seenGuids ?? new Set());
    expect(planner, 'the database did not change while reading').not.toBeNull();
    const enabled = mode === 'sync' ? await enabledAdIds(d, options.kind ?? 'user') : [];
    stage.begin();
    if (mode === 'sync') planner!.planGone(await goneCandidates(d, planner!.unmatched(enabled)));
    stage.commit();
    return stage.digest(EVERY_ACTION);
  } finally {
    stage.drop();
  }
}

interface Run {
  plan: PlannedAction[];
  counts: Counts;
  problems: PlannedAction[];
  digest: string;
  leftOut: number;
}

/** One run as the engine does it: stage the entries, plan them, leave some out, apply in one transaction. */
async function run(
  d: SqlEngine,
  mode: ImportMode,
  entries: AdAccount[],
  options: Partial<PlanOptions> & { full?: boolean; exclude?: string[]; dryRun?: boolean } = {},
): Promise<Run> {
  const stage = await planned(d, mode, entries, options);
  try {
    const digest = stage.digest(REPORTED_ACTIONS);
    const leftOut = stage.leaveOut(options.exclude ?? [], ['create', 'update', 'disable', 'enable'], 'left out');
    const plan = [...stage.planned([...REPORTED_ACTIONS, 'unchanged'])].map((row) => plannedAction(row));
    const counts = emptyCounts();
    const problems: PlannedAction[] = [];
    if (!options.dryRun) {
      const now = new Date().toISOString();
      // On SQLite, written as the engine writes a large plan: straight from the stage file, attached.
      let runId = 0;
      const write = (attachedStage: string | null) =>
        d.write(async (tx) => {
          runId = await beginRun(tx, {
            mode,
            source: 'test',
            startedBy: 'command-line',
            incremental: false,
            dc: null,
            startedAt: now,
          });
          await applyPlan({
            tx,
            engine: d,
            stage,
            runId,
            now,
            counts,
            problems,
            onRow: () => undefined,
            checkCancelled: () => undefined,
            attachedStage,
          });
        });
      await (d.withAttached ? d.withAttached(stage.file!, 'run_stage', () => write('run_stage')) : write(null));
      // The run's report lists every planned action but "unchanged", numbered in the order they were applied.
      const report = await d.all('SELECT seq, logon, ad_guid FROM run_actions WHERE run_id = ? ORDER BY seq', runId);
      expect(report).toEqual(
        plan.filter((p) => p.action !== 'unchanged').map((p, i) => ({ seq: i + 1, logon: p.logon, ad_guid: p.guid })),
      );
    }
    return { plan, counts, problems, digest, leftOut };
  } finally {
    stage.drop();
  }
}

const accounts = (d: SqlEngine) => listAccounts(d);
const byLogon = async (d: SqlEngine, logon: string) => (await accounts(d)).find((a) => a.logon === logon);
/** Whether the account is enabled, and why not (the column the details pane and Properties read). */
const disabled = (d: SqlEngine, logon: string) =>
  d.get('SELECT enabled, disabled_by AS why FROM accounts WHERE logon = ?', logon);
const actionOf = (r: Run, logon: string) => r.plan.find((p) => p.logon === logon)?.action;

describeOnEngines('the import rules without a domain controller, on $name', (engineCase) => {
  const database = async () => (await engineCase.usersDatabase()).engine;
  it(
    'creates AD accounts under the placement OU, recreating the AD OU chain; disabled ones created disabled, ' +
      'or skipped',
    async () => {
      const d = await database();
      const first = await run(d, 'add', [ad(1), ad(2, { enabled: false })]);
      expect(first.counts).toMatchObject({ created: 2 });
      expect(await byLogon(d, 'user1')).toMatchObject({
        ou: 'AD/Sales',
        origin: 'ad',
        enabled: true,
        adGuid: `{${guid(1)}}`,
      });
      expect(await byLogon(d, 'user2')).toMatchObject({ enabled: false });
      const d2 = await database();
      const skipped = await run(d2, 'add', [ad(2, { enabled: false })], { importDisabled: false });
      expect(skipped.plan).toEqual([
        expect.objectContaining({
          action: 'skip',
          logon: 'user2',
          reason: expect.stringMatching(/skips disabled accounts/),
        }),
      ]);
      expect(await accounts(d2)).toEqual([]);
    },
  );

  it('matches by objectGUID first (a rename in AD is an update), then by logon name case-insensitively', async () => {
    const d = await database();
    await run(d, 'add', [ad(1), ad(2)]);
    const renamed = await run(d, 'sync', [ad(1, { logon: 'user1-renamed' }), ad(2)]);
    expect(renamed.plan.find((p) => p.guid === guid(1))).toMatchObject({
      action: 'update',
      changes: { logon: { from: 'user1', to: 'user1-renamed' } },
    });
    expect(await byLogon(d, 'user1-renamed')).toBeDefined();
    expect(await byLogon(d, 'user1')).toBeUndefined();
    // An AD account whose GUID changed (re-created in AD) with the same logon, in another case: matched by logon.
    const recreated = await run(d, 'sync', [ad(1, { logon: 'user1-renamed' }), ad(9, { logon: 'USER2' })]);
    expect(recreated.plan.find((p) => p.guid === guid(9))).toMatchObject({
      action: 'update',
      changes: expect.objectContaining({ adGuid: { from: guid(2), to: guid(9) } }),
    });
  });

  it(
    'never touches a local account with an AD logon name: a conflict, reported, and the account as it ' + 'was',
    async () => {
      const d = await database();
      await addLocal(d, 'user1');
      const r = await run(d, 'sync', [ad(1)]);
      expect(r.plan).toEqual([
        expect.objectContaining({
          action: 'conflict',
          logon: 'user1',
          reason: expect.stringMatching(/local account "user1"/),
        }),
      ]);
      expect(r.counts).toMatchObject({ created: 0, updated: 0, conflicts: 1 });
      expect(await byLogon(d, 'user1')).toMatchObject({ origin: 'local', adGuid: null });
    },
  );

  it(
    'disables accounts gone from a full pass and re-enables them when they come back; an admin-disabled ' +
      'account stays disabled',
    async () => {
      const d = await database();
      await run(d, 'add', [ad(1), ad(2), ad(3)]);
      const gone = await run(d, 'sync', [ad(1), ad(3)]);
      expect(gone.plan.find((p) => p.logon === 'user2')).toMatchObject({ action: 'disable', reason: GONE_REASON });
      expect(await byLogon(d, 'user2')).toMatchObject({ enabled: false });
      await d.run("UPDATE accounts SET enabled = 0, disabled_by = 'admin' WHERE logon = 'user3'");
      const back = await run(d, 'sync', [ad(1), ad(2), ad(3)]);
      expect(actionOf(back, 'user2')).toBe('enable');
      expect(await byLogon(d, 'user2')).toMatchObject({ enabled: true });
      expect(actionOf(back, 'user3')).not.toBe('enable');
      expect(await byLogon(d, 'user3')).toMatchObject({ enabled: false });
      // An incremental pass (not full) sees no deletions: nothing is disabled for being absent.
      const incremental = await run(d, 'sync', [ad(1)], { full: false });
      expect(incremental.counts.disabled).toBe(0);
    },
  );

  it(
    'records why an account is disabled — in AD, or gone from the source — and says the true reason when it ' +
      'comes back',
    async () => {
      const d = await database();
      await run(d, 'add', [ad(1, { enabled: false }), ad(2), ad(3)]);
      expect(await disabled(d, 'user1')).toEqual({ enabled: 0, why: 'ad' });
      await run(d, 'sync', [ad(1, { enabled: false }), ad(2, { enabled: false })]);
      expect(await disabled(d, 'user2')).toEqual({ enabled: 0, why: 'ad' });
      expect(await disabled(d, 'user3')).toEqual({ enabled: 0, why: 'sync' });
      const back = await run(d, 'sync', [ad(1), ad(2), ad(3)]);
      expect(back.plan.filter((p) => p.action === 'enable').map((p) => [p.logon, p.reason])).toEqual([
        ['user1', 'enabled again in Active Directory'],
        ['user2', 'enabled again in Active Directory'],
        ['user3', 'back in the import source'],
      ]);
      // Gone, then back but disabled in AD: still disabled, now for AD's reason.
      await run(d, 'sync', [ad(1), ad(2)]);
      const returned = await run(d, 'sync', [ad(1), ad(2), ad(3, { enabled: false })]);
      expect(returned.plan.find((p) => p.logon === 'user3')).toMatchObject({
        action: 'update',
        reason: 'back in the import source, and disabled in Active Directory',
      });
      expect(await disabled(d, 'user3')).toEqual({ enabled: 0, why: 'ad' });
    },
  );

  it('records every account a full sync read as seen now, unchanged ones with the change marks AD gave', async () => {
    const d = await database();
    await run(d, 'new', [ad(1), ad(2), ad(3)]);
    await d.run("UPDATE accounts SET synced_at = '2000-01-01T00:00:00.000Z'");
    // Attributes the console does not map changed in AD (uSNChanged moved); user3 was renamed (an update).
    const sync = await run(d, 'sync', [
      ad(1, { usn: 501, whenChanged: '20261205101010.0Z' }),
      ad(2, { usn: 502 }),
      ad(3, { usn: 503, logon: 'user3b' }),
    ]);
    expect(sync.counts).toMatchObject({ unchanged: 2, updated: 1 });
    const after = await d.all<{ logon: string; ad_usn: number; ad_when_changed: string | null; synced_at: string }>(
      'SELECT logon, ad_usn, ad_when_changed, synced_at FROM accounts ORDER BY logon',
    );
    expect(after.map((a) => [a.logon, Number(a.ad_usn), a.ad_when_changed])).toEqual([
      ['user1', 501, '20261205101010.0Z'],
      ['user2', 502, null],
      ['user3b', 503, null],
    ]);
    for (const a of after) expect(a.synced_at > '2000-01-01T00:00:00.000Z', a.logon).toBe(true);
  });

  it('keeps the folded search text with every account it writes, so that "aberg" finds Åberg', async () => {
    const d = await database();
    await run(d, 'add', [ad(1, { displayName: 'Björn Åberg', department: 'Zürich' }), ad(2)]);
    await run(d, 'sync', [ad(1, { displayName: 'Björn Åberg', department: 'Genève' }), ad(2)]);
    const found = async (search: string) =>
      (
        await accountsPage(d, {
          ouId: null,
          recursive: true,
          search,
          sort: 'logon',
          descending: false,
          offset: 0,
          limit: 9,
        })
      ).rows.map((r) => r.logon);
    expect(await found('aberg')).toEqual(['user1']);
    expect(await found('geneve')).toEqual(['user1']);
    expect(await found('zurich')).toEqual([]);
  });

  it('names every preview row with its display name and server OU, unchanged and gone ones too', async () => {
    const d = await database();
    await run(d, 'add', [ad(1), ad(2)]);
    const r = await run(d, 'sync', [ad(1)], { dryRun: true });
    expect(r.plan.map((p) => [p.action, p.logon, p.displayName, p.targetOu]).sort()).toEqual([
      ['disable', 'user2', 'First2 Last2', 'AD/Sales'],
      ['unchanged', 'user1', 'First1 Last1', 'AD/Sales'],
    ]);
  });

  it('leaves out the rows the administrator unticked: reported as skips, not written', async () => {
    const d = await database();
    const r = await run(d, 'add', [ad(1), ad(2)], { exclude: [guid(2)] });
    expect(r.leftOut).toBe(1);
    expect(r.plan.find((p) => p.logon === 'user2')).toMatchObject({ action: 'skip', reason: 'left out' });
    expect((await accounts(d)).map((a) => a.logon)).toEqual(['user1']);
  });

  it(
    'gives the same plan the same digest, and a plan that shows something else (another target OU) ' + 'another',
    async () => {
      const d = await database();
      const a = await run(d, 'add', [ad(1), ad(2)], { dryRun: true });
      const b = await run(d, 'add', [ad(1), ad(2)], { dryRun: true });
      const c = await run(d, 'add', [ad(1), ad(2, { adOus: ['Support'], dn: 'CN=user2,OU=Support,DC=corp,DC=test' })], {
        dryRun: true,
      });
      expect(b.digest).toBe(a.digest);
      expect(c.digest).not.toBe(a.digest);
      expect(await accounts(d)).toEqual([]); // dry runs write nothing
    },
  );

  it(
    'stops a sync that would disable more than the limits, or take an empty answer as "all gone", unless ' +
      'confirmed',
    async () => {
      const d = await database();
      await run(
        d,
        'add',
        Array.from({ length: 20 }, (_, i) => ad(i + 1)),
      );
      const request = {
        mode: 'sync' as const,
        dryRun: false,
        full: true,
        confirmed: false,
        startedBy: 'command-line' as const,
        source: null,
      };
      const plannedWith = (entries: AdAccount[]) => planned(d, 'sync', entries);
      const limits = { ...DEFAULT_SETTINGS, disableLimitPercent: 10, disableLimitCount: 50 };
      // 2 of 20 gone = 10 %: within the limit. 3 of 20 = 15 %: over it.
      const two = await plannedWith(Array.from({ length: 18 }, (_, i) => ad(i + 1)));
      await expect(checkSafety(d, two, request, true, 'user', limits, 'OU=Sales')).resolves.toBeUndefined();
      two.drop();
      const three = await plannedWith(Array.from({ length: 17 }, (_, i) => ad(i + 1)));
      await expect(checkSafety(d, three, request, true, 'user', limits, 'OU=Sales')).rejects.toThrow(
        /would disable 3 of 20 imported accounts, more than the limit \(10 % or 50 accounts\)/,
      );
      await expect(
        checkSafety(d, three, { ...request, confirmed: true }, true, 'user', limits, 'OU=Sales'),
      ).resolves.toBeUndefined();
      three.drop();
      const none = await plannedWith([]);
      await expect(checkSafety(d, none, request, true, 'user', limits, 'OU=Sales')).rejects.toThrow(
        /returned no accounts for OU=Sales, while the database holds 20 imported accounts/,
      );
      none.drop();
    },
  );

  it('applies a run the database partly refuses row by row: only the refused accounts fail, saying why', async () => {
    const d = await database();
    await run(d, 'add', [ad(1), ad(2), ad(3)]);
    // Two accounts swap their logon names in AD: each rename collides with the other's name still in place.
    const swap = await run(d, 'sync', [
      ad(1, { logon: 'user2' }),
      ad(2, { logon: 'user1' }),
      ad(3, { displayName: 'Changed Three' }),
      ad(4),
    ]);
    expect(swap.counts).toMatchObject({ failed: 2, updated: 1, created: 1 });
    expect(swap.problems.map((p) => [p.action, p.guid, p.reason])).toEqual([
      ['failed', guid(1), expect.stringMatching(/^the database refused the change: /)],
      ['failed', guid(2), expect.stringMatching(/^the database refused the change: /)],
    ]);
    expect((await accounts(d)).map((a) => `${a.logon} ${a.displayName} ${a.adGuid}`)).toEqual([
      `user1 First1 Last1 {${guid(1)}}`,
      `user2 First2 Last2 {${guid(2)}}`,
      `user3 Changed Three {${guid(3)}}`,
      `user4 First4 Last4 {${guid(4)}}`,
    ]);
  });

  it(
    'writes a plan of several batches as planned: renames the database refuses, updates, gone accounts, ' +
      'left-out rows and creates, with the report in order',
    async () => {
      const d = await database();
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
      await run(
        d,
        'add',
        range(1, 6000).map((n) => ad(n)),
      );
      // In the apply's order: 3 600 updates, skips and disables, then 3 900 creates — two batches of 5 000 at most.
      const sync = await run(
        d,
        'sync',
        [
          ad(1, { logon: 'user2' }),
          ad(2, { logon: 'user1' }),
          ...range(3, 3000).map((n) => ad(n, { title: 'Changed' })),
          ...range(3501, 10_000).map((n) => ad(n)),
        ],
        { exclude: range(9901, 10_000).map(guid) },
      );
      expect(sync.counts).toMatchObject({
        failed: 2,
        updated: 2998,
        disabled: 500,
        created: 3900,
        skipped: 100,
        unchanged: 2500,
      });
      expect(sync.problems.map((p) => `${p.action} ${p.logon}`)).toEqual([
        'failed user2',
        'failed user1',
        ...range(9901, 10_000).map((n) => `skip user${n}`),
      ]);
      const rows = await d.all<{ logon: string; title: string; enabled: number; why: string | null }>(
        'SELECT logon, title, enabled, disabled_by AS why FROM accounts ORDER BY id',
      );
      const expected = [
        ...range(1, 6000).map((n) => ({
          logon: `user${n}`,
          title: n >= 3 && n <= 3000 ? 'Changed' : '',
          enabled: n > 3000 && n <= 3500 ? 0 : 1,
          why: n > 3000 && n <= 3500 ? 'sync' : null,
        })),
        ...range(6001, 9900).map((n) => ({ logon: `user${n}`, title: '', enabled: 1, why: null })),
      ];
      expect(rows.map((r) => ({ ...r, enabled: Number(r.enabled) }))).toEqual(expected);
    },
  );

  it('refuses two directory entries with one logon name, and a user and a computer sharing one', async () => {
    const d = await database();
    const twins = await run(d, 'add', [ad(1), ad(2, { logon: 'user1' })]);
    expect(twins.plan.filter((p) => p.action === 'conflict')).toEqual([
      expect.objectContaining({ guid: guid(2), reason: expect.stringMatching(/same logon name/) }),
    ]);
    await run(d, 'add', [ad(5, { logon: 'ws5', kind: 'computer' })], { kind: 'computer' });
    const clash = await run(d, 'add', [ad(6, { logon: 'ws5' })]);
    expect(clash.plan).toEqual([
      expect.objectContaining({ action: 'conflict', reason: expect.stringMatching(/a computer account "ws5"/) }),
    ]);
  });

  it('plans a renamed entry and one with no account at the end of the read, the others as they are read', async () => {
    const d = await database();
    await run(d, 'new', [ad(1), ad(2), ad(3)]);
    const stage = new Stage();
    const early = (await PlanWhileReading.consider(d, stage, SYNC, 3))!;
    await early.prepare();
    stage.begin();
    // user2 renamed to user3's name while user3 was renamed away: only the end of the read can tell.
    for (const e of [ad(1, { title: 'Boss' }), ad(2, { logon: 'user3' }), ad(3, { logon: 'user9' }), ad(4)])
      if (stage.add(e)) early.take(e);
    stage.commit();
    expect(stage.countPlanned('update')).toBe(1); // user1's title, planned as it was read
    expect([...stage.accounts(true)].map((e) => e.guid)).toEqual([guid(2), guid(3), guid(4)]);
    expect(await early.finish(new Set())).not.toBeNull();
    expect([...stage.planned(REPORTED_ACTIONS)].map((r) => `${r.action} ${r.logon}`).sort()).toEqual([
      'create user4',
      'update user1',
      'update user3',
      'update user9',
    ]);
    stage.drop();
  });

  it('plans everything again when the users database changed while the directory was read', async () => {
    const d = await database();
    await run(d, 'new', [ad(1), ad(2)]);
    const stage = new Stage();
    const early = (await PlanWhileReading.consider(d, stage, SYNC, 2))!;
    await early.prepare();
    stage.begin();
    for (const e of [ad(1), ad(2)]) if (stage.add(e)) early.take(e);
    stage.commit();
    expect(stage.countPlanned('unchanged')).toBe(2);
    // Another writer (an on-the-fly logon, another import) commits meanwhile.
    await d.write((tx) => bumpRevision(tx));
    expect(await early.finish(new Set())).toBeNull();
    expect(stage.countPlanned(...EVERY_ACTION)).toBe(0); // nothing planned on the old reading stays
    stage.drop();
  });

  it('tells while reading whether a photo may be due: not when every entry is as its photo was read', async () => {
    const d = await database();
    await run(d, 'new', [ad(1), ad(2), ad(3)]);
    await d.run('UPDATE accounts SET photo_usn = ad_usn'); // every photo read at the entry's uSNChanged
    const read = async (entries: AdAccount[], options: Omit<PlanOptions, 'seenGuids'> = SYNC) => {
      const stage = new Stage();
      const early = (await PlanWhileReading.consider(d, stage, options, entries.length))!;
      await early.prepare();
      stage.begin();
      for (const e of entries) if (stage.add(e)) early.take(e);
      stage.commit();
      stage.drop();
      return early.photosMayBeDue;
    };
    expect(await read([ad(1), ad(2), ad(3)])).toBe(false);
    expect(await read([ad(1), ad(2, { usn: 999 }), ad(3)])).toBe(true); // changed in AD, perhaps only its photo
    expect(await read([ad(1), ad(2), ad(3), ad(4)])).toBe(true); // a new account
    expect(await read([ad(1)], { ...SYNC, mode: 'new' })).toBe(true);
  });

  it('plans while reading only a whole read of most of the database, or a new database', async () => {
    const d = await database();
    await run(d, 'new', [ad(1), ad(2), ad(3), ad(4), ad(5)]);
    const stage = new Stage();
    expect(await PlanWhileReading.consider(d, stage, SYNC, 3)).not.toBeNull();
    expect(await PlanWhileReading.consider(d, stage, SYNC, 2)).toBeNull(); // 5 accounts for 2 entries: by key
    expect(await PlanWhileReading.consider(d, stage, SYNC, null)).toBeNull(); // never read in whole before
    expect(await PlanWhileReading.consider(d, stage, { ...SYNC, mode: 'add' }, 5)).toBeNull();
    expect(await PlanWhileReading.consider(d, stage, { ...SYNC, mode: 'new' }, null)).not.toBeNull();
    stage.drop();
  });
});

const SYNC = {
  mode: 'sync' as const,
  kind: 'user' as const,
  importDisabled: true,
  placement: 'recreate' as const,
  placementOu: ['AD'],
};

describe('a large plan on a SQLite file', () => {
  it('is written with a larger page cache, given back afterwards', async () => {
    const d = (await ENGINE_CASES.find((e) => e.name === 'sqlite')!.usersDatabase()).engine;
    const before = (await d.get<{ cache_size: number }>('PRAGMA cache_size'))!.cache_size;
    const pragmas: string[] = [];
    const exec = d.exec.bind(d);
    d.exec = (sql: string) => {
      if (sql.startsWith('PRAGMA')) pragmas.push(sql);
      return exec(sql);
    };
    const created = await run(
      d,
      'new',
      Array.from({ length: 20_000 }, (_, n) => ad(n + 1)),
    );
    expect(created.counts.created).toBe(20_000);
    expect(pragmas).toEqual(['PRAGMA cache_size = -16384', `PRAGMA cache_size = ${before}`]);
    expect((await d.get<{ cache_size: number }>('PRAGMA cache_size'))!.cache_size).toBe(before);
    // A small plan keeps the default.
    pragmas.length = 0;
    await run(d, 'sync', [ad(1, { title: 'Boss' })], { full: false });
    expect(pragmas).toEqual([]);
  });
});
