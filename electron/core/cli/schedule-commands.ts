/** bcscmd's scheduled-sync commands: /SERVICE, /STATUS, /RUNNOW, /RESUME, /INSTALLSERVICE. */
import { utcText } from '../../../shared/utc-text.ts';
import fs from 'node:fs';
import path from 'node:path';
import { countsText, everyNth } from '../../../shared/import-run.ts';
import type { Settings } from '../../../shared/settings.ts';
import { scheduleSummary, type SyncStatus } from '../../../shared/sync-status.ts';
import { openUsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import { defaultServiceUser, installPlan } from '../sync/service-install.ts';
import { runSyncService } from '../sync/sync-service.ts';
import { approveScope, requestRunNow, scheduledScope } from '../sync/sync-state.ts';
import { readSyncStatus, statusExitCode } from '../sync/sync-status.ts';
import type { SqlEngine } from '../database/engine/sql-engine.ts';
import { publishingLines } from '../../../shared/publishing.ts';
import { REFUSED_PASSWORD_HINT, refusedPasswordText } from '../../../shared/refused-password.ts';
import { RefusedPasswords } from '../secrets/refused-passwords.ts';
import type { CliRequest } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';
import { INSTALL_ROOT } from '../paths.ts';

export interface ScheduleContext {
  load: () => { settings: Settings; password: string | null };
  settingsFile: string;
  database: DatabaseAt;
  dataDir: string;
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export async function runService(request: CliRequest, ctx: ScheduleContext, io: CliIo): Promise<number> {
  const stop = new AbortController();
  let reload = false;
  const onStop = () => stop.abort();
  const onHup = () => {
    reload = true;
  };
  process.on('SIGINT', onStop);
  process.on('SIGTERM', onStop);
  process.on('SIGHUP', onHup);
  try {
    return await runSyncService({
      load: ctx.load,
      watched: [ctx.settingsFile, ...(request.passwordFile ? [request.passwordFile] : [])],
      database: ctx.database,
      log: (line) => io.err(`${stamp()} ${line}\n`),
      signal: stop.signal,
      reloadRequests: {
        take: () => {
          const asked = reload;
          reload = false;
          return asked;
        },
      },
    });
  } finally {
    process.off('SIGINT', onStop);
    process.off('SIGTERM', onStop);
    process.off('SIGHUP', onHup);
  }
}

async function withDatabase<T>(
  file: DatabaseAt,
  io: CliIo,
  work: (engine: SqlEngine) => T | Promise<T>,
): Promise<T | null> {
  let database;
  try {
    database = openUsersDatabase(file);
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    io.err(`${err.message}\nWhat to do: ${err.hint}\n`);
    return null;
  }
  try {
    return await work(database.engine);
  } finally {
    database.close();
  }
}

const utc = (iso: string | null) => (iso ? utcText(iso, 'second') : '—');

function statusText(s: SyncStatus): string {
  const lines = [scheduleSummary(s, (r) => countsText(r.counts, { unchanged: false })), ''];
  lines.push(
    `Schedule:   ${s.schedule.everyMinutes === 0 ? 'off' : `every ${s.schedule.everyMinutes} min`}, full pass daily ` +
      `at ${s.schedule.fullSyncAt} and ${everyNth(s.schedule.fullSyncEvery, 'run')}`,
    `Imports:    ${s.schedule.source}`,
  );
  lines.push(
    s.service
      ? `Service:    pid ${s.service.pid} on ${s.service.host}, ` +
          `${s.service.running ? 'running' : 'not running'} since ` +
          `${utc(s.service.since)}; last check-in ${utc(s.service.lastHeartbeat)}` +
          `${s.service.stoppedAt ? `; stopped ${utc(s.service.stoppedAt)}` : ''}` +
          `${s.service.nextRunAt ? `; next run ${utc(s.service.nextRunAt)}` : ''}`
      : 'Service:    none has checked in (bcscmd /INSTALLSERVICE sets one up)',
  );
  // A database several IM nodes share: who leads and who stands by, as its server sees their connections.
  if (s.nodes) {
    if (s.nodes.length === 0) lines.push('Nodes:      no node runs /SERVICE on this database');
    for (const n of s.nodes)
      lines.push(
        `${n.role === 'leader' ? 'Leader:  ' : 'Standby: '}   pid ${n.pid} on ${n.host}, since ${utc(n.since)}`,
      );
  }
  if (s.runningNow) lines.push(`Running:    ${s.runningNow.by}`);
  if (s.lastRun)
    lines.push(
      `Last run:   ${s.lastRun.id} ${s.lastRun.status} at ${utc(s.lastRun.finishedAt ?? s.lastRun.startedAt)}` +
        ` — ${s.lastRun.status === 'succeeded' ? countsText(s.lastRun.counts) : (s.lastRun.error ?? '')}`,
    );
  if (s.waiting)
    lines.push(
      `Waiting:    run ${s.waiting.runId}: ${s.waiting.reason}`,
      '            Confirm with bcscmd /LDAP /YES (or /RUNNOW /YES), or in the console.',
    );
  if (s.paused)
    lines.push(`Paused:     ${s.paused}.`, '            Preview with bcscmd /LDAP /DRYRUN, or bcscmd /RESUME.');
  if (s.failures > 0) lines.push(`Failures:   ${s.failures} in a row; last: ${s.lastError ?? ''}`);
  if (s.runNowPending) lines.push('Run now:    asked for; the service has not taken it up yet.');
  if (s.refusedPassword)
    lines.push(`Password:   ${refusedPasswordText(s.refusedPassword)}`, `            ${REFUSED_PASSWORD_HINT}`);
  lines.push(...publishingLines(s.publishing));
  return `${lines.join('\n')}\n`;
}

export async function runStatus(request: CliRequest, ctx: ScheduleContext, io: CliIo): Promise<number> {
  const { settings, password } = ctx.load();
  // Given the password (ADCONSOLE_LDAP_PASSWORD, /PASSWORDFILE), a refusal counts only if it is that very one.
  const status = await withDatabase(ctx.database, io, async (engine) => {
    const refused =
      password && settings.account === 'specified'
        ? await new RefusedPasswords((work) => work(engine)).find(settings.login, password)
        : undefined;
    return readSyncStatus(engine, settings, new Date(), refused);
  });
  if (!status) return EXIT.failed;
  io.out(request.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
  return statusExitCode(status);
}

export async function runScheduleRequest(request: CliRequest, ctx: ScheduleContext, io: CliIo): Promise<number> {
  const settings = ctx.load().settings;
  const done = await withDatabase(ctx.database, io, async (engine) => {
    if (request.resume) await approveScope(engine, scheduledScope(settings));
    if (request.runNow) await requestRunNow(engine, request.yes);
    return readSyncStatus(engine, settings);
  });
  if (!done) return EXIT.failed;
  if (request.resume) io.out('The schedule is resumed with the settings as they are now.\n');
  if (request.runNow)
    io.out(
      done.service?.running
        ? `Asked the service (pid ${done.service.pid} on ${done.service.host}) to sync now` +
            `${request.yes ? ', past the safety limit' : ''}; bcscmd /STATUS shows the result.\n`
        : 'Asked for a sync now, but no service is running to take it up: it runs when one starts. To sync ' +
            'at once without a service, run bcscmd /LDAP.\n',
    );
  return EXIT.ok;
}

export function runInstallService(request: CliRequest, ctx: ScheduleContext, io: CliIo): number {
  // Inside the packaged app the app itself is bcscmd; under Node, node runs bin/bcscmd.js.
  const argv = process.versions.electron
    ? [process.execPath]
    : [process.execPath, path.join(INSTALL_ROOT, 'bin', 'bcscmd.js')];
  const settings = ctx.load().settings;
  const plan = installPlan({
    argv,
    dataDir: path.resolve(ctx.dataDir),
    passwordFile: request.passwordFile ? path.resolve(request.passwordFile) : null,
    user: request.runAs ?? defaultServiceUser(),
  });
  const warnings: string[] = [];
  if (settings.account === 'specified' && !request.passwordFile && !process.versions.electron)
    warnings.push(
      'The service logs on with a specified account but was given no /PASSWORDFILE: it would have no password. ' +
        'Give /PASSWORDFILE:<file> (a file only the service account can read).',
    );
  if (request.passwordFile && !fs.existsSync(request.passwordFile))
    warnings.push(
      `The password file ${request.passwordFile} does not exist yet; create it before starting the service.`,
    );
  if (!request.runAs && process.getuid?.() === 0)
    warnings.push('The service would run as root: give /RUNAS:<account> to run it as an account of its own.');
  if (settings.syncEveryMinutes === 0)
    warnings.push('The schedule is off (syncEveryMinutes 0): turn it on with /SET:syncEveryMinutes=30.');
  if (request.print || !plan.file) {
    io.out(plan.text);
    for (const w of warnings) io.err(`Note: ${w}\n`);
    if (!plan.file)
      io.err(`This platform (${process.platform}) has no service definition here; the text above is for systemd.\n`);
    else io.err(`Save it as ${plan.file}, then enable it with:\n  ${plan.enable}\n`);
    return EXIT.ok;
  }
  try {
    const bytes =
      process.platform === 'win32'
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plan.text, 'utf16le')])
        : plan.text;
    fs.writeFileSync(plan.file, bytes, { mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    io.err(
      `The service definition could not be written to ${plan.file} (${code}). ` +
        `What to do: run bcscmd /INSTALLSERVICE as an administrator (root), or use /PRINT and save it yourself.\n`,
    );
    return EXIT.failed;
  }
  for (const w of warnings) io.err(`Note: ${w}\n`);
  io.out(`Wrote ${plan.file}. Enable and start it with:\n  ${plan.enable}\n`);
  return EXIT.ok;
}
