/** The history and the per-run report, read alike from a real SQLite file and a real PostgreSQL database. */
import { expect, it } from 'vitest';
import type { SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import {
  accountHistory,
  findRun,
  listRuns,
  recentSyncRuns,
  reportRows,
} from '../../../../electron/core/import/run-history.ts';
import { runReportCsv } from '../../../../electron/core/report/import-report.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';

const GUID = '11111111-2222-3333-4444-555555555555';

/** Three runs as imports and the console leave them: a sync, a rename of a local account, an on-the-fly import. */
async function seedRuns(q: SqlQueryable) {
  const run = async (mode: string, startedBy: string, source: string, status: string, created = 0) =>
    (await q.get<{ id: number }>(
      'INSERT INTO import_runs (mode, source, started_by, incremental, dc, started_at, finished_at, status, created) ' +
        "VALUES (?, ?, ?, 0, 'dc1.corp.example.test', ?, ?, ?, ?) RETURNING id",
      mode,
      source,
      startedBy,
      '2026-12-05T10:00:00.000Z',
      '2026-12-05T10:00:05.000Z',
      status,
      created,
    ))!.id;
  const action = (runId: number, seq: number, act: string, logon: string, guid: string | null, changes: unknown) =>
    q.run(
      'INSERT INTO run_actions (run_id, seq, action, logon, ad_dn, ad_guid, changes, reason) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      runId,
      seq,
      act,
      logon,
      guid ? `CN=${logon},OU=Staff,DC=corp,DC=example,DC=test` : null,
      guid,
      changes === null ? null : JSON.stringify(changes),
      `${act} — tab\there, "quoted"`,
    );
  const sync = await run('sync', 'wizard', 'users in OU Staff', 'succeeded', 2);
  await action(sync, 1, 'create', 'Zoë', GUID, null);
  await action(sync, 2, 'create', 'desk', null, null);
  const rename = await run('account', 'console', 'desk: edited', 'succeeded');
  await action(rename, 1, 'update', 'frontdesk', null, { logon: { from: 'desk', to: 'frontdesk' } });
  const later = await run('sync', 'service', 'users in OU Staff', 'failed');
  return { sync, rename, later };
}

describeOnEngines('the run history on $name', ({ usersDatabase }) => {
  it('lists runs newest first, finds one by id, and lists the recent syncs', async () => {
    const { engine } = await usersDatabase();
    const { sync, rename, later } = await seedRuns(engine);
    expect((await listRuns(engine)).map((r) => r.id)).toEqual([later, rename, sync]);
    expect(await findRun(engine, sync)).toMatchObject({
      id: sync,
      mode: 'sync',
      startedBy: 'wizard',
      incremental: false,
      status: 'succeeded',
      counts: { created: 2, updated: 0 },
    });
    expect(await findRun(engine, 999)).toBeNull();
    expect((await recentSyncRuns(engine, 1)).map((r) => r.id)).toEqual([later]);
  });

  it("gives an account's history by GUID, and a local account's under its former logon names too", async () => {
    const { engine } = await usersDatabase();
    const { sync, rename } = await seedRuns(engine);
    expect(await accountHistory(engine, { logonKey: 'zoë', guid: GUID })).toEqual([
      expect.objectContaining({ runId: sync, action: 'create', startedBy: 'wizard', at: '2026-12-05T10:00:05.000Z' }),
    ]);
    expect(
      (await accountHistory(engine, { logonKey: 'frontdesk', guid: null })).map((h) => [h.runId, h.action]),
    ).toEqual([
      [rename, 'update'],
      [sync, 'create'],
    ]);
  });

  it("reads a run's report rows in order, and writes them as CSV with tabs and quotes kept", async () => {
    const { engine } = await usersDatabase();
    const { sync } = await seedRuns(engine);
    expect((await reportRows(engine, sync)).map((r) => [r.seq, r.logon, r.guid])).toEqual([
      [1, 'Zoë', GUID],
      [2, 'desk', null],
    ]);
    const csv = await runReportCsv(engine, sync);
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(`{${GUID}}`);
    expect(csv[1]).toContain('"create — tab\there, ""quoted"""');
  });
});
