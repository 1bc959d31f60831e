/**
 * `bcscmd /SERVICE`: the scheduled sync. One process per data folder (service-registry.ts) runs the same
 * import job as `bcscmd /LDAP` and the wizard, on the schedule in the settings, and records in the
 * database what it did, so that `bcscmd /STATUS` and the console can say how the schedule is doing.
 * Failures are retried with back-off; a run stopped by the safety limit waits for an administrator; a
 * change of what a sync imports pauses the schedule until it has been previewed or resumed. Stopping
 * (SIGTERM, Ctrl+C) cancels a running import, which rolls back.
 */
import { countsText, everyNth, type ImportOutcome } from '../../../shared/import-run.ts';
import { importSourceChosen, type Settings } from '../../../shared/settings.ts';
import { locationText, openUsersDatabase, type UsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { parseImApi } from '../../../shared/im-api.ts';
import { publishPending } from '../publish/auto-publish.ts';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { readPublishState } from '../publish/publisher.ts';
import { Failure } from '../failure.ts';
import { type ImportJob, startImportJob } from '../import/import-job.ts';
import { fileStamp } from '../settings/file-stamp.ts';
import { dailyFullDue, nextRunAt } from './schedule.ts';
import { checkIn, readService, registerService, serviceLabel, signOff } from './service-registry.ts';
import type { HeldLock as HeldConnectionLock, PostgresEngine } from '../database/engine/postgres-engine.ts';
import { HEARTBEAT_MS, SyncRunning } from './sync-lock.ts';
import { approveScope, noteServiceRun, pauseReason, readSyncState, scheduledScope, takeRunNow } from './sync-state.ts';

/** How often the service looks at the clock, the settings and Run now requests. */
const POLL_MS = 1000;
/** A sync someone else runs is waited out, looking again this often. */
const BUSY_RETRY_MS = 15_000;
/** Stopping: a cancelled import has this long to roll back before its worker is ended. */
const STOP_GRACE_MS = 3500;
/** The service's own writes never wait long behind an import's commit (they are retried). */
const SERVICE_BUSY_MS = 1000;

export interface ServiceContext {
  /** The settings and the service account's password as they are now (read again for every run). */
  load: () => { settings: Settings; password: string | null };
  /** Files whose change means the schedule is read again (the settings file). */
  watched: string[];
  database: DatabaseAt;
  /** One line per event, for the journal or the service log. */
  log: (line: string) => void;
  signal: AbortSignal;
  /** SIGHUP: read the settings again now. */
  reloadRequests?: { take(): boolean };
}

/** Waits `ms`, or less when the service is stopped. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

const local = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ` +
  `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

function scheduleWords(s: Settings): string {
  if (!importSourceChosen(s))
    return 'the schedule is off until an import source is chosen (the Import Wizard, or /SET:importSource)';
  return s.syncEveryMinutes === 0
    ? 'the schedule is off (syncEveryMinutes 0): the service waits for Run now or a schedule'
    : `every ${s.syncEveryMinutes} min, a full pass daily at ${s.fullSyncAt} and ${everyNth(s.fullSyncEvery, 'run')}`;
}

/** When the last full pass of a sync ended (any starter: a full pass is a full pass). */
async function lastFullAt(q: SqlQueryable): Promise<Date | null> {
  const row = await q.get<{ at: string | null }>(
    "SELECT max(finished_at) AS at FROM import_runs WHERE mode IN ('sync', 'new') AND status = 'succeeded' " +
      'AND incremental = 0',
  );
  return row?.at ? new Date(row.at) : null;
}

function outcomeLine(o: ImportOutcome): string {
  const run = o.runId ? `run ${o.runId}` : 'the run';
  const pass = o.incremental ? 'incremental' : `full${o.fullReason ? `: ${o.fullReason}` : ''}`;
  if (o.status === 'succeeded')
    return (
      `${run} succeeded (${pass}${o.dc ? `, on ${o.dc}` : ''}): ${countsText(o.counts)} ` +
      `in ${(o.durationMs / 1000).toFixed(1)} s`
    );
  return `${run} ${o.status}: ${o.error?.message ?? ''}${o.error?.hint ? ` What to do: ${o.error.hint}` : ''}`;
}

/** After a failed publish the service tries again after this long, doubling up to the maximum. */
const PUBLISH_RETRY_MS = 5_000;
const PUBLISH_RETRY_MAX_MS = 5 * 60_000;

/**
 * The service publishes whatever waits, whoever changed it (its own runs, the console, bcscmd, a first logon
 * whose publish failed), within a second; a full publish (reconcile) at its start and daily at fullSyncAt; after
 * a failure, again with back-off — the changes wait meanwhile, nothing is lost. On a connection of its own, so
 * that publishing never holds up the schedule's bookkeeping.
 */
class ServicePublisher {
  private running: Promise<void> | null = null;
  private database: UsersDatabase | null = null;
  private fullOwed = true;
  private retryAt = 0;
  private failures = 0;
  private lastError = '';
  private readonly file: DatabaseAt;
  private readonly log: (line: string) => void;

  constructor(file: DatabaseAt, log: (line: string) => void) {
    this.file = file;
    this.log = log;
  }

  look(settings: Settings, now: Date): void {
    const api = parseImApi(settings.imApi);
    if (this.running || now.getTime() < this.retryAt || !api.ok || api.url === null) return;
    this.running = this.publish(settings, now).finally(() => {
      this.running = null;
    });
  }

  private async publish(settings: Settings, now: Date): Promise<void> {
    try {
      this.database ??= openUsersDatabase(this.file);
    } catch (err) {
      this.failed(err instanceof Failure ? `${err.message} ${err.hint}` : (err as Error).message);
      return;
    }
    const { engine } = this.database;
    let full: boolean;
    try {
      const state = await readPublishState(engine, settings);
      const lastFull = state.lastFullAt ? new Date(state.lastFullAt) : null;
      full = this.fullOwed || dailyFullDue(lastFull, settings.fullSyncAt, now);
      if (!full && !state.pending) return;
    } catch {
      return; // busy: looked at again in a second
    }
    const outcome = await publishPending({ engine, settings, full, waitMs: 0, log: this.log });
    if (outcome.status === 'failed') this.failed(`${outcome.error.message} ${outcome.error.hint ?? ''}`.trim());
    else if (outcome.status !== 'busy') {
      if (this.failures > 0) this.log('Publishing to the IM server works again.');
      this.fullOwed = false;
      this.failures = 0;
      this.lastError = '';
    }
  }

  private failed(reason: string): void {
    this.failures++;
    const wait = Math.min(PUBLISH_RETRY_MS * 2 ** (this.failures - 1), PUBLISH_RETRY_MAX_MS);
    this.retryAt = Date.now() + wait;
    // Said when it changes, not at every retry.
    if (reason !== this.lastError)
      this.log(`Publishing to the IM server failed: ${reason} Tried again in ${Math.round(wait / 1000)} s.`);
    this.lastError = reason;
  }

  async stopped(): Promise<void> {
    await this.running;
    this.database?.close();
    this.database = null;
  }
}

export async function runSyncService(ctx: ServiceContext): Promise<number> {
  const { log } = ctx;
  let database: UsersDatabase;
  let token: string;
  try {
    database = openUsersDatabase(ctx.database);
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    log(`The sync service cannot start: ${err.message} What to do: ${err.hint}`);
    return 1;
  }
  if (database.postgres) return runAsNode(ctx, database, database.postgres);
  const { engine } = database;
  try {
    token = await registerService(engine);
  } catch (err) {
    database.close();
    if (!(err instanceof Failure)) throw err;
    log(`The sync service does not start: ${err.message} What to do: ${err.hint}`);
    return 1;
  }
  // SQLite: the service's own writes do not wait long behind an import's commit (they are retried).
  await engine.exec(`PRAGMA busy_timeout = ${SERVICE_BUSY_MS}`);
  log(`Sync service started (pid ${process.pid}, ${locationText(ctx.database)}).`);
  const code = await serve(ctx, database, token, ctx.signal);
  database.close();
  log('Sync service stopped.');
  return code;
}

/** How often a standing-by node tries to take the lead (well inside the minute a dead leader may leave). */
const STANDBY_RETRY_MS = 5_000;

/**
 * On a PostgreSQL database several IM nodes share, every node runs /SERVICE and one leads: the one whose connection
 * holds the lock "service" runs the schedule and publishes; the others stand by, trying again every few seconds, so
 * that a leader that is killed is replaced at once and one that freezes once the server ends its silent session.
 * Who leads and who stands by is what the server says of the connections (serviceNodes).
 */
async function runAsNode(ctx: ServiceContext, database: UsersDatabase, opening: Promise<PostgresEngine>) {
  const { log } = ctx;
  let postgres: PostgresEngine;
  try {
    postgres = await opening;
  } catch (err) {
    database.close();
    const failure = err instanceof Failure ? err : null;
    log(`The sync service cannot start: ${failure ? `${failure.message} What to do: ${failure.hint}` : err}`);
    return 1;
  }
  log(
    `Sync service started (pid ${process.pid}, ${locationText(ctx.database)}): one node of those sharing this ` +
      'database runs the schedule; this one stands by until it may.',
  );
  let code = 0;
  while (!ctx.signal.aborted) {
    let lock: HeldConnectionLock | null;
    try {
      lock = await postgres.holdLock('service', {
        retryMs: STANDBY_RETRY_MS,
        signal: ctx.signal,
        label: (leading) => serviceLabel(leading ? 'leader' : 'standby'),
      });
    } catch (err) {
      log(`The users database does not answer (${(err as Error).message}); trying again in 5 s.`);
      await sleep(STANDBY_RETRY_MS, ctx.signal);
      continue;
    }
    if (!lock) continue; // stopped, or the standing-by connection was lost: the loop decides
    const lost = new AbortController();
    void lock.lost.then((why) => lost.abort(why));
    const before = await readService(database.engine).catch(() => null);
    let token: string;
    try {
      token = await registerService(database.engine, new Date(), { leading: true });
    } catch (err) {
      log(`This node could not take the lead: ${(err as Error).message}`);
      await lock.release();
      continue;
    }
    log(
      'This node leads now: it runs the schedule and publishes the directory' +
        `${before && before.pid !== process.pid ? ` (after pid ${before.pid} on ${before.host})` : ''}.`,
    );
    code = await serve(ctx, database, token, AbortSignal.any([ctx.signal, lost.signal]));
    await lock.release();
    if (!ctx.signal.aborted)
      log('This node no longer leads (its connection to the users database was lost); it stands by again.');
  }
  database.close();
  log('Sync service stopped.');
  return code;
}

/** The schedule and the publishing, until `signal` (stopped, or a node's lead lost). */
async function serve(ctx: ServiceContext, database: UsersDatabase, token: string, signal: AbortSignal) {
  const { log } = ctx;
  const { engine } = database;
  let settings = ctx.load().settings;
  let seen = fileStamp(ctx.watched);
  // A first service adopts what the settings import now; later changes pause it (sync-state.ts).
  try {
    if (!(await readSyncState(engine)).approvedScope) await approveScope(engine, scheduledScope(settings));
  } catch {
    // A saved source that does not parse: the first run says so.
  }
  let lastEndedAt: Date | null = null;
  let failures = (await readSyncState(engine)).failures;
  let next = nextRunAt({ ...schedule(settings), lastEndedAt, failures, now: new Date() });
  let holdUntil = 0;
  let running: Promise<void> | null = null;
  let job: ImportJob | null = null;
  let lastBeat = 0;
  let lastBlocked = '';
  let lastBusy = '';
  log(`The schedule: ${scheduleWords(settings)}.`);

  function schedule(s: Settings) {
    return { everyMinutes: importSourceChosen(s) ? s.syncEveryMinutes : 0, fullSyncAt: s.fullSyncAt };
  }
  const replan = () => {
    next = nextRunAt({ ...schedule(settings), lastEndedAt, failures, now: new Date() });
  };

  const runOnce = async (confirmed: boolean) => {
    const now = new Date();
    let loaded;
    try {
      loaded = ctx.load();
    } catch (err) {
      log(`The settings could not be read (${(err as Error).message}); kept the old ones.`);
      loaded = { settings, password: null };
    }
    settings = loaded.settings;
    // The first pass is full anyway (the engine says why); the daily one counts from the last full pass.
    const lastFull = await lastFullAt(engine);
    const daily = lastFull !== null && dailyFullDue(lastFull, settings.fullSyncAt, now);
    try {
      job = await startImportJob({
        request: {
          mode: 'sync',
          dryRun: false,
          full: daily,
          ...(daily ? { fullReason: `the daily full pass (fullSyncAt ${settings.fullSyncAt})` } : {}),
          confirmed,
          startedBy: 'service',
          source: null,
        },
        settings,
        password: loaded.password,
        database: ctx.database,
      });
    } catch (err) {
      if (err instanceof SyncRunning) {
        // Said once per holder, not at every look.
        if (err.message !== lastBusy) log(`${err.message} The scheduled run waits for it.`);
        lastBusy = err.message;
        holdUntil = Date.now() + BUSY_RETRY_MS;
        return;
      }
      if (!(err instanceof Failure)) throw err;
      failures++;
      log(`The scheduled run could not start: ${err.message} What to do: ${err.hint}`);
      lastEndedAt = new Date();
      replan();
      return;
    }
    log(
      `Scheduled sync started${confirmed ? ' (confirmed past the safety limit)' : ''}` +
        `${daily ? ', daily full pass' : ''}.`,
    );
    const outcome = await job.done;
    job = null;
    lastEndedAt = new Date();
    if (outcome.status === 'cancelled' && signal.aborted) {
      log(`Stopped: ${outcomeLine(outcome)}`);
      return;
    }
    try {
      await noteServiceRun(engine, outcome);
      failures = (await readSyncState(engine)).failures;
    } catch (err) {
      failures = outcome.status === 'failed' ? failures + 1 : 0;
      log(`The run's result could not be recorded for the schedule (${(err as Error).message}).`);
    }
    log(outcomeLine(outcome));
    if (outcome.status === 'stopped')
      log('The schedule waits for an administrator: bcscmd /LDAP /YES (or the console) confirms and runs it.');
    replan();
    if (failures > 0 && next)
      log(`Failed ${failures} time${failures === 1 ? '' : 's'} in a row; next try ${local(next)}.`);
  };

  /** Why a due run does not start (null = it starts). */
  const blockedBy = async (): Promise<string | null> => {
    const state = await readSyncState(engine);
    if (state.waiting) return `waiting for confirmation of run ${state.waiting.runId}: ${state.waiting.reason}`;
    const paused = pauseReason(state, settings);
    return paused ? `paused: ${paused}; preview it (the Import Wizard, or bcscmd /LDAP /DRYRUN) or resume` : null;
  };

  const publisher = new ServicePublisher(ctx.database, log);

  while (!signal.aborted) {
    const now = new Date();
    publisher.look(settings, now);
    if (ctx.reloadRequests?.take() || fileStamp(ctx.watched) !== seen) {
      seen = fileStamp(ctx.watched);
      try {
        settings = ctx.load().settings;
        replan();
        log(`The settings changed: ${scheduleWords(settings)}${next ? `; next run ${local(next)}` : ''}.`);
      } catch (err) {
        log(`The changed settings could not be read (${(err as Error).message}); kept the old ones.`);
      }
    }
    if (now.getTime() - lastBeat >= HEARTBEAT_MS) {
      try {
        if (!(await checkIn(engine, token, running ? null : next, now))) {
          log('Another sync service took over this data folder (this one was silent too long); this one stops.');
          if (job) await (job as ImportJob).stop(STOP_GRACE_MS);
          await running;
          await publisher.stopped();
          return 1;
        }
        lastBeat = now.getTime();
      } catch {
        // busy: the next poll checks in
      }
    }
    if (!running && now.getTime() >= holdUntil) {
      let request: { confirmed: boolean } | null = null;
      try {
        request = await takeRunNow(engine);
      } catch {
        // busy: seen at the next poll
      }
      if (request) {
        // Run now is an administrator's decision: it resumes a paused schedule.
        try {
          await approveScope(engine, scheduledScope(settings));
        } catch {
          // a source that does not parse: the run says so
        }
        log(`Run now was asked for${request.confirmed ? ', past the safety limit' : ''}.`);
      }
      const due = request !== null || (next !== null && now.getTime() >= next.getTime());
      if (due) {
        const blocked = request ? null : await blockedBy();
        if (blocked) {
          if (blocked !== lastBlocked) log(`The scheduled run does not start: ${blocked}.`);
          lastBlocked = blocked;
          lastEndedAt = now;
          replan();
        } else {
          lastBlocked = '';
          try {
            await checkIn(engine, token, null, now); // while it runs there is no "next run" to show
          } catch {
            // busy: the heartbeat after the run says it
          }
          running = runOnce(request?.confirmed ?? false)
            .catch((err: unknown) => log(`The scheduled run failed unexpectedly: ${(err as Error).message}`))
            .finally(async () => {
              running = null;
              // Check in at once with the next run time: whoever reads the status after the run sees it.
              try {
                await checkIn(engine, token, next, new Date());
                lastBeat = Date.now();
              } catch {
                lastBeat = 0; // busy: at the next poll
              }
            });
        }
      }
    }
    await sleep(POLL_MS, signal);
  }
  if (job) {
    log('Stopping: the running import is cancelled (it rolls back).');
    await (job as ImportJob).stop(STOP_GRACE_MS);
  }
  await running;
  await publisher.stopped();
  try {
    await signOff(engine, token);
  } catch {
    // The check-ins stop; status shows the service as gone once they are old.
  }
  return 0;
}
