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
import { EXIT } from './exit-codes.ts';

export interface ExtauthStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** stderr: ejabberd copies it into its own log. */
  err: (line: string) => void;
}

export async function runExtauth(
  context: { settings: Settings; password: string | null; databaseFile: string; dataDir: string },
  streams: ExtauthStreams,
): Promise<number> {
  const log = new LogonLog(context.dataDir, { echo: (line) => streams.err(`${line}\n`) });
  const service = new ExtauthService({
    ...context,
    resolver: createResolver(),
    log: (line) => streams.err(`${line}\n`),
  });
  const reader = new FrameReader();
  let queue: Promise<void> = Promise.resolve();
  const decide = async (frame: Uint8Array) => {
    const started = performance.now();
    const request = parseRequest(frame);
    let decision;
    try {
      decision = await service.handle(request);
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
  return EXIT.ok;
}
