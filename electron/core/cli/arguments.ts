/**
 * bcscmd's command line: Windows-style switches as in BCSCmd.exe (/TEST, /SET:key=value), case-insensitive,
 * with POSIX aliases (--test, --set key=value) for scripts on other systems.
 */
import { parseDn } from '../../../shared/dn.ts';
import type { EditableField } from '../../../shared/contract.ts';
import type { ImportMode } from '../../../shared/import-run.ts';

export interface CliRequest {
  help: boolean;
  show: boolean;
  test: boolean;
  json: boolean;
  dataDir: string | null;
  passwordFile: string | null;
  sets: { key: string; value: string }[];
  /** /LDAP and its options. */
  ldap: boolean;
  mode: ImportMode;
  dryRun: boolean;
  full: boolean;
  yes: boolean;
  ous: string[];
  groups: string[];
  users: boolean;
  history: boolean;
  report: number | null;
  csv: boolean;
  /** /LOOKUP:<name>: on-the-fly import of one logon name. */
  lookup: string | null;
  /** /OUPERMISSIONS:<server OU> [/SEES:<ou>;<ou>… | /SEES:*]: which OUs it sees in the IM network. */
  ouPermissions: string | null;
  sees: string[] | '*' | null;
  /** /CONTACTS:<logon>: the contact list that account's IM client receives. */
  contacts: string | null;
  /** /COPYDATABASE:<postgresql URL>: the data folder's users.sqlite copied there, and the folder pointed at it. */
  copyDatabase: string | null;
  /** /EXTAUTH: ejabberd's external authentication program. */
  extauth: boolean;
  /** /SERVICE: the scheduled sync, until stopped. */
  service: boolean;
  /** /STATUS: how the scheduled sync is doing. */
  status: boolean;
  /** /INSTALLSERVICE [/PRINT]: run /SERVICE at boot. */
  installService: boolean;
  print: boolean;
  /** /RUNAS:<account>: the account the installed service runs as (default: the one installing it). */
  runAs: string | null;
  /** /PUBLISH [/FULL]: publish the directory to the IM server now; /IMCONFIG: the ejabberd.yml lines it needs. */
  publish: boolean;
  imConfig: boolean;
  /** /TESTIM: Test IM server (the API, the host, each command's permission). */
  testIm: boolean;
  /** /RUNNOW [/YES]: ask the service to run at once; /RESUME: lift a pause. */
  runNow: boolean;
  resume: boolean;
  /** /WAIT:<seconds>: /LDAP queues this long behind a running sync. */
  waitSeconds: number;
  /**
   * One change on the server: a local account's (/ADDUSER, /SETPASSWORD, /DISABLE, /ENABLE, /DELETEUSER,
   * /MOVE; `logon` is its logon name) or a server OU's (/ADDOU, /RENAMEOU, /DELETEOU; `logon` is its path).
   */
  account: { action: AccountAction; logon: string } | null;
  /** /ADDUSER's details (and /RENAMEOU's new /NAME); `accountOu` is a server OU path (/ADDUSER, /MOVE, /SETUSER). */
  displayName: string;
  email: string;
  /** null: not given (/SETUSER leaves the account where it is). */
  accountOu: string | null;
  /** /SETUSER: the fields given (/NAME is the display name), and /RENAME's new logon name. */
  fields: Partial<Record<EditableField, string>>;
  rename: string | null;
}

export type AccountAction =
  'add' | 'edit' | 'set-password' | 'disable' | 'enable' | 'delete' | 'move' | 'add-ou' | 'rename-ou' | 'delete-ou';
const ACCOUNT_SWITCHES: Record<string, AccountAction> = {
  adduser: 'add',
  setuser: 'edit',
  setpassword: 'set-password',
  disable: 'disable',
  enable: 'enable',
  deleteuser: 'delete',
  move: 'move',
  addou: 'add-ou',
  renameou: 'rename-ou',
  deleteou: 'delete-ou',
};

export class UsageError extends Error {}

type Flag =
  | 'help'
  | 'show'
  | 'test'
  | 'json'
  | 'ldap'
  | 'dryRun'
  | 'full'
  | 'yes'
  | 'users'
  | 'history'
  | 'csv'
  | 'extauth'
  | 'service'
  | 'status'
  | 'installService'
  | 'print'
  | 'runNow'
  | 'resume'
  | 'publish'
  | 'imConfig'
  | 'testIm';
