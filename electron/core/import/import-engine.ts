/**
 * One import run: connect → search (page by page into the stage) → plan → safety checks → apply in one
 * transaction → record the run. Any failure before the commit leaves the users database as it was; the
 * run is then recorded in the history as failed, cancelled or stopped, with its reason.
 */
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { parseAdsPath } from '../../../shared/adspath.ts';
import { parseServerOuPath } from '../../../shared/server-ou-path.ts';
import type { Settings } from '../../../shared/settings.ts';
import { isAccountEntry } from '../directory/account-filter.ts';
import { type DcMarks, readDcMarks } from '../directory/dc-marks.ts';
import { explainLdapError } from '../directory/ldap-errors.ts';
import { pagedSearch } from '../directory/paged-search.ts';
import type { NameResolver } from '../directory/resolver.ts';
import { failoverNote, openSession, type DirectorySession } from '../directory/session.ts';
import {
  backupBeforeWrite,
  databaseFailureOf,
  explainDatabaseError,
  locationText,
  openUsersDatabase,
  revisionOf,
  type DatabaseAt,
  type UsersDatabase,
} from '../database/users-database.ts';
import { OuTree } from '../database/ou-tree.ts';
import { Failure } from '../failure.ts';
import { RefusedPasswords } from '../secrets/refused-passwords.ts';
import { ACCOUNT_ATTRIBUTES, BINARY_ATTRIBUTES, toAdAccount } from './ad-account.ts';
import { applyInTransaction, clearForNewDatabase, PlanAgain, plannedAction, REPORTED_ACTIONS } from './applier.ts';
import { adAccountCount, enabledAdIds, goneCandidates, type PlanOptions, Planner } from './planner.ts';
import { PlanWhileReading } from './plan-while-reading.ts';
import { ProgressMeter } from './progress-meter.ts';
import {
  censusWithin,
  markWithoutPhoto,
  type PhotoCensus,
  photoHolders,
  type PhotoMarks,
  syncPhotos,
} from './photos.ts';
import { beginRun, endRun } from './run-history.ts';
import {
  type Action,
  blankOutcome,
  type Counts,
  COUNT_OF,
  emptyCounts,
  type ImportMode,
  type ImportOutcome,
  type PlannedAction,
  type RecordedAction,
  type Progress,
  type RunStatus,
  type StartedBy,
} from '../../../shared/import-run.ts';
import {
  changedSince,
  chosenSource,
  describeSource,
  explainSearchError,
  type ImportSource,
  savedScope,
  sourceSearches,
} from './source.ts';
import {
  dcMarkFor,
  forgetMarks,
  fullPassReason,
  loadMarks,
  type MarksRow,
  saveMarks,
  sourceKey,
} from './sync-marks.ts';
import { Stage } from './stage.ts';

export interface ImportRequest {
  mode: ImportMode;
  dryRun: boolean;
  /** Read every account even when an incremental pass would do (/FULL). */
  full: boolean;
  /** Why `full` was asked for, in words (default: /FULL). */
  fullReason?: string;
  /** The admin confirmed what the safety checks would otherwise stop (/YES, or the wizard's preview). */
  confirmed: boolean;
  startedBy: StartedBy;
  /** null = the OU container path from the settings. */
  source: ImportSource | null;
  /** objectGUIDs whose planned writes are left out (the wizard's unticked preview rows). */
  exclude?: string[];
  /** Apply only if the plan still has this digest (the one the administrator previewed). */
  expectPlan?: string | null;
  /** Dry run: list unchanged accounts in the plan too (the wizard's preview shows every account). */
  listUnchanged?: boolean;
  /** Dry run of exactly what the scheduled sync would do (the wizard's choices are the saved ones). */
  previewsSchedule?: boolean;
}

export const LEFT_OUT_REASON = 'left out by the administrator in the preview';
const WRITES: Action[] = ['create', 'update', 'disable', 'enable'];

export interface ImportContext {
  settings: Settings;
  password: string | null;
  resolver: NameResolver;
  database: DatabaseAt;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** A real run's history row exists (status running): whoever watches the process can mark it if it dies. */
  onRunStarted?: (runId: number) => void;
}

/** Said once, where a failed run is reported: every failure before the commit leaves the database as it was. */
const NOTHING_CHANGED = 'Nothing was changed in the users database.';

