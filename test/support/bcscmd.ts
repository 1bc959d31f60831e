/** bcscmd as a scheduled task runs it: a real process with a minimal environment. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { NETBIOS, SERVICE_ACCOUNT } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';

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

/** The /SET arguments that point a data folder at the test DC, reading `ouDn` as the service account. */
export const dcSetArgs = (dc: TestDc, ouDn: string): string[] => [
  `/SET:server=${dc.address}`,
  `/SET:caFile=${dc.caFile}`,
  `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
  `/SET:ouPath=LDAP://${ouDn}`,
];

/**
 * Runs bcscmd and, as soon as it says its apply started, signals it (by default SIGKILL: killed outright) or does
 * what `act` does instead (cut its database away); resolves with how it ended.
 */
export function killDuringApply(
  args: string[],
  env: Record<string, string>,
  act: NodeJS.Signals | (() => unknown) = 'SIGKILL',
): Promise<{ signal: NodeJS.Signals | null; code: number | null; pid: number; err: string }> {
  const child = spawn(process.execPath, [BCSCMD, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes('[apply] started') && !sent) {
      sent = true;
      if (typeof act === 'function') act();
      else child.kill(act);
    }
  });
  let sent = false;
  return new Promise((resolve) =>
    child.on('exit', (code, ended) => resolve({ signal: ended, code, pid: child.pid!, err: stderr })),
  );
}