const FLAGS: Record<string, Flag> = {
  '?': 'help',
  help: 'help',
  h: 'help',
  show: 'show',
  test: 'test',
  json: 'json',
  ldap: 'ldap',
  dryrun: 'dryRun',
  'dry-run': 'dryRun',
  full: 'full',
  yes: 'yes',
  y: 'yes',
  users: 'users',
  history: 'history',
  csv: 'csv',
  extauth: 'extauth',
  service: 'service',
  status: 'status',
  installservice: 'installService',
  'install-service': 'installService',
  print: 'print',
  publish: 'publish',
  imconfig: 'imConfig',
  testim: 'testIm',
  runnow: 'runNow',
  'run-now': 'runNow',
  resume: 'resume',
};
type Valued =
  | 'data'
  | 'set'
  | 'passwordfile'
  | 'mode'
  | 'report'
  | 'ou'
  | 'group'
  | 'lookup'
  | 'account'
  | 'name'
  | 'email'
  | 'wait'
  | 'runas'
  | 'field'
  | 'rename'
  | 'oupermissions'
  | 'sees'
  | 'contacts'
  | 'copydatabase';
/** /SETUSER's switches for the person fields besides /NAME (display name) and /EMAIL. */
const FIELD_SWITCHES: Record<string, EditableField> = {
  firstname: 'firstName',
  middlename: 'middleName',
  lastname: 'lastName',
  department: 'department',
  title: 'title',
  phone: 'phone',
};
const VALUED: Record<string, Valued> = {
  adduser: 'account',
  setuser: 'account',
  ...Object.fromEntries(Object.keys(FIELD_SWITCHES).map((k) => [k, 'field' as const])),
  rename: 'rename',
  oupermissions: 'oupermissions',
  sees: 'sees',
  contacts: 'contacts',
  copydatabase: 'copydatabase',
  setpassword: 'account',
  disable: 'account',
  enable: 'account',
  deleteuser: 'account',
  move: 'account',
  addou: 'account',
  renameou: 'account',
  deleteou: 'account',
  name: 'name',
  email: 'email',
  data: 'data',
  set: 'set',
  passwordfile: 'passwordfile',
  'password-file': 'passwordfile',
  mode: 'mode',
  report: 'report',
  ou: 'ou',
  group: 'group',
  lookup: 'lookup',
  wait: 'wait',
  runas: 'runas',
};
const EXAMPLES = {
  set: '/SET:server=dc1.domain.com',
  data: '/DATA:C:\\ProgramData\\AD Console',
  passwordfile: '/PASSWORDFILE:C:\\secure\\ldap.txt',
  mode: '/MODE:sync',
  report: '/REPORT:12',
  ou: '/OU:OU=Sales,DC=domain,DC=com',
  group: '/GROUP:CN=Staff,OU=Groups,DC=domain,DC=com',
  lookup: '/LOOKUP:jsmith',
  account: '/ADDUSER:jsmith',
  name: '/NAME:"John Smith"',
  email: '/EMAIL:jsmith@domain.com',
  wait: '/WAIT:600',
  runas: '/RUNAS:adconsole',
  field: '/DEPARTMENT:Sales',
  rename: '/RENAME:frontdesk',
  oupermissions: '/OUPERMISSIONS:Staff/Sales',
  sees: '/SEES:Staff/Sales;HR (or /SEES:* for every OU)',
  contacts: '/CONTACTS:jsmith',
  copydatabase: '/COPYDATABASE:postgresql://adconsole@db.corp.example:5432/adconsole',
};
/** /WAIT's ceiling: a day. */
const MAX_WAIT_SECONDS = 86_400;
const MODES: ImportMode[] = ['sync', 'add', 'new'];
const ONLY_WITH_LDAP: Flag[] = ['dryRun', 'full', 'yes'];

