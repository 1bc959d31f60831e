/** The wizard's pages as data and its reducer (pure unit test; the Chromium suite drives the same code). */
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/contract.ts';
import type { ImportOutcome } from '../../../shared/import-run.ts';
import { DEFAULT_SETTINGS } from '../../../shared/settings.ts';
import {
  backPage,
  canBack,
  canNext,
  destructiveQuestion,
  INITIAL_STATE,
  isRunning,
  nextPage,
  type WizardAction,
  wizardReducer,
  type WizardState,
} from '../../../renderer/src/wizard/wizard-state.ts';

const STAFF = 'OU=Staff,DC=corp,DC=test';
const view = {
  settings: { ...DEFAULT_SETTINGS, placement: 'single', placementOu: 'Imported', importDisabled: false },
} as SettingsView;
const apply = (actions: WizardAction[], from: WizardState = INITIAL_STATE) => actions.reduce(wizardReducer, from);
const outcome = (over: Partial<ImportOutcome>): ImportOutcome =>
  ({ ok: true, counts: { created: 3, updated: 1, disabled: 0 }, planDigest: 'd1', ...over }) as ImportOutcome;

describe('the import wizard state', () => {
  it('starts from the saved import source: its OU subtrees, OU levels and groups ticked', () => {
    const group = 'CN=IM Users,OU=Groups,DC=corp,DC=test';
    const saved = {
      settings: { ...view.settings, importSource: `${STAFF}; level:OU=Sales,DC=corp,DC=test; group:${group}` },
    };
    const s = apply([{ type: 'settings-loaded', view: saved as SettingsView }]);
    expect(s.ous).toEqual({ subtrees: [STAFF], levels: ['OU=Sales,DC=corp,DC=test'] });
    expect(s.includeSub).toBe(true);
    expect(s.groups).toEqual([{ dn: group, name: 'IM Users', description: '' }]);
    const levelsOnly = { settings: { ...view.settings, importSource: 'level:OU=Sales,DC=corp,DC=test' } };
    expect(apply([{ type: 'settings-loaded', view: levelsOnly as SettingsView }]).includeSub).toBe(false);
    expect(apply([{ type: 'settings-loaded', view }]).ous).toEqual({ subtrees: [], levels: [] });
  });

  it('turns "stop the import?" into "nothing was stopped" when the run ends while it is asked', () => {
    const asked = apply([
      { type: 'settings-loaded', view },
      { type: 'go', page: 'progress' },
      { type: 'job-started', which: 'run', jobId: 7 },
      { type: 'ask', asking: { kind: 'stop' } },
      { type: 'job-ended', which: 'run', outcome: outcome({}) },
    ]);
    expect(asked.page).toBe('finish');
    expect(asked.asking).toEqual({
      kind: 'ended-meanwhile',
      message: 'The import had already finished; nothing was stopped. The Finish page shows what it did.',
    });
  });

  it('cannot leave Welcome before the settings are read, and takes the saved placement from them', () => {
    expect(canNext(INITIAL_STATE)).toBe(false);
    const s = apply([{ type: 'settings-loaded', view }]);
    expect(canNext(s)).toBe(true);
    expect(s.placement).toEqual({
      placement: 'single',
      recreateUnder: '',
      singleInto: 'Imported',
      importDisabled: false,
    });
    expect(nextPage(s)).toBe('mode');
  });

  it('suggests creating the database when it holds no accounts, and syncing otherwise', () => {
    expect(apply([{ type: 'accounts-loaded', accounts: { count: 0, local: 0, file: 'u.sqlite' } }]).mode).toBe('new');
    expect(apply([{ type: 'accounts-loaded', accounts: { count: 5, local: 0, file: 'u.sqlite' } }]).mode).toBe('sync');
  });

  it('allows Next on Source only with something selected and a count that did not fail', () => {
    const source = apply([
      { type: 'settings-loaded', view },
      { type: 'go', page: 'source' },
    ]);
    expect(canNext(source)).toBe(false);
    const picked = apply([{ type: 'edit', edit: { ous: { subtrees: [STAFF], levels: [] } } }], source);
    expect(canNext(picked)).toBe(true);
    const error = { code: 'UNREACHABLE', message: 'down' } as never;
    expect(canNext(apply([{ type: 'count', count: { state: 'failed', error } }], picked))).toBe(false);
  });

  it('refuses Next on Placement while the server OU path is not valid', () => {
    const s = apply([
      { type: 'settings-loaded', view },
      { type: 'go', page: 'placement' },
    ]);
    expect(canNext(s)).toBe(true);
    const bad = apply([{ type: 'edit', edit: { placement: { ...s.placement!, singleInto: 'a//b' } } }], s);
    expect(canNext(bad)).toBe(false);
  });

  it('starts each preview afresh, with nothing left out, and allows Next only once it succeeded', () => {
    const placed = apply([
      { type: 'settings-loaded', view },
      { type: 'go', page: 'placement' },
    ]);
    const old = { ...placed, preview: { jobId: 1, outcome: outcome({}), progress: null }, excluded: new Set(['x']) };
    const s = apply([{ type: 'go', page: 'preview' }], old);
    expect(s.preview).toBeNull();
    expect(s.excluded.size).toBe(0);
    const progress = { phase: 'reading', done: 1, total: 2 } as never;
    const started = apply(
      [
        { type: 'job-progress', which: 'preview', progress },
        { type: 'job-started', which: 'preview', jobId: 7 },
      ],
      s,
    );
    expect(started.preview).toEqual({ jobId: 7, outcome: null, progress });
    expect(canNext(started)).toBe(false);
    expect(canNext(apply([{ type: 'job-ended', which: 'preview', outcome: outcome({}) }], started))).toBe(true);
    expect(canNext(apply([{ type: 'job-ended', which: 'preview', outcome: outcome({ ok: false }) }], started))).toBe(
      false,
    );
  });

  it('counts as running until the run ends, goes to Finish on success, and allows Back only after a failure', () => {
    const s = apply([{ type: 'go', page: 'progress' }]);
    expect(isRunning(s)).toBe(true);
    expect(canBack(s)).toBe(false);
    const started = apply([{ type: 'job-started', which: 'run', jobId: 3 }], s);
    expect(apply([{ type: 'job-ended', which: 'run', outcome: outcome({}) }], started).page).toBe('finish');
    const failed = apply([{ type: 'job-ended', which: 'run', outcome: outcome({ ok: false }) }], started);
    expect(failed.page).toBe('progress');
    expect(isRunning(failed)).toBe(false);
    expect(canBack(failed)).toBe(true);
    expect(backPage(failed)).toBe('preview');
  });

  it('asks before replacing a database that holds accounts, and before a plan the safety limit warned about', () => {
    const base = {
      ...INITIAL_STATE,
      page: 'preview' as const,
      accounts: { count: 1200, local: 2, file: '/data/users.sqlite' },
      preview: { jobId: 1, outcome: outcome({}), progress: null },
    };
    expect(destructiveQuestion(base)).toBeNull();
    const replace = destructiveQuestion({ ...base, mode: 'new' });
    expect(replace).toContain('replaces the 1,200 accounts');
    expect(replace).toContain('2 of them local accounts');
    expect(replace).toContain('/data/users.backup-<date and time>.sqlite');
    const warned = destructiveQuestion({
      ...base,
      preview: { ...base.preview, outcome: outcome({ warning: 'Over the limit.' }) },
    });
    expect(warned).toMatch(
      /^Over the limit\.\n\nApply this plan anyway\? It disables 0 accounts, updates 1 and creates 3\./,
    );
  });
});
