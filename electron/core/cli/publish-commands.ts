/**
 * bcscmd /PUBLISH [/FULL] (the directory to the IM server now), /IMCONFIG (the ejabberd.yml lines a data
 * folder needs), and the publish that follows every bcscmd command that changes the users database.
 */
import path from 'node:path';
import type { DatabaseAt } from '../database/users-database.ts';
import { publishCountsText } from '../../../shared/publishing.ts';
import type { Settings } from '../../../shared/settings.ts';
import { outcomeNotice, type PublishOutcome, publishPending } from '../publish/auto-publish.ts';
import { imConfig, imConfigYaml } from '../publish/im-config.ts';
import type { CliRequest } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { onUsersDatabase } from './database-command.ts';
import { EXIT } from './exit-codes.ts';
import { INSTALL_ROOT } from '../paths.ts';

export interface PublishContext {
  settings: Settings;
  database: DatabaseAt;
  dataDir: string;
}

export async function runPublish(request: CliRequest, ctx: PublishContext, io: CliIo): Promise<number> {
  return onUsersDatabase(ctx.database, io, request.json, async (engine) =>
    publishedExit(
      request,
      await publishPending({ engine, settings: ctx.settings, full: request.full, waitMs: 300_000 }),
      io,
    ),
  );
}

function publishedExit(request: CliRequest, outcome: PublishOutcome, io: CliIo): number {
  if (request.json) io.out(`${JSON.stringify(outcome, null, 2)}\n`);
  switch (outcome.status) {
    case 'off':
      if (!request.json)
        io.err(
          "The directory is not published: imApi is empty. Set it to the address of ejabberd's API " +
            '(bcscmd /SET:imApi=http://127.0.0.1:5285/api; bcscmd /IMCONFIG prints the ejabberd.yml lines).\n',
        );
      return EXIT.failed;
    case 'nothing':
      if (!request.json) io.out('Nothing to publish: the IM server has every change (/FULL checks it).\n');
      return EXIT.ok;
    case 'busy':
      if (!request.json) io.out('Another process is publishing now; it sends these changes too.\n');
      return EXIT.ok;
    case 'failed':
      if (!request.json) io.err(`${outcome.error.message}\n${outcome.error.hint ?? ''}\n`);
      return EXIT.failed;
    default:
      if (!request.json) {
        io.out(`Published to ${outcome.counts.host}${outcome.counts.full ? ' (full)' : ''}: `);
        io.out(`${publishCountsText(outcome.counts)}.\n`);
        for (const problem of outcome.counts.problems) io.err(`Problem: ${problem}\n`);
      }
      return outcome.counts.problems.length ? EXIT.failed : EXIT.ok;
  }
}

/** After a bcscmd command changed the users database: its changes reach the IM server before bcscmd exits. */
export async function publishAfterCommand(ctx: PublishContext, io: CliIo): Promise<void> {
  await onUsersDatabase(ctx.database, io, false, async (engine) => {
    const notice = outcomeNotice(await publishPending({ engine, settings: ctx.settings, waitMs: 30_000 }));
    if (notice) io.err(`${notice}\n`);
    return EXIT.ok;
  });
}

/** The bcscmd an IM server runs: this installation's launcher (its own Node.js), or the desktop app itself. */
function programPath(): string {
  if (process.versions.electron) return process.execPath;
  return path.join(INSTALL_ROOT, 'bin', 'bcscmd');
}

export function runImConfig(request: CliRequest, ctx: PublishContext, io: CliIo): number {
  const config = imConfig(ctx.settings, {
    program: programPath(),
    dataDir: path.resolve(ctx.dataDir),
    passwordFile: request.passwordFile ? path.resolve(request.passwordFile) : null,
  });
  if (request.json) io.out(`${JSON.stringify(config, null, 2)}\n`);
  else io.out(imConfigYaml(config));
  return EXIT.ok;
}
