/**
 * What every bench shares: the machine's load printed before and after (a figure from a busy machine says
 * so), medians of alternating rounds, and an exit once the figures are printed (a bench must not wait on
 * a handle someone left open).
 */
import fs from 'node:fs';
import os from 'node:os';

export const median = <T extends { ms: number }>(runs: T[]): T =>
  [...runs].sort((x, y) => x.ms - y.ms)[Math.floor(runs.length / 2)]!;

export const medianOf = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** One line: the 1/5/15-minute load averages against the cores, and the memory free. */
export function machineLoad(when: string): string {
  const [one, five, fifteen] = os.loadavg().map((n) => n.toFixed(2));
  const freeGb = (os.freemem() / 2 ** 30).toFixed(1);
  const cores = os.availableParallelism();
  return `machine load ${when}: ${one} / ${five} / ${fifteen} (1/5/15 min) on ${cores} cores, ${freeGb} GiB free`;
}

/**
 * Runs a bench's body between two load lines, then ends the process with its exit code: the figures are
 * printed and whatever the body left open (a socket, a child's pipe) must not keep the bench waiting.
 */
export async function runBench(body: () => Promise<void>): Promise<never> {
  console.log(machineLoad('before'));
  let code = 0;
  try {
    await body();
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    code = 1;
  }
  console.log(machineLoad('after'));
  process.exit(code);
}

/**
 * Runs each contender once per round, in turn, for `rounds` rounds, so that they all meet the machine in
 * the same state; returns every contender's runs in order.
 */
export async function alternate<C extends Record<string, () => unknown>>(
  rounds: number,
  contenders: C,
): Promise<{ [K in keyof C]: Awaited<ReturnType<C[K]>>[] }> {
  const runs: Record<string, unknown[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const [name, run] of Object.entries(contenders)) runs[name]!.push(await run());
  return runs as { [K in keyof C]: Awaited<ReturnType<C[K]>>[] };
}

/** The machine's CPU time so far, all cores together (Linux /proc/stat, in ms): busy, and in all. */
export function machineCpu(): { busyMs: number; allMs: number } {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[];
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  return { busyMs: busy * tick, allMs: (busy + idle! + iowait!) * tick };
}

/** A process as `processCpuMs` sees it. */
export interface ProcessInfo {
  pid: number;
  pgrp: number;
  uid: number;
  command: string;
}

/** The CPU time so far (ms) of the live processes `match` picks (Linux /proc; a process that ended is not counted). */
export function processCpuMs(match: (p: ProcessInfo) => boolean): number {
  let ms = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command's closing parenthesis: state ppid pgrp … utime (12th) stime (13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const info: ProcessInfo = {
        pid: Number(name),
        pgrp: Number(fields[2]),
        uid: fs.statSync(`/proc/${name}`).uid,
        command: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '),
      };
      if (match(info)) ms += (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ 100
    } catch {
      // Ended while being read.
    }
  }
  return ms;
}
