/** bcscmd: the unattended twin of the console's dialogs, on the same settings and the same handlers. */
import fs from 'node:fs';
import type { SettingsView, TestReport } from '../../../shared/contract.ts';
import { DEFAULT_SETTINGS, parseSettingValue, SETTING_KEYS, type Settings } from '../../../shared/settings.ts';
import { createServices } from '../app-services.ts';
import { dispatch } from '../handlers.ts';
import { Failure } from '../failure.ts';
import { defaultDataDir } from '../paths.ts';
import { EncryptedFileVault, type SecretCipher } from '../secrets/password-vault.ts';
import { openSettingsFile } from '../settings/conf-file.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { passwordTargetOf } from '../../../shared/password-target.ts';
import { databaseLocation } from '../database/users-database.ts';
import { runCopyDatabase } from './copy-database-command.ts';
import { HELP, parseCliArguments, UsageError } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';
import { runDatabaseCommand, runLdap } from './import-commands.ts';
import { runLookup } from './lookup-command.ts';
import { runAccountCommand } from './account-commands.ts';
import { runDirectoryCommand } from './directory-commands.ts';
import { runExtauth } from './extauth-command.ts';
import { publishAfterCommand, runImConfig, runPublish } from './publish-commands.ts';
import { runInstallService, runScheduleRequest, runService, runStatus } from './schedule-commands.ts';

/** The desktop console seals the password with the OS key store, which a plain-Node process cannot open. */
const desktopOnlyCipher: SecretCipher = {
  info: () => ({
    persistent: false,
    description:
      "The command line cannot open the desktop console's secure storage; pass the password with " +
      'ADCONSOLE_LDAP_PASSWORD or /PASSWORDFILE.',
  }),
  encrypt: () => {
    throw new Error('The command line does not store passwords.');
  },
  decrypt: () => {
    throw new Error('sealed by the desktop console');
  },
};

