/**
 * Evaluated before the rest of bcscmd is loaded (main.ts, the entry, imports it first): `/LDAP` starts its import
 * thread now, so that the thread loads while the main thread loads the rest. A peek, not the parse: a thread
 * started for arguments that turn out invalid is never taken, and does not keep the process alive.
 */
import { startImportThreadAhead } from '../import/import-thread.ts';

if (process.argv.slice(2).some((arg) => /^(?:\/|--?)ldap$/i.test(arg))) startImportThreadAhead();