class RunStopped extends Failure {
  readonly disables: number;
  constructor(code: Failure['code'], message: string, hint: string, disables: number) {
    super(code, message, hint);
    this.disables = disables;
  }
}

const cancelled = () => new Failure('cancelled', 'The import was cancelled.', 'Start it again when you are ready.');

/** The DC the last sync of this source read, when the source is known before connecting. */
async function lastDcFor(q: SqlQueryable, request: ImportRequest, settings: Settings): Promise<string | null> {
  const path = parseAdsPath(settings.ouPath);
  const source = chosenSource(request.source, settings) ?? (path.ok && path.dn ? { ous: [path.dn], groups: [] } : null);
  return source ? ((await loadMarks(q, sourceKey(source, settings)))?.dc_host ?? null) : null;
}

/** The source in words before connecting; a saved source that does not parse is named by its text. */
function describeChosen(request: ImportRequest, settings: Settings): string {
  try {
    const source = chosenSource(request.source, settings);
    return source ? describeSource(source, settings.importComputers) : settings.ouPath;
  } catch {
    return settings.importSource;
  }
}

async function readSource(
  session: DirectorySession,
  stage: Stage,
  searches: Awaited<ReturnType<typeof sourceSearches>>,
  ctx: ImportContext,
  meter: ProgressMeter,
  seenGuids: Set<string>,
  rejects: RecordedAction[],
  /** Every objectGUID read, when the caller wants them (the photo census). */
  readGuids: Set<string> | null,
  /** Planning as the entries arrive, when this run does (its users-database reads go while the DC prepares). */
  early: PlanWhileReading | null,
): Promise<number> {
  const { settings } = ctx;
  const mapping = { importComputers: settings.importComputers, parseMiddleName: settings.parseMiddleName };
  let read = 0;
  for (const search of searches) {
    const attributes = search.accountsOnly
      ? [...ACCOUNT_ATTRIBUTES, 'objectClass', 'objectCategory']
      : ACCOUNT_ATTRIBUTES;
    const pages = pagedSearch(session.client, search.base, {
      scope: search.scope,
      filter: search.filter,
      attributes,
      explicitBufferAttributes: BINARY_ATTRIBUTES,
      pageSize: settings.pageSize,
      timeLimit: settings.timeout,
      whileFirstPageIsPrepared:
        early && search === searches[0]
          ? async () => {
              const started = performance.now();
              await early.prepare();
              meter.within('early plan', performance.now() - started);
            }
          : undefined,
    });
    try {
      for await (const page of pages) {
        if (ctx.signal?.aborted) throw cancelled();
        const staging = performance.now();
        let planning = 0;
        stage.begin();
        for (const entry of page) {
          if (search.accountsOnly && !isAccountEntry(entry, settings.importComputers)) continue;
          read++;
          const mapped = toAdAccount(entry, mapping);
          if (mapped.ok) {
            if (stage.add(mapped.account) && early) {
              const started = performance.now();
              early.take(mapped.account);
              planning += performance.now() - started;
            }
            readGuids?.add(mapped.account.guid);
          } else {
            if (mapped.rejected.guid) seenGuids.add(mapped.rejected.guid);
            rejects.push({
              action: 'skip',
              logon: mapped.rejected.logon,
              dn: mapped.rejected.dn,
              guid: mapped.rejected.guid,
              changes: null,
              reason: mapped.rejected.reason,
            });
          }
        }
        stage.commit();
        meter.within('stage', performance.now() - staging - planning);
        meter.within('early plan', planning);
        meter.update(read);
      }
    } catch (err) {
      if (ctx.signal?.aborted) throw cancelled();
      throw explainSearchError(err, search.base, settings.timeout * 1000);
    }
  }
  meter.update(read, true);
  return read;
}

