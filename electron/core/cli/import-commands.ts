/** bcscmd's users-database commands: /LDAP, /USERS, /HISTORY, /REPORT. */
import { utcText } from '../../../shared/utc-text.ts';
import { openUsersDatabase, type DatabaseAt, type UsersDatabase } from '../database/users-database.ts';
import { listAccounts } from '../database/accounts.ts';
import { Failure } from '../failure.ts';
import { type JobStart, startImportJob } from '../import/import-job.ts';
import { SyncRunning } from '../sync/sync-lock.ts';
import { findRun, listRuns, reportRows, type RunRecord } from '../import/run-history.ts';
import {
  COUNT_LABELS,
  countsText,
  type ImportOutcome,
  planDetails,
  type RecordedAction,
  type Progress,
} from '../../../shared/import-run.ts';
import type { CliRequest } from './arguments.ts';
import { runReportCsv } from '../report/import-report.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';

const MODE_NAMES = {
  new: 'Create a new database',
  add: 'Add new accounts',
  sync: 'Synchronize',
  'on-the-fly': 'On-the-fly import',
  account: 'Account change',
};

function actionLine(a: RecordedAction): string {
  const details = planDetails(a);
  return `  ${a.action.padEnd(9)} ${a.logon}${a.dn ? `  (${a.dn})` : ''}${details ? `\n            ${details}` : ''}`;
}

function outcomeText(o: ImportOutcome): string {
  const lines: string[] = [];
  const pass =
    o.mode !== 'sync' || (!o.incremental && !o.fullReason)
      ? ''
      : o.incremental
        ? ', incremental (only entries changed since the last sync)'
        : `, full pass: ${o.fullReason}`;
  if (o.failover) lines.push(`Failover: ${o.failover}`);
  const dryRun = o.dryRun ? ' — DRY RUN, nothing was written' : '';
  const dc = o.dc ? ` on ${o.dc}` : '';
  lines.push(`${MODE_NAMES[o.mode]}${dryRun}${pass}${dc}${o.ok ? `: ${o.read} directory entries read` : ''}`);
  if (o.ok) lines.push(...COUNT_LABELS.map(([k, label]) => `  ${label.padEnd(10)} ${String(o.counts[k]).padStart(7)}`));
  if (o.plan && o.plan.length > 0) lines.push('', 'Planned actions:', ...o.plan.map(actionLine));
  else if (o.problems.length > 0) lines.push('', 'Skipped, conflicts and failures:', ...o.problems.map(actionLine));
  lines.push('');
  if (o.warning) lines.push(o.warning, '');
  if (o.error) lines.push(`${o.error.message}`, ...(o.error.hint ? [`What to do: ${o.error.hint}`] : []));
  else {
    const run = o.runId ? ` Run ${o.runId} (bcscmd /REPORT:${o.runId}).` : '';
    const backup = o.backup ? ` The previous database was backed up to ${o.backup}.` : '';
    lines.push(`${o.dryRun ? 'Planned' : 'Finished'} in ${(o.durationMs / 1000).toFixed(1)} s.${run}${backup}`);
  }
  return `${lines.join('\n')}\n`;
}

function outcomeJson(o: ImportOutcome): Record<string, unknown> {
  return {
    ok: o.ok,
    status: o.status,
    mode: o.mode,
    dryRun: o.dryRun,
    incremental: o.incremental,
    ...(o.mode === 'sync' && o.fullReason ? { fullReason: o.fullReason } : {}),
    read: o.read,
    dc: o.dc,
    ...(o.failover ? { failover: o.failover } : {}),
    ...o.counts,
    durationMs: o.durationMs,
    timings: o.timings,
    runId: o.runId,
    ...(o.backup ? { backup: o.backup } : {}),
    ...(o.warning ? { warning: o.warning } : {}),
    errors: [
      ...(o.error ? [{ code: o.error.code, message: o.error.message, hint: o.error.hint }] : []),
      ...o.problems.map((p) => ({ action: p.action, logon: p.logon, dn: p.dn, reason: p.reason })),
    ],
    ...(o.plan ? { plan: o.plan } : {}),
  };
}

/** One line per phase change, then at most one every few seconds: enough for a scheduled task's log. */
function progressPrinter(err: (text: string) => void): (p: Progress) => void {
  let phase = '';
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase === phase && now - last < 5000) return;
    phase = p.phase;
    last = now;
    const of = p.total !== null ? ` of ${p.total}` : '';
    const eta = p.etaMs !== null && p.done > 0 ? `, about ${Math.ceil(p.etaMs / 1000)} s left` : '';
    err(
      p.done === 0
        ? `[${p.phase}] started${p.total !== null ? ` (${p.total} to go)` : ''}\n`
        : `[${p.phase}] ${p.done}${of} (${p.rate}/s${eta})\n`,
    );
  };
}

/** Polls the sync lock while /WAIT lasts. */
const LOCK_POLL_MS = 1000;