export function parseCliArguments(argv: string[]): CliRequest {
  const request: CliRequest = {
    help: false,
    show: false,
    test: false,
    json: false,
    dataDir: null,
    passwordFile: null,
    sets: [],
    ldap: false,
    mode: 'sync',
    dryRun: false,
    full: false,
    yes: false,
    ous: [],
    groups: [],
    users: false,
    history: false,
    report: null,
    csv: false,
    lookup: null,
    ouPermissions: null,
    sees: null,
    contacts: null,
    copyDatabase: null,
    extauth: false,
    service: false,
    status: false,
    installService: false,
    print: false,
    runAs: null,
    runNow: false,
    publish: false,
    imConfig: false,
    testIm: false,
    resume: false,
    waitSeconds: 0,
    account: null,
    displayName: '',
    email: '',
    accountOu: '',
    fields: {},
    rename: null,
  };
  const ouValues: string[] = [];
  let modeGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^(?:\/|--?)([^:=]+)(?:[:=](.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`"${arg}" is not a switch. Switches start with / (or --); see bcscmd /?.`);
    const name = match[1]!.toLowerCase();
    let value = match[2];
    if (FLAGS[name]) {
      if (value !== undefined) throw new UsageError(`/${name.toUpperCase()} takes no value.`);
      request[FLAGS[name]] = true;
      continue;
    }
    const valued = VALUED[name];
    if (!valued) throw new UsageError(`Unknown switch "${arg}"; see bcscmd /? for the list.`);
    // POSIX form: the value may be the next argument (--set key=value, --data dir).
    if (value === undefined && arg.startsWith('--') && i + 1 < argv.length) value = argv[++i];
    if (value === undefined || value === '')
      throw new UsageError(`/${name.toUpperCase()} needs a value, e.g. ${EXAMPLES[valued]}.`);
    if (valued === 'data') request.dataDir = value;
    else if (valued === 'lookup') request.lookup = value;
    else if (valued === 'oupermissions') request.ouPermissions = value;
    else if (valued === 'contacts') request.contacts = value;
    else if (valued === 'copydatabase') request.copyDatabase = value;
    else if (valued === 'sees')
      request.sees =
        value.trim() === '*'
          ? '*'
          : value
              .split(';')
              .map((p) => p.trim())
              .filter(Boolean);
    else if (valued === 'runas') {
      if (/[\s"'\\/:]/.test(value.trim()) && !/^[^\s"']+\\[^\s"'\\]+$/.test(value.trim()))
        throw new UsageError(`/RUNAS takes an account name such as adconsole or CORP\\svc-im, not "${value}".`);
      request.runAs = value.trim();
    } else if (valued === 'wait') {
      if (!/^\d{1,6}$/.test(value.trim()) || Number(value.trim()) > MAX_WAIT_SECONDS)
        throw new UsageError(`/WAIT takes seconds, 0 to ${MAX_WAIT_SECONDS}, not "${value}".`);
      request.waitSeconds = Number(value.trim());
    } else if (valued === 'account') {
      if (request.account) throw new UsageError('Give one account change at a time.');
      request.account = { action: ACCOUNT_SWITCHES[name]!, logon: value };
    } else if (valued === 'name') request.displayName = request.fields.displayName = value;
    else if (valued === 'email') request.email = request.fields.email = value;
    else if (valued === 'field') request.fields[FIELD_SWITCHES[name]!] = value;
    else if (valued === 'rename') request.rename = value;
    else if (valued === 'ou') ouValues.push(value.trim());
    else if (valued === 'passwordfile') request.passwordFile = value;
    else if (valued === 'mode') {
      const mode = MODES.find((m) => m === value.trim().toLowerCase());
      if (!mode) throw new UsageError(`/MODE takes sync, add or new, not "${value}".`);
      request.mode = mode;
      modeGiven = true;
    } else if (valued === 'report') {
      if (!/^\d{1,15}$/.test(value.trim()))
        throw new UsageError(`/REPORT needs a run number from bcscmd /HISTORY, not "${value}".`);
      request.report = Number(value.trim());
    } else if (valued === 'group') {
      const dn = parseDn(value.trim());
      if (!dn.ok || dn.rdns.length === 0)
        throw new UsageError(
          `/${name.toUpperCase()} needs a distinguished name such as ` +
            `${EXAMPLES[valued].slice(valued.length + 2)}${dn.ok ? '' : ` (${dn.error})`}.`,
        );
      request.groups.push(value.trim());
    } else {
      const eq = value.indexOf('=');
      if (eq <= 0) throw new UsageError(`/SET needs key=value, not "${value}".`);
      request.sets.push({ key: value.slice(0, eq).trim(), value: value.slice(eq + 1) });
    }
  }
  const edits = Object.keys(request.fields).filter((k) => k !== 'displayName' && k !== 'email');
  if ((edits.length || request.rename) && request.account?.action !== 'edit')
    throw new UsageError(
      `/${request.rename ? 'RENAME' : edits[0]!.toUpperCase()} works with /SETUSER:<logon>, e.g. /SETUSER:kiosk ` +
        '/DEPARTMENT:Reception.',
    );
  if (
    request.account?.action === 'edit' &&
    Object.keys(request.fields).length === 0 &&
    !request.rename &&
    ouValues.length === 0
  )
    throw new UsageError(
      '/SETUSER needs something to change: /NAME, /FIRSTNAME, /MIDDLENAME, /LASTNAME, /EMAIL, /DEPARTMENT, /TITLE, ' +
        '/PHONE, /OU or /RENAME.',
    );
  if (request.sees !== null && request.ouPermissions === null)
    throw new UsageError('/SEES works with /OUPERMISSIONS:<server OU>, e.g. /OUPERMISSIONS:Staff /SEES:Staff;HR.');
  // With /ADDUSER, /MOVE and /SETUSER, /OU is where on the server the account goes; with /LDAP, a directory OU.
  const action = request.account?.action;
  if (action === 'add' || action === 'move' || action === 'edit') {
    const which = action === 'add' ? '/ADDUSER' : action === 'move' ? '/MOVE' : '/SETUSER';
    if (ouValues.length > 1)
      throw new UsageError(`${which} takes one /OU (a server OU path such as Staff/Contractors).`);
    if (which === '/MOVE' && ouValues.length === 0)
      throw new UsageError('/MOVE needs /OU:<server OU path>, e.g. /MOVE:kiosk /OU:Lobby.');
    request.accountOu = ouValues[0] ?? (action === 'edit' ? null : '');
  } else
    for (const value of ouValues) {
      const dn = parseDn(value);
      if (!dn.ok || dn.rdns.length === 0)
        throw new UsageError(
          `/OU needs a distinguished name such as ${EXAMPLES.ou.slice(4)}${dn.ok ? '' : ` (${dn.error})`}.`,
        );
      request.ous.push(value);
    }
  if (request.account?.action === 'rename-ou') {
    if (!request.displayName)
      throw new UsageError('/RENAMEOU needs the new name: /RENAMEOU:Staff/Temps /NAME:Contractors.');
    if (request.email) throw new UsageError('/EMAIL works with /ADDUSER.');
  } else if ((request.displayName || request.email) && action !== 'add' && action !== 'edit')
    throw new UsageError('/NAME and /EMAIL work with /ADDUSER and /SETUSER.');
  // /DRYRUN also shows what /LOOKUP would import; /YES also sends /TEST a password a DC refused before.
  const importOptions = [
    ...ONLY_WITH_LDAP.filter(
      (f) =>
        request[f] &&
        !(f === 'dryRun' && request.lookup !== null) &&
        !(f === 'full' && request.publish) &&
        !(f === 'yes' && (request.runNow || request.test)),
    ).map((f) => `/${f.toUpperCase()}`),
    ...(modeGiven ? ['/MODE'] : []),
    ...(request.ous.length ? ['/OU'] : []),
    ...(request.groups.length ? ['/GROUP'] : []),
  ];
  if (request.ldap && request.lookup !== null) throw new UsageError('Choose /LDAP or /LOOKUP, not both.');
  if (request.waitSeconds > 0 && !request.ldap) throw new UsageError('/WAIT works with /LDAP.');
  if ((request.print || request.runAs) && !request.installService)
    throw new UsageError(`${request.print ? '/PRINT' : '/RUNAS'} works with /INSTALLSERVICE.`);
  const alone = (['service', 'installService', 'extauth'] as const).filter((f) => request[f]);
  if (alone.length > 1 || (alone.length === 1 && (request.ldap || request.test || request.lookup !== null)))
    throw new UsageError(`/${alone[0]!.toUpperCase()} runs on its own: give it without /LDAP, /TEST or /LOOKUP.`);
  if (!request.ldap && importOptions.length > 0)
    throw new UsageError(`${importOptions.join(', ')} only work${importOptions.length === 1 ? 's' : ''} with /LDAP.`);
  if (request.csv && request.report === null) throw new UsageError('/CSV works with /REPORT:<run>.');
  if (request.csv && request.json) throw new UsageError('Choose /CSV or /JSON, not both.');
  return request;
}