/** The safety limits of a run (exported for the DC-free tests of the import rules). */
export async function checkSafety(
  q: SqlQueryable,
  stage: Stage,
  request: ImportRequest,
  full: boolean,
  kind: 'user' | 'computer',
  settings: Settings,
  source: string,
): Promise<void> {
  if (request.confirmed) return;
  const adAccounts = await adAccountCount(q, kind);
  const anyAccounts = Number((await q.get<{ n: number }>('SELECT count(*) AS n FROM accounts'))!.n);
  // An empty answer is far more often a permission, filter or replication problem than an empty OU.
  if (
    full &&
    stage.entries === 0 &&
    ((request.mode === 'sync' && adAccounts > 0) || (request.mode === 'new' && anyAccounts > 0))
  ) {
    throw new Failure(
      'empty-result',
      `The directory returned no accounts for ${source}, while the database holds ` +
        `${request.mode === 'sync' ? `${adAccounts} imported` : anyAccounts} accounts. An empty answer is not ` +
        `taken as "all accounts are gone".`,
      "Check the OU path and the service account's read permissions with Test connection. If the source really " +
        'is empty, run again with /YES.',
    );
  }
  if (request.mode !== 'sync') return;
  const disables = stage.countPlanned('disable');
  const byCount = disables > settings.disableLimitCount;
  const byShare = disables * 100 > settings.disableLimitPercent * adAccounts;
  if (disables > 0 && (byCount || byShare)) {
    throw new RunStopped(
      'disable-threshold',
      `This sync would disable ${disables} of ${adAccounts} imported accounts, more than the limit ` +
        `(${settings.disableLimitPercent} % or ${settings.disableLimitCount} accounts).`,
      'Look at the plan with /DRYRUN. If the accounts really should be disabled, run again with /YES (or raise ' +
        'disableLimitPercent / disableLimitCount).',
      disables,
    );
  }
}

function collectPlan(stage: Stage, counts: Counts, problems: PlannedAction[], listUnchanged: boolean): PlannedAction[] {
  const plan: PlannedAction[] = [];
  for (const row of stage.planned(listUnchanged ? [...REPORTED_ACTIONS, 'unchanged'] : REPORTED_ACTIONS)) {
    const item = plannedAction(row);
    counts[COUNT_OF[item.action]]++;
    plan.push(item);
    if (item.action === 'skip' || item.action === 'conflict') problems.push(item);
  }
  if (!listUnchanged) counts.unchanged = stage.countPlanned('unchanged');
  return plan;
}

/** What one run carries through its phases; the failure report reads what the phases found so far. */
interface Run {
  request: ImportRequest;
  ctx: ImportContext;
  settings: Settings;
  engine: SqlEngine;
  meter: ProgressMeter;
  counts: Counts;
  problems: PlannedAction[];
  kind: 'user' | 'computer';
  placementOu: string[];
  runId: number | null;
  /** Known once connected: the source in words, incremental or not, the DC that answered. */
  found: { source: string; incremental: boolean; dc: string | null } | null;
  fullReason: string | null;
  failover: string | null;
  session: DirectorySession | null;
  stage: Stage | null;
  /** A whole read's census of photos, asked as the read ended (see photoHolders). */
  photoCensus?: Promise<PhotoCensus>;
  /** When the apply wrote (every account read then has it as `synced_at`). */
  appliedAt?: string;
}

interface ReadResult {
  marks: DcMarks;
  key: string;
  saved: MarksRow | undefined;
  incremental: boolean;
  label: string;
  stage: Stage;
  seenGuids: Set<string>;
  rejects: RecordedAction[];
  read: number;
  /** What was planned while reading, if this run did. */
  early: PlanWhileReading | null;
}

interface Plan {
  /** Only where a preview shows it or an apply checks it: 20 000 rows hashed cost 0.05 s. */
  planDigest: string | null;
  leftOut: number;
  untouched: number;
}

/**
 * Cancel does not wait for a connect that hangs (a DC that accepts TCP but never answers would hold it for
 * the whole connect timeout): the run ends at once, and a session that opens after all is closed.
 */
function cancellable(opening: Promise<DirectorySession>, signal: AbortSignal | undefined): Promise<DirectorySession> {
  if (!signal) return opening;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(cancelled());
      opening.then((late) => late.close()).catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (session) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) void session.close();
        else resolve(session);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

async function closeSession(run: Run): Promise<void> {
  const s = run.session;
  run.session = null;
  if (s) await s.close();
}

