/**
 * The import wizard's state as one reducer, and its pages declared as data: each step says when Next is
 * allowed and what Next and Back do. The component only renders the state and runs the jobs it names.
 */
import type { GroupNode, ImportOptions, ImportSelection, SettingsView, SourceCount } from '../../../shared/contract.ts';
import { type ImportMode, type ImportOutcome, MAX_LEFT_OUT, type Progress } from '../../../shared/import-run.ts';
import type { ApiError } from '../../../shared/result.ts';
import { leafName, parseDn } from '../../../shared/dn.ts';
import { parseImportSource } from '../../../shared/import-source.ts';
import { parseServerOuPath } from '../../../shared/server-ou-path.ts';
import { EMPTY_SELECTION, isEmpty, type OuSelection } from './ou-selection.ts';

export type CountState =
  | { state: 'none' }
  | { state: 'counting' }
  | { state: 'done'; value: SourceCount }
  | { state: 'failed'; error: ApiError };

export interface PlacementState {
  placement: 'recreate' | 'single';
  recreateUnder: string;
  singleInto: string;
  importDisabled: boolean;
}

export const placementProblem = (p: PlacementState): string | null => {
  const parsed = parseServerOuPath(p.placement === 'recreate' ? p.recreateUnder : p.singleInto);
  return parsed.ok ? null : parsed.error;
};

/** A job the wizard started: the dry run behind Preview, or the real run behind Progress. */
export interface JobState {
  jobId: number;
  outcome: ImportOutcome | null;
  progress: Progress | null;
}
export type PreviewState = JobState;

export interface AccountsInfo {
  count: number;
  local: number;
  file: string;
}

export interface WizardState {
  page: Page;
  view: SettingsView | null;
  options: ImportOptions | null;
  accounts: AccountsInfo | null;
  mode: ImportMode;
  ous: OuSelection;
  includeSub: boolean;
  groups: GroupNode[];
  count: CountState;
  placement: PlacementState | null;
  preview: JobState | null;
  previewError: ApiError | null;
  excluded: Set<string>;
  run: JobState | null;
  runError: ApiError | null;
  /**
   * A box on top of the wizard: apply a destructive plan, stop a running import, close over a preview (it is
   * discarded), or — when the import ended while "stop it?" was open — that nothing was stopped.
   */
  asking:
    | { kind: 'apply'; message: string }
    | { kind: 'stop' }
    | { kind: 'discard-preview' }
    | { kind: 'ended-meanwhile'; message: string }
    | null;
}

/** What the administrator can change directly on a page. */
export type Edit = Partial<
  Pick<WizardState, 'options' | 'mode' | 'ous' | 'includeSub' | 'groups' | 'placement' | 'excluded'>
>;

export type WizardAction =
  | { type: 'settings-loaded'; view: SettingsView }
  | { type: 'accounts-loaded'; accounts: AccountsInfo }
  | { type: 'edit'; edit: Edit }
  | { type: 'count'; count: CountState }
  | { type: 'go'; page: Page }
  | { type: 'job-started'; which: 'preview' | 'run'; jobId: number }
  | { type: 'job-progress'; which: 'preview' | 'run'; progress: Progress }
  | { type: 'job-ended'; which: 'preview' | 'run'; outcome: ImportOutcome }
  | { type: 'job-refused'; which: 'preview' | 'run'; error: ApiError }
  | { type: 'ask'; asking: WizardState['asking'] };

/** What Next does on a page: go on to the following page, start the dry run, or apply the plan. */
type NextStep = 'page' | 'preview' | 'apply' | 'none';

interface Step {
  page: string;
  heading: string;
  ready: (s: WizardState) => boolean;
  next: NextStep;
}

