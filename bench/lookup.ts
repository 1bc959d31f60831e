/**
 * On-the-fly import under load, against the cached 20 000-user Samba DC. Prints figures; asserts nothing.
 *   npm run bench:lookup            (as root, Samba installed, ports 53/88/389/636 free)
 * (1) 1 000 concurrent resolveLogon calls over 200 distinct names that are in AD but not in the users
 *     database: p50 / p99 latency, directory queries issued (target: one per distinct name), accounts
 *     created (target: 200), binds; beside it, in turn with it (3 rounds, new names each round, medians), the
 *     baseline: the 200 searches alone, by a minimal loop over 4 bound connections. (2) The same with the DC
 *     stopped (3 rounds): p50 / p99 of the "unavailable" answers (target: p99 under the operation timeout).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { databaseFile, openUsersDatabase } from '../electron/core/database/users-database.ts';
import { createResolver } from '../electron/core/directory/resolver.ts';
import { LogonResolver } from '../electron/core/onthefly/logon-resolver.ts';
import { NETBIOS, SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { dcSettings } from '../test/support/settings-for-dc.ts';
import { openBenchDc, stopAndWait } from './bench-dc.ts';
import { BENCH_OU } from './seed-bench-ou.ts';
import { alternate, median, medianOf, runBench } from './bench-kit.ts';
import { ACCOUNT_ATTRIBUTES, BINARY_ATTRIBUTES } from '../electron/core/import/ad-account.ts';
import { Client } from 'ldapts';

const USERS = 20_000;
const CALLS = 1000;
const DISTINCT = 200;
const ROUNDS = 3;
const CONNECTIONS = 4;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const ms = (v: number) => `${v.toFixed(0)} ms`;

async function storm(
  resolver: LogonResolver,
  names: string[],
): Promise<{ latencies: number[]; results: Map<string, number>; wallMs: number }> {
  const latencies: number[] = [];
  const results = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      const t0 = performance.now();
      const r = await resolver.resolveLogon(names[i % names.length]!);
      latencies.push(performance.now() - t0);
      results.set(r.result, (results.get(r.result) ?? 0) + 1);
    }),
  );
  return { latencies, results, wallMs: performance.now() - started };
}

/** The floor: one search per distinct name, all at once over CONNECTIONS bound connections; the wall time. */
async function searchesAlone(clients: Client[], names: string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    names.map((name, i) =>
      clients[i % clients.length]!.search(BENCH_OU, {
        scope: 'sub',
        filter: `(&(objectCategory=person)(objectClass=user)(sAMAccountName=${name}))`,
        attributes: [...ACCOUNT_ATTRIBUTES],
        explicitBufferAttributes: [...BINARY_ATTRIBUTES],
      }),
    ),
  );
  return performance.now() - started;
}

await runBench(async () => {
  const { dc, cache, stop } = await openBenchDc(USERS);
  const data = fs.mkdtempSync(path.join(cache, '..', 'lookup-'));
  try {
    const settings = dcSettings(dc, { autoImport: true, ouPath: `LDAP://${BENCH_OU}`, timeout: 10, connectTimeout: 5 });
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = new Client({ url: `ldaps://${dc.address}`, tlsOptions: { ca: fs.readFileSync(dc.caFile) } });
        await client.bind(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`, SERVICE_ACCOUNT.password);
        return client;
      }),
    );
    const file = databaseFile(data);
    openUsersDatabase(file).close();
    const names = (from: number) =>
      Array.from({ length: DISTINCT }, (_, i) => `bench${String(from + i * 37).padStart(6, '0')}`);

    // In turn: the baseline's searches, then the product's storm over 200 names no earlier round imported.
    const rounds = await alternate(ROUNDS, {
      baseline: (() => {
        let round = 0;
        return () => searchesAlone(clients, names(20 + round++));
      })(),
      product: (() => {
        let round = 0;
        return async () => {
          const resolver = new LogonResolver({
            settings,
            password: SERVICE_ACCOUNT.password,
            resolver: createResolver(),
            database: file,
          });
          const result = await storm(resolver, names(round++));
          const counted = { ...result, queries: resolver.queries, binds: resolver.connectionsOpened };
          await resolver.close();
          return counted;
        };
      })(),
    });
    for (const client of clients) await client.unbind();
    const live = median(rounds.product.map((r) => ({ ...r, ms: r.wallMs })));
    const baseline = medianOf(rounds.baseline);
    const database = openUsersDatabase(file);
    const created = Number((database.db!.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n);
    const runs = Number(
      (database.db!.prepare("SELECT count(*) AS n FROM import_runs WHERE mode = 'on-the-fly'").get() as { n: number })
        .n,
    );
    database.close();

    await stopAndWait(dc);
    const deadRounds: Awaited<ReturnType<typeof storm>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const down = new LogonResolver({
        settings,
        password: SERVICE_ACCOUNT.password,
        resolver: createResolver(),
        database: file,
      });
      deadRounds.push(await storm(down, names(10_000 + round)));
      await down.close();
    }
    const dead = median(deadRounds.map((r) => ({ ...r, ms: percentile(r.latencies, 99) })));

    console.log(
      `\nOn-the-fly lookups, ${CALLS} concurrent calls over ${DISTINCT} distinct names, ${USERS} users in ` +
        `${BENCH_OU}, pool of 4 connections, ${process.version}; ${ROUNDS} rounds in turn, medians`,
    );
    console.log(
      `(1) DC up:   p50 ${ms(percentile(live.latencies, 50))}, p99 ${ms(percentile(live.latencies, 99))}, all ` +
        `done in ${ms(live.wallMs)} (rounds: ${rounds.product.map((r) => ms(r.wallMs)).join(', ')}); answers ` +
        `${JSON.stringify(Object.fromEntries(live.results))}`,
    );
    console.log(
      `             baseline: the ${DISTINCT} searches alone over ${CONNECTIONS} connections, all done in ` +
        `${ms(baseline)} (rounds: ${rounds.baseline.map(ms).join(', ')}); ratio ${(live.wallMs / baseline).toFixed(2)}`,
    );
    console.log(
      `             directory queries ${live.queries} a round (target ${DISTINCT}), accounts created ${created} in ` +
        `${ROUNDS} rounds (target ${DISTINCT * ROUNDS}), on-the-fly runs recorded ${runs}, binds ${live.binds}`,
    );
    console.log(
      `(2) DC down: p50 ${ms(percentile(dead.latencies, 50))}, p99 ${ms(percentile(dead.latencies, 99))} ` +
        `(operation timeout ${settings.timeout * 1000} ms; the round with the median p99); ` +
        `answers ${JSON.stringify(Object.fromEntries(dead.results))}`,
    );
  } finally {
    stop();
    fs.rmSync(data, { recursive: true, force: true });
  }
});
