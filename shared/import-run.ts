/** The words of an import run, shared by the engine, its worker, the CLI and the wizard. */
import type { ErrorCode } from './error-codes.ts';
export type ImportMode = 'new' | 'add' | 'sync';

/**
 * Preview rows one run can leave out: 20 000 GUIDs are ~800 KB of JSON, within the browser transport's 1 MB request
 * limit.
 */
export const MAX_LEFT_OUT = 20_000;
export type StartedBy = 'wizard' | 'command-line' | 'on-the-fly' | 'console' | 'service';
/** What a history entry records: an import, an on-the-fly import, or an administrator's change to one account. */
export type RunKind = ImportMode | 'on-the-fly' | 'account';
/** `delete`: only an administrator's change to a local account (imports never delete). */
export type Action =
  'create' | 'update' | 'disable' | 'enable' | 'delete' | 'unchanged' | 'skip' | 'conflict' | 'failed';
export type Phase = 'connect' | 'search' | 'plan' | 'apply';

export interface FieldChange {
  from: string;
  to: string;
}

/** A plan row as a run's history keeps it (bcscmd /REPORT, the report CSV). */
export interface RecordedAction {
  action: Action;
  logon: string;
  dn: string | null;
  guid: string | null;
  /** For updates: the fields that change, old → new. */
  changes: Record<string, FieldChange> | null;
  reason: string | null;
}

/** A plan row as the preview shows it. */
export interface PlannedAction extends RecordedAction {
  /** The server OU the account goes to or stays in ("Sales/North"), when the run places it. */
  targetOu: string | null;
  /** The display name the directory gives it, when the run writes the entry. */
  displayName: string | null;
}

/** An update's changes as reports print them: `title: "Clerk" → "Manager"; …`. */
export function describeChanges(changes: Record<string, FieldChange> | null): string {
  if (!changes) return '';
  return Object.entries(changes)
    .map(([field, c]) => `${field}: "${c.from}" → "${c.to}"`)
    .join('; ');
}

/** What a plan row changes and why, in one line (the preview's column, the CLI's plan). */
export const planDetails = (a: RecordedAction): string =>
  [describeChanges(a.changes), a.reason].filter(Boolean).join(' — ');

export interface Counts {
  created: number;
  updated: number;
  disabled: number;
  enabled: number;
  deleted: number;
  unchanged: number;
  skipped: number;
  conflicts: number;
  failed: number;
}

export const COUNT_OF: Record<Action, keyof Counts> = {
  create: 'created',
  update: 'updated',
  disable: 'disabled',
  enable: 'enabled',
  delete: 'deleted',
  unchanged: 'unchanged',
  skip: 'skipped',
  conflict: 'conflicts',
  failed: 'failed',
};

export const emptyCounts = (): Counts => ({
  created: 0,
  updated: 0,
  disabled: 0,
  enabled: 0,
  deleted: 0,
  unchanged: 0,
  skipped: 0,
  conflicts: 0,
  failed: 0,
});

/** "every run", "every 2nd run", "every 24th run": how often a full pass comes (fullSyncEvery). */
export function everyNth(n: number, noun: string): string {
  if (n === 1) return `every ${noun}`;
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `every ${n}${suffix} ${noun}`;
}

/** The counts in the order and words every report uses. */
export const COUNT_LABELS: [keyof Counts, string][] = [
  ['created', 'created'],
  ['updated', 'updated'],
  ['disabled', 'disabled'],
  ['enabled', 'enabled'],
  ['deleted', 'deleted'],
  ['unchanged', 'unchanged'],
  ['skipped', 'skipped'],
  ['conflicts', 'conflicts'],
  ['failed', 'failed'],
];

/** "3 updated, 1 disabled" — what a run did, the unchanged ones left out when `unchanged` is false. */
export const countsText = (c: Counts, { unchanged = true }: { unchanged?: boolean } = {}): string =>
  COUNT_LABELS.filter(([k]) => c[k] > 0 && (unchanged || k !== 'unchanged'))
    .map(([k, label]) => `${c[k]} ${label}`)
    .join(', ') || 'no changes';

export interface Progress {
  phase: Phase;
  done: number;
  /** null while the total is unknown (the directory does not say how many entries a search returns). */
  total: number | null;
  /** Items per second in this phase. */
  rate: number;
  /** Estimated milliseconds left in this phase, when the total is known. */
  etaMs: number | null;
}

/** How a run ended. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'stopped';
/** What the history says of a run: also one still running, or one whose process died before it ended. */
export type HistoryStatus = RunStatus | 'running' | 'interrupted';

export interface ImportOutcome {
  ok: boolean;
  status: RunStatus;
  mode: ImportMode;
  dryRun: boolean;
  incremental: boolean;
  /** Why a sync read every account instead of only the changes. */
  fullReason: string | null;
  /** Directory entries read (an incremental pass reads only what changed). */
  read: number;
  counts: Counts;
  durationMs: number;
  runId: number | null;
  backup: string | null;
  dc: string | null;
  /** `nothingChanged`: the users database is as it was before the run (its message says so too). */
  error: { code: ErrorCode; message: string; hint: string; nothingChanged: boolean } | null;
  /** Dry run: why a real run would stop (safety limit, empty answer); a real run: photos that were not read. */
  warning: string | null;
  /** Accounts whose photo was read (only those that changed since their photo was read). */
  photosRead: number;
  /** Which domain controllers were passed over, and why, before the one that answered. */
  failover: string | null;
  /** Conflicts, skips and failures, each with its reason. */
  problems: PlannedAction[];
  /** Dry run only: every action except "unchanged" (unless the request listed those too). */
  plan: PlannedAction[] | null;
  /** Fingerprint of the plan (before rows were left out): a run given it applies only that same plan. */
  planDigest: string | null;
  /** Planned writes the administrator left out (reported as skips). */
  leftOut: number;
  /** Stopped by the safety limit: how many accounts the run would have disabled. */
  wouldDisable: number | null;
  /** Where the run's time went: milliseconds per phase (prepare, connect, search, stage, plan, apply, photos). */
  timings: Record<string, number>;
}

/** An outcome with nothing done yet: what the engine fills in, and what a run that never started reports. */
export function blankOutcome(mode: ImportMode, dryRun: boolean, status: RunStatus = 'failed'): ImportOutcome {
  return {
    ok: status === 'succeeded',
    status,
    mode,
    dryRun,
    incremental: false,
    fullReason: null,
    read: 0,
    counts: emptyCounts(),
    durationMs: 0,
    runId: null,
    backup: null,
    dc: null,
    error: null,
    warning: null,
    photosRead: 0,
    failover: null,
    problems: [],
    plan: null,
    planDigest: null,
    leftOut: 0,
    wouldDisable: null,
    timings: {},
  };
}
