/**
 * A bind guard on a users database of its own (removed when the test process ends), for tests that open
 * directory sessions outside an import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openUsersDatabase } from '../../electron/core/database/users-database.ts';
import { RefusedPasswords } from '../../electron/core/secrets/refused-passwords.ts';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function testGuard(): RefusedPasswords {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adconsole-guard-'));
  made.push(dir);
  const database = openUsersDatabase(path.join(dir, 'users.sqlite'));
  return new RefusedPasswords((work) => work(database.engine));
}
