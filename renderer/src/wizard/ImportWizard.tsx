/**
 * Tools → Active Directory Import Wizard…: Welcome, Database Creation, Source, Placement, Preview,
 * Progress, Finish. The preview is a dry run of the import engine; Next on it applies exactly that plan
 * (the engine refuses if the directory or database changed since). Closing during a run asks, like Cancel.
 * The state and the pages' rules are in wizard-state.ts; this file renders them and runs the jobs.
 */
import { Ak } from '../controls/Ak.tsx';
import { useEffect, useReducer, useRef } from 'react';
import { api } from '../api.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { Dialog } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { MessageBox } from '../controls/MessageBox.tsx';
import { cancelJob, startJob } from './job-client.ts';
import { FinishPage } from './pages/FinishPage.tsx';
import { ModePage } from './pages/ModePage.tsx';
import { PlacementPage } from './pages/PlacementPage.tsx';
import { PreviewPage } from './pages/PreviewPage.tsx';
import { ProgressView } from './pages/ProgressView.tsx';
import { SourcePage } from './pages/SourcePage.tsx';
import { WelcomePage } from './pages/WelcomePage.tsx';
import {
  backPage,
  canBack as canBackOf,
  canNext as canNextOf,
  destructiveQuestion,
  type Edit,
  importOptionsOf,
  INITIAL_STATE,
  isPreviewing,
  isRunning,
  nextPage,
  nothingSelected,
  runFailed as runFailedOf,
  selectionOf,
  stepIndex,
  stepOf,
  STEPS,
  wizardReducer,
} from './wizard-state.ts';

export const WIZARD_TITLE = 'Active Directory Import Wizard';
const COUNT_DELAY_MS = 400;

