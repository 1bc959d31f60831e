/**
 * The packaged app doubles as bcscmd: `"AD Console.exe" /LDAP` runs the command headless in the main
 * process (where safeStorage can open the stored password) and exits with bcscmd's code. Pure, so the
 * decision is unit-tested without Electron.
 */

/** A Windows-style switch (/LDAP, /TEST, /?) marks a command line; Chromium's own --switches do not. */
const WINDOWS_SWITCH = /^\/(\?|[a-z][a-z-]*)(?:[:=].*)?$/is;

/** bcscmd's arguments when this start is a command line, else null. `defaultApp`: run as `electron .` (dev). */
export function bcscmdArgumentsOf(argv: readonly string[], defaultApp: boolean): string[] | null {
  const args = argv.slice(defaultApp ? 2 : 1);
  if (args[0] === '--bcscmd') return args.slice(1);
  return args.some((a) => WINDOWS_SWITCH.test(a)) ? [...args] : null;
}
