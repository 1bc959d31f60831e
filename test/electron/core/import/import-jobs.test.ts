/**
 * The console's job registry with the worker replaced by a controllable stand-in (the real worker is tested in import-
 * job.test.ts and through the wizard in Chromium).
 */
import { describe, expect, it } from 'vitest';
import type { Events } from '../../../../shared/contract.ts';
import { blankOutcome, type ImportOutcome, type PlannedAction } from '../../../../shared/import-run.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';
import type { JobStart } from '../../../../electron/core/import/import-job.ts';
import { ImportJobs } from '../../../../electron/core/import/import-jobs.ts';

const row = (action: PlannedAction['action'], logon: string): PlannedAction => ({
  action,
  logon,
  dn: null,
  guid: null,
  changes: null,
  reason: null,
});

function harness() {
  const events: { event: keyof Events; payload: unknown }[] = [];
  const finishers: ((o: ImportOutcome) => void)[] = [];
  const cancelled: number[] = [];
  const applied: JobStart[] = [];
  const jobs = new ImportJobs({
    emit: (event, payload) => events.push({ event, payload }),
    onApplied: (start) => applied.push(start),
    startJob: (_start, onProgress) => {
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
    databaseFile: 'x.sqlite',
  });
  const settle = async () => new Promise((r) => setTimeout(r, 0));
  return { jobs, events, finishers, cancelled, applied, start, settle };
}

describe('ImportJobs', () => {
  it('runs one job at a time and says which one is running', () => {
    const { jobs, start } = harness();
    expect(jobs.start(start(true))).toBe(1);
    expect(() => jobs.start(start(false))).toThrow(/Another import job is running \(a preview started by the wizard\)/);
  });

  it(
    'pushes progress and the outcome by job id, keeps the preview for paging with what needs a look first, ' +
      'and frees the slot',
    async () => {
      const { jobs, events, finishers, start, settle } = harness();
      const id = jobs.start(start(true));
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
      expect(jobs.planPage(id, 'all', 0, 10).rows.map((r) => r.logon)).toEqual(['p1', 'd1', 'c1', 'u1', 'u2']);
      expect(jobs.planPage(id, 'unchanged', 1, 10)).toMatchObject({ total: 2, offset: 1, rows: [{ logon: 'u2' }] });
      expect(jobs.start(start(true))).toBe(2);
    },
  );

  it('keeps only the last two previews', async () => {
    const { jobs, finishers, start, settle } = harness();
    for (let i = 0; i < 3; i++) {
      jobs.start(start(true));
      finishers[i]!({ ...blankOutcome('sync', true, 'succeeded'), plan: [row('create', `n${i}`)] });
      await settle();
    }
    expect(() => jobs.preview(1)).toThrow(/no longer kept/);
    expect(jobs.preview(3).map((r) => r.logon)).toEqual(['n2']);
  });

  it(
    'cancels only the running job, and after a real run tells views to refresh and keeps the choices only ' +
      'when it succeeded',
    async () => {
      const { jobs, events, finishers, cancelled, applied, start, settle } = harness();
      const id = jobs.start(start(false));
      expect(jobs.cancel(id + 1)).toBe(false);
      expect(jobs.cancel(id)).toBe(true);
      expect(cancelled).toEqual([0]);
      finishers[0]!({ ...blankOutcome('sync', false, 'cancelled') });
      await settle();
      expect(events.at(-1)!.event).toBe('users.changed');
      expect(applied).toEqual([]);
      jobs.start(start(false));
      finishers[1]!({ ...blankOutcome('sync', false, 'succeeded') });
      await settle();
      expect(applied).toHaveLength(1);
    },
  );
});
