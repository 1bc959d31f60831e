/** The accounts as the console and `bcscmd /USERS` show them. */
import type { SqlQueryable } from './engine/sql-engine.ts';
import { PERSON_FIELDS, type PersonColumn, type PersonFields } from '../../../shared/account-fields.ts';
import type { AccountView, DisabledBy } from '../../../shared/users-view.ts';
import { foldText } from '../../../shared/fold.ts';
import { orderKey } from '../../../shared/order-key.ts';
import { nameKey, OuTree } from './ou-tree.ts';

export type { AccountView, PersonFields } from '../../../shared/users-view.ts';

/** Logon names compare like OU names: case-insensitively, after Unicode normalisation. */
export const logonKey = nameKey;

export type AccountRow = { [C in PersonColumn]: string } & {
  id: number;
  logon_key: string;
  enabled: number;
  disabled_by: DisabledBy | null;
  kind: 'user' | 'computer';
  ou_id: number;
  origin: 'local' | 'ad';
  ad_guid: string | null;
  ad_dn: string | null;
  ad_usn: number | null;
  /** Local accounts only: `scrypt$…` (see accounts/local-password.ts). */
  password_hash: string | null;
  last_logon_at: string | null;
};

/**
 * What search and Find… look in, kept with each account (computing it per row at query time costs 250 ms at
 * 100 000 accounts): the logon name, the names, e-mail and department, each folded (shared/fold.ts) and
 * between separators that no typed text holds, so that Find… can ask for one field (SEARCH_SEGMENTS) and
 * a search never matches across two.
 */
export function searchTextOf(
  f: Pick<PersonFields, 'logon' | 'displayName' | 'firstName' | 'middleName' | 'lastName' | 'email' | 'department'>,
): string {
  const names = [f.displayName, f.firstName, f.middleName, f.lastName].map(foldText).join('\u001f');
  return `\u0001${foldText(f.logon)}\u0002${names}\u0003${foldText(f.email)}\u0004${foldText(f.department)}\u0005`;
}

type DerivedFrom = Parameters<typeof searchTextOf>[0];

/**
 * The columns computed from an account's person fields, written with them wherever an account is written:
 * the logon name's identity key, the search text, and the order keys the users view sorts names by.
 */
export const DERIVED_COLUMNS = ['logon_key', 'search_text', 'logon_order', 'name_order'] as const;

/** DERIVED_COLUMNS' values for these person fields, in that order. */
export const derivedValues = (f: DerivedFrom): string[] => [
  logonKey(f.logon),
  searchTextOf(f),
  orderKey(f.logon),
  orderKey(f.displayName),
];

/** DERIVED_COLUMNS with their values, for a statement that names its columns one by one. */
export const derivedColumns = (f: DerivedFrom): [string, string][] =>
  derivedValues(f).map((value, i) => [DERIVED_COLUMNS[i]!, value]);

/** Where each of Find…'s fields lies in the search text: between these two separators. */
export const SEARCH_SEGMENTS = {
  logon: ['\u0001', '\u0002'],
  name: ['\u0002', '\u0003'],
  email: ['\u0003', '\u0004'],
  department: ['\u0004', '\u0005'],
} as const;

/** A row's person fields, by the field table. */
export const personFieldsOfRow = (r: AccountRow): PersonFields =>
  Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, r[f.column]])) as PersonFields;

export const braced = (guid: string | null): string | null => (guid ? `{${guid}}` : null);

export async function listAccounts(q: SqlQueryable): Promise<AccountView[]> {
  const tree = await OuTree.read(q);
  const rows = await q.all<AccountRow>('SELECT * FROM accounts ORDER BY logon_key');
  return rows.map((r) => accountView(r, tree));
}

/** The row of the account with this logon name (compared case-insensitively). */
export function accountRow(q: SqlQueryable, logon: string): Promise<AccountRow | undefined> {
  return q.get<AccountRow>('SELECT * FROM accounts WHERE logon_key = ?', logonKey(logon));
}

/** The account with this logon name (compared case-insensitively), as /USERS shows it. */
export async function findAccount(q: SqlQueryable, logon: string): Promise<AccountView | null> {
  const row = await accountRow(q, logon);
  return row ? accountView(row, await OuTree.read(q)) : null;
}

export function accountView(r: AccountRow, tree: OuTree): AccountView {
  return {
    ...personFieldsOfRow(r),
    enabled: r.enabled === 1,
    kind: r.kind,
    ou: tree.path(r.ou_id),
    origin: r.origin,
    adGuid: braced(r.ad_guid),
  };
}
