/** The console noticing what other processes — or, on PostgreSQL, other IM nodes — changed in the users database. */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { watchForeignChanges } from '../../../../electron/core/database/change-watch.ts';
import {
  type DatabaseLocation,
  openUsersDatabase,
  SharedDatabase,
} from '../../../../electron/core/database/users-database.ts';
import { addLocalAccount } from '../../../../electron/core/accounts/local-accounts.ts';
import { registerService, checkIn } from '../../../../electron/core/sync/service-registry.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const WHERE: [string, () => Promise<DatabaseLocation> | null][] = [
  ['a SQLite file', () => Promise.resolve({ file: path.join(tempDir(), 'users.sqlite'), url: '', passwordFile: '' })],
  [
    'a PostgreSQL database',
    () =>
      inject('postgres') === null
        ? null
        : createTestDatabase(inject('postgres')!).then((url) => ({
            file: path.join(tempDir(), 'unused.sqlite'),
            url,
            passwordFile: '',
          })),
  ],
];

describe.each(WHERE)('watching for changes by others on %s', (_name, locate) => {
  it('tells when another process or node changed what the views show, not when it only checked in', async (t) => {
    const locating = locate();
    if (!locating) return t.skip('PostgreSQL is missing (the test setup printed why)');
    const location = await locating;
    const shared = new SharedDatabase(location);
    const other = openUsersDatabase(location);
    let changes = 0;
    const stop = watchForeignChanges(shared, () => changes++, 10);
    try {
      const token = await registerService(other.engine);
      // Heartbeats for several of the watcher's looks (its first look included): nothing the views show.
      for (let i = 0; i < 5; i++) {
        await checkIn(other.engine, token, null);
        await new Promise((r) => setTimeout(r, 15));
      }
      expect(changes).toBe(0);
      await addLocalAccount(other.engine, { logon: 'kiosk', ou: '', displayName: 'Kiosk', email: '' }, 'command-line');
      await expect.poll(() => changes).toBe(1);
    } finally {
      stop();
      other.close();
      shared.close();
    }
  });
});
