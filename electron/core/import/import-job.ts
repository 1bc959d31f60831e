/**
 * Starting an import as a job: the sync lock taken (one sync per users database, across processes), a
 * worker thread running the engine, progress pushed as it comes, cancel by message. If the worker dies,
 * SQLite discards its open transaction, so the database stays as it was.
 */
import type { Settings } from '../../../shared/settings.ts';
import { markRunInterrupted } from '../database/interrupted-runs.ts';
import { explainDatabaseError, openUsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { acquireSyncLock, HEARTBEAT_MS, type HeldLock } from '../sync/sync-lock.ts';
import { noteFinishedRun } from '../sync/sync-state.ts';
import { importThread } from './import-thread.ts';
import type { ImportRequest } from './import-engine.ts';
import { blankOutcome, type ImportOutcome, type Progress } from '../../../shared/import-run.ts';

export interface JobStart {
  request: ImportRequest;
  settings: Settings;
  password: string | null;
  database: DatabaseAt;
}

/** What the worker is told: the job (its first message), then perhaps to cancel it. */
export type JobCommand = { type: 'start'; start: JobStart } | { type: 'cancel' };

export type JobMessage =
  { type: 'progress'; progress: Progress } | { type: 'run'; runId: number } | { type: 'done'; outcome: ImportOutcome };

export interface ImportJob {
  /** Settles with the run's outcome; never rejects. */
  done: Promise<ImportOutcome>;
  cancel(): void;
  /** Cancels, and ends the worker if it has not stopped within `graceMs` (its transaction is discarded). */
  stop(graceMs: number): Promise<ImportOutcome>;
}

/**
 * Throws SyncRunning (naming who runs) when another sync of this database is running, or a Failure when
 * the database cannot be opened; otherwise the job runs and settles `done`.
 */
export async function startImportJob(
  start: JobStart,
  onProgress: (progress: Progress) => void = () => undefined,
): Promise<ImportJob> {
  const database = openUsersDatabase(start.database);
  let lock: HeldLock;
  try {
    lock = await acquireSyncLock(database, start.request.startedBy);
  } catch (err) {
    database.close();
    throw explainDatabaseError(err, database.file);
  }
  const beats = setInterval(() => void lock.beat(), HEARTBEAT_MS);
  const worker = importThread();
  worker.postMessage({ type: 'start', start } satisfies JobCommand);
  let outcome: ImportOutcome | null = null;
  let runId: number | null = null;
  let deadWhy: string | null = null;
  const settled = new Promise<ImportOutcome>((resolve) => {
    worker.on('message', (message: JobMessage) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'run') runId = message.runId;
      else {
        // The worker closed its database and session before it said so: the job is over, and the thread's own
        // teardown (5–15 ms) need not hold the lock, nor keep bcscmd from exiting.
        outcome = message.outcome;
        worker.unref();
        resolve(outcome);
      }
    });
    const died = (why: string): ImportOutcome => {
      deadWhy = why;
      return {
        ...blankOutcome(start.request.mode, start.request.dryRun),
        runId,
        error: {
          code: 'worker-failed',
          nothingChanged: true,
          message: `The import stopped unexpectedly (${why}). Nothing was changed in the users database.`,
          hint: 'Run it again; if it repeats, report it with this message.',
        },
      };
    };
    worker.on('error', (err) => resolve(outcome ?? died(err.message)));
    worker.on('exit', (code) => resolve(outcome ?? died(`exit code ${code}`)));
  });
  const done = settled.then(async (result) => {
    clearInterval(beats);
    // This process lives on, so nobody else would notice that the run's worker is gone.
    if (deadWhy !== null && runId !== null)
      await markRunInterrupted(database.engine, runId, `the import worker stopped unexpectedly (${deadWhy})`).catch(
        () => undefined, // the history keeps "running"; the next process on this machine marks it
      );
    try {
      await noteFinishedRun(database.engine, start.request, start.settings, result);
    } catch {
      // Only a pause left in place: the administrator can resume the schedule.
    }
    try {
      await lock.release();
    } catch {
      // The lock goes stale when this process ends; the next sync takes it over.
    } finally {
      database.close();
    }
    return result;
  });
  const cancel = () => worker.postMessage({ type: 'cancel' } satisfies JobCommand);
  return {
    done,
    cancel,
    stop: async (graceMs) => {
      cancel();
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      try {
        return await done;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
