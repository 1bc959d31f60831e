/**
 * The handler registry: one function per contract operation. Both transports (Electron IPC and the
 * loopback HTTP server) call `dispatch`, which validates the untrusted input with the contract's schema
 * and turns every failure into { code, message, hint } — never a stack.
 */
import {
  addLocalAccount,
  deleteLocalAccounts,
  editLocalAccount,
  moveLocalAccounts,
  setLocalEnabled,
  setLocalPassword,
} from './accounts/local-accounts.ts';
import { addServerOu, deleteServerOu, renameServerOu } from './accounts/server-ous.ts';
import { ouPermissions, setOuPermissions } from './accounts/ou-permissions.ts';
import { contactListOf } from './publish/directory-groups.ts';
import type { BackgroundPublisher } from './publish/auto-publish.ts';
import { testImServer } from './publish/im-test.ts';
import fs from 'node:fs';
import type { z } from 'zod';
import {
  isOperationName,
  operations,
  type AppInfo,
  type Events,
  type InputOf,
  type OperationName,
  type ResultOf,
  type SettingsView,
} from '../../shared/contract.ts';
import { passwordTargetOf, sameTarget } from '../../shared/password-target.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { settingsProblems, type Settings } from '../../shared/settings.ts';
import { browse } from './directory/browse.ts';
import { testConnection } from './directory/connection-test.ts';
import type { SessionCache } from './directory/session-cache.ts';
import type { NameResolver } from './directory/resolver.ts';
import { Failure } from './failure.ts';
import type { PasswordVault } from './secrets/password-vault.ts';
import type { RefusedPasswords } from './secrets/refused-passwords.ts';
import type { SettingsStore } from './settings/settings-store.ts';
import type { SharedDatabase } from './database/users-database.ts';
import { testUsersDatabase } from './database/database-test.ts';
import { accountPhoto, accountsInView, accountsPage, logonPosition, usersOverview } from './database/users-view.ts';
import { searchGroups } from './directory/group-search.ts';
import type { ImportJobs } from './import/import-jobs.ts';
import { countSource } from './import/source-count.ts';
import { accountHistory, findRun } from './import/run-history.ts';
import { logonKey } from './database/accounts.ts';
import { LogonResolver } from './onthefly/logon-resolver.ts';
import { planCsv, runReportCsv } from './report/import-report.ts';
import { usersListCsv } from './report/users-list.ts';
import { scheduleHandlers } from './sync/schedule-handlers.ts';
import { previewsSchedule } from './sync/sync-state.ts';

export interface HandlerDeps {
  settings: SettingsStore;
  vault: PasswordVault;
  resolver: NameResolver;
  info: AppInfo;
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
  browseSessions: SessionCache;
  database: SharedDatabase;
  /** The service-account passwords a DC refused (shared by every process on the users database). */
  refusedPasswords: RefusedPasswords;
  jobs: ImportJobs;
  /** Publishes the directory to the IM server after a change (in the background). */
  publisher: BackgroundPublisher;
}

const fileStamp = () => new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
const textOf = (lines: Iterable<string>) => [...lines].join('');

export type Handlers = { [K in OperationName]: (input: InputOf<K>) => Promise<ResultOf<K>> };

/**
 * What makes settings unsafe to save: invalid values, files on this machine that do not exist, and —
 * from the console, whichever transport the request came by — missing ones (the dialog's OK asks for
 * complete settings). bcscmd /SET (transport 'cli', in-process only) builds a configuration step by step.
 */
