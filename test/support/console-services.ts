/**
 * The console's core services on a data folder, driven as the window drives them (through dispatch, the
 * handlers' one entrance), for tests of the wizard's import jobs without a browser.
 */
import type { Events } from '../../shared/contract.ts';
import type { ImportOutcome } from '../../shared/import-run.ts';
import { createServices } from '../../electron/core/app-services.ts';
import { dispatch } from '../../electron/core/handlers.ts';
import { SessionVault } from '../../electron/core/secrets/password-vault.ts';
import { openSettingsFile } from '../../electron/core/settings/conf-file.ts';

/** The wizard's import options when nothing is changed on its pages. */
export const WIZARD_OPTIONS = {
  importComputers: false,
  parseMiddleName: false,
  placement: 'recreate',
  placementOu: '',
  importDisabled: true,
} as const;

/** The console's services on a data folder, with passwords kept in memory (as the browser console keeps them). */
export function testServices(
  dataDir: string,
  {
    transport = 'browser',
    log = () => undefined,
  }: { transport?: 'browser' | 'electron'; log?: (l: string) => void } = {},
) {
  return createServices({
    file: openSettingsFile(dataDir),
    vault: () => new SessionVault('test.'),
    transport,
    dataDir,
    log,
  });
}

export function consoleServices(dataDir: string) {
  const services = testServices(dataDir);
  const call = (name: string, input: unknown) => dispatch(services.handlers, name, input, () => undefined);
  /** The outcome of the next import job that finishes (subscribe before starting it). */
  const nextOutcome = () =>
    new Promise<ImportOutcome>((resolve) => {
      const stop = services.subscribe((event, payload) => {
        if (event !== 'import.finished') return;
        stop();
        resolve((payload as Events['import.finished']).outcome);
      });
    });
  /** Starts the wizard's import of these OUs (a dry run unless a previewed plan's digest is given). */
  const startImport = async (mode: 'new' | 'add' | 'sync', ous: string[], expectPlan: string | null = null) => {
    const finished = nextOutcome();
    const started = await call('import.start', {
      mode,
      dryRun: expectPlan === null,
      source: { ous, levels: [], groups: [] },
      options: WIZARD_OPTIONS,
      exclude: [],
      expectPlan,
    });
    if (!started.ok) throw new Error(`import.start was refused: ${JSON.stringify(started)}`);
    return finished;
  };
  return { services, call, startImport, close: () => services.close() };
}
