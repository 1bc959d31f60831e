/**
 * The import against ldapsearch on the same entries, on a Samba DC seeded once and kept in
 * .bench-cache/ (seeding 20 000 users takes minutes; later runs restart the cached DC in seconds).
 * Prints figures; asserts nothing.
 *   npm run bench:import -- --users 20000      (as root, Samba installed, ports 53/88/389/636 free)
 * Measures (a) ldapsearch -E pr=1000/noprompt, (b) bcscmd /LDAP /MODE:new into an empty database,
 * (c) a sync with no changes, (d) an incremental sync after 100 changes; wall times ((a), (b), (c): medians of 3,
 * alternating), (b)/(a), rate, peak RSS, and where (b)'s and (c)'s time went: the process's start and end (wall
 * time less the run's own), then the run's phases as its outcome reports them (`timings`).
 *   --database sqlite (default) | postgresql | both: the users database (b)–(d) write to; PostgreSQL is a
 *   private cluster started for the run (Debian's postgresql package), each (b) into a new empty database. With
 *   both, every round runs (a), (b) on SQLite and (b) on PostgreSQL in turn, and the ratio is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Attribute, Change } from 'ldapts';
import { NETBIOS, SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { ldapsearchArgs } from '../test/support/ldapsearch.ts';
import { adminClient } from '../test/support/seed-directory.ts';
import { createTestDatabase, startTestPostgres, stopTestPostgres } from '../test/support/postgres.ts';
import { openBenchDc } from './bench-dc.ts';
import { BENCH_OU } from './seed-bench-ou.ts';
import { median, runBench } from './bench-kit.ts';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '20000' }, database: { type: 'string', default: 'sqlite' } },
});
const USERS = Number(values.users);
if (!['sqlite', 'postgresql', 'both'].includes(values.database))
  throw new Error(`--database takes sqlite, postgresql or both, not ${values.database}`);
const ENGINES = values.database === 'both' ? ['sqlite', 'postgresql'] : [values.database];
const OU = BENCH_OU;
const FILTER = '(&(objectCategory=person)(objectClass=user))';
const ATTRIBUTES = [
  'objectGUID',
  'sAMAccountName',
  'givenName',
  'sn',
  'displayName',
  'mail',
  'department',
  'title',
  'telephoneNumber',
  'userAccountControl',
  'uSNChanged',
  'whenChanged',
];
const ROUNDS = 3;

function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { ms: number; out: string; rssMb: number | null } {
  // GNU time reports the peak RSS of the child (-f %M, in KiB) on stderr's last line.
  const hasTime = fs.existsSync('/usr/bin/time');
  const started = performance.now();
  const run = spawnSync(hasTime ? '/usr/bin/time' : command, hasTime ? ['-f', '%M', command, ...args] : args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const rss = hasTime ? Number(run.stderr.trim().split('\n').at(-1)) / 1024 : null;
  return { ms, out: run.stdout, rssMb: rss };
}

await runBench(async () => {
  const { dc, cache, stop } = await openBenchDc(USERS);
  const postgres = ENGINES.includes('postgresql')
    ? await startTestPostgres(fs.mkdtempSync(path.join('/tmp', 'adconsole-bench-pg-')))
    : null;
  try {
    const folders = new Map<string, string>();
    const bcscmdIn = (data: string, args: string[]) =>
      timed(process.execPath, [path.resolve('bin/bcscmd.js'), `/DATA:${data}`, ...args], {
        ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password,
      });
    for (const engine of ENGINES) {
      const data = fs.mkdtempSync(path.join(cache, '..', `run-${engine}-`));
      folders.set(engine, data);
      bcscmdIn(data, [
        `/SET:server=${dc.address}`,
        `/SET:caFile=${dc.caFile}`,
        `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
        `/SET:ouPath=LDAP://${OU}`,
        '/SET:pageSize=1000',
        '/SET:timeout=300',
      ]);
    }
    /** An empty users database for /MODE:new: the file removed, or a new PostgreSQL database. */
    const emptyDatabase = async (engine: string, data: string) => {
      if (engine === 'postgresql') {
        bcscmdIn(data, [`/SET:database=${await createTestDatabase(postgres!)}`]);
        return;
      }
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(data, `users.sqlite${suffix}`), { force: true });
    };

    // (a), (b) and (c) alternate, ROUNDS times each, so that all meet the DC in the same state; medians are printed.
    const searches: ReturnType<typeof timed>[] = [];
    const imports = new Map<string, ReturnType<typeof timed>[]>(ENGINES.map((e) => [e, []]));
    const fulls = new Map<string, ReturnType<typeof timed>[]>(ENGINES.map((e) => [e, []]));
    for (let round = 0; round < ROUNDS; round++) {
      searches.push(
        timed('ldapsearch', ldapsearchArgs(dc, OU, 1000, FILTER, ATTRIBUTES), { LDAPTLS_CACERT: dc.caFile }),
      );
      for (const engine of ENGINES) {
        const data = folders.get(engine)!;
        await emptyDatabase(engine, data);
        imports.get(engine)!.push(bcscmdIn(data, ['/LDAP', '/MODE:new', '/JSON']));
        fulls.get(engine)!.push(bcscmdIn(data, ['/LDAP', '/FULL', '/JSON']));
      }
    }
    const ldapsearch = median(searches);
    const entries = ldapsearch.out.split('\n').filter((l) => l.startsWith('dn:')).length;
    const noChange = new Map(ENGINES.map((e) => [e, median(fulls.get(e)!)]));

    const admin = await adminClient(dc.address, dc.caFile);
    for (let n = 0; n < 100; n++) {
      const id = String(n * Math.floor(USERS / 100)).padStart(6, '0');
      await admin.modify(
        `CN=Bench User ${id},${OU}`,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'title', values: [`Changed ${Date.now()}`] }),
        }),
      );
    }
    await admin.unbind();
    const incremental = new Map(ENGINES.map((e) => [e, bcscmdIn(folders.get(e)!, ['/LDAP', '/JSON'])]));
    for (const data of folders.values()) fs.rmSync(data, { recursive: true, force: true });

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const rss = (mb: number | null) => (mb === null ? 'n/a (install GNU time)' : `${mb.toFixed(0)} MB`);
    console.log(
      `\n${USERS} users in ${OU} on Samba ${execFileSync('samba', ['--version'], { encoding: 'utf8' }).trim()}, ` +
        `page size 1000, ${process.version}`,
    );
    console.log(`medians of ${ROUNDS}: (a) ${searches.map((r) => s(r.ms)).join(', ')}`);
    console.log(
      `(a) ldapsearch -E pr=1000/noprompt:          ${s(ldapsearch.ms)}  (${entries} entries, ` +
        `${(entries / (ldapsearch.ms / 1000)).toFixed(0)}/s, peak RSS ${rss(ldapsearch.rssMb)})`,
    );
    for (const engine of ENGINES) {
      const runs = imports.get(engine)!;
      const imported = median(runs);
      const created = JSON.parse(imported.out).created as number;
      const inc = JSON.parse(incremental.get(engine)!.out);
      console.log(`\n${engine === 'sqlite' ? 'SQLite (users.sqlite)' : 'PostgreSQL (private cluster, loopback)'}:`);
      console.log(`    (b) runs: ${runs.map((r) => s(r.ms)).join(', ')}`);
      console.log(
        `(b) bcscmd /LDAP /MODE:new (empty database): ${s(imported.ms)}  (${created} created, ` +
          `${(created / (imported.ms / 1000)).toFixed(0)}/s, peak RSS ${rss(imported.rssMb)})  ratio (b)/(a) = ` +
          `${(imported.ms / ldapsearch.ms).toFixed(2)}`,
      );
      const full = noChange.get(engine)!;
      console.log(
        `    (c) runs: ${fulls
          .get(engine)!
          .map((r) => s(r.ms))
          .join(', ')}`,
      );
      console.log(
        `(c) sync with no changes (/FULL):            ${s(full.ms)}  (${JSON.parse(full.out).unchanged} ` +
          `unchanged, peak RSS ${rss(full.rssMb)})  ratio (c)/(a) = ${(full.ms / ldapsearch.ms).toFixed(2)}`,
      );
      for (const [label, run] of [
        ['(b)', imported],
        ['(c)', full],
      ] as const) {
        const outcome = JSON.parse(run.out) as { durationMs: number; timings: Record<string, number> };
        const phases = Object.entries(outcome.timings).map(([phase, took]) => `${phase} ${s(took)}`);
        console.log(
          `    ${label} where the time went: start and end ${s(run.ms - outcome.durationMs)}, ${phases.join(', ')}`,
        );
      }
      console.log(
        `(d) incremental sync after 100 changes:      ${s(incremental.get(engine)!.ms)}  (incremental ` +
          `${inc.incremental}, ${inc.read} entries read, ${inc.updated} updated, peak RSS ` +
          `${rss(incremental.get(engine)!.rssMb)})`,
      );
    }
    if (ENGINES.length === 2) {
      const [lite, pg] = ENGINES.map((e) => median(imports.get(e)!).ms);
      console.log(
        `\nPostgreSQL import / SQLite import (medians, same run): ${(pg! / lite!).toFixed(2)} (target ≤ 1.2)`,
      );
    }
  } finally {
    stop(); // the folder stays: it is the cache
    if (postgres) stopTestPostgres(postgres);
  }
});
