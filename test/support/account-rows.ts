/**
 * Accounts and server OUs written with plain SQL through the engine seam, so that the same rows go into a SQLite
 * file and a PostgreSQL database (the product's own writers still run on SQLite only).
 */
import { DERIVED_COLUMNS, derivedValues } from '../../electron/core/database/accounts.ts';
import type { SqlQueryable } from '../../electron/core/database/engine/sql-engine.ts';
import { nameKey } from '../../electron/core/database/ou-tree.ts';

export interface AccountSpec {
  logon: string;
  ouId: number;
  displayName?: string;
  email?: string;
  department?: string;
  enabled?: boolean;
  /** An AD account gets an objectGUID; a local one none. */
  origin?: 'ad' | 'local';
  guid?: string;
}

/** An account as an import or the console leaves it, with its search text. */
export async function insertAccount(q: SqlQueryable, a: AccountSpec): Promise<void> {
  const now = new Date().toISOString();
  const origin = a.origin ?? 'local';
  const [displayName, email, department] = [a.displayName ?? '', a.email ?? '', a.department ?? ''];
  await q.run(
    'INSERT INTO accounts (logon, display_name, email, department, enabled, kind, ou_id, origin, ad_guid, ' +
      `created_at, updated_at, ${DERIVED_COLUMNS.join(', ')}) ` +
      "VALUES (?, ?, ?, ?, ?, 'user', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    a.logon,
    displayName,
    email,
    department,
    a.enabled === false ? 0 : 1,
    a.ouId,
    origin,
    origin === 'ad' ? (a.guid ?? null) : null,
    now,
    now,
    ...derivedValues({ logon: a.logon, displayName, firstName: '', middleName: '', lastName: '', email, department }),
  );
}

/** A server OU below `parent` (null: top level); `seesAll` 0 for an OU that sees only what ou_visibility pairs. */
export async function insertOu(q: SqlQueryable, parent: number | null, name: string, seesAll = 1): Promise<number> {
  return (await q.get<{ id: number }>(
    'INSERT INTO ous (parent_id, name, name_key, created_at, sees_all) VALUES (?, ?, ?, ?, ?) RETURNING id',
    parent,
    name,
    nameKey(name),
    new Date().toISOString(),
    seesAll,
  ))!.id;
}