export function localProblems(s: Settings, complete = true): string[] {
  const problems = settingsProblems(s, { complete }).map((p) => p.message);
  if (s.caFile.trim() && !fs.existsSync(s.caFile.trim()))
    problems.push(`CA certificate file: ${s.caFile.trim()} does not exist.`);
  if (s.imApiTokenFile.trim() && !fs.existsSync(s.imApiTokenFile.trim()))
    problems.push(`IM server API token file: ${s.imApiTokenFile.trim()} does not exist.`);
  return problems;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const view = async (): Promise<SettingsView> => {
    const target = deps.vault.target();
    const stored = target ? deps.vault.read(target) : null;
    const refused = stored && target ? await deps.refusedPasswords.find(target.login, stored) : null;
    return {
      settings: deps.settings.load(),
      password: target
        ? { stored: true, login: target.login, server: target.server, ...(refused ? { refused } : {}) }
        : { stored: false },
      secureStorage: deps.vault.info(),
    };
  };
  /** The typed password, else the stored one if it was stored for this very login and server. */
  const passwordFor = (settings: Settings, typed: string | undefined) =>
    typed ? typed : deps.vault.read(passwordTargetOf(settings));

  /** The wizard's directory work uses what is saved, as bcscmd and the scheduled sync do. */
  const saved = () => {
    const settings = deps.settings.load();
    return { settings, password: passwordFor(settings, undefined) };
  };

  /** A change to the users database from the console: every window's users view shows it at once. */
  const changed = async <T>(work: () => T | Promise<T>): Promise<T> => {
    const result = await work();
    deps.emit('users.changed', {});
    deps.publisher.nudge();
    return result;
  };

  return {
    'app.info': async () => deps.info,
    'settings.get': () => view(),
    'settings.save': async ({ settings, password }) => {
      const problems = localProblems(settings, deps.info.transport !== 'cli');
      if (problems.length > 0)
        throw new Failure(
          'invalid-settings',
          `The settings were not saved: ${problems.join(' ')}`,
          'Correct the fields named and press OK again.',
        );
      const notices: string[] = [];
      const target = passwordTargetOf(settings);
      const stored = deps.vault.target();
      deps.settings.save(settings);
      if (password.action === 'set') {
        deps.vault.store(password.value, target);
        if (!deps.vault.info().persistent) notices.push(deps.vault.info().description);
      } else if (password.action === 'clear') {
        deps.vault.clear();
      } else if (stored && !sameTarget(stored, target)) {
        deps.vault.clear();
        notices.push(
          `The stored password was removed because the login ID or server changed (it was for ${stored.login} ` +
            `on ${stored.server || 'the domain'}). Type the password for the new account.`,
        );
      }
      const saved = await view();
      deps.emit('settings.changed', saved);
      return { ...saved, notices };
    },
    'connection.test': async ({ settings, password, retryRefused }) =>
      testConnection(settings, passwordFor(settings, password), deps.resolver, deps.refusedPasswords, {
        retryRefused: retryRefused ?? false,
      }),
    'directory.browse': async ({ settings, password, dn }) =>
      browse(settings, passwordFor(settings, password), dn, deps.resolver, deps.browseSessions),
    'directory.lookup': async ({ settings, password, name }) => {
      const resolver = new LogonResolver({
        settings,
        password: passwordFor(settings, password),
        resolver: deps.resolver,
        database: deps.database.location(),
      });
      try {
        return await resolver.resolveLogon(name, { dryRun: true });
      } finally {
        await resolver.close();
      }
    },
    'directory.groups': async ({ search }) => {
      const { settings, password } = saved();
      return deps.browseSessions.use(settings, password, deps.resolver, (session) =>
        searchGroups(session, settings, search),
      );
    },
    'import.count': async ({ source, importComputers }) => {
      const { settings, password } = saved();
      return deps.browseSessions.use(settings, password, deps.resolver, (session) =>
        countSource(session, { ...settings, importComputers }, source),
      );
    },
    'import.start': async ({ mode, dryRun, source, options, exclude, expectPlan }) => {
      if (source.ous.length + source.levels.length + source.groups.length === 0)
        throw new Failure(
          'empty-source',
          'No organizational unit or group is selected, so there is nothing to import.',
          'Tick at least one OU or group on the Source page.',
        );
      if (!dryRun && !expectPlan)
        throw new Failure(
          'preview-first',
          'An import from the console applies only a plan that was previewed.',
          'Show the preview first, then press Next to apply it.',
        );
      const { settings, password } = saved();
      const jobId = await deps.jobs.start({
        // The wizard always reads the whole source: its preview lists every account, unchanged ones too.
        request: {
          mode,
          dryRun,
          full: true,
          confirmed: !dryRun,
          startedBy: 'wizard',
          source,
          exclude,
          expectPlan,
          listUnchanged: dryRun,
          previewsSchedule:
            dryRun && mode === 'sync' && previewsSchedule(source, { ...settings, ...options }, settings),
        },
        settings: { ...settings, ...options },
        password,
        database: deps.database.location(),
      });
      return { jobId };
    },
    'import.cancel': async ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
    'import.plan': async (query) => deps.jobs.planPage(query),
    'import.planCsv': async ({ jobId, exclude }) => ({
      fileName: `import-plan-${fileStamp()}.csv`,
      text: textOf(planCsv(deps.jobs.preview(jobId).rows, new Set(exclude))),
    }),
    'import.reportCsv': async ({ runId }) =>
      deps.database.use(async (q) => {
        if (!(await findRun(q, runId)))
          throw new Failure(
            'no-such-run',
            `There is no import run ${runId} in the users database.`,
            'The database may have been replaced or restored since; run the import again.',
          );
        return { fileName: `import-report-run-${runId}.csv`, text: textOf(await runReportCsv(q, runId)) };
      }),
    ...scheduleHandlers(deps),
    'users.overview': async () => deps.database.use((q) => usersOverview(q, deps.database.file)),
    'users.list': async (query) => deps.database.use((q) => accountsPage(q, query)),
    'users.position': async ({ prefix, ...view }) =>
      deps.database.use(async (q) => ({ index: await logonPosition(q, view, prefix) })),
    'users.exportCsv': async (view) =>
      deps.database.use(async (q) => ({
        fileName: `accounts-${fileStamp()}.csv`,
        text: textOf(usersListCsv(await accountsInView(q, view))),
      })),
    'accounts.add': async (input) =>
      changed(() => deps.database.use((engine) => addLocalAccount(engine, input, 'console'))),
    'accounts.setPassword': async ({ logon, password }) =>
      changed(async () => {
        await deps.database.use((engine) => setLocalPassword(engine, logon, password, 'console'));
        return {};
      }),
    'accounts.setEnabled': async ({ logons, enabled }) =>
      changed(async () => {
        await deps.database.use((engine) => setLocalEnabled(engine, logons, enabled, 'console'));
        return {};
      }),
    'accounts.history': async ({ logon }) =>
      deps.database.use(async (q) => {
        const row = await q.get<{ logon_key: string; ad_guid: string | null }>(
          'SELECT logon_key, ad_guid FROM accounts WHERE logon_key = ?',
          logonKey(logon),
        );
        if (!row)
          throw new Failure(
            'no-such-account',
            `There is no account "${logon}" in the users database.`,
            'It may have been deleted meanwhile: press F5.',
          );
        return accountHistory(q, { logonKey: row.logon_key, guid: row.ad_guid });
      }),
    'accounts.edit': async ({ logon, ...edit }) =>
      changed(() => deps.database.use((engine) => editLocalAccount(engine, logon, edit, 'console'))),
    'accounts.move': async ({ logons, ou }) =>
      changed(async () => ({
        ou: await deps.database.use((engine) => moveLocalAccounts(engine, logons, ou, 'console')),
      })),
    'ous.add': async ({ path }) =>
      changed(async () => ({ path: await deps.database.use((engine) => addServerOu(engine, path, 'console')) })),
    'ous.rename': async ({ path, name }) =>
      changed(async () => ({
        path: await deps.database.use((engine) => renameServerOu(engine, path, name, 'console')),
      })),
    'ous.delete': async ({ path }) =>
      changed(async () => {
        await deps.database.use((engine) => deleteServerOu(engine, path, 'console'));
        return {};
      }),
    'ous.permissions': async ({ path }) => deps.database.use((q) => ouPermissions(q, path)),
    'ous.setPermissions': async ({ path, sees }) =>
      changed(() => deps.database.use((engine) => setOuPermissions(engine, path, sees, 'console', { below: false }))),
    'accounts.contacts': async ({ logon }) => deps.database.use((q) => contactListOf(q, logon)),
    'accounts.photo': async ({ logon }) => deps.database.use((q) => accountPhoto(q, logon)),
    'im.test': async ({ settings }) => deps.database.use((engine) => testImServer(settings, engine)),
    // The settings as typed, not yet saved: the data folder's file, or the URL typed.
    'database.test': async ({ settings }) =>
      testUsersDatabase({
        file: deps.database.location().file,
        url: settings.database.trim(),
        passwordFile: settings.databasePasswordFile.trim(),
      }),
    'accounts.delete': async ({ logons }) =>
      changed(async () => {
        await deps.database.use((engine) => deleteLocalAccounts(engine, logons, 'console'));
        return {};
      }),
  };
}

function describeInvalid(name: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  return `The request "${name}" was refused because its input is invalid (${parts.join('; ')}).`;
}

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  input: unknown,
  log: (line: string) => void,
): Promise<Result<unknown>> {
  if (!isOperationName(name))
    return fail(
      'unknown-operation',
      `There is no operation called "${String(name).slice(0, 100)}".`,
      'Update the console: the window and the service are from different versions.',
    );
  const parsed = operations[name].input.safeParse(input);
  if (!parsed.success)
    return fail('invalid-input', describeInvalid(name, parsed.error), 'Correct the values in the form and try again.');
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return ok(await handler(parsed.data));
  } catch (err) {
    // Failures the admin can act on travel as they are; anything else is a bug, logged with its stack.
    if (err instanceof Failure) return fail(err.code, err.message, err.hint || undefined);
    log(`unexpected error in ${name}: ${(err as Error).stack ?? String(err)}`);
    return fail(
      'unexpected',
      `Something unexpected went wrong in "${name}": ${(err as Error).message ?? String(err)}.`,
      'Try again. If it happens again, report it with the console log.',
    );
  }
}
