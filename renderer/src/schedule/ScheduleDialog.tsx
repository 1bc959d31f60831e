/**
 * Tools → Synchronization schedule…: whether and how often the service syncs, the daily full pass, what a
 * sync imports (changed in the Import Wizard), Run now, and the latest runs — with what holds the schedule
 * up (a failure, a safety stop waiting for confirmation, a pause after a settings change) and the way out.
 */
import { Ak } from '../controls/Ak.tsx';
import { useCallback, useEffect, useId, useState } from 'react';
import type { SettingsView } from '../../../shared/contract.ts';
import { countsText, everyNth } from '../../../shared/import-run.ts';
import type { ApiError } from '../../../shared/result.ts';
import { NUMBER_RANGES, TIME_OF_DAY } from '../../../shared/settings.ts';
import { nodesWords, type ScheduleView } from '../../../shared/sync-status.ts';
import { api } from '../api.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { RunsTable } from '../controls/RunsTable.tsx';
import { focusField } from '../controls/focus-field.ts';
import { localTime } from '../controls/local-time.ts';
import { needsAttention, runCounts, scheduleLine } from './schedule-words.ts';

const REFRESH_MS = 3000;
const DEFAULT_MINUTES = 30;

const local = (iso: string | null) => localTime(iso) || '—';

