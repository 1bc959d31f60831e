/**
 * bcscmd /OUPERMISSIONS (which server OUs an OU sees in the IM network, /SEES to set them) and /CONTACTS (the
 * contact list an account's IM client receives): from the users database, no directory needed.
 */
import { ouPermissions, setOuPermissions } from '../accounts/ou-permissions.ts';
import type { DatabaseAt } from '../database/users-database.ts';
import { contactListOf } from '../publish/directory-groups.ts';
import type { CliRequest } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { onUsersDatabase } from './database-command.ts';
import { EXIT } from './exit-codes.ts';

export function runDirectoryCommand(request: CliRequest, database: DatabaseAt, io: CliIo): Promise<number> {
  return onUsersDatabase(database, io, request.json, async (engine) => {
    if (request.contacts !== null) {
      const list = await contactListOf(engine, request.contacts);
      if (request.json) io.out(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const lines = list.groups.flatMap((g) => [
          `${g.label} (${g.members.length})`,
          ...g.members.map((m) => `  ${m.logon.padEnd(20)} ${m.displayName}`),
        ]);
        io.out(`Contact list of ${list.logon}:\n${lines.length ? lines.join('\n') : '  (nobody)'}\n`);
      }
      return EXIT.ok;
    }
    const path = request.ouPermissions!;
    const permissions =
      request.sees === null
        ? await ouPermissions(engine, path)
        : await setOuPermissions(engine, path, request.sees, 'command-line');
    if (request.json) io.out(`${JSON.stringify(permissions, null, 2)}\n`);
    else
      io.out(
        `${permissions.ou} sees ${permissions.everyOu ? 'every OU' : `${permissions.sees.length} OU(s)`} ` +
          `(two-way: these OUs see it too):\n${permissions.sees.map((p) => `  ${p}`).join('\n')}\n`,
      );
    return EXIT.ok;
  });
}