/** Read: connect (with failover), decide full or incremental, page the source into the stage. */
async function readPhase(run: Run): Promise<ReadResult> {
  const { request, ctx, settings, engine, meter } = run;
  if (ctx.signal?.aborted) throw cancelled();
  meter.start('connect', null);
  const session = await cancellable(
    openSession(
      settings,
      ctx.password,
      ctx.resolver,
      new RefusedPasswords((work) => work(engine)),
      request.mode === 'sync' ? await lastDcFor(engine, request, settings) : null,
    ),
    ctx.signal,
  );
  run.session = session;
  run.failover = failoverNote(session);
  if (ctx.signal?.aborted) throw cancelled();
  const marks = await readDcMarks(session.client).catch((err) => {
    throw explainLdapError(err, 'RootDSE read', settings.timeout * 1000);
  });
  const source: ImportSource = request.source ?? savedScope(settings, session.plan.baseDn, marks.defaultNamingContext);
  const label = describeSource(source, settings.importComputers);
  const key = sourceKey(source, settings);
  const saved = await loadMarks(engine, key);
  run.fullReason = fullPassReason(request, source, marks, saved, settings);
  const incremental = run.fullReason === null;
  run.found = { source: label, incremental, dc: marks.dnsHostName || session.host };
  let searches = await sourceSearches(session.client, source, {
    importComputers: settings.importComputers,
    domainDn: marks.defaultNamingContext,
    timeoutMs: settings.timeout * 1000,
  });
  // From this DC's own mark: another DC's USNs say nothing about this one.
  if (incremental) searches = searches.map((s) => changedSince(s, dcMarkFor(saved, marks)!.usn));
  // A real run's writes are worked out as they are planned, in a file the users database can attach (SQLite).
  const stage = new Stage({ keepWrites: !request.dryRun, attachable: !request.dryRun });
  run.stage = stage;
  const seenGuids = new Set<string>();
  const rejects: RecordedAction[] = [];
  meter.start('search', incremental ? null : (saved?.last_seen ?? null));
  const census = !incremental && !request.dryRun;
  const readGuids = census ? new Set<string>() : null;
  const early = incremental
    ? null
    : await PlanWhileReading.consider(engine, stage, planOptions(run), saved?.last_seen ?? null);
  const read = await readSource(session, stage, searches, ctx, meter, seenGuids, rejects, readGuids, early);
  // A census nobody waits for would keep the DC busy after the run (a second at 100 000 accounts).
  if (readGuids && (!early || early.photosMayBeDue)) {
    // Which of the accounts read hold a photo: asked now, answered while the run plans and applies (the photos
    // phase then asks the DC only for those); the session stays open for it and for the photos.
    const holders = photoHolders(session.client, searches, settings.timeout);
    run.photoCensus = holders.then((found) => ({ read: readGuids, holders: found }));
    // A failure is the photos phase's to report; unheard (the run cancelled or failed first), it must not end the
    // thread as an unhandled rejection.
    run.photoCensus.catch(() => undefined);
  } else await closeSession(run);
  return { marks, key, saved, incremental, label, stage, seenGuids, rejects, read, early };
}

/** How this run plans (every planner of it: while reading, after the read, again under the write lock). */
const planOptions = (run: Run): Omit<PlanOptions, 'seenGuids'> => ({
  mode: run.request.mode,
  kind: run.kind,
  importDisabled: run.settings.importDisabled,
  placement: run.settings.placement,
  placementOu: run.placementOu,
});

/**
 * Plan: every staged entry against the database as `q` sees it now (run again under the write lock, through
 * its transaction, if the database moved on); what `early` planned while reading stands if the database did not
 * change since.
 */
