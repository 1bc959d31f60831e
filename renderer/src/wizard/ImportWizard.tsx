/**
 * Tools → Active Directory Import Wizard…: Welcome, Database Creation, Source, Placement, Preview,
 * Progress, Finish. The preview is a dry run of the import engine; Next on it applies exactly that plan
 * (the engine refuses if the directory or database changed since). Closing during a run asks, like Cancel.
 */
import { useEffect, useRef, useState } from 'react';
import type { GroupNode, ImportOptions, ImportSelection, SettingsView } from '../../../shared/contract.ts';
import { type ImportMode, type ImportOutcome, MAX_LEFT_OUT, type Progress } from '../../../shared/import-run.ts';
import type { ApiError } from '../../../shared/result.ts';
import { api } from '../api.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { Dialog } from '../controls/Dialog.tsx';
import { cancelJob, startJob } from './job-client.ts';
import { EMPTY_SELECTION, isEmpty, type OuSelection } from './ou-selection.ts';
import { FinishPage } from './pages/FinishPage.tsx';
import { ModePage } from './pages/ModePage.tsx';
import { PlacementPage, placementProblem, type PlacementState } from './pages/PlacementPage.tsx';
import { PreviewPage, type PreviewState } from './pages/PreviewPage.tsx';
import { ProgressView } from './pages/ProgressView.tsx';
import { type CountState, SourcePage } from './pages/SourcePage.tsx';
import { WelcomePage } from './pages/WelcomePage.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';

export const WIZARD_TITLE = 'Active Directory Import Wizard';
const PAGES = ['welcome', 'mode', 'source', 'placement', 'preview', 'progress', 'finish'] as const;
type Page = (typeof PAGES)[number];
const HEADINGS: Record<Page, string> = {
  welcome: 'Welcome',
  mode: 'Database Creation',
  source: 'Source',
  placement: 'Placement',
  preview: 'Preview',
  progress: 'Progress',
  finish: 'Finish',
};
const COUNT_DELAY_MS = 400;

interface RunState {
  jobId: number;
  progress: Progress | null;
  outcome: ImportOutcome | null;
}

