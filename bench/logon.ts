/**
 * IM logons through the users database, against the cached 20 000-user Samba DC and a real ejabberd.
 * Prints figures with their baselines measured in the same run; asserts nothing.
 *   npm run bench:logon        (as root, Samba and ejabberd installed; BENCH_DC_ADDRESS=127.0.0.8 to run
 *                               beside the test suite's DC)
 * (a) `isuser` for accounts in the database, straight to one /EXTAUTH process: p50 / p99.
 * (b) 200 concurrent XMPP logons of AD users already in the database: p50 / p99, logons per second,
 *     failures, connections to the DC (user binds: target one per logon).
 * (c) 200 concurrent first logons (imported on the fly): p50 / p99, accounts created (target 200).
 * Baselines: the same 200 logons against ejabberd's own `auth_method: internal` users (the IM server's
 * floor), and 200 bare LDAPS binds of the same AD users with the same concurrency (the directory's floor).
 *   --database sqlite (default) | postgresql | both: with PostgreSQL (a private cluster started for the run), two
 *   data folders — two IM nodes, each an ejabberd with its pool — share one database, and (b) and (c) spread the
 *   200 logons over both; with both, the SQLite one-node figures and the PostgreSQL two-node ones come from the
 *   same run.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Attribute, Change, Client } from 'ldapts';
import { BCSCMD } from '../test/support/bcscmd.ts';
import { DOMAIN, NETBIOS, SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { EJABBERDCTL, extauthCommand, giveToEjabberd, startEjabberd } from '../test/support/ejabberd.ts';
import { adminClient, unicodePwd } from '../test/support/seed-directory.ts';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.ts';
import { xmppLogon } from '../test/support/xmpp.ts';
import { createTestDatabase, startTestPostgres, stopTestPostgres } from '../test/support/postgres.ts';
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { openBenchDc } from './bench-dc.ts';
import { BENCH_OU, BENCH_PASSWORD, benchDn, benchName, enableBenchAccounts, percentile } from './seed-bench-ou.ts';

const USERS = 20_000;
const LOGONS = 200;
const ISUSER_CALLS = 2000;
/** extauth processes (ejabberd's extauth_pool_size). */
const POOL = 4;
const PASSWORD = BENCH_PASSWORD;
const name = benchName;
const dnOf = benchDn;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
const summary = (values: number[]) => `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0 };
}

type Server = Parameters<typeof xmppLogon>[0];

/** Every user logs on at once, through the servers in turn (one server: all through it). */
async function logons(servers: Server | Server[], users: string[], password: string) {
  const list = Array.isArray(servers) ? servers : [servers];
  const started = performance.now();
  const results = await Promise.all(users.map((u, i) => timed(() => xmppLogon(list[i % list.length]!, u, password))));
  const wallMs = performance.now() - started;
  return {
    latencies: results.map((r) => r.ms),
    failed: results.filter((r) => !r.value.ok).length,
    perSecond: (users.length / wallMs) * 1000,
  };
}

// xmpp.js can reject a promise nobody awaits when an exchange times out: counted, not fatal, so that the
// servers below are always stopped.
const stray: unknown[] = [];
process.on('unhandledRejection', (err) => stray.push(err));
process.on('uncaughtException', (err) => stray.push(err));
const phase = (what: string) => console.error(`[bench] ${what}`);

const { values } = parseArgs({ options: { database: { type: 'string', default: 'sqlite' } } });
if (!['sqlite', 'postgresql', 'both'].includes(values.database))
  throw new Error(`--database takes sqlite, postgresql or both, not ${values.database}`);
const ENGINES = values.database === 'both' ? ['sqlite', 'postgresql'] : [values.database];

const { dc, cache, stop } = await openBenchDc(USERS);
const work = fs.mkdtempSync(path.join(cache, '..', 'logon-'));
fs.chmodSync(work, 0o755);
const servers: { stop: () => Promise<void> }[] = [];
let relay: TcpProxy | null = null;
const postgres = ENGINES.includes('postgresql')
  ? await startTestPostgres(fs.mkdtempSync(path.join('/tmp', 'adconsole-bench-pg-')))
  : null;
// The second 200 log on for the first time: out of the database, so that they are imported on the fly.
const firstTimers = Array.from({ length: LOGONS }, (_, i) => name(LOGONS + i));

interface Figures {
  label: string;
  isuser: number[];
  isuserTrue: number;
  known: Awaited<ReturnType<typeof logons>>;
  knownConnections: number;
  first: Awaited<ReturnType<typeof logons>>;
  created: number;
}

try {
  // Passwords for the accounts that log on (the seeded ones need none: they are import material), all enabled.
  const admin = await adminClient(dc.address, dc.caFile);
  const enabled = await enableBenchAccounts(admin);
  if (enabled) console.error(`[bench] enabled again ${enabled} accounts another benchmark disabled`);
  for (let i = 0; i < 2 * LOGONS; i += 10)
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        admin.modify(
          dnOf(i + k),
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(PASSWORD)] }),
          }),
        ),
      ),
    );
  await admin.unbind();

  // The extauth processes reach the DC through this relay, which counts their connections.
  relay = await startTcpProxy(dc.address, 636, dc.address);
  const caFile = path.join(work, 'ca.pem');
  fs.copyFileSync(dc.caFile, caFile);
  const passwordFile = path.join(work, 'ldap.txt');
  fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });

  /** A data folder ("IM node") set up for the bench DC through the relay, on `database` ('' = its own file). */
  const nodeFolder = (label: string, database: string) => {
    const data = path.join(work, label);
    fs.mkdirSync(data);
    const set = spawnSync(
      process.execPath,
      [
        BCSCMD,
        `/DATA:${data}`,
        `/SET:server=${dc.address}`,
        `/SET:port=${relay!.port}`,
        `/SET:caFile=${caFile}`,
        `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
        `/SET:ouPath=LDAP://${BENCH_OU}`,
        '/SET:autoImport=yes',
        '/SET:pageSize=1000',
        ...(database ? [`/SET:database=${database}`] : []),
      ],
      { encoding: 'utf8' },
    );
    if (set.status !== 0) throw new Error(set.stderr);
    return data;
  };

  /** One engine's run: one node on SQLite, two nodes on one PostgreSQL database. */
  async function measure(engine: string, nodeCount: number): Promise<Figures> {
    const url = engine === 'postgresql' ? await createTestDatabase(postgres!) : '';
    const folders = Array.from({ length: nodeCount }, (_, i) => `${engine}-${nodeCount}-node-${i + 1}`);
    const nodes = folders.map((f) => nodeFolder(f, url));
    // Not spawnSync: the relay in this process must keep pumping while bcscmd imports through it.
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [BCSCMD, `/DATA:${nodes[0]}`, '/LDAP', '/MODE:new', '/YES'],
        { env: { ...process.env, ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password } },
        (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
      ),
    );
    const location = { file: path.join(nodes[0]!, 'users.sqlite'), url, passwordFile: '' };
    const database = openUsersDatabase(location);
    await database.engine.write((tx) =>
      tx.run(`DELETE FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`, ...firstTimers),
    );
    database.close();
    // The extauth processes run as ejabberd: the nodes' folders, the CA and the password file are theirs to read.
    giveToEjabberd(work);

    phase(`${engine}: (a) isuser`);
    // (a) isuser straight to one extauth process, one request at a time as ejabberd sends them.
    const [program, ...args] = extauthCommand([`/DATA:${nodes[0]}`, `/PASSWORDFILE:${passwordFile}`]);
    const child = spawn(program!, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const answers: ((b: Buffer) => void)[] = [];
    let pending = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        answers.shift()!(pending.subarray(0, 4));
        pending = pending.subarray(4);
      }
    });
    const ask = (text: string) =>
      new Promise<Buffer>((resolve) => {
        answers.push(resolve);
        const body = Buffer.from(text);
        child.stdin.write(Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]));
      });
    await ask(`isuser:${name(0)}:${DOMAIN}`); // start-up and the database's first open are not the figure
    const isuser: number[] = [];
    let isuserTrue = 0;
    for (let i = 0; i < ISUSER_CALLS; i++) {
      const { value, ms: took } = await timed(() => ask(`isuser:${name(i % LOGONS)}:${DOMAIN}`));
      isuser.push(took);
      if (value[3] === 1) isuserTrue++;
    }
    child.stdin.end();

    phase(`${engine}: (b) and (c)`);
    // (b) and (c) through ejabberd and its pool of extauth processes: one server per node.
    const nodeServers = [];
    for (const node of nodes) {
      const server = await startEjabberd({
        domain: DOMAIN,
        extauth: extauthCommand([`/DATA:${node}`, `/PASSWORDFILE:${passwordFile}`]),
        poolSize: POOL,
      });
      servers.push(server);
      nodeServers.push(server);
      await xmppLogon(server, 'nobody-warms-up', 'x'); // the pool's processes start before the figures
    }
    const before = relay!.connections();
    const known = await logons(
      nodeServers,
      Array.from({ length: LOGONS }, (_, i) => name(i)),
      PASSWORD,
    );
    const knownConnections = relay!.connections() - before;
    const first = await logons(nodeServers, firstTimers, PASSWORD);
    const check = openUsersDatabase(location);
    const created = Number(
      (await check.engine.get<{ n: number }>(
        `SELECT count(*) AS n FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`,
        ...firstTimers,
      ))!.n,
    );
    check.close();
    for (const server of nodeServers) await server.stop();
    const label =
      engine === 'postgresql'
        ? nodeCount === 2
          ? 'PostgreSQL, two IM nodes (two ejabberd, one database)'
          : 'PostgreSQL, one IM node'
        : 'SQLite, one IM node';
    return { label, isuser, isuserTrue, known, knownConnections, first, created };
  }

  phase('baseline: internal auth');
  // Baseline: ejabberd's own users (20 registered, each logging on 10 times).
  const internal = await startEjabberd({ domain: DOMAIN });
  servers.push(internal);
  const internalUsers = Array.from({ length: 20 }, (_, i) => `local${i}`);
  for (const u of internalUsers) {
    const r = spawnSync(
      EJABBERDCTL,
      ['--config-dir', internal.dir, '--node', internal.node, 'register', u, DOMAIN, PASSWORD],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`ejabberdctl register: ${r.stdout}${r.stderr}`);
  }
  const floor = await logons(
    internal,
    Array.from({ length: LOGONS }, (_, i) => internalUsers[i % 20]!),
    PASSWORD,
  );
  await internal.stop();

  phase('baseline: LDAPS binds');
  // Baseline: bare LDAPS binds of the same AD users, with the same concurrency.
  // As many at a time as the extauth pool binds (one per process): the load the DC sees in (b).
  const binds: { ms: number }[] = [];
  let bindFailures = 0;
  const ca = [fs.readFileSync(caFile)];
  for (let i = 0; i < LOGONS; i += POOL)
    await Promise.all(
      Array.from({ length: POOL }, (_, k) =>
        timed(async () => {
          const client = new Client({ url: `ldaps://${dc.address}:636`, tlsOptions: { ca } });
          try {
            await client.bind(dnOf(i + k), PASSWORD);
          } catch {
            bindFailures++;
          } finally {
            await client.unbind().catch(() => undefined);
          }
        }).then((t) => binds.push(t)),
      ),
    );

  const figures: Figures[] = [];
  for (const engine of ENGINES) {
    // PostgreSQL also with one node: the database's own overhead, apart from a second ejabberd on these 2 cores.
    if (engine === 'postgresql') figures.push(await measure(engine, 1));
    figures.push(await measure(engine, engine === 'postgresql' ? 2 : 1));
  }

  const bindP50 = percentile(
    binds.map((b) => b.ms),
    50,
  );
  console.log(`IM logons, ${USERS.toLocaleString('en-US')} accounts in AD and in the users database`);
  for (const f of figures) {
    console.log(`\n${f.label}:`);
    console.log(
      `(a) isuser, one extauth process, ${ISUSER_CALLS} requests: ${summary(f.isuser)} (${f.isuserTrue} true)`,
    );
    console.log(
      `(b) ${LOGONS} concurrent XMPP logons, AD users in the database: ${summary(f.known.latencies)}, ` +
        `${f.known.perSecond.toFixed(0)} logons/s, ${f.known.failed} failed, ${f.knownConnections} connections to ` +
        'the DC',
    );
    console.log(
      `(c) ${LOGONS} concurrent first logons (on-the-fly import): ${summary(f.first.latencies)}, ` +
        `${f.first.failed} failed, ${f.created} accounts created`,
    );
  }
  console.log(
    `\nbaseline: ejabberd internal auth, ${LOGONS} concurrent logons: ${summary(floor.latencies)}, ` +
      `${floor.perSecond.toFixed(0)} logons/s, ${floor.failed} failed`,
  );
  console.log(
    `baseline: ${LOGONS} bare LDAPS binds (connect + TLS + bind), ${POOL} at a time as the pool makes them: ` +
      `${summary(binds.map((b) => b.ms))}, ${bindFailures} failed`,
  );
  if (stray.length) console.log(`client errors outside a logon: ${stray.length} (${String(stray[0])})`);
  for (const f of figures)
    console.log(
      `target (b), ${f.label}: p50 ${ms(percentile(f.known.latencies, 50))} ≤ internal p50 + one LDAPS bind = ` +
        `${ms(percentile(floor.latencies, 50) + bindP50)}`,
    );
  if (figures.length === 3) {
    const [lite, pgOne, pgTwo] = figures.map((f) => percentile(f.known.latencies, 50));
    console.log(
      `target (b) on PostgreSQL: two nodes' p50 / one SQLite node's p50 = ${(pgTwo! / lite!).toFixed(2)} (≤ 1.2), ` +
        `${figures[2]!.known.failed} failed (0); one PostgreSQL node's p50 / one SQLite node's = ` +
        `${(pgOne! / lite!).toFixed(2)}; isuser p99 on PostgreSQL ${ms(percentile(figures[1]!.isuser, 99))} (< 3 ms)`,
    );
  }
} finally {
  await relay?.close();
  for (const s of servers) await s.stop().catch(() => undefined);
  stop();
  if (postgres) stopTestPostgres(postgres);
  fs.rmSync(work, { recursive: true, force: true });
}
// A client library can leave a timer behind; the figures are printed and everything above is stopped.
process.exit(0);
