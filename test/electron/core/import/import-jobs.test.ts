/**
 * The console's job registry with the worker replaced by a controllable stand-in (the real worker is tested in import-
 * job.test.ts and through the wizard in Chromium).
 */
import { describe, expect, it } from 'vitest';
import type { Events, PlanFilter, PlanSort } from '../../../../shared/contract.ts';
import { blankOutcome, type ImportOutcome, type PlannedAction } from '../../../../shared/import-run.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';
import type { JobStart } from '../../../../electron/core/import/import-job.ts';
import { ImportJobs } from '../../../../electron/core/import/import-jobs.ts';
import { plannedRow } from '../../../support/planned-row.ts';

const row = (action: PlannedAction['action'], logon: string): PlannedAction => plannedRow(action, logon);

function harness() {
  const events: { event: keyof Events; payload: unknown }[] = [];
  const finishers: ((o: ImportOutcome) => void)[] = [];
  const cancelled: number[] = [];
  const applied: JobStart[] = [];
  const jobs = new ImportJobs({
    emit: (event, payload) => events.push({ event, payload }),
    onApplied: (start) => applied.push(start),
    startJob: async (_start, onProgress) => {
      const index = finishers.length;
      onProgress?.({ phase: 'search', done: 10, total: null, rate: 100, etaMs: null });
      const done = new Promise<ImportOutcome>((resolve) => finishers.push(resolve));
      return { done, cancel: () => cancelled.push(index), stop: () => (cancelled.push(index), done) };
    },
  });
  const start = (dryRun: boolean): JobStart => ({
    request: { mode: 'sync', dryRun, full: true, confirmed: !dryRun, startedBy: 'wizard', source: null },
    settings: DEFAULT_SETTINGS,
    password: null,
    database: 'x.sqlite',
  });
  const settle = async () => new Promise((r) => setTimeout(r, 0));
  return { jobs, events, finishers, cancelled, applied, start, settle };
}

describe('ImportJobs', () => {
  it('runs one job at a time and says which one is running, also while the first one is still starting', async () => {
    const { jobs, start } = harness();
    const first = jobs.start(start(true));
    await expect(jobs.start(start(false))).rejects.toThrow(
      /Another import job is running \(a preview started by the wizard\)/,
    );
    expect(await first).toBe(1);
    await expect(jobs.start(start(false))).rejects.toThrow(/Another import job is running/);
  });

  it(
    'pushes progress and the outcome by job id, keeps the preview for paging with what needs a look first, ' +
      'and frees the slot',
    async () => {
      const { jobs, events, finishers, start, settle } = harness();
      const id = await jobs.start(start(true));
      const plan = [
        row('unchanged', 'u1'),
        row('create', 'c1'),
        row('update', 'p1'),
        row('unchanged', 'u2'),
        row('disable', 'd1'),
      ];
      finishers[0]!({ ...blankOutcome('sync', true, 'succeeded'), plan });
      await settle();
      expect(events.map((e) => e.event)).toEqual(['import.progress', 'import.finished']);
      expect(events[1]!.payload).toMatchObject({ jobId: id, outcome: { ok: true, plan: null } });
      const page = (filter: PlanFilter, offset = 0) =>
        jobs.planPage({ jobId: id, filter, sort: 'action', descending: false, offset, limit: 10 });
      expect(page('all').rows.map((r) => r.logon)).toEqual(['d1', 'c1', 'p1', 'u1', 'u2']);
      expect(page('unchanged', 1)).toMatchObject({ total: 2, offset: 1, rows: [{ logon: 'u2' }] });
      expect(await jobs.start(start(true))).toBe(2);
    },
  );

  it('sorts the preview by a column, ties in the plan order, and pages through the sorted rows', async () => {
    const { jobs, finishers, start, settle } = harness();
    const id = await jobs.start(start(true));
    const plan = [
      { ...row('create', 'b2'), targetOu: 'Sales/North', displayName: 'Zoe Adams' },
      { ...row('update', 'a10'), targetOu: 'Sales', displayName: 'Al Baker', reason: 'renamed' },
      { ...row('create', 'a9'), targetOu: 'Sales', displayName: 'al baker' },
      { ...row('disable', 'c1'), reason: 'disabled in Active Directory' },
    ];
    finishers[0]!({ ...blankOutcome('sync', true, 'succeeded'), plan });
    await settle();
    const logons = (sort: PlanSort, descending = false, offset = 0, limit = 10) =>
      jobs.planPage({ jobId: id, filter: 'all', sort, descending, offset, limit }).rows.map((r) => r.logon);
    expect(logons('logon')).toEqual(['a9', 'a10', 'b2', 'c1']); // numbers in names sort as numbers
    expect(logons('logon', true)).toEqual(['c1', 'b2', 'a10', 'a9']);
    expect(logons('displayName')).toEqual(['c1', 'a9', 'a10', 'b2']); // case-blind; equal names keep plan order
    expect(logons('targetOu')).toEqual(['c1', 'a9', 'a10', 'b2']);
    expect(logons('action', true)).toEqual(['a10', 'b2', 'a9', 'c1']);
    expect(logons('details', false, 2, 2)).toEqual(['c1', 'a10']);
  });

  it('keeps only the last two previews', async () => {
    const { jobs, finishers, start, settle } = harness();
    for (let i = 0; i < 3; i++) {
      await jobs.start(start(true));
      finishers[i]!({ ...blankOutcome('sync', true, 'succeeded'), plan: [row('create', `n${i}`)] });
      await settle();
    }
    expect(() => jobs.preview(1)).toThrow(/no longer kept/);
    expect(jobs.preview(3).rows.map((r) => r.logon)).toEqual(['n2']);
  });

  it(
    'cancels only the running job, and after a real run tells views to refresh and keeps the choices only ' +
      'when it succeeded',
    async () => {
      const { jobs, events, finishers, cancelled, applied, start, settle } = harness();
      const id = await jobs.start(start(false));
      expect(jobs.cancel(id + 1)).toBe(false);
      expect(jobs.cancel(id)).toBe(true);
      expect(cancelled).toEqual([0]);
      finishers[0]!({ ...blankOutcome('sync', false, 'cancelled') });
      await settle();
      expect(events.at(-1)!.event).toBe('users.changed');
      expect(applied).toEqual([]);
      await jobs.start(start(false));
      finishers[1]!({ ...blankOutcome('sync', false, 'succeeded') });
      await settle();
      expect(applied).toHaveLength(1);
    },
  );
});
