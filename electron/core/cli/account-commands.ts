/**
 * bcscmd /ADDUSER, /SETUSER, /SETPASSWORD, /DISABLE, /ENABLE, /DELETEUSER, /MOVE: one local account's change; /ADDOU,
 * /RENAMEOU, /DELETEOU: one server OU's. Each recorded in the history.
 */
import fs from 'node:fs';
import type { DatabaseAt } from '../database/users-database.ts';
import {
  addLocalAccount,
  deleteLocalAccounts,
  editLocalAccount,
  moveLocalAccounts,
  setLocalEnabled,
  setLocalPassword,
} from '../accounts/local-accounts.ts';
import { addServerOu, deleteServerOu, renameServerOu } from '../accounts/server-ous.ts';
import { Failure } from '../failure.ts';
import type { CliRequest } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { onUsersDatabase } from './database-command.ts';
import { EXIT } from './exit-codes.ts';

/** The first line of the password file, or of stdin (piped: `printf '%s\n' "$pw" | bcscmd /SETPASSWORD:x`). */
async function newPassword(request: CliRequest, io: CliIo): Promise<string> {
  if (request.passwordFile) {
    try {
      return fs.readFileSync(request.passwordFile, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (err) {
      throw new Failure(
        'invalid-input',
        `The password file ${request.passwordFile} cannot be read (${(err as NodeJS.ErrnoException).code}).`,
        'Name a file this account can read, or pipe the password on stdin.',
        { nothingChanged: true },
      );
    }
  }
  const stdin = io.stdin ?? process.stdin;
  if ((stdin as NodeJS.ReadStream).isTTY)
    throw new Failure(
      'invalid-input',
      'The new password is read from /PASSWORDFILE or from stdin, never from the command line.',
      'Give /PASSWORDFILE:<file>, or pipe the password in.',
      { nothingChanged: true },
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function runAccountCommand(request: CliRequest, database: DatabaseAt, io: CliIo): Promise<number> {
  const { action, logon } = request.account!;
  return onUsersDatabase(database, io, request.json, async (engine) => {
    let said: string;
    if (action === 'add') {
      const made = await addLocalAccount(
        engine,
        { logon, ou: request.accountOu ?? '', displayName: request.displayName, email: request.email },
        'command-line',
      );
      said =
        `Added the local account ${made.logon} in ${made.ou}. Give it a password with bcscmd ` +
        `/SETPASSWORD:${made.logon}.`;
    } else if (action === 'edit') {
      try {
        const edited = await editLocalAccount(
          engine,
          logon,
          {
            fields: request.fields,
            ...(request.accountOu !== null ? { ou: request.accountOu } : {}),
            ...(request.rename ? { rename: request.rename } : {}),
          },
          'command-line',
        );
        said = `Changed the local account ${edited.logon}${edited.logon !== logon ? ` (was ${logon})` : ''}.`;
      } catch (err) {
        if (!(err instanceof Failure) || err.code !== 'nothing-to-change') throw err;
        said = `Nothing to change: ${err.message}`;
      }
    } else if (action === 'set-password') {
      await setLocalPassword(engine, logon, await newPassword(request, io), 'command-line');
      said = `Set the password of ${logon}.`;
    } else if (action === 'move') {
      const path = await moveLocalAccounts(engine, [logon], request.accountOu ?? '', 'command-line');
      said = `Moved the local account ${logon} to ${path}.`;
    } else if (action === 'add-ou') {
      said = `Created the server OU ${await addServerOu(engine, logon, 'command-line')}.`;
    } else if (action === 'rename-ou') {
      const renamed = await renameServerOu(engine, logon, request.displayName, 'command-line');
      said = `Renamed the server OU ${logon} to ${renamed}.`;
    } else if (action === 'delete-ou') {
      await deleteServerOu(engine, logon, 'command-line');
      said = `Deleted the server OU ${logon}.`;
    } else if (action === 'delete') {
      await deleteLocalAccounts(engine, [logon], 'command-line');
      said = `Deleted the local account ${logon}.`;
    } else {
      await setLocalEnabled(engine, [logon], action === 'enable', 'command-line');
      said = `${action === 'enable' ? 'Enabled' : 'Disabled'} the local account ${logon}.`;
    }
    if (request.json) io.out(`${JSON.stringify({ ok: true, action, logon })}\n`);
    else io.out(`${said}\n`);
    return EXIT.ok;
  });
}
