/**
 * The status bar's schedule pane: the schedule at a glance, in warning colours when it needs the
 * administrator; beside it, when the directory is published to the IM server, how publishing is doing. The
 * service is another process, so the panes look again every few seconds (and at once after an import or a
 * settings change); a click on the schedule opens Tools → Synchronization schedule….
 */
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/sync-status.ts';
import { publishingSummary } from '../../../shared/publishing.ts';
import { api } from '../api.ts';
import { needsAttention, scheduleLine } from './schedule-words.ts';

const REFRESH_MS = 5000;

export function ScheduleStatus({ onOpen }: { onOpen: () => void }) {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      void api.invoke('schedule.status', {}).then((r) => {
        if (stopped) return;
        if (r.ok) {
          setStatus(r.value);
          setProblem(null);
        } else setProblem(`The schedule's state cannot be read: ${r.error.message}`);
      });
    load();
    const timer = setInterval(load, REFRESH_MS);
    const offs = [
      api.on('users.changed', load),
      api.on('settings.changed', load),
      api.on('import.finished', load),
      api.on('publishing.changed', load),
    ];
    return () => {
      stopped = true;
      clearInterval(timer);
      for (const off of offs) off();
    };
  }, []);

  const text = problem ?? (status ? scheduleLine(status) : '');
  const warn = problem !== null || (status !== null && needsAttention(status));
  const im = status?.publishing.configured ? status.publishing : null;
  return (
    <>
      <span role="status" aria-label="Scheduled sync" className={`schedule-pane${warn ? ' warn' : ''}`}>
        {text && (
          <button type="button" className="link" title={`${text} (Synchronization schedule…)`} onClick={onOpen}>
            {text}
          </button>
        )}
      </span>
      {im && (
        <span
          role="status"
          aria-label="IM directory"
          className={`schedule-pane${im.health === 'failing' ? ' warn' : ''}`}
          title={publishingSummary(im)}
        >
          {publishingSummary(im)}
        </span>
      )}
    </>
  );
}