export const STEPS = [
  { page: 'welcome', heading: 'Welcome', ready: (s) => s.options !== null, next: 'page' },
  { page: 'mode', heading: 'Database Creation', ready: () => true, next: 'page' },
  {
    page: 'source',
    heading: 'Source',
    ready: (s) => !nothingSelected(s) && s.count.state !== 'failed',
    next: 'page',
  },
  {
    page: 'placement',
    heading: 'Placement',
    ready: (s) => s.placement !== null && placementProblem(s.placement) === null,
    next: 'preview',
  },
  {
    page: 'preview',
    heading: 'Preview',
    ready: (s) => s.preview?.outcome?.ok === true && s.excluded.size <= MAX_LEFT_OUT,
    next: 'apply',
  },
  { page: 'progress', heading: 'Progress', ready: () => false, next: 'none' },
  { page: 'finish', heading: 'Finish', ready: () => false, next: 'none' },
] as const satisfies readonly Step[];

export type Page = (typeof STEPS)[number]['page'];

export const stepIndex = (page: Page) => STEPS.findIndex((s) => s.page === page);
export const stepOf = (page: Page): Step => STEPS[stepIndex(page)]!;

export const INITIAL_STATE: WizardState = {
  page: 'welcome',
  view: null,
  options: null,
  accounts: null,
  mode: 'sync',
  ous: EMPTY_SELECTION,
  includeSub: true,
  groups: [],
  count: { state: 'none' },
  placement: null,
  preview: null,
  previewError: null,
  excluded: new Set(),
  run: null,
  runError: null,
  asking: null,
};

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case 'settings-loaded': {
      const v = a.view.settings;
      // The source the scheduled sync imports is where the wizard starts: ticked on the Source page.
      const saved = parseImportSource(v.importSource);
      const source = saved.ok && saved.source ? saved.source : null;
      return {
        ...s,
        ...(source && {
          ous: { subtrees: source.ous, levels: source.levels },
          includeSub: source.ous.length > 0 || source.levels.length === 0,
          groups: source.groups.map((dn) => ({ dn, name: groupName(dn), description: '' })),
        }),
        view: a.view,
        options: {
          importComputers: v.importComputers,
          parseMiddleName: v.parseMiddleName,
          placement: v.placement,
          placementOu: v.placementOu,
          importDisabled: v.importDisabled,
        },
        placement: {
          placement: v.placement,
          recreateUnder: v.placement === 'recreate' ? v.placementOu : '',
          singleInto: v.placement === 'single' ? v.placementOu : '',
          importDisabled: v.importDisabled,
        },
      };
    }
    case 'accounts-loaded':
      // An empty database has nothing to synchronize with: suggest creating it.
      return { ...s, accounts: a.accounts, mode: a.accounts.count === 0 ? 'new' : s.mode };
    case 'edit':
      return { ...s, ...a.edit };
    case 'count':
      return { ...s, count: a.count };
    case 'go':
      if (a.page === 'preview' && s.page === 'placement')
        return { ...s, page: a.page, preview: null, previewError: null, excluded: new Set() };
      if (a.page === 'progress') return { ...s, page: a.page, run: null, runError: null };
      return { ...s, page: a.page };
    case 'job-started':
      return a.which === 'preview'
        ? { ...s, preview: { jobId: a.jobId, outcome: null, progress: s.preview?.progress ?? null } }
        : { ...s, run: { jobId: a.jobId, outcome: null, progress: null } };
    case 'job-progress':
      // Progress can arrive before the job id does (the first message races the start reply).
      return a.which === 'preview'
        ? { ...s, preview: { jobId: s.preview?.jobId ?? 0, outcome: null, ...s.preview, progress: a.progress } }
        : s.run
          ? { ...s, run: { ...s.run, progress: a.progress } }
          : s;
    case 'job-ended':
      if (a.which === 'preview')
        return s.preview ? { ...s, preview: { ...s.preview, outcome: a.outcome, progress: null } } : s;
      if (!s.run) return s;
      return {
        ...s,
        run: { ...s.run, outcome: a.outcome },
        page: a.outcome.ok ? 'finish' : s.page,
        // "Stop the import?" is no question once it has ended: say so instead of stopping nothing.
        asking: s.asking?.kind === 'stop' ? { kind: 'ended-meanwhile', message: endedMeanwhile(a.outcome) } : s.asking,
      };
    case 'job-refused':
      return a.which === 'preview' ? { ...s, previewError: a.error } : { ...s, runError: a.error };
    case 'ask':
      return { ...s, asking: a.asking };
  }
}

