/** What on-the-fly import answers for a logon name (`bcscmd /LOOKUP`, the dialog's Test lookup). */
import type { AccountView } from './users-view.ts';

export type LookupResult =
  /** In the users database already (the directory was not asked). */
  | { result: 'local'; account: AccountView }
  /** Found in AD and imported — or, in a dry run, what would be imported. */
  | { result: 'imported'; account: AccountView; dn: string; runId: number | null; dryRun: boolean }
  | { result: 'not-found'; reason: string }
  /** The directory could not be asked (down, refused the bind, timed out): the logon is refused for now. */
  | { result: 'unavailable'; reason: string };
