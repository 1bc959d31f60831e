/**
 * `bcscmd /COPYDATABASE:<postgresql URL>`: moving a data folder from its users.sqlite to a PostgreSQL database that
 * several IM nodes share. Everything is copied in one transaction and counted on both sides before the commit
 * (copy-database.ts); only then is the data folder pointed at the new database. The file stays as it was, so going
 * back is clearing the setting.
 */
import fs from 'node:fs';
import { parseDatabaseSetting } from '../../../shared/database-setting.ts';
import type { Settings } from '../../../shared/settings.ts';
import { type CopyCounts, copyDatabase } from '../database/copy-database.ts';
import { connectPostgres } from '../database/postgres-database.ts';
import { databaseFile, explainDatabaseError, openUsersDatabase } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import type { CliRequest } from './arguments.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';

export interface CopyContext {
  dataDir: string;
  settings: Settings;
  /** Saves the setting `database` as every other setting is saved; the refusal in words, or null. */
  pointAt: (url: string) => Promise<string | null>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function countsText(c: CopyCounts): string {
  return (
    `${plural(c.accounts, 'account')}, ${plural(c.ous, 'server OU')}, ${plural(c.import_runs, 'run')} with ` +
    `${plural(c.run_actions, 'report line')}, ${plural(c.sync_marks, 'sync mark')}, ` +
    `${plural(c.logon_failures, 'counted logon failure')}, ${plural(c.published_vcards, 'published vCard')}`
  );
}

function refuse(io: CliIo, request: CliRequest, failure: Failure): number {
  if (request.json)
    io.out(`${JSON.stringify({ ok: false, errors: [{ code: failure.code, message: failure.message }] })}\n`);
  io.err(`${failure.message}\nWhat to do: ${failure.hint}\n`);
  return EXIT.failed;
}

export async function runCopyDatabase(request: CliRequest, ctx: CopyContext, io: CliIo): Promise<number> {
  const url = request.copyDatabase!.trim();
  const parsed = parseDatabaseSetting(url);
  if (!parsed.ok || parsed.target.engine !== 'postgresql') {
    io.err(
      `/COPYDATABASE needs the URL of the PostgreSQL database to copy into: ` +
        `${parsed.ok ? 'an empty value is the built-in database' : parsed.error} Nothing was copied.\n`,
    );
    return EXIT.usage;
  }
  if (ctx.settings.database.trim())
    return refuse(
      io,
      request,
      new Failure(
        'invalid-input',
        `This data folder already uses the users database ${ctx.settings.database.trim()}; /COPYDATABASE copies ` +
          "a data folder's own users.sqlite. Nothing was copied.",
        "To move between PostgreSQL databases use PostgreSQL's own tools (pg_dump, pg_restore); to copy the " +
          'file again, clear the setting first (bcscmd /SET:database=).',
      ),
    );
  const file = databaseFile(ctx.dataDir);
  if (!fs.existsSync(file))
    return refuse(
      io,
      request,
      new Failure(
        'invalid-input',
        `There is no users database in ${ctx.dataDir} to copy (${file} does not exist). Nothing was copied.`,
        'Name the data folder that holds it with /DATA:<folder>.',
      ),
    );
  let counts: CopyCounts;
  try {
    const source = openUsersDatabase(file);
    try {
      const target = connectPostgres(url, ctx.settings.databasePasswordFile);
      try {
        counts = await copyDatabase(source.db!, target);
      } finally {
        await target.close();
      }
    } finally {
      source.close();
    }
  } catch (err) {
    const failure = err instanceof Failure ? err : explainDatabaseError(err, parsed.target.url);
    return refuse(io, request, failure);
  }
  const refused = await ctx.pointAt(parsed.target.url);
  if (refused) {
    io.err(
      `Copied ${file} into ${parsed.target.url} (${countsText(counts)}), but the data folder could not be pointed ` +
        `at it: ${refused}\nWhat to do: bcscmd /SET:database=${parsed.target.url}\n`,
    );
    return EXIT.failed;
  }
  if (request.json) io.out(`${JSON.stringify({ ok: true, url: parsed.target.url, counts }, null, 2)}\n`);
  else
    io.out(
      `Copied ${file} into ${parsed.target.url}: ${countsText(counts)}. This data folder now uses that database ` +
        `(the setting database); ${file} is kept as it was.\nOther IM nodes: bcscmd /SET:database=` +
        `${parsed.target.url} on each. Restart the sync service so that it opens it (the IM server's logon ` +
        'programs follow the setting from their next logon on).\n',
    );
  return EXIT.ok;
}