/** What the administrator who asked to stop an import is told when it had ended before the answer. */
export function endedMeanwhile(outcome: ImportOutcome): string {
  return outcome.ok
    ? 'The import had already finished; nothing was stopped. The Finish page shows what it did.'
    : `The import had already ended (${outcome.status}); nothing was stopped.`;
}

const groupName = (dn: string) => {
  const parsed = parseDn(dn);
  return parsed.ok ? leafName(parsed.rdns) : dn;
};

export const selectionOf = (s: WizardState): ImportSelection => ({
  ous: s.ous.subtrees,
  levels: s.ous.levels,
  groups: s.groups.map((g) => g.dn),
});

export const nothingSelected = (s: WizardState) => isEmpty(s.ous) && s.groups.length === 0;

/** The options the job runs with: the Welcome page's, with the Placement page's choices. */
export const importOptionsOf = (s: WizardState): ImportOptions => ({
  ...s.options!,
  placement: s.placement!.placement,
  placementOu: s.placement!.placement === 'recreate' ? s.placement!.recreateUnder : s.placement!.singleInto,
  importDisabled: s.placement!.importDisabled,
});

/** An import is running on the Progress page (Cancel must ask). */
export const isRunning = (s: WizardState) =>
  s.page === 'progress' && (s.run === null ? s.runError === null : s.run.outcome === null);

/** The dry run behind the Preview page has not finished yet. */
export const isPreviewing = (s: WizardState) =>
  s.page === 'preview' && s.preview !== null && s.preview.outcome === null && s.previewError === null;

export const runFailed = (s: WizardState) =>
  s.page === 'progress' && (s.runError !== null || (s.run?.outcome != null && !s.run.outcome.ok));

export const canNext = (s: WizardState) => stepOf(s.page).ready(s);

export const canBack = (s: WizardState) =>
  (stepIndex(s.page) > 0 && s.page !== 'finish' && s.page !== 'progress') || runFailed(s);

/** Back from a failed run returns to the preview; elsewhere to the page before. */
export const backPage = (s: WizardState): Page =>
  s.page === 'progress' ? 'preview' : STEPS[Math.max(0, stepIndex(s.page) - 1)]!.page;

export const nextPage = (s: WizardState): Page => STEPS[Math.min(STEPS.length - 1, stepIndex(s.page) + 1)]!.page;

/** A step that cannot be undone by Cancel asks first, with No as the default (as Windows does). */
export function destructiveQuestion(s: WizardState): string | null {
  const outcome = s.preview?.outcome;
  if (!outcome) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  const backup = s.accounts
    ? `${s.accounts.file.replace(/\.sqlite$/, '')}.backup-<date and time>.sqlite`
    : 'a backup file next to the users database';
  const { disabled, updated, created } = outcome.counts;
  if (outcome.warning) {
    const after =
      s.mode === 'new'
        ? ` The current database is backed up first to ${backup}.`
        : ' A disabled account can be enabled again by the next sync that finds it in the directory.';
    return (
      `${outcome.warning}\n\nApply this plan anyway? ` +
      `It disables ${n(disabled)} accounts, updates ${n(updated)} and creates ${n(created)}.${after}`
    );
  }
  if (s.mode === 'new' && s.accounts && s.accounts.count > 0) {
    const local =
      s.accounts.local > 0 ? ` (${n(s.accounts.local)} of them local accounts, which are not in the directory)` : '';
    return (
      `Create a new database replaces the ${n(s.accounts.count)} accounts in the users database${local} ` +
      `with the ${n(created)} accounts of the preview.\n\n` +
      `The current database is backed up first to ${backup}. Replace it?`
    );
  }
  return null;
}
