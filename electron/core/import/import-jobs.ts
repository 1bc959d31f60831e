/**
 * The console's import jobs: one run at a time on the worker thread (the same job `bcscmd /LDAP` uses),
 * progress and the outcome pushed as events by job id, and the last previews kept here so that the
 * renderer pages through a 100 000-row plan instead of receiving it whole.
 */
import type { Events, PlanPage, PlanQuery } from '../../../shared/contract.ts';
import type { ImportOutcome, PlannedAction } from '../../../shared/import-run.ts';
import { Failure } from '../failure.ts';
import { type ImportJob, type JobStart, startImportJob } from './import-job.ts';
import { Preview } from './plan-view.ts';

type Emit = <E extends keyof Events>(event: E, payload: Events[E]) => void;

const KEPT_PREVIEWS = 2;

export class ImportJobs {
  private nextId = 1;
  private running: { id: number; job: ImportJob; start: JobStart } | null = null;
  /** A job whose sync lock is being taken: a second start meanwhile is refused as if it ran. */
  private starting: JobStart | null = null;
  private readonly previews = new Map<number, Preview>();
  /** The last sorted and filtered view, so that paging through it does not sort again. */
  private view: { key: string; rows: PlannedAction[] } | null = null;
  private readonly emit: Emit;
  private readonly startJob: typeof startImportJob;
  private readonly onApplied: (start: JobStart, outcome: ImportOutcome) => void;

  constructor(options: {
    emit: Emit;
    onApplied?: (start: JobStart, outcome: ImportOutcome) => void;
    startJob?: typeof startImportJob;
  }) {
    this.emit = options.emit;
    this.onApplied = options.onApplied ?? (() => undefined);
    this.startJob = options.startJob ?? startImportJob;
  }

  async start(start: JobStart): Promise<number> {
    const other = this.running?.start ?? this.starting;
    if (other) {
      const what = other.request.dryRun ? 'a preview' : 'an import';
      throw new Failure(
        'import-running',
        `Another import job is running (${what} started by the ${other.request.startedBy}).`,
        'Wait for it to finish or cancel it, then try again.',
      );
    }
    const id = this.nextId++;
    this.starting = start;
    let job: ImportJob;
    try {
      job = await this.startJob(start, (progress) => this.emit('import.progress', { jobId: id, progress }));
    } finally {
      this.starting = null;
    }
    this.running = { id, job, start };
    void job.done.then((outcome) => {
      this.running = null;
      if (outcome.plan) this.keepPreview(id, outcome.plan);
      if (!start.request.dryRun && outcome.ok) this.onApplied(start, outcome);
      this.emit('import.finished', { jobId: id, outcome: { ...outcome, plan: null } });
      // Even a failed run adds a line to the history that the status bar shows.
      if (!start.request.dryRun) this.emit('users.changed', {});
    });
    return id;
  }

  cancel(jobId: number): boolean {
    if (this.running?.id !== jobId) return false;
    this.running.job.cancel();
    return true;
  }

  /** Cancels what runs and waits for it (closing the console). */
  async close(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.job.cancel();
    await running.job.done;
  }

  private keepPreview(id: number, plan: PlannedAction[]): void {
    this.previews.set(id, new Preview(plan));
    for (const old of [...this.previews.keys()].slice(0, -KEPT_PREVIEWS)) this.previews.delete(old);
  }

  preview(jobId: number): Preview {
    const preview = this.previews.get(jobId);
    if (!preview)
      throw new Failure(
        'preview-gone',
        'That preview is no longer kept (a newer one replaced it, or the console was restarted).',
        'Go back and show the preview again.',
      );
    return preview;
  }

  planPage({ jobId, filter, sort, descending, offset, limit }: PlanQuery): PlanPage {
    const preview = this.preview(jobId);
    const key = JSON.stringify([jobId, filter, sort, descending]);
    if (this.view?.key !== key) this.view = { key, rows: preview.sorted(filter, sort, descending) };
    const rows = this.view.rows;
    return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
  }
}
