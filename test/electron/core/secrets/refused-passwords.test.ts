/**
 * The refused service-account passwords on a real SQLite file: a refused password is recognised again by any
 * connection (another process), a different one is not, only refusals of the password itself are kept, a
 * success clears the record, and the file never holds the password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { sqliteEngineOf } from '../../../../electron/core/database/engine/sqlite-engine.ts';
import { RefusedPasswords, refusalOnRecord } from '../../../../electron/core/secrets/refused-passwords.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const WRONG = 'Wr0ng!Secret-4711';
const wrong = new Failure('invalid-credentials', 'The login ID or password is wrong (AD code 52e).', '');

function twoProcesses() {
  const file = path.join(tempDir(), 'users.sqlite');
  const a = openUsersDatabase(file);
  const b = openUsersDatabase(file);
  return {
    file,
    first: new RefusedPasswords((work) => work(a.db)),
    second: new RefusedPasswords((work) => work(b.db)),
    db: b.db,
  };
}

describe('RefusedPasswords', () => {
  it('refuses, in another connection, the very password a DC refused for that login ID, and no other', async () => {
    const { first, second } = twoProcesses();
    await first.refused('CORP\\svc', WRONG, 'dc1.corp.example.test', wrong);
    await expect(second.check('corp\\SVC', WRONG)).rejects.toMatchObject({
      code: 'password-refused-before',
      message: expect.stringMatching(
        /^The password for CORP\\svc was refused by dc1\.corp\.example\.test at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(the login ID or password is wrong \(AD code 52e\)\); no process sends it again until the password changes/,
      ),
      hint: expect.stringMatching(/Test connection/),
    });
    await expect(second.check('CORP\\svc', 'Another!Passw0rd')).resolves.toBeUndefined();
    await expect(second.check('CORP\\other', WRONG)).resolves.toBeUndefined();
  });

  it('keeps refusals of the password itself (52e, 775, 532, 533, 701), not unreachable DCs', async () => {
    const { first, db } = twoProcesses();
    for (const code of ['connect-timeout', 'user-not-found', 'must-change-password'] as const)
      await first.refused('CORP\\svc', WRONG, 'dc1', new Failure(code, 'x', ''));
    expect(await refusalOnRecord(sqliteEngineOf(db), 'CORP\\svc')).toBeNull();
    await first.refused('CORP\\svc', WRONG, 'dc1', new Failure('account-locked', 'The account is locked out.', ''));
    expect(await refusalOnRecord(sqliteEngineOf(db), 'CORP\\svc')).toMatchObject({ login: 'CORP\\svc', dc: 'dc1' });
  });

  it('forgets the refusal once a bind with the login ID succeeds (a new password)', async () => {
    const { first, second } = twoProcesses();
    await first.refused('CORP\\svc', WRONG, 'dc1', wrong);
    await second.accepted('CORP\\svc');
    await expect(first.check('CORP\\svc', WRONG)).resolves.toBeUndefined();
    expect(await first.find('CORP\\svc')).toBeNull();
  });

  it('stores a salted hash, never the password', async () => {
    const { first, file } = twoProcesses();
    await first.refused('CORP\\svc', WRONG, 'dc1', wrong);
    for (const f of fs.readdirSync(path.dirname(file)))
      expect(fs.readFileSync(path.join(path.dirname(file), f)).includes(WRONG)).toBe(false);
  });
});