export const HELP = `bcscmd — AD Console command line

Usage: bcscmd [/DATA:<folder>] [/SET:<key>=<value> ...] [/SHOW] [/TEST] [/JSON] [/PASSWORDFILE:<file>]
       bcscmd /LDAP [/MODE:sync|add|new] [/DRYRUN] [/FULL] [/YES] [/OU:<dn>] [/GROUP:<dn>] [/WAIT:<s>] [/JSON]
       bcscmd /SERVICE [/PASSWORDFILE:<file>] | /STATUS [/JSON] | /RUNNOW [/YES] | /RESUME
       bcscmd /INSTALLSERVICE [/PRINT] [/RUNAS:<account>] [/PASSWORDFILE:<file>]
       bcscmd /USERS [/JSON] | /HISTORY [/JSON] | /REPORT:<run> [/CSV | /JSON]
       bcscmd /LOOKUP:<name> [/DRYRUN] [/JSON]
       bcscmd /EXTAUTH [/PASSWORDFILE:<file>]
       bcscmd /ADDUSER:<logon> [/OU:<server OU path>] [/NAME:"First Last"] [/EMAIL:<address>]
       bcscmd /SETPASSWORD:<logon> [/PASSWORDFILE:<file>] | /DISABLE:<logon> | /ENABLE:<logon>
       bcscmd /DELETEUSER:<logon> | /MOVE:<logon> /OU:<server OU path>
       bcscmd /ADDOU:<server OU path> | /RENAMEOU:<server OU path> /NAME:<new name> | /DELETEOU:<server OU path>
       bcscmd /OUPERMISSIONS:<server OU path> [/SEES:<ou path>;…|*] | /CONTACTS:<logon> [/JSON]
       bcscmd /COPYDATABASE:<postgresql URL> [/JSON]
       bcscmd /PUBLISH [/FULL] [/JSON] | /IMCONFIG [/PASSWORDFILE:<file>] | /TESTIM [/JSON]

  /DATA:<folder>        Data folder with the settings (default: the desktop console's own folder,
                        or the ADCONSOLE_DATA_DIR environment variable).
  /SET:<key>=<value>    Change a setting (repeatable). All values are checked first: one invalid value
                        changes nothing. Keys: autoImport, account (current|specified), login, ouPath,
                        server, port, security (ldaps|starttls|none), caFile, connectTimeout, timeout,
                        pageSize, importComputers, parseMiddleName, placement (recreate|single),
                        placementOu, importDisabled, fullSyncEvery, disableLimitPercent,
                        disableLimitCount, notFoundCacheSeconds, imDomains, logonFailureCap,
                        importSource, syncEveryMinutes, fullSyncAt, imApi, imApiTokenFile,
                        companyName, database (empty = users.sqlite in the data folder, or
                        postgresql://user@host:port/dbname), databasePasswordFile.
  /SHOW                 Print the settings (never the password).
  /TEST                 Test the connection to Active Directory, step by step. A password a domain
                        controller refused is not sent again (by any process) until it changes; /TEST
                        /YES sends it once more (as the console's Test connection button does).
  /LDAP                 Import accounts from Active Directory into the users database. Modes:
                          sync (default) create new accounts, update changed ones, disable those
                                         disabled in AD or gone from the source; never deletes,
                                         never touches local accounts; incremental when it can
                          add            only create accounts missing from the database
                          new            back the database up, then replace it with the import
  /DRYRUN               Show every planned action (or the /LOOKUP result) without changing anything.
  /FULL                 Read every account even if an incremental sync would do.
  /YES                  Go ahead although the run would disable more accounts than the limit
                        (disableLimitPercent / disableLimitCount) or the directory returned none.
  /OU:<dn> /GROUP:<dn>  Import from these OUs (with sub-OUs) and/or group members (nested groups
                        included) instead of the saved import source (importSource: what the
                        wizard last applied; empty = the OU container path); repeatable.
  /WAIT:<seconds>       When another sync of this database runs (the service, the wizard, another
                        /LDAP), wait up to this long for it (default 0), else exit 4.
  /SERVICE              Run the scheduled sync until stopped (SIGTERM, Ctrl+C): every syncEveryMinutes
                        (default 30; 0 = off) an incremental sync of the saved import source, a full
                        pass every fullSyncEvery runs and daily at fullSyncAt (default 03:00). Failures
                        are retried with back-off; a run stopped by the safety limit waits for /LDAP
                        /YES or the console; a settings change of what it imports pauses it until
                        previewed (/LDAP /DRYRUN, the wizard) or /RESUME. One per data folder.
  /STATUS               How the scheduled sync is doing. Exit 0 healthy (or the schedule is off),
                        1 failing, waiting for confirmation, paused, or the service account's password
                        refused by a DC (not sent again until it changes), 3 no service has checked in
                        for two intervals.
  /RUNNOW               Ask the service to sync at once (with /YES: past the safety limit); it also
                        resumes a paused schedule.
  /RESUME               Lift a pause: the schedule runs with the settings as they are now.
  /INSTALLSERVICE       Write what runs /SERVICE at boot (Linux: a systemd unit in /etc/systemd/system;
                        Windows: a Task Scheduler XML in the data folder) and print the command that
                        enables it; with /PRINT only print it. /RUNAS:<account> runs it as that
                        account (default: the one installing it).
  /LOOKUP:<name>        What the communication server does with an unknown logon (name, DOMAIN\name or
                        name@domain): found in the users database, else (with autoImport on) looked up
                        in Active Directory within the OU path and imported. With /DRYRUN: what would be
                        imported, without importing (autoImport need not be on). Exit 0 when the account
                        is in the database or was imported, 1 when not found or the directory is
                        unavailable (the reason is printed).
  /EXTAUTH              Run as ejabberd's external authentication program (auth_method: external):
                        framed requests on stdin, answers on stdout, one line per decision in
                        logon.log in the data folder. See the README, "Connecting ejabberd".
  /ADDUSER:<logon>      Add a local account (not from AD) to the users database, enabled, in the
                        server OU /OU:<path> (default _Default), with /NAME and /EMAIL.
  /SETUSER:<logon>      Change a local account: /NAME (display name), /FIRSTNAME, /MIDDLENAME, /LASTNAME,
                        /EMAIL, /DEPARTMENT, /TITLE, /PHONE, /OU:<existing server OU>, /RENAME:<new logon
                        name> (not one another account has). One change in the history; AD accounts are
                        changed in AD.
  /SETPASSWORD:<logon>  Set a local account's IM password: read from the first line of /PASSWORDFILE
                        or of stdin, never from the command line. AD accounts' passwords live in AD.
  /DISABLE:<logon> /ENABLE:<logon> /DELETEUSER:<logon>
                        Disable, enable or delete a local account. AD accounts are changed in AD: the
                        next sync brings the change in.
  /MOVE:<logon>         Move a local account into the existing server OU /OU:<path>.
  /ADDOU:<path> /RENAMEOU:<path> /NAME:<new name> /DELETEOU:<path>
                        Create a server OU (and missing parents), rename one (not one that holds AD
                        accounts: sync places those), delete an empty one. _Default stays.
  /OUPERMISSIONS:<ou>   Which server OUs the users of this server OU see (and message) in the IM network.
                        With /SEES:<ou>;<ou>… it sees those OUs (each with the OUs below it), /SEES:* every
                        OU. Two-way: the OUs it sees see it. Unknown OUs are refused; nothing changes then.
  /CONTACTS:<logon>     The contact list that account's IM client receives: groups (server OUs) with their
                        members' logon and display names, from the users database.
  /COPYDATABASE:<url>   Copy this data folder's users.sqlite (accounts, OUs, permissions, runs and their
                        reports, sync marks, local passwords, photos, what was published) into an empty
                        PostgreSQL database, postgresql://user@host:port/dbname, in one transaction,
                        check the counts, then point the data folder at it (the setting database). The
                        password: PGPASSWORD, ~/.pgpass or /SET:databasePasswordFile first. The file
                        stays as it was. Refuses a database that is not empty.
  /PUBLISH              Publish the directory to the IM server now (imApi): server OUs as shared roster
                        groups with the OUs they see, enabled accounts as members, vCards. Only what
                        changed since the last publish; /FULL reads back what ejabberd holds and repairs
                        it. Exit 0 published (or another process is publishing: it sends this too),
                        1 failed (what went out is kept; the rest goes next time).
  /IMCONFIG             Print the ejabberd.yml lines this data folder needs (the extauth program, AD
                        Console's API listener and its api_permissions, the modules).
  /TESTIM               Test the IM server's API step by step: it answers, ejabberd serves the IM host,
                        every command publishing uses is allowed. Exit 0 ok, 1 a step failed.
  /USERS                List the accounts in the users database.
  /HISTORY              List past import runs.
  /REPORT:<run>         Every action of one run (with /CSV as CSV).
  /JSON                 Print machine-readable JSON instead of text.
  /PASSWORDFILE:<file>  Read the LDAP password (with /SETPASSWORD: the new password) from the first line
                        of this file.
  /?                    This help.

The password comes from the ADCONSOLE_LDAP_PASSWORD environment variable, /PASSWORDFILE, or the one the
console stored for the same login ID and server. POSIX forms work too: --test, --set key=value, --data dir.

Exit codes: 0 success, 1 the operation failed (an import changed nothing), 2 usage or invalid input,
3 an import stopped by the safety limit (nothing changed; see /DRYRUN, confirm with /YES), 4 another
sync of this database is running (see /WAIT). /STATUS has its own (above).
`;