export function ImportWizard({ onClose }: { onClose: () => void }) {
  const [state, dispatch] = useReducer(wizardReducer, INITIAL_STATE);
  const { page, view, options, accounts, mode, ous, includeSub, groups, count, placement } = state;
  const { preview, previewError, excluded, run, runError, asking } = state;
  const edit = (e: Edit) => dispatch({ type: 'edit', edit: e });
  const nextButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void api.invoke('settings.get', {}).then((r) => {
      if (r.ok) dispatch({ type: 'settings-loaded', view: r.value });
    });
    void api.invoke('users.overview', {}).then((r) => {
      if (!r.ok) return;
      const { totals, databaseFile } = r.value;
      dispatch({
        type: 'accounts-loaded',
        accounts: { count: totals.accounts, local: totals.local, file: databaseFile },
      });
    });
  }, []);

  const selection = selectionOf(state);
  const selectionKey = JSON.stringify([selection, options?.importComputers]);

  useEffect(() => {
    if (page !== 'source' || !options) return;
    if (nothingSelected(state)) {
      dispatch({ type: 'count', count: { state: 'none' } });
      return;
    }
    let current = true;
    dispatch({ type: 'count', count: { state: 'counting' } });
    const timer = setTimeout(() => {
      void api.invoke('import.count', { source: selection, importComputers: options.importComputers }).then((r) => {
        if (current)
          dispatch({
            type: 'count',
            count: r.ok ? { state: 'done', value: r.value } : { state: 'failed', error: r.error },
          });
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

  const kind = options?.importComputers ? 'computer accounts' : 'user accounts';

  const runJob = async (which: 'preview' | 'run') => {
    dispatch({ type: 'go', page: which === 'preview' ? 'preview' : 'progress' });
    const dryRun = which === 'preview';
    const started = await startJob(
      {
        mode,
        dryRun,
        source: selection,
        options: importOptionsOf(state),
        exclude: dryRun ? [] : [...excluded],
        expectPlan: dryRun ? null : (preview?.outcome?.planDigest ?? null),
      },
      (progress) => dispatch({ type: 'job-progress', which, progress }),
    );
    if (!started.ok) {
      dispatch({ type: 'job-refused', which, error: started.error });
      return;
    }
    dispatch({ type: 'job-started', which, jobId: started.job.jobId });
    dispatch({ type: 'job-ended', which, outcome: await started.job.outcome });
  };

  const running = isRunning(state);
  const previewing = isPreviewing(state);
  const runFailed = runFailedOf(state);
  const canNext = canNextOf(state);
  const canBack = canBackOf(state);

  const cancel = () => {
    if (running) {
      dispatch({ type: 'ask', asking: { kind: 'stop' } });
      return;
    }
    // A dry run may have taken minutes: closing over it (running or shown) asks first.
    if (page === 'preview' && preview) {
      dispatch({ type: 'ask', asking: { kind: 'discard-preview' } });
      return;
    }
    onClose();
  };
  const close = () => {
    if (previewing && preview) void cancelJob(preview.jobId);
    onClose();
  };

  const next = () => {
    if (!canNext) return;
    const step = stepOf(page).next;
    if (step === 'preview') void runJob('preview');
    else if (step === 'apply') {
      const message = destructiveQuestion(state);
      if (message) dispatch({ type: 'ask', asking: { kind: 'apply', message } });
      else void runJob('run');
    } else if (step === 'page') dispatch({ type: 'go', page: nextPage(state) });
  };
  const back = () => {
    if (previewing) void cancelJob(preview!.jobId);
    dispatch({ type: 'go', page: backPage(state) });
  };
  const index = stepIndex(page);

  return (
    <Dialog
      title={WIZARD_TITLE}
      help="import-wizard"
      width={820}
      onCancel={cancel}
      onSubmit={page === 'finish' ? onClose : next}
      buttons={
        <>
          <button type="button" onClick={back} disabled={!canBack}>
            &lt; <Ak text="&Back" />
          </button>
          {page === 'finish' ? (
            <button type="submit" className="default" ref={nextButton}>
              <Ak text="&Finish" />
            </button>
          ) : (
            <button type="submit" className="default" ref={nextButton} disabled={!canNext}>
              <Ak text="&Next" /> &gt;
            </button>
          )}
          <button type="button" ref={cancelButton} onClick={cancel} disabled={page === 'finish'}>
            {runFailed ? 'Close' : 'Cancel'}
          </button>
        </>
      }
    >
      <div ref={body} className="wizard-page" aria-label={stepOf(page).heading} role="group">
        <h2 className="wizard-heading">
          {stepOf(page).heading}{' '}
          <span className="note">
            (step {index + 1} of {STEPS.length})
          </span>
        </h2>
        {page === 'welcome' && options && <WelcomePage options={options} onOptions={(o) => edit({ options: o })} />}
        {page === 'mode' && (
          <ModePage mode={mode} onMode={(m) => edit({ mode: m })} accounts={accounts?.count ?? null} />
        )}
        {page === 'source' && view && (
          <SourcePage
            settings={view.settings}
            ous={ous}
            includeSub={includeSub}
            groups={groups}
            count={count}
            kind={kind}
            onOus={(o) => edit({ ous: o })}
            onIncludeSub={(on) => edit({ includeSub: on })}
            onGroups={(g) => edit({ groups: g })}
          />
        )}
        {page === 'placement' && placement && (
          <PlacementPage value={placement} onChange={(p) => edit({ placement: p })} />
        )}
        {page === 'preview' && (
          <PreviewPage
            preview={preview}
            error={previewError}
            excluded={excluded}
            onExcluded={(x) => edit({ excluded: x })}
          />
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
      {asking?.kind === 'apply' && (
        <ConfirmBox
          title={WIZARD_TITLE}
          message={asking.message}
          yes="&Yes, apply it"
          no="&No"
          onAnswer={(yes) => {
            dispatch({ type: 'ask', asking: null });
            if (yes) void runJob('run');
          }}
        />
      )}
      {asking?.kind === 'stop' && (
        <ConfirmBox
          title="Cancel the import?"
          message={
            'Stop the import now? Nothing it did so far is kept: ' +
            'the users database stays as it was before the import started.'
          }
          yes="&Stop the import"
          no="C&ontinue"
          onAnswer={(yes) => {
            dispatch({ type: 'ask', asking: null });
            if (yes && run)
              void cancelJob(run.jobId).then((r) => {
                // Too late: it had ended (the outcome, arriving too, then shows Finish or the error).
                if (r.ok && !r.value.cancelled)
                  dispatch({
                    type: 'ask',
                    asking: {
                      kind: 'ended-meanwhile',
                      message: 'The import had already ended; nothing was stopped.',
                    },
                  });
              });
          }}
        />
      )}
      {asking?.kind === 'ended-meanwhile' && (
        <MessageBox
          title="Cancel the import?"
          kind="info"
          message={asking.message}
          onClose={() => dispatch({ type: 'ask', asking: null })}
        />
      )}
      {asking?.kind === 'discard-preview' && (
        <ConfirmBox
          title={WIZARD_TITLE}
          message={
            previewing
              ? 'Close the wizard? The preview still being prepared is stopped and discarded; nothing was changed.'
              : 'Close the wizard? The preview is discarded (the next time the dry run reads the directory ' +
                'again); nothing was changed.'
          }
          yes="&Close the wizard"
          no="&Keep the preview"
          onAnswer={(yes) => {
            dispatch({ type: 'ask', asking: null });
            if (yes) close();
          }}
        />
      )}
    </Dialog>
  );
}
