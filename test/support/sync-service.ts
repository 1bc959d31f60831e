/** `bcscmd /SERVICE` as systemd runs it: a real process, watched through its log lines on stderr. */
import { type ChildProcess, spawn } from 'node:child_process';
import { BCSCMD } from './bcscmd.ts';

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** Every log line so far. */
  log(): string;
  /** Resolves with the first line (from `from` lines on) matching `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  lineCount(): number;
  /** Resolves with the exit code and how long after this call it came. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** `program`: bcscmd's command line (by default this checkout's under this Node; or as another user). */
export function startService(
  data: string,
  env: Record<string, string>,
  extra: string[] = [],
  program: string[] = [process.execPath, BCSCMD],
): ServiceProcess {
  const child = spawn(program[0]!, [...program.slice(1), `/DATA:${data}`, '/SERVICE', ...extra], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    lines.push(...complete);
    for (const w of waiters) w();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const service: ServiceProcess = {
    child,
    pid: child.pid!,
    log: () => lines.join('\n'),
    lineCount: () => lines.length,
    waitFor: (pattern, timeoutMs = 30_000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.slice(from).find((l) => pattern.test(l));
          if (!line) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; the log:\n${lines.join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
        void exit.then(() => {
          if (waiters.has(check) && !check()) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`the service exited before logging ${pattern}; the log:\n${lines.join('\n')}`));
          }
        });
      }),
    exited: () => exit,
    stop: async (signal = 'SIGTERM') => {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const { code } = await exit;
      return { code, ms: Date.now() - started };
    },
  };
  return service;
}
