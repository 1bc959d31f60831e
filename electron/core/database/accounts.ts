/** The accounts as the console and `bcscmd /USERS` show them. */
import type { DatabaseSync } from 'node:sqlite';
import { nameKey, OuTree } from './ou-tree.ts';

/** Logon names compare like OU names: case-insensitively, after Unicode normalisation. */
export const logonKey = nameKey;

export interface AccountRow {
  id: number;
  logon: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  display_name: string;
  email: string;
  department: string;
  title: string;
  phone: string;
  enabled: number;
  disabled_by: 'admin' | 'sync' | null;
  kind: 'user' | 'computer';
  ou_id: number;
  origin: 'local' | 'ad';
  ad_guid: string | null;
  ad_dn: string | null;
  ad_usn: number | null;
}

/** The person fields an account has, whether typed locally or read from AD. */
export interface PersonFields {
  logon: string;
  firstName: string;
  middleName: string;
  lastName: string;
  displayName: string;
  email: string;
  department: string;
  title: string;
  phone: string;
}

export interface AccountView extends PersonFields {
  enabled: boolean;
  kind: 'user' | 'computer';
  ou: string;
  origin: 'local' | 'ad';
  /** `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, the form Windows tools show. */
  adGuid: string | null;
}

export const braced = (guid: string | null): string | null => (guid ? `{${guid}}` : null);

export function listAccounts(db: DatabaseSync): AccountView[] {
  const tree = new OuTree(db);
  const rows = db.prepare('SELECT * FROM accounts ORDER BY logon_key').all() as unknown as AccountRow[];
  return rows.map((r) => ({
    logon: r.logon,
    firstName: r.first_name,
    middleName: r.middle_name,
    lastName: r.last_name,
    displayName: r.display_name,
    email: r.email,
    department: r.department,
    title: r.title,
    phone: r.phone,
    enabled: r.enabled === 1,
    kind: r.kind,
    ou: tree.path(r.ou_id),
    origin: r.origin,
    adGuid: braced(r.ad_guid),
  }));
}
