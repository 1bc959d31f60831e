/**
 * `bcscmd /EXTAUTH`: ejabberd's external authentication program. ejabberd starts it (a pool of them) and
 * sends framed requests on stdin; the answers are the only bytes ever written to stdout. Requests are
 * answered one at a time, in order (ejabberd waits for each answer). Runs until stdin closes, then exits 0;
 * nothing a peer sends makes it crash (ejabberd would restart it in a loop).
 */
import type { Settings } from '../../../shared/settings.ts';
import { createResolver } from '../directory/resolver.ts';
import { ExtauthService } from '../extauth/extauth-service.ts';
import { answer, FrameReader, parseRequest } from '../extauth/frames.ts';
import { LogonLog } from '../extauth/logon-log.ts';
import { fileStamp as stamp } from '../settings/file-stamp.ts';
import { databaseLocation, SharedDatabase } from '../database/users-database.ts';
import { BackgroundPublisher } from '../publish/auto-publish.ts';
import { EXIT } from './exit-codes.ts';

export interface ExtauthStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** stderr: ejabberd copies it into its own log. */
  err: (line: string) => void;
}

export interface ExtauthContext {
  /** The settings and the service account's password as they are now. */
  load: () => { settings: Settings; password: string | null };
  /** Files whose change means load() again before the next request (settings, password file). */
  watched: string[];
  dataDir: string;
}

export async function runExtauth(context: ExtauthContext, streams: ExtauthStreams): Promise<number> {
  const log = new LogonLog(context.dataDir, { echo: (line) => streams.err(`${line}\n`) });
  const resolver = createResolver();
  // The users database is where the settings say now: a changed `database` applies from the next request on.
  const open = () => {
    const loaded = context.load();
    return new ExtauthService({
      ...loaded,
      database: databaseLocation(context.dataDir, loaded.settings),
      resolver,
      log: (line) => streams.err(`${line}\n`),
    });
  };
  let service = open();
  const publishDatabase = new SharedDatabase(() => databaseLocation(context.dataDir, context.load().settings));
  const publisher = new BackgroundPublisher({
    use: (work) => publishDatabase.use(work),
    settings: () => context.load().settings,
    log: (line) => streams.err(`extauth: ${line}\n`),
  });
  let seen = stamp(context.watched);
  /** A settings change applies from the next request on (a stat per request; a reload only on change). */
  const current = async () => {
    const now = stamp(context.watched);
    if (now === seen) return service;
    seen = now;
    try {
      const next = open();
      await service.close();
      service = next;
      streams.err('extauth: the settings changed; they apply from this request on\n');
    } catch (err) {
      streams.err(`extauth: the changed settings could not be read (${(err as Error).message}); kept the old ones\n`);
    }
    return service;
  };
  const reader = new FrameReader();
  let queue: Promise<void> = Promise.resolve();
  const decide = async (frame: Uint8Array) => {
    const started = performance.now();
    const request = parseRequest(frame);
    let decision;
    try {
      decision = await (await current()).handle(request);
    } catch (err) {
      decision = { ok: false, reason: `failed unexpectedly: ${(err as Error).message}` };
    }
    // The line first: whoever sees the answer (the user, a test) finds the decision already in the log.
    log.write({
      op: request.op,
      user: request.ok ? request.user : '-',
      server: request.ok ? request.server : '-',
      ok: decision.ok,
      reason: decision.reason,
      ms: Math.round(performance.now() - started),
    });
    streams.output.write(answer(decision.ok));
    // After the answer, never before: the user does not wait for the check's last write or the IM server's
    // directory. The next request waits for that write (the queue), so nothing is ever left behind.
    if (decision.after)
      await decision
        .after()
        .catch((err: Error) =>
          streams.err(
            `extauth: the end of ${request.ok ? request.user : '-'}'s check was not written: ${err.message}\n`,
          ),
        );
    if (decision.imported) publisher.nudge();
  };
  await new Promise<void>((resolve) => {
    streams.input.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) queue = queue.then(() => decide(frame));
    });
    streams.input.on('end', resolve);
    streams.input.on('close', resolve);
    streams.input.on('error', (err) => {
      streams.err(`extauth: reading the requests failed: ${err.message}\n`);
      resolve();
    });
  });
  await queue;
  const left = reader.end();
  if (left) streams.err(`extauth: ${left}; it was not answered\n`);
  await service.close();
  await publisher.idle();
  publishDatabase.close();
  return EXIT.ok;
}
