/** What the console's users view shows: the server's OU tree with counts, and pages of accounts. */
import type { PersonFields } from './account-fields.ts';
import type { Counts, HistoryStatus } from './import-run.ts';

export type { PersonFields };

/** An account as `bcscmd /USERS /JSON` and lookups show it. */
export interface AccountView extends PersonFields {
  enabled: boolean;
  kind: 'user' | 'computer';
  ou: string;
  origin: 'local' | 'ad';
  /** `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, the form Windows tools show. */
  adGuid: string | null;
}

export interface OuNode {
  id: number;
  parentId: number | null;
  name: string;
  /** Accounts directly in this OU. */
  own: number;
  /** Accounts in this OU and every OU below it. */
  total: number;
  /** Of those, the accounts from Active Directory (such an OU is not renamed here: sync places them). */
  fromAd: number;
}

export interface RunSummary {
  id: number;
  mode: string;
  source: string;
  startedBy: string;
  status: HistoryStatus;
  startedAt: string;
  /** null while it runs. */
  finishedAt: string | null;
  counts: Counts;
  error: string | null;
  backup: string | null;
  host: string | null;
  pid: number | null;
}

export interface UsersOverview {
  ous: OuNode[];
  totals: { accounts: number; enabled: number; disabled: number; fromAd: number; local: number };
  lastRun: RunSummary | null;
  databaseFile: string;
}

export const SORT_COLUMNS = [
  'logon',
  'displayName',
  'email',
  'department',
  'enabled',
  'origin',
  'kind',
  'ou',
  'title',
  'phone',
  'lastLogonAt',
  'syncedAt',
  'adDn',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Find… (Ctrl+F): every filled-in field must match (text anywhere in the field, any case). */
export interface AccountFind {
  logon: string;
  /** Display, first or last name. */
  name: string;
  email: string;
  department: string;
  /** An OU's name (the account's own OU). */
  ou: string;
  origin: 'any' | 'ad' | 'local';
  enabled: 'any' | 'yes' | 'no';
}

export const EMPTY_FIND: AccountFind = {
  logon: '',
  name: '',
  email: '',
  department: '',
  ou: '',
  origin: 'any',
  enabled: 'any',
};

export interface AccountsQuery {
  /** null = every account. */
  ouId: number | null;
  /** Include the accounts of the OUs below the selected one. */
  recursive: boolean;
  search: string;
  /** Find…'s fields, on top of the search. */
  find?: AccountFind;
  sort: SortColumn;
  descending: boolean;
  offset: number;
  limit: number;
}

/**
 * Why a disabled account is disabled: in Active Directory ('ad'), by a full sync that no longer found it in the
 * import source ('sync'), or by an administrator in the console ('admin').
 */
export type DisabledBy = 'ad' | 'sync' | 'admin';
export const DISABLED_WORDS: Record<DisabledBy, string> = {
  ad: 'disabled in Active Directory',
  sync: 'disabled by a sync: no longer in the import source',
  admin: 'disabled by an administrator',
};

/** An account as the users view shows it: the /USERS fields and where it came from and when. */
export interface AccountRecord extends AccountView {
  id: number;
  disabledBy: DisabledBy | null;
  adDn: string | null;
  syncedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The last logon through the IM server (bcscmd /EXTAUTH), or null. */
  lastLogonAt: string | null;
  /** Local accounts: whether a password is set (never the password or its hash). */
  hasPassword: boolean;
  /** A photo was read from AD (thumbnailPhoto): `accounts.photo` gives it. */
  hasPhoto: boolean;
}

/** One line of an account's history: what a run (import, sync, administrator's change) did to it. */
export interface AccountHistoryLine {
  runId: number;
  mode: string;
  startedBy: string;
  at: string;
  action: string;
  /** JSON of the fields an update changed (old → new), or null. */
  changes: string | null;
  reason: string | null;
}

export interface AccountsPage {
  total: number;
  offset: number;
  rows: AccountRecord[];
}
