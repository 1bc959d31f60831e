/**
 * A users database filled directly with `count` local accounts in 20 OUs (the views do not care where accounts
 * came from).
 */
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { OuTree } from '../electron/core/database/ou-tree.ts';

export function fillDatabase(file: string, count: number): void {
  const database = openUsersDatabase(file);
  const { db } = database;
  const now = new Date().toISOString();
  const tree = new OuTree(db);
  const ous = Array.from({ length: 20 }, (_, i) => tree.ensure(['Company', `Division ${i % 4}`, `Team ${i}`], now));
  const add = db.prepare(
    'INSERT INTO accounts (logon, logon_key, first_name, last_name, display_name, email, department, enabled, ' +
      "kind, ou_id, origin, created_at, updated_at) VALUES (?, ?, 'View', ?, ?, ?, ?, ?, 'user', ?, 'local', ?, ?)",
  );
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(6, '0');
    add.run(
      `view${n}`,
      `view${n}`,
      `User ${n}`,
      `View User ${n}`,
      `view${n}@corp.example.test`,
      ['Sales', 'Support', 'Engineering', 'Finance'][i % 4]!,
      i % 10 === 0 ? 0 : 1,
      ous[i % ous.length]!,
      now,
      now,
    );
  }
  db.exec('COMMIT');
  database.close();
}
