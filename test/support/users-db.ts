/** Looking into a users database file the way an auditor would: its content, and local accounts put in by hand. */
import { DatabaseSync } from 'node:sqlite';
import { DERIVED_COLUMNS, derivedValues } from '../../electron/core/database/accounts.ts';

export { DERIVED_COLUMNS };
import type { ImportRequest } from '../../electron/core/import/import-engine.ts';
import type { SqlQueryable } from '../../electron/core/database/engine/sql-engine.ts';

/** Everything that makes up the users database's content (accounts, OUs, incremental marks), in a stable order. */
export function databaseContent(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = (sql: string) => db.prepare(sql).all();
    return JSON.stringify({
      accounts: rows('SELECT * FROM accounts ORDER BY id'),
      ous: rows('SELECT * FROM ous ORDER BY id'),
      marks: rows('SELECT * FROM sync_marks ORDER BY source_key'),
      actions: rows('SELECT * FROM run_actions ORDER BY run_id, seq'),
    });
  } finally {
    db.close();
  }
}

/** The same content read through the engine seam, so that a suite compares it on both engines. */
export async function contentOf(q: SqlQueryable): Promise<string> {
  return JSON.stringify({
    accounts: await q.all('SELECT * FROM accounts ORDER BY id'),
    ous: await q.all('SELECT * FROM ous ORDER BY id'),
    marks: await q.all('SELECT * FROM sync_marks ORDER BY source_key'),
    actions: await q.all('SELECT * FROM run_actions ORDER BY run_id, seq'),
  });
}

export function runCount(file: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM import_runs').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

/** A local account, as the communication server creates it (origin local, in _Default). */
export function addLocalAccount(file: string, logon: string, displayName = logon): void {
  const db = new DatabaseSync(file);
  try {
    const now = new Date().toISOString();
    db.prepare(
      'INSERT INTO accounts (logon, display_name, enabled, kind, ou_id, origin, created_at, updated_at, ' +
        `${DERIVED_COLUMNS.join(', ')}) VALUES (?, ?, 1, 'user', 1, 'local', ?, ?, ?, ?, ?, ?)`,
    ).run(logon, displayName, now, now, ...derived({ logon, displayName }));
  } finally {
    db.close();
  }
}

/**
 * DERIVED_COLUMNS' values for an account put in by hand (what the application's writes keep with every account:
 * its logon key, search text and order keys).
 */
export function derived(fields: Partial<Parameters<typeof derivedValues>[0]> & { logon: string }): string[] {
  return derivedValues({
    displayName: '',
    firstName: '',
    middleName: '',
    lastName: '',
    email: '',
    department: '',
    ...fields,
  });
}

export function sql<T>(file: string, statement: string, ...params: (string | number | null)[]): T[] {
  const db = new DatabaseSync(file);
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** An unattended sync as bcscmd /LDAP starts it, with the fields a test changes. */
export function importRequest(overrides: Partial<ImportRequest> = {}): ImportRequest {
  return {
    mode: 'sync',
    dryRun: false,
    full: false,
    confirmed: false,
    startedBy: 'command-line',
    source: null,
    ...overrides,
  };
}
