/**
 * A users database filled directly with `count` local accounts in 20 OUs (the views do not care where accounts
 * came from).
 */
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { OuTree } from '../electron/core/database/ou-tree.ts';
import { DERIVED_COLUMNS, derivedValues } from '../electron/core/database/accounts.ts';

export async function fillDatabase(file: string, count: number): Promise<void> {
  const database = openUsersDatabase(file);
  const { engine } = database;
  const db = database.db!;
  const now = new Date().toISOString();
  const tree = await OuTree.read(engine);
  const ous = await engine.write(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await tree.ensure(tx, ['Company', `Division ${i % 4}`, `Team ${i}`], now));
    return ids;
  });
  const add = db.prepare(
    'INSERT INTO accounts (logon, first_name, last_name, display_name, email, department, enabled, kind, ou_id, ' +
      `origin, created_at, updated_at, ${DERIVED_COLUMNS.join(', ')}) VALUES (?, 'View', ?, ?, ?, ?, ?, 'user', ?, ` +
      "'local', ?, ?, ?, ?, ?, ?)",
  );
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(6, '0');
    const person = {
      logon: `view${n}`,
      firstName: 'View',
      middleName: '',
      lastName: `User ${n}`,
      displayName: `View User ${n}`,
      email: `view${n}@corp.example.test`,
      department: ['Sales', 'Support', 'Engineering', 'Finance'][i % 4]!,
    };
    add.run(
      person.logon,
      person.lastName,
      person.displayName,
      person.email,
      person.department,
      i % 10 === 0 ? 0 : 1,
      ous[i % ous.length]!,
      now,
      now,
      ...derivedValues(person),
    );
  }
  db.exec('COMMIT');
  database.close();
}
