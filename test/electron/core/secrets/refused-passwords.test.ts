/**
 * The refused service-account passwords, on a real SQLite file and a real PostgreSQL database: a refused password
 * is recognised again by any connection (another process or node), a different one is not, only refusals of the
 * password itself are kept, a success clears the record, and the database never holds the password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { RefusedPasswords, refusalOnRecord } from '../../../../electron/core/secrets/refused-passwords.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const WRONG = 'Wr0ng!Secret-4711';
const wrong = new Failure('invalid-credentials', 'The login ID or password is wrong (AD code 52e).', '');

describeOnEngines('refused passwords on $name', ({ usersDatabase }) => {
  /** Two processes' (or nodes') connections to one users database. */
  async function twoProcesses() {
    const { engine, connect } = await usersDatabase();
    const other = await connect();
    return {
      engine,
      first: new RefusedPasswords((work) => work(engine)),
      second: new RefusedPasswords((work) => work(other)),
    };
  }

  it('refuses, in another connection, the very password a DC refused for that login ID, and no other', async () => {
    const { first, second } = await twoProcesses();
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
    const { first, engine } = await twoProcesses();
    for (const code of ['connect-timeout', 'user-not-found', 'must-change-password'] as const)
      await first.refused('CORP\\svc', WRONG, 'dc1', new Failure(code, 'x', ''));
    expect(await refusalOnRecord(engine, 'CORP\\svc')).toBeNull();
    await first.refused('CORP\\svc', WRONG, 'dc1', new Failure('account-locked', 'The account is locked out.', ''));
    expect(await refusalOnRecord(engine, 'CORP\\svc')).toMatchObject({ login: 'CORP\\svc', dc: 'dc1' });
  });

  it('forgets the refusal once a bind with the login ID succeeds (a new password)', async () => {
    const { first, second } = await twoProcesses();
    await first.refused('CORP\\svc', WRONG, 'dc1', wrong);
    await second.accepted('CORP\\svc');
    await expect(first.check('CORP\\svc', WRONG)).resolves.toBeUndefined();
    expect(await first.find('CORP\\svc')).toBeNull();
  });

  it('stores a salted hash, never the password', async () => {
    const { first, engine } = await twoProcesses();
    await first.refused('CORP\\svc', WRONG, 'dc1', wrong);
    const { hash } = (await engine.get<{ hash: string }>('SELECT hash FROM refused_passwords'))!;
    expect(hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(await engine.all('SELECT * FROM refused_passwords'))).not.toContain(WRONG);
  });
});

describe('refused passwords in the SQLite file', () => {
  it('leave no trace of the password in the folder (database, WAL, journal)', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const opened = openUsersDatabase(file);
    await new RefusedPasswords((work) => work(opened.engine)).refused('CORP\\svc', WRONG, 'dc1', wrong);
    for (const f of fs.readdirSync(path.dirname(file)))
      expect(fs.readFileSync(path.join(path.dirname(file), f)).includes(WRONG)).toBe(false);
    opened.close();
  });
});
