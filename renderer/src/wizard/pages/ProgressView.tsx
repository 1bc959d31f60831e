/** A job's progress in words and a bar: phase, n of N, rate, time left. */
import type { Progress } from '../../../../shared/import-run.ts';
import { PHASE_LABEL } from '../action-words.ts';

export function ProgressView({ title, progress }: { title: string; progress: Progress | null }) {
  const p = progress;
  const percent = p && p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  return (
    <div className="progress-view">
      <p>{title}</p>
      <progress aria-label="Import progress" max={100} value={percent ?? undefined} />
      <p role="status" aria-live="polite" className="progress-words">
        {p
          ? `${PHASE_LABEL[p.phase]}: ` +
            `${p.done.toLocaleString('en-US')}${p.total !== null ? ` of ${p.total.toLocaleString('en-US')}` : ''}`
          : 'Starting…'}
      </p>
      <p className="note">
        {p && p.rate > 0 ? `${Math.round(p.rate).toLocaleString('en-US')} accounts per second` : ''}
        {p && p.etaMs !== null ? ` · about ${Math.max(1, Math.round(p.etaMs / 1000))} s left` : ''}
      </p>
    </div>
  );
}
