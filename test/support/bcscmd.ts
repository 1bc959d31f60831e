/** bcscmd as a scheduled task runs it: a real process with a minimal environment. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const BCSCMD = path.resolve('bin/bcscmd.js');

export function bcscmd(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, [BCSCMD, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The same without blocking this process (tests that watch a service meanwhile). */
export function bcscmdAsync(
  args: string[],
  env: Record<string, string> = {},
  /** Called with its standard error so far, as it comes. */
  onErr?: (err: string) => void,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BCSCMD, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      onErr?.(err);
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
