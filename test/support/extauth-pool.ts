/**
 * A pool of `bcscmd /EXTAUTH` processes fed ejabberd's frames, as an IM server's node runs them: each process
 * answers one request at a time, in order; requests go to the processes in turn.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { BCSCMD } from './bcscmd.ts';

/** ejabberd's extauth frame: a 2-byte big-endian length, then the request. */
export const extauthFrame = (text: string | Buffer): Buffer => {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
};

export interface ExtauthPool {
  /** The answer to one request ("auth:user:server:password", "isuser:user:server"). */
  ask(request: string): Promise<boolean>;
  /** Everything the processes wrote to stderr (their log lines). */
  log(): string;
  close(): Promise<void>;
}

export function startExtauthPool(args: string[], size: number): ExtauthPool {
  let stderr = '';
  const processes = Array.from({ length: size }, () => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BCSCMD, '/EXTAUTH', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    const waiting: ((answer: boolean) => void)[] = [];
    let pending = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        waiting.shift()?.(pending.readUInt16BE(2) === 1);
        pending = pending.subarray(4);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // One request at a time per process, as ejabberd sends them.
    let queue: Promise<unknown> = Promise.resolve();
    const ask = (request: string) => {
      const answered = queue.then(
        () =>
          new Promise<boolean>((resolve) => {
            waiting.push(resolve);
            child.stdin.write(extauthFrame(request));
          }),
      );
      queue = answered;
      return answered;
    };
    return { child, ask };
  });
  let next = 0;
  return {
    ask: (request) => processes[next++ % size]!.ask(request),
    log: () => stderr,
    close: async () => {
      await Promise.all(
        processes.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.stdin.end();
            }),
        ),
      );
    },
  };
}