async function planPhase(run: Run, r: ReadResult, q: SqlQueryable, early: PlanWhileReading | null): Promise<Plan> {
  const { request, meter } = run;
  const { stage } = r;
  const continued = early ? await early.finish(r.seenGuids) : null;
  if (!continued) await stage.loadLocal(q, r.seenGuids);
  const tree = continued ? null : await OuTree.read(q);
  const enabled = request.mode === 'sync' && !r.incremental ? await enabledAdIds(q, run.kind) : [];
  const all = r.incremental ? await adAccountCount(q, run.kind) : 0;
  stage.begin();
  for (const reject of r.rejects) stage.plan(reject);
  let planner = continued;
  let planned = stage.entries;
  if (!planner) {
    planner = new Planner(stage, tree!, { ...planOptions(run), seenGuids: r.seenGuids });
    planned = 0;
    for (const account of stage.accounts()) {
      planner.planEntry(account);
      if (++planned % 2000 === 0) meter.update(planned);
    }
  }
  if (request.mode === 'sync' && !r.incremental) planner.planGone(await goneCandidates(q, planner.unmatched(enabled)));
  const planDigest = request.dryRun || request.expectPlan ? stage.digest(REPORTED_ACTIONS) : null;
  if (request.expectPlan && request.expectPlan !== planDigest) {
    throw new Failure(
      'plan-changed',
      `The directory or the users database changed since the preview, so this run would not do exactly what ` +
        `was previewed.`,
      'Go back to the preview to see the plan as it is now, then run it again.',
    );
  }
  const leftOut = stage.leaveOut(request.exclude ?? [], WRITES, LEFT_OUT_REASON);
  stage.commit();
  meter.update(planned, true);
  return { planDigest, leftOut, untouched: r.incremental ? planner.untouched(all) : 0 };
}

/**
 * After the run committed: the photos of the accounts that changed since their photo was read. Their failure
 * fails nothing (the run's changes stand); it is said, and the next sync reads them. Returns what to say.
 */
async function photosPhase(run: Run, marks: PhotoMarks | null): Promise<{ read: number; warning: string | null }> {
  const { settings, ctx, engine } = run;
  try {
    // Without the census (its search failed), every due photo is asked for by GUID.
    const census = run.photoCensus ? run.photoCensus.catch(() => null) : null;
    // On the DC the run read from (uSNChanged is that DC's): the read's own session when it is still open.
    const connect = async () => {
      if (run.session?.client.isConnected) return run.session.client;
      await closeSession(run);
      run.session = await openSession(
        settings,
        ctx.password,
        ctx.resolver,
        new RefusedPasswords((work) => work(engine)),
        run.found?.dc ?? null,
      );
      return run.session.client;
    };
    const photos = await syncPhotos(connect, engine, {
      census,
      // Marked in the run's own transaction already: not again.
      readAt: marks ? undefined : run.appliedAt,
      timeoutMs: run.ctx.settings.timeout * 1000,
      cancelled: () => run.ctx.signal?.aborted === true,
    });
    const warning = photos.unreadable.length
      ? `The photos of ${photos.unreadable.join(', ')} in AD are no images AD Console can read; they have none.`
      : null;
    return { read: photos.read + (marks?.marked ?? 0), warning };
  } catch (err) {
    return {
      read: 0,
      warning: `The accounts' photos were not read (${(err as Error).message}); the next sync reads them.`,
    };
  }
}

/**
 * How long the run's transaction waits, before its commit, for a census still on its way. The census is asked as
 * the read ends and answers while the run applies; one that came later had its marks made in a transaction of
 * their own, which writes every account's page once more (20 000 new accounts: 0.05–0.09 s against 0.03 s in the
 * run's own). A census that does not come by then is left to the photos phase, which waits for it anyway when
 * photos are due (100 000 new accounts: the census came 1.3–1.6 s after it was asked, the apply took 0.9–1.1 s), so
 * the wait costs the run no time; it only holds the write lock that much longer.
 */
const CENSUS_GRACE_MS = 250;

/**
 * The census's "no photo" marks in the run's own transaction when the census has answered by then, or does
 * within CENSUS_GRACE_MS: one commit fewer, and the rows are rewritten while their pages are still in the cache.
 * A failure leaves them to the photos phase.
 */
async function marksIfAnswered(run: Run, tx: SqlQueryable, now: string): Promise<PhotoMarks | null> {
  const census = run.photoCensus ? await censusWithin(run.photoCensus, CENSUS_GRACE_MS, run.ctx.signal) : null;
  if (!census) return null;
  await tx.exec('SAVEPOINT photo_marks');
  try {
    const marks = await markWithoutPhoto(tx, run.engine.dialect.text, census, now);
    await tx.exec('RELEASE SAVEPOINT photo_marks');
    return marks;
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT photo_marks');
    await tx.exec('RELEASE SAVEPOINT photo_marks');
    return null;
  }
}

