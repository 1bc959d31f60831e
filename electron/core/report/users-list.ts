/** Export List…: the accounts of the users view as CSV, with the fields (and names) of bcscmd /USERS /JSON. */
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { AccountView } from '../../../shared/users-view.ts';
import { csvLine } from './csv.ts';

/** The person fields from the one field table, then where the account lives and where it came from. */
export const LIST_COLUMNS: (keyof AccountView)[] = [
  ...PERSON_FIELDS.map((f) => f.key),
  'enabled',
  'kind',
  'ou',
  'origin',
  'adGuid',
];

export function* usersListCsv(accounts: Iterable<AccountView>): Generator<string> {
  yield csvLine(LIST_COLUMNS);
  for (const a of accounts) yield csvLine(LIST_COLUMNS.map((c) => (typeof a[c] === 'boolean' ? String(a[c]) : a[c])));
}