export function ScheduleDialog({ onClose, onOpenWizard }: { onClose: () => void; onOpenWizard: () => void }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [status, setStatus] = useState<ScheduleView | null>(null);
  const [on, setOn] = useState(true);
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES));
  const [fullAt, setFullAt] = useState('03:00');
  const [fieldError, setFieldError] = useState<{ field: 'minutes' | 'fullAt'; text: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [job, setJob] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const ids = { on: useId(), minutes: useId(), fullAt: useId(), fieldError: useId() };

  const refresh = useCallback(
    () =>
      void api.invoke('schedule.status', {}).then((r) => {
        if (r.ok) setStatus(r.value);
        else setError(r.error);
      }),
    [],
  );

  useEffect(() => {
    void api.invoke('settings.get', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      setView(r.value);
      const every = r.value.settings.syncEveryMinutes;
      setOn(every > 0);
      setMinutes(String(every > 0 ? every : DEFAULT_MINUTES));
      setFullAt(r.value.settings.fullSyncAt);
    });
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // A sync run in this console (no service was running) reports here when it ends.
  useEffect(
    () =>
      api.on('import.finished', ({ jobId, outcome }) => {
        if (jobId !== job) return;
        setJob(null);
        setNotice(null);
        if (outcome.ok) setNotice(`Synchronized: ${countsText(outcome.counts, { unchanged: false })}.`);
        else if (outcome.error) setError(outcome.error);
        refresh();
      }),
    [job, refresh],
  );

  const save = async () => {
    const every = Number(minutes.trim());
    const { min, max } = NUMBER_RANGES.syncEveryMinutes;
    if (on && (!/^\d+$/.test(minutes.trim()) || every < Math.max(1, min) || every > max)) {
      setFieldError({ field: 'minutes', text: `Every: a whole number of minutes from 1 to ${max}.` });
      focusField(ids.minutes);
      return;
    }
    if (!TIME_OF_DAY.test(fullAt)) {
      setFieldError({ field: 'fullAt', text: 'Daily full pass: a time of day such as 03:00.' });
      focusField(ids.fullAt);
      return;
    }
    setFieldError(null);
    const settings = { ...view!.settings, syncEveryMinutes: on ? every : 0, fullSyncAt: fullAt };
    const result = await api.invoke('settings.save', { settings, password: { action: 'keep' } });
    if (result.ok) onClose();
    else setError(result.error);
  };

  const runNow = async (confirmed: boolean) => {
    setError(null);
    const result = await api.invoke('schedule.runNow', { confirmed });
    if (!result.ok) return setError(result.error);
    if (result.value.by === 'service')
      setNotice('The service was asked to synchronize now; the status below shows when it has.');
    else {
      // Run now is unavailable while the console syncs: focus moves on to the default button, not off the dialog.
      (document.activeElement as HTMLElement | null)
        ?.closest('form')
        ?.querySelector<HTMLElement>('button.default')
        ?.focus();
      setJob(result.value.jobId);
      setNotice('No service is running, so this console synchronizes now…');
    }
    refresh();
  };

  const resume = async () => {
    const result = await api.invoke('schedule.resume', {});
    if (result.ok) setStatus(result.value);
    else setError(result.error);
  };

  /** A refused field: red, announced as invalid, described by the reason below the fields. */
  const invalid = (field: 'minutes' | 'fullAt') => ({
    className: fieldError?.field === field ? 'invalid' : '',
    'aria-invalid': fieldError?.field === field,
    'aria-describedby': fieldError?.field === field ? ids.fieldError : undefined,
  });

  if (!view || !status) return null;
  const service = status.service;
  const nodes = nodesWords(status);
  const serviceText =
    (nodes ? `The IM nodes sharing this users database: ${nodes}. ` : '') +
    (service?.running
      ? `The sync service runs on ${service.host} (pid ${service.pid}) since ${local(service.since)}; ` +
        `last check-in ${local(service.lastHeartbeat)}.`
      : service
        ? `The sync service on ${service.host} (pid ${service.pid}) is not running; last check-in ` +
          `${local(service.lastHeartbeat)}. Run now synchronizes in this console.`
        : 'No sync service has checked in: install one with bcscmd /INSTALLSERVICE. Run now synchronizes in ' +
          'this console.');
  return (
    <>
      <Dialog
        title="Synchronization schedule"
        help="schedule"
        width={640}
        onCancel={onClose}
        onSubmit={() => void save()}
        buttons={
          <>
            <button
              type="button"
              className="left"
              disabled={job !== null || status.runningNow !== null}
              onClick={() => void runNow(false)}
            >
              <Ak text="&Run now" />
            </button>
            <OkCancel onCancel={onClose} />
          </>
        }
      >
        <p role="status" aria-label="Schedule status" className={needsAttention(status) ? 'warning-text' : ''}>
          {scheduleLine(status)}
        </p>
        {status.waiting && (
          <div className="attention">
            <p>
              Run {status.waiting.runId} stopped: {status.waiting.reason} The schedule does not run again until you
              confirm.
            </p>
            <button type="button" onClick={() => setConfirming(true)}>
              <Ak text="Run now and &disable them…" />
            </button>{' '}
            <button type="button" className="link" onClick={onOpenWizard}>
              <Ak text="Re&view the changes in the Import Wizard…" />
            </button>
          </div>
        )}
        {status.paused && !status.waiting && (
          <div className="attention">
            <p>Paused: {status.paused}. A sync would now import differently from the last one.</p>
            <button type="button" onClick={() => void resume()}>
              <Ak text="Re&sume the schedule" />
            </button>{' '}
            <button type="button" className="link" onClick={onOpenWizard}>
              <Ak text="&Preview in the Import Wizard…" />
            </button>
          </div>
        )}
        <label className="check">
          <input id={ids.on} type="checkbox" data-autofocus checked={on} onChange={(e) => setOn(e.target.checked)} />
          <Ak text=" S&ynchronize the users database with Active Directory automatically" />
        </label>
        <div className="grid indent">
          <label htmlFor={ids.minutes} className={on ? '' : 'disabled'}>
            <Ak text="&Every (minutes)" />
          </label>
          <input
            id={ids.minutes}
            inputMode="numeric"
            value={minutes}
            disabled={!on}
            {...invalid('minutes')}
            onChange={(e) => setMinutes(e.target.value)}
          />
          <label htmlFor={ids.fullAt} className={on ? '' : 'disabled'}>
            <Ak text="Daily &full pass at" />
          </label>
          <input
            id={ids.fullAt}
            type="time"
            value={fullAt}
            disabled={!on}
            {...invalid('fullAt')}
            onChange={(e) => setFullAt(e.target.value)}
          />
        </div>
        {fieldError && (
          <p id={ids.fieldError} role="alert" className="error-text">
            {fieldError.text}
          </p>
        )}
        <p className="note indent">
          Incremental between full passes; {everyNth(status.schedule.fullSyncEvery, 'run')} is full too. Stopping the
          service cancels a running sync, which then changes nothing.
        </p>
        <fieldset>
          <legend>What a sync imports</legend>
          <p>{status.schedule.source}</p>
          <p className="note">
            With the placement and options of the last import.{' '}
            <button type="button" className="link" onClick={onOpenWizard}>
              <Ak text="C&hange them in the Import Wizard…" />
            </button>
          </p>
        </fieldset>
        <p className="note">{serviceText}</p>
        {notice && <p className="note">{notice}</p>}
        <ErrorText error={error} />
        <RunsTable
          label="Latest sync runs"
          whenTitle="Ended"
          whatTitle="Result"
          empty="No sync has run yet."
          lines={status.recentRuns.map((r) => ({
            key: String(r.id),
            runId: r.id,
            when: r.status === 'running' ? 'running…' : local(r.finishedAt),
            startedBy: r.startedBy,
            what: r.status === 'succeeded' ? `succeeded: ${runCounts(r)}` : `${r.status}: ${r.error ?? ''}`,
          }))}
        />
      </Dialog>
      {confirming && (
        <ConfirmBox
          title="Synchronization schedule"
          message={
            `${status.waiting?.reason ?? ''}\n\nRun the sync now and disable ` +
            `${status.waiting?.disables ?? 'these'} accounts? They can log on again once they are back in the source.`
          }
          yes="&Run and disable"
          no="Cancel"
          onAnswer={(yes) => {
            setConfirming(false);
            if (yes) void runNow(true);
          }}
        />
      )}
    </>
  );
}
