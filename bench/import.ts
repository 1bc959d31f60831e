/**
 * The import against ldapsearch on the same entries, on a Samba DC seeded once and kept in
 * .bench-cache/ (seeding 20 000 users takes minutes; later runs restart the cached DC in seconds).
 * Prints figures; asserts nothing.
 *   npm run bench:import -- --users 20000      (as root, Samba installed, ports 53/88/389/636 free)
 * Measures (a) ldapsearch -E pr=1000/noprompt, (b) bcscmd /LDAP /MODE:new into an empty database,
 * (c) a sync with no changes, (d) an incremental sync after 100 changes; wall times ((a), (b): medians of 3,
 * alternating), (b)/(a), rate, peak RSS.
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
import { openBenchDc } from './bench-dc.ts';
import { BENCH_OU } from './seed-bench-ou.ts';

const { values } = parseArgs({ options: { users: { type: 'string', default: '20000' } } });
const USERS = Number(values.users);
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
const median = <T extends { ms: number }>(runs: T[]): T =>
  [...runs].sort((x, y) => x.ms - y.ms)[Math.floor(runs.length / 2)]!;

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

const { dc, cache, stop } = await openBenchDc(USERS);
try {
  const data = fs.mkdtempSync(path.join(cache, '..', 'run-'));
  const bcscmd = (args: string[]) =>
    timed(process.execPath, [path.resolve('bin/bcscmd.js'), `/DATA:${data}`, ...args], {
      ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password,
    });
  bcscmd([
    `/SET:server=${dc.address}`,
    `/SET:caFile=${dc.caFile}`,
    `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
    `/SET:ouPath=LDAP://${OU}`,
    '/SET:pageSize=1000',
    '/SET:timeout=300',
  ]);

  // (a) and (b) alternate, ROUNDS times each, so that both meet the DC in the same state; medians are printed.
  const searches: ReturnType<typeof timed>[] = [];
  const imports: ReturnType<typeof timed>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    searches.push(timed('ldapsearch', ldapsearchArgs(dc, OU, 1000, FILTER, ATTRIBUTES), { LDAPTLS_CACERT: dc.caFile }));
    fs.rmSync(path.join(data, 'users.sqlite'), { force: true });
    fs.rmSync(path.join(data, 'users.sqlite-wal'), { force: true });
    fs.rmSync(path.join(data, 'users.sqlite-shm'), { force: true });
    imports.push(bcscmd(['/LDAP', '/MODE:new', '/JSON']));
  }
  const ldapsearch = median(searches);
  const imported = median(imports);
  const entries = ldapsearch.out.split('\n').filter((l) => l.startsWith('dn:')).length;
  const created = JSON.parse(imported.out).created as number;
  const noChange = bcscmd(['/LDAP', '/FULL', '/JSON']);

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
  const incremental = bcscmd(['/LDAP', '/JSON']);
  const inc = JSON.parse(incremental.out);
  fs.rmSync(data, { recursive: true, force: true });

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rss = (mb: number | null) => (mb === null ? 'n/a (install GNU time)' : `${mb.toFixed(0)} MB`);
  console.log(
    `\n${USERS} users in ${OU} on Samba ${execFileSync('samba', ['--version'], { encoding: 'utf8' }).trim()}, ` +
      `page size 1000, ${process.version}`,
  );
  console.log(
    `medians of ${ROUNDS}: (a) ${searches.map((r) => s(r.ms)).join(', ')}; (b) ` +
      `${imports.map((r) => s(r.ms)).join(', ')}`,
  );
  console.log(
    `(a) ldapsearch -E pr=1000/noprompt:          ${s(ldapsearch.ms)}  (${entries} entries, ` +
      `${(entries / (ldapsearch.ms / 1000)).toFixed(0)}/s, peak RSS ${rss(ldapsearch.rssMb)})`,
  );
  console.log(
    `(b) bcscmd /LDAP /MODE:new (empty database): ${s(imported.ms)}  (${created} created, ` +
      `${(created / (imported.ms / 1000)).toFixed(0)}/s, peak RSS ${rss(imported.rssMb)})  ratio (b)/(a) = ` +
      `${(imported.ms / ldapsearch.ms).toFixed(2)}`,
  );
  console.log(
    `(c) sync with no changes (/FULL):            ${s(noChange.ms)}  (${JSON.parse(noChange.out).unchanged} ` +
      `unchanged, peak RSS ${rss(noChange.rssMb)})`,
  );
  console.log(
    `(d) incremental sync after 100 changes:      ${s(incremental.ms)}  (incremental ${inc.incremental}, ` +
      `${inc.read} entries read, ${inc.updated} updated, peak RSS ${rss(incremental.rssMb)})`,
  );
} finally {
  stop(); // the folder stays: it is the cache
}
