/** bcscmd as a scheduled task runs it: a real process with a minimal environment. */
import { spawnSync } from 'node:child_process';
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