/** Apply: the one apply path, planning again first if the database changed since `revision`. */
async function applyPhase(
  run: Run,
  r: ReadResult,
  plan: Plan,
  revision: number,
): Promise<{ plan: Plan; backup: string | null; photoMarks: PhotoMarks | null }> {
  const { request, ctx, settings, engine, meter, counts, problems } = run;
  const { stage } = r;
  const now = new Date().toISOString();
  run.appliedAt = now;
  meter.start('apply', stage.countPlanned(...REPORTED_ACTIONS));
  let backup: string | null = null;
  let current = plan;
  let photoMarks: PhotoMarks | null = null;
  try {
    await applyInTransaction({
      engine,
      stage,
      now,
      counts,
      problems,
      onRow: (done) => meter.update(done, true), // once per batch: few enough to send all
      checkCancelled: () => {
        if (ctx.signal?.aborted) throw cancelled();
      },
      prepare: async (tx, stageAttached) => {
        if ((await revisionOf(tx)) !== revision) {
          if (stageAttached) throw new PlanAgain();
          // Another import or an on-the-fly logon wrote while this run read the directory: plan again on
          // what the database holds now, under the write lock, so nothing can change in between (a
          // previewed plan must still be the same; the safety checks run again).
          stage.clearPlan();
          current = await planPhase(run, r, tx, null);
          await checkSafety(tx, stage, request, !r.incremental, run.kind, settings, r.label);
          meter.start('apply', stage.countPlanned(...REPORTED_ACTIONS));
        }
        // The copy is taken inside the lock, so that it holds exactly what this run replaces.
        if (request.mode === 'new' && (await tx.get('SELECT 1 AS one FROM accounts LIMIT 1')) !== undefined)
          backup = await backupBeforeWrite(engine, tx, 'backup');
        if (request.mode === 'new') await clearForNewDatabase(tx);
        return run.runId;
      },
      finish: async (tx) => {
        counts.unchanged += current.untouched;
        // Left-out accounts must come back in the next sync, which an incremental pass would not read again.
        if (current.leftOut > 0) await forgetMarks(tx, r.key);
        else if (request.mode === 'new' || request.mode === 'sync')
          await saveMarks(tx, r.key, r.marks, r.incremental ? r.saved!.since_full + 1 : 0, now, stage.entries);
        photoMarks = await marksIfAnswered(run, tx, now);
        // The census may have been waited for: a cancel meanwhile still rolls the run back.
        if (ctx.signal?.aborted) throw cancelled();
      },
      end: () => ({ status: 'succeeded', ...run.found!, counts, error: null, backup }),
    });
  } catch (err) {
    Object.assign(counts, emptyCounts());
    problems.length = 0;
    throw err;
  }
  return { plan: current, backup, photoMarks };
}

/** Record: a run that failed, was cancelled or stopped — in the history (real runs) and as the outcome. */
async function recordFailure(
  run: Run,
  err: unknown,
  outcome: (status: RunStatus, extra: Partial<ImportOutcome>) => ImportOutcome,
): Promise<ImportOutcome> {
  const { request, settings, engine, runId, found } = run;
  const failure =
    databaseFailureOf(err, engine.location) ??
    new Failure(
      'unexpected',
      `The import failed unexpectedly: ${(err as Error).message}.`,
      'Try again; if it repeats, report it with this message.',
    );
  const status: RunStatus =
    failure.code === 'cancelled' ? 'cancelled' : failure instanceof RunStopped ? 'stopped' : 'failed';
  // Before the commit, any failure rolled back: the run stopped before changing anything.
  const stopped = failure instanceof RunStopped ? ' It was stopped before changing anything.' : '';
  const message = `${failure.message}${stopped} ${NOTHING_CHANGED}`;
  if (runId !== null) {
    // The history keeps failed attempts too: that is where an admin looks when a scheduled sync did nothing.
    const source = found?.source ?? describeChosen(request, settings);
    // A database that cannot be written now (its connection lost) keeps the run as running: the next process
    // on this machine that opens it marks it interrupted.
    await endRun(engine, runId, {
      status,
      source,
      incremental: found?.incremental ?? false,
      dc: found?.dc ?? null,
      counts: emptyCounts(),
      error: message,
      backup: null,
    }).catch(() => undefined);
  }
  return outcome(status, {
    runId,
    dc: found?.dc ?? null,
    failover: run.failover,
    incremental: found?.incremental ?? false,
    fullReason: run.fullReason,
    wouldDisable: failure instanceof RunStopped ? failure.disables : null,
    error: { code: failure.code, message, hint: failure.hint, nothingChanged: true },
  });
}

