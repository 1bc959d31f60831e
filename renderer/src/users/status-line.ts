/** The status bar's words: totals and the last import run with its result. */
import type { UsersOverview } from '../../../shared/users-view.ts';
import { localTime } from '../controls/local-time.ts';

const n = (value: number) => value.toLocaleString('en-US');

export function statusLine(o: UsersOverview): string {
  const t = o.totals;
  const totals =
    `${n(t.accounts)} account${t.accounts === 1 ? '' : 's'} (${n(t.enabled)} enabled, ` +
    `${n(t.disabled)} disabled; ${n(t.fromAd)} from AD, ${n(t.local)} local)`;
  const r = o.lastRun;
  if (!r) return `${totals} · No import has run yet.`;
  if (r.status === 'running')
    return (
      `${totals} · Import run ${r.id} (${r.mode}, ${r.startedBy}) running since ${localTime(r.startedAt)}` +
      `${r.host ? ` on ${r.host} (pid ${r.pid})` : ''}.`
    );
  const when = localTime(r.finishedAt ?? r.startedAt);
  const result =
    r.status === 'succeeded'
      ? `${n(r.counts.created)} created, ${n(r.counts.updated)} updated, ${n(r.counts.disabled)} disabled, ` +
        `${n(r.counts.enabled)} enabled, ${n(r.counts.conflicts)} conflicts`
      : (r.error ?? r.status);
  return `${totals} · Last import: run ${r.id} (${r.mode}, ${r.startedBy}) ${r.status} at ${when} — ${result}`;
}
