/**
 * How the scheduled sync is doing, as `bcscmd /STATUS /JSON`, the console's schedule dialog and its status
 * bar show it: the schedule, the service's check-ins, the last scheduled run, and what holds it up.
 */
import type { PublishingStatus } from './publishing.ts';
import type { RefusedPassword } from './refused-password.ts';
import { utcText } from './utc-text.ts';
import type { RunSummary } from './users-view.ts';

export type ScheduleHealth = 'ok' | 'off' | 'failing' | 'waiting' | 'paused' | 'missing' | 'refused';

export interface SyncStatus {
  /** `chosen`: an import source (or OU path) exists; without one the schedule is off. */
  schedule: { everyMinutes: number; fullSyncAt: string; fullSyncEvery: number; source: string; chosen: boolean };
  service: {
    running: boolean;
    pid: number;
    host: string;
    since: string;
    nextRunAt: string | null;
    lastHeartbeat: string;
    stoppedAt: string | null;
  } | null;
  /**
   * A users database several IM nodes share (PostgreSQL): every node's /SERVICE as the database server sees it,
   * the one that leads (runs the schedule and publishes) and those standing by. null on SQLite.
   */
  nodes: { role: 'leader' | 'standby'; pid: number; host: string; since: string }[] | null;
  /** A sync of this database running now, by whoever. */
  runningNow: { by: string; pid: number; host: string; startedAt: string } | null;
  /** The last run the service started (finished or not). */
  lastRun: RunSummary | null;
  waitingForConfirmation: boolean;
  waiting: { runId: number; reason: string; disables: number | null } | null;
  paused: string | null;
  /** Consecutive failed scheduled runs, and the last one's reason. */
  failures: number;
  lastError: string | null;
  /** Run now was asked for and the service has not taken it up yet. */
  runNowPending: boolean;
  /**
   * A domain controller refused the service account's password (the one configured, where the reader knows
   * it): no process binds with it — no sync, lookup or logon check — until it changes.
   */
  refusedPassword: RefusedPassword | null;
  health: ScheduleHealth;
  /** Publishing the directory to the IM server (every process publishes; the service retries what waits). */
  publishing: PublishingStatus;
  checkedAt: string;
}

/** The schedule dialog's view: the status and the latest sync runs, newest first. */
export interface ScheduleView extends SyncStatus {
  recentRuns: RunSummary[];
}

/** Local time of day, HH:MM (the viewer's clock: the console's machine, or where bcscmd runs). */
const hhmm = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

const lastRunWords = (r: RunSummary, counts: (r: RunSummary) => string) =>
  `last ${hhmm(r.finishedAt ?? r.startedAt)} ${r.status}${r.status === 'succeeded' ? ` (${counts(r)})` : ''}`;

/** Several IM nodes on one database: who runs the schedule and who stands by (null: one node, or SQLite). */
export function nodesWords(s: SyncStatus): string | null {
  if (!s.nodes) return null;
  const leader = s.nodes.find((n) => n.role === 'leader');
  const standbys = s.nodes.filter((n) => n.role === 'standby');
  const led = leader ? `led by ${leader.host} (pid ${leader.pid})` : 'no node leads';
  if (standbys.length === 0) return led;
  const names = standbys.map((n) => `${n.host} (pid ${n.pid})`).join(', ');
  return `${led}, ${standbys.length} standing by: ${names}`;
}

/** One line for the status bar and /STATUS: the schedule at a glance, or what is wrong with it. */
export function scheduleSummary(s: SyncStatus, counts: (r: RunSummary) => string): string {
  const every = `Scheduled sync every ${s.schedule.everyMinutes} min`;
  switch (s.health) {
    case 'refused':
      return (
        `The service account's password was refused by ${s.refusedPassword!.dc} at ` +
        `${hhmm(s.refusedPassword!.at)}: no sync or lookup uses it until it changes`
      );
    case 'off':
      return s.schedule.chosen
        ? 'Scheduled sync is off'
        : 'Scheduled sync is off until an import source is chosen (Tools → Active Directory Import Wizard…)';
    case 'missing':
      return s.service
        ? `${every}: no service has checked in since ${utcText(s.service.lastHeartbeat)}`
        : `${every}: no sync service has checked in yet (install one with bcscmd /INSTALLSERVICE)`;
    case 'waiting':
      return (
        `Scheduled sync is waiting for confirmation` +
        `${s.waiting?.disables ? ` (would disable ${s.waiting.disables} accounts)` : ''}`
      );
    case 'paused':
      return `Scheduled sync is paused: ${s.paused}`;
    case 'failing':
      return (
        `Scheduled sync failed ${s.failures} time${s.failures === 1 ? '' : 's'}: ` +
        `${s.lastError ?? 'see the history'}`
      );
    default: {
      const parts = [every];
      if (s.runningNow) parts.push(`running now (since ${hhmm(s.runningNow.startedAt)})`);
      else if (s.service?.nextRunAt) parts.push(`next ${hhmm(s.service.nextRunAt)}`);
      if (s.lastRun && s.lastRun.status !== 'running') parts.push(lastRunWords(s.lastRun, counts));
      if (s.service && !s.service.running)
        parts.push(`the service is not running (last check-in ${hhmm(s.service.lastHeartbeat)})`);
      const nodes = nodesWords(s);
      if (nodes) parts.push(nodes);
      return parts.join(' · ');
    }
  }
}
