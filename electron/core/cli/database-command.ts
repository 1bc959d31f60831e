/**
 * A bcscmd command that works on the users database alone (local accounts, server OUs, OU permissions,
 * contact lists): the database opened, the work done, a refusal said in words (and in /JSON), with the exit
 * code a script can act on — 2 for input it refused, 1 for anything else.
 */
import type { SqlEngine } from '../database/engine/sql-engine.ts';
import { openUsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';

const INPUT_REFUSED = new Set(['invalid-logon', 'invalid-password', 'invalid-input']);

export async function onUsersDatabase(
  database: DatabaseAt,
  io: CliIo,
  json: boolean,
  work: (engine: SqlEngine) => number | Promise<number>,
): Promise<number> {
  let opened;
  try {
    opened = openUsersDatabase(database);
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    io.err(`${err.message}\n${err.hint}\n`);
    return EXIT.failed;
  }
  try {
    return await work(opened.engine);
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    if (json)
      io.out(`${JSON.stringify({ ok: false, errors: [{ code: err.code, message: err.message, hint: err.hint }] })}\n`);
    io.err(`${err.message}${err.nothingChanged ? ' Nothing was changed.' : ''}\n${err.hint}\n`);
    return INPUT_REFUSED.has(err.code) ? EXIT.usage : EXIT.failed;
  } finally {
    opened.close();
  }
}