export async function runLdap(request: CliRequest, start: Omit<JobStart, 'request'>, io: CliIo): Promise<number> {
  // The same worker-thread job as the desktop app; Ctrl+C cancels it cleanly (the run rolls back and says so).
  const jobStart: JobStart = {
    ...start,
    request: {
      mode: request.mode,
      dryRun: request.dryRun,
      full: request.full,
      confirmed: request.yes,
      startedBy: 'command-line',
      source: request.ous.length + request.groups.length > 0 ? { ous: request.ous, groups: request.groups } : null,
    },
  };
  const deadline = Date.now() + request.waitSeconds * 1000;
  let job;
  let said = false;
  for (;;) {
    try {
      job = await startImportJob(jobStart, request.json ? undefined : progressPrinter(io.err));
      break;
    } catch (err) {
      if (!(err instanceof Failure)) throw err;
      if (!(err instanceof SyncRunning) || Date.now() >= deadline) {
        if (request.json) io.out(`${JSON.stringify(failureJson(request, err), null, 2)}\n`);
        io.err(`${err.message}\nWhat to do: ${err.hint}\n`);
        return err instanceof SyncRunning ? EXIT.busy : EXIT.failed;
      }
      if (!said) io.err(`${err.message} Waiting up to ${request.waitSeconds} s for it to finish…\n`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  const onSignal = () => job.cancel();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: ImportOutcome;
  try {
    outcome = await job.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (request.json) io.out(`${JSON.stringify(outcomeJson(outcome), null, 2)}\n`);
  else (outcome.ok ? io.out : io.err)(outcomeText(outcome));
  return outcome.status === 'succeeded' ? EXIT.ok : outcome.status === 'stopped' ? EXIT.stopped : EXIT.failed;
}

/** /LDAP /JSON when the run could not start (another sync runs, the database cannot be opened). */
function failureJson(request: CliRequest, err: Failure): Record<string, unknown> {
  return {
    ok: false,
    status: 'failed',
    mode: request.mode,
    dryRun: request.dryRun,
    errors: [{ code: err.code, message: err.message, hint: err.hint }],
  };
}

async function withDatabase<T>(at: DatabaseAt, work: (opened: UsersDatabase) => Promise<T>): Promise<T> {
  const database = openUsersDatabase(at);
  try {
    return await work(database);
  } finally {
    database.close();
  }
}

function runResultText(r: RunRecord): string {
  if (r.status === 'succeeded') return countsText(r.counts);
  if (r.status === 'running')
    return `since ${utcText(r.startedAt, 'second')}${r.host ? ` on ${r.host}, pid ${r.pid}` : ''}`;
  return r.error ?? '';
}

function historyText(runs: RunRecord[]): string {
  if (runs.length === 0) return 'No import has run yet.\n';
  return `${runs
    .map(
      (r) =>
        `${String(r.id).padStart(5)}  ${r.startedAt.replace('T', ' ').slice(0, 19)}  ` +
        `${MODE_NAMES[r.mode]}${r.incremental ? ' (incremental)' : ''} by ${r.startedBy}: ${r.status} — ` +
        `${runResultText(r)}\n       ` +
        `${r.source}${r.dc ? ` on ${r.dc}` : ''}${r.backup ? `; backup ${r.backup}` : ''}`,
    )
    .join('\n')}\n`;
}

export async function runDatabaseCommand(request: CliRequest, at: DatabaseAt, io: CliIo): Promise<number> {
  try {
    return await withDatabase(at, async ({ engine }) => {
      if (request.users) {
        const accounts = await listAccounts(engine);
        if (request.json) io.out(`${JSON.stringify(accounts, null, 2)}\n`);
        else {
          io.out(
            accounts
              .map(
                (a) =>
                  `${a.logon.padEnd(22)} ${a.displayName.padEnd(28)} ` +
                  `${(a.enabled ? 'enabled' : 'DISABLED').padEnd(8)} ${a.kind.padEnd(8)} ` +
                  `${a.origin.padEnd(5)} ${a.ou}`,
              )
              .join('\n') + (accounts.length ? '\n' : ''),
          );
          io.out(`${accounts.length} account${accounts.length === 1 ? '' : 's'}.\n`);
        }
      }
      if (request.history) {
        const runs = await listRuns(engine);
        io.out(request.json ? `${JSON.stringify(runs, null, 2)}\n` : historyText(runs));
      }
      if (request.report !== null) {
        const run = await findRun(engine, request.report);
        if (!run)
          throw new Failure(
            'no-such-run',
            `There is no import run ${request.report}.`,
            'bcscmd /HISTORY lists the runs.',
          );
        if (request.csv) {
          for (const line of await runReportCsv(engine, run.id)) io.out(line);
        } else if (request.json) {
          const actions = (await reportRows(engine, run.id)).map((r) => ({
            ...r,
            changes: r.changes ? JSON.parse(r.changes) : null,
          }));
          io.out(`${JSON.stringify({ run, actions }, null, 2)}\n`);
        } else {
          io.out(historyText([run]));
          for (const row of await reportRows(engine, run.id))
            io.out(
              `${actionLine({
                ...row,
                action: row.action as RecordedAction['action'],
                changes: row.changes ? JSON.parse(row.changes) : null,
              })}\n`,
            );
        }
      }
      return EXIT.ok;
    });
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    io.err(`${err.message}\n${err.hint ? `What to do: ${err.hint}\n` : ''}`);
    return EXIT.failed;
  }
}
