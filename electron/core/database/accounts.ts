/** The accounts as the console and `bcscmd /USERS` show them. */
import type { DatabaseSync } from 'node:sqlite';
import { PERSON_FIELDS, type PersonColumn, type PersonFields } from '../../../shared/account-fields.ts';
import type { AccountView, DisabledBy } from '../../../shared/users-view.ts';
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

/** A row's person fields, by the field table. */
export const personFieldsOfRow = (r: AccountRow): PersonFields =>
  Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, r[f.column]])) as PersonFields;

export const braced = (guid: string | null): string | null => (guid ? `{${guid}}` : null);

export function listAccounts(db: DatabaseSync): AccountView[] {
  const tree = new OuTree(db);
  const rows = db.prepare('SELECT * FROM accounts ORDER BY logon_key').all() as unknown as AccountRow[];
  return rows.map((r) => accountView(r, tree));
}

/** The account with this logon name (compared case-insensitively), as /USERS shows it. */
export function findAccount(db: DatabaseSync, logon: string): AccountView | null {
  const row = db.prepare('SELECT * FROM accounts WHERE logon_key = ?').get(logonKey(logon)) as AccountRow | undefined;
  return row ? accountView(row, new OuTree(db)) : null;
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
