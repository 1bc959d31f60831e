/** The console's schedule operations (Tools → Synchronization schedule…, the status bar). */
import type { InputOf, ResultOf } from '../../../shared/contract.ts';
import type { SharedDatabase } from '../database/users-database.ts';
import type { ImportJobs } from '../import/import-jobs.ts';
import type { PasswordVault } from '../secrets/password-vault.ts';
import type { RefusedPasswords } from '../secrets/refused-passwords.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { toRunSummary } from '../database/users-view.ts';
import { recentSyncRuns } from '../import/run-history.ts';
import { passwordTargetOf } from '../../../shared/password-target.ts';
import type { ScheduleView } from '../../../shared/sync-status.ts';
import { readService } from './service-registry.ts';
import { approveScope, requestRunNow, scheduledScope } from './sync-state.ts';
import { readSyncStatus } from './sync-status.ts';

const RECENT_RUNS = 10;

type ScheduleOp = 'schedule.status' | 'schedule.runNow' | 'schedule.resume';
type ScheduleOps = { [K in ScheduleOp]: (input: InputOf<K>) => Promise<ResultOf<K>> };

export interface ScheduleDeps {
  settings: SettingsStore;
  vault: PasswordVault;
  database: SharedDatabase;
  jobs: ImportJobs;
  refusedPasswords: RefusedPasswords;
}

export function scheduleHandlers(deps: ScheduleDeps): ScheduleOps {
  const status = async (): Promise<ScheduleView> => {
    const settings = deps.settings.load();
    // With the stored password at hand, a refusal counts only if it is that very password.
    const password = settings.account === 'specified' ? deps.vault.read(passwordTargetOf(settings)) : null;
    const refused = password ? await deps.refusedPasswords.find(settings.login, password) : undefined;
    return deps.database.use(async (q) => ({
      ...(await readSyncStatus(q, settings, new Date(), refused)),
      recentRuns: (await recentSyncRuns(q, RECENT_RUNS)).map(toRunSummary),
    }));
  };
  return {
    'schedule.status': () => status(),
    'schedule.runNow': async ({ confirmed }) => {
      if ((await deps.database.use((q) => readService(q)))?.running) {
        await deps.database.use((q) => requestRunNow(q, confirmed));
        return { by: 'service', jobId: null };
      }
      // No service: the console runs the scheduled sync itself, as bcscmd /LDAP would.
      const settings = deps.settings.load();
      const jobId = await deps.jobs.start({
        request: { mode: 'sync', dryRun: false, full: false, confirmed, startedBy: 'console', source: null },
        settings,
        password: deps.vault.read(passwordTargetOf(settings)),
        database: deps.database.location(),
      });
      return { by: 'console', jobId };
    },
    'schedule.resume': async () => {
      const settings = deps.settings.load();
      await deps.database.use((q) => approveScope(q, scheduledScope(settings)));
      return status();
    },
  };
}