export function ImportWizard({ onClose }: { onClose: () => void }) {
  const [page, setPage] = useState<Page>('welcome');
  const [view, setView] = useState<SettingsView | null>(null);
  const [options, setOptions] = useState<ImportOptions | null>(null);
  const [accounts, setAccounts] = useState<{ count: number; local: number; file: string } | null>(null);
  const [question, setQuestion] = useState<string | null>(null);
  const [mode, setMode] = useState<ImportMode>('sync');
  const [ous, setOus] = useState<OuSelection>(EMPTY_SELECTION);
  const [includeSub, setIncludeSub] = useState(true);
  const [groups, setGroups] = useState<GroupNode[]>([]);
  const [count, setCount] = useState<CountState>({ state: 'none' });
  const [placement, setPlacement] = useState<PlacementState | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [run, setRun] = useState<RunState | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState(false);
  const nextButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void api.invoke('settings.get', {}).then((r) => {
      if (!r.ok) return;
      const s = r.value.settings;
      setView(r.value);
      setOptions({
        importComputers: s.importComputers,
        parseMiddleName: s.parseMiddleName,
        placement: s.placement,
        placementOu: s.placementOu,
        importDisabled: s.importDisabled,
      });
      setPlacement({
        placement: s.placement,
        recreateUnder: s.placement === 'recreate' ? s.placementOu : '',
        singleInto: s.placement === 'single' ? s.placementOu : '',
        importDisabled: s.importDisabled,
      });
    });
    void api.invoke('users.overview', {}).then((r) => {
      if (!r.ok) return;
      setAccounts({ count: r.value.totals.accounts, local: r.value.totals.local, file: r.value.databaseFile });
      if (r.value.totals.accounts === 0) setMode('new');
    });
  }, []);

  const selection: ImportSelection = { ous: ous.subtrees, levels: ous.levels, groups: groups.map((g) => g.dn) };
  const selectionKey = JSON.stringify([selection, options?.importComputers]);
  const nothingSelected = isEmpty(ous) && groups.length === 0;

  useEffect(() => {
    if (page !== 'source' || !options) return;
    if (nothingSelected) {
      setCount({ state: 'none' });
      return;
    }
    let current = true;
    setCount({ state: 'counting' });
    const timer = setTimeout(() => {
      void api.invoke('import.count', { source: selection, importComputers: options.importComputers }).then((r) => {
        if (current) setCount(r.ok ? { state: 'done', value: r.value } : { state: 'failed', error: r.error });
      });
    }, COUNT_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [selectionKey, page]);

  // A new page, or the preview arriving: focus goes to the default button (Enter = Next), else into the
  // page, else to Cancel (the Progress page), so that Esc and Tab always work from the keyboard.
  const previewShown = preview?.outcome?.ok === true;
  useEffect(() => {
    if (nextButton.current && !nextButton.current.disabled) nextButton.current.focus();
    else
      (
        body.current?.querySelector<HTMLElement>(
          'input:not([disabled]), button:not([disabled]), select, [tabindex="0"]',
        ) ?? cancelButton.current
      )?.focus();
  }, [page, previewShown, options !== null]);

  const importOptions = (): ImportOptions => ({
    ...options!,
    placement: placement!.placement,
    placementOu: placement!.placement === 'recreate' ? placement!.recreateUnder : placement!.singleInto,
    importDisabled: placement!.importDisabled,
  });
  const kind = options?.importComputers ? 'computer accounts' : 'user accounts';

  const startPreview = async () => {
    setPreview(null);
    setPreviewError(null);
    setExcluded(new Set());
    setPage('preview');
    let jobId = 0;
    const started = await startJob(
      { mode, dryRun: true, source: selection, options: importOptions(), exclude: [], expectPlan: null },
      (progress) => setPreview((p) => (p ? { ...p, progress } : { jobId, outcome: null, progress })),
    );
    if (!started.ok) {
      setPreviewError(started.error);
      return;
    }
    jobId = started.job.jobId;
    setPreview((p) => ({ jobId, outcome: null, progress: p?.progress ?? null }));
    const outcome = await started.job.outcome;
    setPreview({ jobId, outcome, progress: null });
  };

  const startRun = async () => {
    const plan = preview?.outcome?.planDigest ?? null;
    setRun(null);
    setRunError(null);
    setPage('progress');
    const started = await startJob(
      { mode, dryRun: false, source: selection, options: importOptions(), exclude: [...excluded], expectPlan: plan },
      (progress) => setRun((r) => (r ? { ...r, progress } : r)),
    );
    if (!started.ok) {
      setRunError(started.error);
      return;
    }
    setRun({ jobId: started.job.jobId, progress: null, outcome: null });
    const outcome = await started.job.outcome;
    setRun((r) => (r ? { ...r, outcome } : r));
    if (outcome.ok) setPage('finish');
  };

  const running = page === 'progress' && (run === null ? runError === null : run.outcome === null);
  const previewing = page === 'preview' && preview !== null && preview.outcome === null && previewError === null;
  const runFailed =
    page === 'progress' &&
    (runError !== null || (run?.outcome !== null && run?.outcome !== undefined && !run.outcome.ok));

  const cancel = () => {
    if (running) {
      setAsking(true);
      return;
    }
    if (previewing && preview) void cancelJob(preview.jobId);
    onClose();
  };

  const index = PAGES.indexOf(page);
  const canNext =
    (page === 'welcome' && options !== null) ||
    page === 'mode' ||
    (page === 'source' && !nothingSelected && count.state !== 'failed') ||
    (page === 'placement' && placement !== null && placementProblem(placement) === null) ||
    (page === 'preview' && preview?.outcome?.ok === true && excluded.size <= MAX_LEFT_OUT);
  /** A step that cannot be undone by Cancel asks first, with No as the default (as Windows does). */
  const destructiveQuestion = (): string | null => {
    const outcome = preview?.outcome;
    if (!outcome) return null;
    const n = (v: number) => v.toLocaleString('en-US');
    const backup = accounts
      ? `${accounts.file.replace(/\.sqlite$/, '')}.backup-<date and time>.sqlite`
      : 'a backup file next to the users database';
    if (outcome.warning) {
      return `${outcome.warning}\n\nApply this plan anyway? It disables ${n(outcome.counts.disabled)} accounts, updates ${n(outcome.counts.updated)} and creates ${n(outcome.counts.created)}.${mode === 'new' ? ` The current database is backed up first to ${backup}.` : ' A disabled account can be enabled again by the next sync that finds it in the directory.'}`;
    }
    if (mode === 'new' && accounts && accounts.count > 0) {
      return `Create a new database replaces the ${n(accounts.count)} accounts in the users database${accounts.local > 0 ? ` (${n(accounts.local)} of them local accounts, which are not in the directory)` : ''} with the ${n(outcome.counts.created)} accounts of the preview.\n\nThe current database is backed up first to ${backup}. Replace it?`;
    }
    return null;
  };
  const next = () => {
    if (!canNext) return;
    if (page === 'placement') void startPreview();
    else if (page === 'preview') {
      const asked = destructiveQuestion();
      if (asked) setQuestion(asked);
      else void startRun();
    } else setPage(PAGES[index + 1]!);
  };
  const back = () => {
    if (page === 'preview' && previewing) void cancelJob(preview!.jobId);
    setPage(page === 'progress' ? 'preview' : PAGES[index - 1]!);
  };
  const canBack = (index > 0 && page !== 'finish' && page !== 'progress') || runFailed;

  return (
    <Dialog
      title={WIZARD_TITLE}
      width={820}
      onCancel={cancel}
      onSubmit={page === 'finish' ? onClose : next}
      buttons={
        <>
          <button type="button" onClick={back} disabled={!canBack}>
            &lt; Back
          </button>
          {page === 'finish' ? (
            <button type="submit" className="default" ref={nextButton}>
              Finish
            </button>
          ) : (
            <button type="submit" className="default" ref={nextButton} disabled={!canNext}>
              Next &gt;
            </button>
          )}
          <button type="button" ref={cancelButton} onClick={cancel} disabled={page === 'finish'}>
            {runFailed ? 'Close' : 'Cancel'}
          </button>
        </>
      }
    >
      <div ref={body} className="wizard-page" aria-label={HEADINGS[page]} role="group">
        <h2 className="wizard-heading">
          {HEADINGS[page]}{' '}
          <span className="note">
            (step {index + 1} of {PAGES.length})
          </span>
        </h2>
        {page === 'welcome' && options && <WelcomePage options={options} onOptions={setOptions} />}
        {page === 'mode' && <ModePage mode={mode} onMode={setMode} accounts={accounts?.count ?? null} />}
        {page === 'source' && view && (
          <SourcePage
            settings={view.settings}
            ous={ous}
            includeSub={includeSub}
            groups={groups}
            count={count}
            kind={kind}
            onOus={setOus}
            onIncludeSub={setIncludeSub}
            onGroups={setGroups}
          />
        )}
        {page === 'placement' && placement && <PlacementPage value={placement} onChange={setPlacement} />}
        {page === 'preview' && (
          <PreviewPage preview={preview} error={previewError} excluded={excluded} onExcluded={setExcluded} />
        )}
        {page === 'progress' && (
          <>
            <ProgressView
              title="Importing. Cancel stops the import and leaves the users database as it was."
              progress={run?.progress ?? null}
            />
            <ErrorText error={runError ?? run?.outcome?.error} />
          </>
        )}
        {page === 'finish' && run?.outcome && <FinishPage outcome={run.outcome} />}
      </div>
      {question && (
        <ConfirmBox
          title={WIZARD_TITLE}
          message={question}
          yes="Yes, apply it"
          no="No"
          onAnswer={(yes) => {
            setQuestion(null);
            if (yes) void startRun();
          }}
        />
      )}
      {asking && (
        <ConfirmBox
          title="Cancel the import?"
          message="Stop the import now? Nothing it did so far is kept: the users database stays as it was before the import started."
          yes="Stop the import"
          no="Continue"
          onAnswer={(yes) => {
            setAsking(false);
            if (yes && run) void cancelJob(run.jobId);
          }}
        />
      )}
    </Dialog>
  );
}
