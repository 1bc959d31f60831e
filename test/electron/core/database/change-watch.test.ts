import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchForeignChanges } from '../../../../electron/core/database/change-watch.ts';
import { openUsersDatabase, SharedDatabase } from '../../../../electron/core/database/users-database.ts';
import { addLocalAccount } from '../../../../electron/core/accounts/local-accounts.ts';
import { registerService, checkIn } from '../../../../electron/core/sync/service-registry.ts';
import { tempDir } from '../../../support/temp-dir.ts';

describe('watching for changes by other processes', () => {
  it('tells when another connection changed what the views show, not when it only checked in', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const shared = new SharedDatabase(file);
    const other = openUsersDatabase(file);
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
