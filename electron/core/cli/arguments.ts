/**
 * bcscmd's command line: Windows-style switches as in BCSCmd.exe (/TEST, /SET:key=value), case-insensitive,
 * with POSIX aliases (--test, --set key=value) for scripts on other systems.
 */
export interface CliRequest {
  help: boolean;
  show: boolean;
  test: boolean;
  json: boolean;
  dataDir: string | null;
  passwordFile: string | null;
  sets: { key: string; value: string }[];
}

export class UsageError extends Error {}

const FLAGS: Record<string, 'help' | 'show' | 'test' | 'json'> = { '?': 'help', help: 'help', h: 'help', show: 'show', test: 'test', json: 'json' };
const VALUED: Record<string, 'data' | 'set' | 'passwordfile'> = { data: 'data', set: 'set', passwordfile: 'passwordfile', 'password-file': 'passwordfile' };
const NOT_YET: Record<string, string> = {
  ldap: '/LDAP (synchronise the users database with Active Directory) arrives with the users database; it is not in this build yet.',
};

export function parseCliArguments(argv: string[]): CliRequest {
  const request: CliRequest = { help: false, show: false, test: false, json: false, dataDir: null, passwordFile: null, sets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^(?:\/|--?)([^:=]+)(?:[:=](.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`"${arg}" is not a switch. Switches start with / (or --); see bcscmd /?.`);
    const name = match[1]!.toLowerCase();
    let value = match[2];
    if (NOT_YET[name]) throw new UsageError(NOT_YET[name]);
    if (FLAGS[name]) {
      if (value !== undefined) throw new UsageError(`/${name.toUpperCase()} takes no value.`);
      request[FLAGS[name]] = true;
      continue;
    }
    const valued = VALUED[name];
    if (!valued) throw new UsageError(`Unknown switch "${arg}"; see bcscmd /? for the list.`);
    // POSIX form: the value may be the next argument (--set key=value, --data dir).
    if (value === undefined && arg.startsWith('--') && i + 1 < argv.length) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`/${name.toUpperCase()} needs a value, e.g. ${valued === 'set' ? '/SET:server=dc1.domain.com' : valued === 'data' ? '/DATA:C:\\ProgramData\\AD Console' : '/PASSWORDFILE:C:\\secure\\ldap.txt'}.`);
    if (valued === 'data') request.dataDir = value;
    else if (valued === 'passwordfile') request.passwordFile = value;
    else {
      const eq = value.indexOf('=');
      if (eq <= 0) throw new UsageError(`/SET needs key=value, not "${value}".`);
      request.sets.push({ key: value.slice(0, eq).trim(), value: value.slice(eq + 1) });
    }
  }
  return request;
}

export const HELP = `bcscmd — AD Console command line

Usage: bcscmd [/DATA:<folder>] [/SET:<key>=<value> ...] [/SHOW] [/TEST] [/JSON] [/PASSWORDFILE:<file>]

  /DATA:<folder>        Data folder with the settings (default: the desktop console's own folder,
                        or the ADCONSOLE_DATA_DIR environment variable).
  /SET:<key>=<value>    Change a setting (repeatable). All values are checked first: one invalid value
                        changes nothing. Keys: autoImport, account (current|specified), login, ouPath,
                        server, port, security (ldaps|starttls|none), caFile, connectTimeout, timeout,
                        pageSize, importComputers, parseMiddleName.
  /SHOW                 Print the settings (never the password).
  /TEST                 Test the connection to Active Directory, step by step.
  /JSON                 Print machine-readable JSON instead of text.
  /PASSWORDFILE:<file>  Read the LDAP password from the first line of this file.
  /?                    This help.

The password comes from the ADCONSOLE_LDAP_PASSWORD environment variable, /PASSWORDFILE, or the one the
console stored for the same login ID and server. POSIX forms work too: --test, --set key=value, --data dir.

Exit codes: 0 success, 1 the operation failed, 2 usage or invalid input.
`;