function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `The password file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  const first = text.split(/\r?\n/)[0] ?? '';
  if (first === '') throw new UsageError(`The password file ${file} is empty; put the password on its first line.`);
  return first;
}

function showText(view: SettingsView): string {
  const s = view.settings;
  const rows = SETTING_KEYS.map(
    (key) => `  ${key.padEnd(21)} ${s[key] === null ? '(default)' : s[key] === '' ? '(empty)' : String(s[key])}`,
  );
  const password = view.password.stored
    ? `stored for ${view.password.login} on ${view.password.server || 'the domain'}`
    : 'not stored';
  return `Settings:\n${rows.join('\n')}\n  ${'password'.padEnd(21)} ${password}\n`;
}

function testText(report: TestReport): string {
  const lines = report.steps.map((st) => {
    const hint = st.hint ? `\n${' '.repeat(26)}${st.ok ? 'Note' : 'What to do'}: ${st.hint}` : '';
    return `  [${st.ok ? ' OK ' : 'FAIL'}] ${st.name.padEnd(9)} ${String(st.ms).padStart(5)} ms  ${st.detail}${hint}`;
  });
  return `${lines.join('\n')}\n\n${report.summary}\n`;
}

/** The settings for the publish after a database-only command (which needs none of its own): null if unreadable. */
function settingsIfReadable(dataDir: string): Settings | null {
  try {
    return new SettingsStore(openSettingsFile(dataDir)).load();
  } catch {
    return null;
  }
}

/** `cipher`: the OS secure storage when bcscmd runs inside the desktop app (so the stored password opens). */
export async function runBcscmd(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  cipher: SecretCipher = desktopOnlyCipher,
): Promise<number> {
  let request;
  try {
    request = parseCliArguments(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const databaseCommand = request.users || request.history || request.report !== null;
  const scheduleCommand =
    request.service || request.status || request.installService || request.runNow || request.resume;
  if (
    request.help ||
    (!request.show &&
      !request.extauth &&
      !scheduleCommand &&
      request.account === null &&
      !request.test &&
      !request.ldap &&
      request.lookup === null &&
      request.ouPermissions === null &&
      request.contacts === null &&
      request.copyDatabase === null &&
      !request.publish &&
      !request.imConfig &&
      !request.testIm &&
      !databaseCommand &&
      request.sets.length === 0)
  ) {
    io.out(HELP);
    return request.help ? EXIT.ok : EXIT.usage;
  }
  const dataDir = request.dataDir ?? defaultDataDir(env);
  if (request.account || request.ouPermissions !== null || request.contacts !== null) {
    // Unreadable settings: the data folder's own users.sqlite (these commands need no other setting).
    const readable = settingsIfReadable(dataDir);
    const database = databaseLocation(dataDir, readable ?? DEFAULT_SETTINGS);
    const code = request.account
      ? await runAccountCommand(request, database, io)
      : await runDirectoryCommand(request, database, io);
    const wrote = request.account !== null || request.sees !== null;
    if (readable && wrote && code === EXIT.ok) await publishAfterCommand({ settings: readable, database, dataDir }, io);
    return code;
  }
  const logLines: string[] = [];
  let file;
  try {
    file = openSettingsFile(dataDir);
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    io.err(`${err.message}\n${err.hint}\n`);
    return EXIT.failed;
  }
  const services = createServices({
    file,
    vault: (file) => new EncryptedFileVault(file, cipher),
    transport: 'cli',
    dataDir,
    log: (l) => logLines.push(l),
  });
  const call = async (name: Parameters<typeof dispatch>[1], input: unknown) =>
    dispatch(services.handlers, name, input, (l) => io.err(`${l}\n`));
  const output: Record<string, unknown> = {};

  if (request.sets.length > 0) {
    const next: Record<string, unknown> = { ...services.settings.load() };
    const problems: string[] = [];
    for (const { key, value } of request.sets) {
      const known = SETTING_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      if (!known) {
        problems.push(`"${key}" is not a setting (keys: ${SETTING_KEYS.join(', ')}).`);
        continue;
      }
      const parsed = parseSettingValue(known, value);
      if (parsed.ok) next[known] = parsed.value;
      else problems.push(parsed.error);
    }
    if (problems.length > 0) {
      io.err(`Nothing was changed. ${problems.join(' ')}\n`);
      return EXIT.usage;
    }
    const saved = await call('settings.save', { settings: next as Settings, password: { action: 'keep' } });
    if (!saved.ok) {
      io.err(`Nothing was changed. ${saved.error.message}${saved.error.hint ? `\n${saved.error.hint}` : ''}\n`);
      return EXIT.usage;
    }
    const notices = (saved.value as { notices: string[] }).notices;
    if (request.json) output.saved = { notices };
    else io.out(`Settings saved in ${dataDir}.${notices.length ? `\n${notices.join('\n')}` : ''}\n`);
  }

  if (request.copyDatabase !== null)
    return runCopyDatabase(
      request,
      {
        dataDir,
        settings: services.settings.load(),
        pointAt: async (url) => {
          const settings = { ...services.settings.load(), database: url };
          const saved = await call('settings.save', { settings, password: { action: 'keep' } });
          return saved.ok ? null : saved.error.message;
        },
      },
      io,
    );

  if (request.show) {
    const view = await call('settings.get', {});
    if (!view.ok) throw new Error(view.error.message);
    if (request.json) output.show = view.value;
    else io.out(showText(view.value as SettingsView));
  }

  if (scheduleCommand && !request.service) {
    // These read the schedule's state or write a definition: no password is needed (nor read) here.
    // The password only tells /STATUS whether a refused one is still the one configured.
    let typed = env.ADCONSOLE_LDAP_PASSWORD || null;
    try {
      typed ??= request.passwordFile ? readPasswordFile(request.passwordFile) : null;
    } catch {
      // Unreadable: the status then names the refusal on record, whatever the password.
    }
    const context = {
      load: () => ({ settings: services.settings.load(), password: typed }),
      settingsFile: services.settings.file.path,
      database: databaseLocation(dataDir, services.settings.load()),
      dataDir,
    };
    if (request.installService) return runInstallService(request, context, io);
    if (request.runNow || request.resume) {
      const code = await runScheduleRequest(request, context, io);
      if (code !== EXIT.ok || !request.status) return code;
    }
    return runStatus(request, context, io);
  }

  // The lines name the password file; it is not read here (it may be readable only by the ejabberd user).
  if (request.imConfig)
    return runImConfig(
      request,
      { settings: services.settings.load(), database: databaseLocation(dataDir, services.settings.load()), dataDir },
      io,
    );
  let exit: number = EXIT.ok;
  let password: string | undefined;
  try {
    password =
      env.ADCONSOLE_LDAP_PASSWORD || (request.passwordFile ? readPasswordFile(request.passwordFile) : undefined);
  } catch (err) {
    io.err(`${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const settings = services.settings.load();
  const database = databaseLocation(dataDir, settings);
  const publishContext = { settings, database, dataDir };
  // Typed (environment, file) first; else one the desktop stored, which a plain-Node process can rarely open.
  password ??= services.vault.read(passwordTargetOf(settings)) ?? undefined;
  if (
    (request.test || request.ldap || request.extauth || request.service) &&
    !password &&
    settings.account === 'specified'
  ) {
    io.err(
      'bcscmd has no password: give it in the ADCONSOLE_LDAP_PASSWORD environment variable or with ' +
        '/PASSWORDFILE:<file> (the command line cannot open a password the desktop console sealed with the ' +
        "system's key store).\n",
    );
  }
  // Long-running modes read the settings and the password again when they change (ejabberd keeps its
  // extauth programs running; the service runs for months).
  const load = () => {
    const current = services.settings.load();
    const typed =
      env.ADCONSOLE_LDAP_PASSWORD || (request.passwordFile ? readPasswordFile(request.passwordFile) : undefined);
    return { settings: current, password: typed ?? services.vault.read(passwordTargetOf(current)) ?? null };
  };
  if (request.extauth) {
    return runExtauth(
      {
        load,
        watched: [services.settings.file.path, ...(request.passwordFile ? [request.passwordFile] : [])],
        dataDir,
      },
      { input: io.stdin ?? process.stdin, output: io.stdout ?? process.stdout, err: io.err },
    );
  }
  if (request.service)
    return runService(request, { load, settingsFile: services.settings.file.path, database, dataDir }, io);
  if (request.test) {
    const result = await call('connection.test', {
      settings,
      ...(password ? { password } : {}),
      retryRefused: request.yes,
    });
    if (!result.ok) {
      io.err(`${result.error.message}${result.error.hint ? `\n${result.error.hint}` : ''}\n`);
      return EXIT.failed;
    }
    const report = result.value as TestReport;
    // The users database this node uses: as much part of a working setup as the directory.
    const db = await call('database.test', { settings });
    if (!db.ok) throw new Error(db.error.message);
    const database = db.value as TestReport;
    if (request.json)
      Object.assign(output, {
        ok: report.ok && database.ok,
        steps: report.steps,
        summary: report.summary,
        database,
      });
    else io.out(`${testText(report)}\nUsers database:\n${testText(database)}`);
    if (!report.ok || !database.ok) exit = EXIT.failed;
  }
  if (request.testIm) {
    const result = await call('im.test', { settings });
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value as TestReport;
    if (request.json) Object.assign(output, { im: report });
    else io.out(testText(report));
    if (!report.ok) exit = EXIT.failed;
  }
  if (request.json && Object.keys(output).length > 0) io.out(`${JSON.stringify(output, null, 2)}\n`);
  if (exit === EXIT.ok && request.ldap) {
    exit = await runLdap(request, { settings, password: password ?? null, database }, io);
  }
  if (exit === EXIT.ok && request.lookup !== null) {
    exit = await runLookup(
      request.lookup,
      request.dryRun,
      request.json,
      { settings, password: password ?? null, database },
      io,
    );
  }
  // An import or an on-the-fly lookup that wrote: its changes reach the IM server before bcscmd exits.
  if (exit === EXIT.ok && !request.dryRun && (request.ldap || request.lookup !== null))
    await publishAfterCommand(publishContext, io);
  if (exit === EXIT.ok && request.publish) exit = await runPublish(request, publishContext, io);
  if (exit === EXIT.ok && databaseCommand) exit = await runDatabaseCommand(request, database, io);
  for (const line of logLines) io.err(`${line}\n`);
  return exit;
}
