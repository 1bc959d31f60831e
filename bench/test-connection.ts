/**
 * Test connection's paged account count against ldapsearch on the same entries, on a fresh test DC.
 * Prints figures; asserts nothing. BENCH_USERS (default 2000) users are seeded into OU=Bench.
 *   npm run bench            (as root, with Samba installed; ports 53/88/389/636 on 127.0.0.1 free)
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { testConnection } from '../electron/core/directory/connection-test.ts';
import { createResolver } from '../electron/core/directory/resolver.ts';
import { SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { ldapsearchArgs, ldapsearchEnv } from '../test/support/ldapsearch.ts';
import { startTestDc, stopTestDc } from '../test/support/samba-dc.ts';
import { dcSettings } from '../test/support/settings-for-dc.ts';
import { testGuard } from '../test/support/bind-guard.ts';
import { BENCH_OU, seedBenchOu } from './seed-bench-ou.ts';
import { runBench } from './bench-kit.ts';

const USERS = Number(process.env.BENCH_USERS ?? 2000);
const ROUNDS = 5;
const PAGE = 500;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await runBench(async () => {
  const dc = await startTestDc(path.join(os.tmpdir(), `adconsole-bench-dc-${process.pid}`), (l) =>
    console.error(`[bench DC] ${l}`),
  );
  // Seeding a large directory takes minutes: an interrupted run still stops its DC.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopTestDc(dc);
      process.exit(130);
    });
  }
  try {
    const ou = BENCH_OU;
    const { seconds: seedSeconds } = await seedBenchOu(dc, USERS);
    console.log(`seeded ${USERS} users in ${seedSeconds.toFixed(1)} s (${(USERS / seedSeconds).toFixed(0)} adds/s)`);

    const settings = dcSettings(dc, { ouPath: `LDAP://${ou}`, pageSize: PAGE, timeout: 120 });
    const resolver = createResolver({});
    const guard = testGuard();
    const ours: number[] = [];
    const whole: number[] = [];
    const theirs: number[] = [];
    let ourCount = '';
    let theirCount = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now();
      const report = await testConnection(settings, SERVICE_ACCOUNT.password, resolver, guard);
      whole.push(performance.now() - t0);
      if (!report.ok) throw new Error(report.summary);
      ours.push(report.steps.find((s) => s.name === 'accounts')!.ms);
      ourCount = /holds (\d+)/.exec(report.summary)![1]!;

      const t1 = performance.now();
      const ldif = execFileSync(
        'ldapsearch',
        ldapsearchArgs(dc, ou, PAGE, '(&(objectCategory=person)(objectClass=user))', ['sAMAccountName']),
        {
          env: ldapsearchEnv(dc),
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        },
      );
      theirs.push(performance.now() - t1);
      theirCount = ldif.split('\n').filter((l) => l.startsWith('dn:')).length;
    }
    console.log(`accounts counted: AD Console ${ourCount}, ldapsearch ${theirCount}`);
    console.log(
      `paged count (page ${PAGE}), median of ${ROUNDS}: AD Console accounts step ${median(ours)} ms; ldapsearch ` +
        `process (connect+TLS+bind+search) ${median(theirs).toFixed(0)} ms`,
    );
    console.log(`whole Test connection (7 steps), median of ${ROUNDS}: ${median(whole).toFixed(0)} ms`);
  } finally {
    stopTestDc(dc);
  }
});