/** One import: read → plan → (a dry run stops here) → apply → the outcome; any failure is recorded. */
export async function runImport(request: ImportRequest, ctx: ImportContext): Promise<ImportOutcome> {
  const startedAt = new Date();
  const counts = emptyCounts();
  const problems: PlannedAction[] = [];
  const meter = new ProgressMeter(ctx.onProgress);
  const outcome = (status: RunStatus, extra: Partial<ImportOutcome>): ImportOutcome => ({
    ...blankOutcome(request.mode, request.dryRun, status),
    counts,
    problems,
    durationMs: Date.now() - startedAt.getTime(),
    timings: meter.timings(),
    ...extra,
  });
  const { settings } = ctx;
  const placement = parseServerOuPath(settings.placementOu);
  if (!placement.ok)
    return outcome('failed', {
      error: {
        code: 'invalid-settings',
        message: `The server OU for imported accounts is not valid: ${placement.error}`,
        hint: 'Correct placementOu in the settings.',
        nothingChanged: true,
      },
    });

  let database: UsersDatabase;
  try {
    database = openUsersDatabase(ctx.database);
  } catch (err) {
    const e = explainDatabaseError(err, locationText(ctx.database));
    return outcome('failed', { error: { code: e.code, message: e.message, hint: e.hint, nothingChanged: true } });
  }
  const { engine } = database;
  // A real run is in the history from its start: a process killed mid-run still leaves its trace.
  let runId: number | null = null;
  try {
    if (!request.dryRun)
      runId = await beginRun(engine, {
        mode: request.mode,
        source: describeChosen(request, settings),
        startedBy: request.startedBy,
        incremental: false,
        dc: null,
        startedAt: startedAt.toISOString(),
      });
  } catch (err) {
    database.close();
    const e = explainDatabaseError(err, locationText(ctx.database));
    return outcome('failed', { error: { code: e.code, message: e.message, hint: e.hint, nothingChanged: true } });
  }
  if (runId !== null) ctx.onRunStarted?.(runId);
  const run: Run = {
    request,
    ctx,
    settings,
    engine,
    meter,
    counts,
    problems,
    kind: settings.importComputers ? 'computer' : 'user',
    placementOu: placement.names,
    runId,
    found: null,
    fullReason: null,
    failover: null,
    session: null,
    stage: null,
  };
  const onAbort = () => void closeSession(run); // abandons the search in flight at once
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const read = await readPhase(run);
    run.meter.start('plan', read.stage.entries);
    const revision = await revisionOf(engine);
    const plan = await planPhase(run, read, engine, read.early);
    const base = (p: Plan) => ({
      incremental: read.incremental,
      fullReason: run.fullReason,
      read: read.read,
      dc: run.found!.dc,
      failover: run.failover,
      planDigest: p.planDigest,
      leftOut: p.leftOut,
    });
    if (request.dryRun) {
      // A dry run is how an admin looks at what the safety checks would stop: show the plan, say so.
      let warning: string | null = null;
      try {
        await checkSafety(engine, read.stage, request, !read.incremental, run.kind, settings, read.label);
      } catch (err) {
        if (!(err instanceof Failure)) throw err;
        warning = `A real run would stop here: ${err.message}`;
      }
      const listed = collectPlan(read.stage, counts, problems, request.listUnchanged === true);
      counts.unchanged += plan.untouched;
      return outcome('succeeded', { ...base(plan), plan: listed, warning });
    }
    await checkSafety(engine, read.stage, request, !read.incremental, run.kind, settings, read.label);
    if (ctx.signal?.aborted) throw cancelled();
    const applied = await applyPhase(run, read, plan, revision);
    meter.lap('photos');
    const photos = await photosPhase(run, applied.photoMarks);
    return outcome('succeeded', {
      ...base(applied.plan),
      runId,
      backup: applied.backup,
      photosRead: photos.read,
      ...(photos.warning ? { warning: photos.warning } : {}),
    });
  } catch (err) {
    return await recordFailure(run, err, outcome);
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    await closeSession(run);
    run.stage?.drop();
    database.close();
  }
}
