/**
 * The benchmarks' Samba DC with `users` accounts in OU=Bench, seeded once and kept in .bench-cache/
 * (seeding 20 000 users takes minutes; later runs restart the cached DC in seconds). Stopped by pid on
 * exit or Ctrl+C; the folder stays as the cache.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DC_ADDRESS, restartTestDc, startTestDc, stopTestDc, type TestDc } from '../test/support/samba-dc.ts';
import { seedBenchOu } from './seed-bench-ou.ts';

const refuses = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

/** Stops the DC and waits until its LDAPS port refuses connections (SIGTERM takes a moment). */
export async function stopAndWait(dc: TestDc): Promise<void> {
  stopTestDc({ pid: dc.pid });
  for (let i = 0; i < 100 && !(await refuses(dc.address, 636)); i++) await sleep(100);
}

/**
 * BENCH_DC_ADDRESS puts the DC on another loopback address (each address has a cache of its own), so that
 * a benchmark can run beside the test suite's DC on 127.0.0.1.
 */
export async function openBenchDc(users: number): Promise<{ dc: TestDc; cache: string; stop: () => void }> {
  const address = process.env.BENCH_DC_ADDRESS || DC_ADDRESS;
  const cache = path.resolve('.bench-cache', address === DC_ADDRESS ? `dc-${users}` : `dc-${users}-${address}`);
  const seededMark = path.join(cache, 'bench-seeded.json');
  const log = (l: string) => console.error(`[bench DC] ${l}`);
  const dc = fs.existsSync(seededMark)
    ? await restartTestDc(cache, log, address)
    : await startTestDc(cache, log, address);
  const stop = () => stopTestDc({ pid: dc.pid });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  if (!fs.existsSync(seededMark)) {
    const { seconds } = await seedBenchOu(dc, users);
    fs.writeFileSync(seededMark, JSON.stringify({ users, seconds }));
    console.log(
      `seeded ${users} users in ${seconds.toFixed(0)} s (${(users / seconds).toFixed(0)} adds/s); cached in ${cache}`,
    );
  }
  return { dc, cache, stop };
}
