/**
 * Running an import job from the renderer: listen first (a fast job can finish before its id comes
 * back), start it, pass on its progress, settle with its outcome.
 */
import type { ImportStart } from '../../../shared/contract.ts';
import type { ImportOutcome, Progress } from '../../../shared/import-run.ts';
import type { ApiError } from '../../../shared/result.ts';
import { api } from '../api.ts';

export interface RunningJob {
  jobId: number;
  outcome: Promise<ImportOutcome>;
}

export async function startJob(
  input: ImportStart,
  onProgress: (progress: Progress) => void,
): Promise<{ ok: true; job: RunningJob } | { ok: false; error: ApiError }> {
  const finished = new Map<number, ImportOutcome>();
  const waiting = new Map<number, (outcome: ImportOutcome) => void>();
  let myId: number | null = null;
  const offProgress = api.on('import.progress', ({ jobId, progress }) => jobId === myId && onProgress(progress));
  const offFinished = api.on('import.finished', ({ jobId, outcome }) => {
    const resolve = waiting.get(jobId);
    if (resolve) resolve(outcome);
    else finished.set(jobId, outcome);
  });
  const started = await api.invoke('import.start', input);
  if (!started.ok) {
    offProgress();
    offFinished();
    return { ok: false, error: started.error };
  }
  const jobId = started.value.jobId;
  myId = jobId;
  const outcome = new Promise<ImportOutcome>((resolve) => {
    const early = finished.get(jobId);
    if (early) resolve(early);
    else waiting.set(jobId, resolve);
  }).finally(() => {
    offProgress();
    offFinished();
  });
  return { ok: true, job: { jobId, outcome } };
}

export const cancelJob = (jobId: number) => api.invoke('import.cancel', { jobId });
