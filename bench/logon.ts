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
 * floor), and 200 bare LDAPS binds of the same AD users, as many at a time as the pool binds (the directory's
 * floor).
 * The clients are CLIENT_PROCESSES processes of lean XMPP logons (bench/lean-xmpp.ts), started before a burst
 * and released together; their CPU share is printed, so that a figure set by the clients shows as such. The
 * contenders run in turn, ROUNDS rounds; the figures are the medians of the rounds' p50 and p99.
 *   --database sqlite (default) | postgresql | both: with PostgreSQL (a private cluster started for the run), two
 *   data folders — two IM nodes, each an ejabberd with its pool — share one database, and (b) and (c) spread the
 *   200 logons over both; with both, the SQLite one-node figures and the PostgreSQL ones come from the same run.
 *   --pools 4 (default) | a list such as 1,2,4,8: ejabberd's extauth_pool_size; with a list, (b) and (c) on
 *   SQLite for each size (which size the README recommends, and why).
 *   --profile DIR: every extauth process writes a V8 CPU profile into a new folder in DIR (DIR/extauth-…, named
 *   at the start) when it ends (node --cpu-prof).
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Attribute, Client } from 'ldapts';
import { BCSCMD } from '../test/support/bcscmd.ts';
import { DOMAIN, NETBIOS, SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { type Ejabberd, EJABBERDCTL, extauthCommand, giveToEjabberd, startEjabberd } from '../test/support/ejabberd.ts';
import { adminClient, unicodePwd } from '../test/support/seed-directory.ts';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.ts';
import { createTestDatabase, startTestPostgres, stopTestPostgres } from '../test/support/postgres.ts';
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { machineCpu, medianOf, processCpuMs, runBench } from './bench-kit.ts';
import { LOCK_STATE_ATTRIBUTES } from '../electron/core/directory/password-policy.ts';
import { openBenchDc } from './bench-dc.ts';
import type { LeanServer } from './lean-xmpp.ts';
import {
  BENCH_OU,
  BENCH_PASSWORD,
  benchDn,
  benchName,
  enableBenchAccounts,
  modifyBenchAccounts,
  percentile,
} from './seed-bench-ou.ts';

const USERS = 20_000;
const LOGONS = 200;
const ISUSER_CALLS = 2000;
const ROUNDS = 3;
const CLIENT_PROCESSES = 4;
const PASSWORD = BENCH_PASSWORD;
const name = benchName;
const dnOf = benchDn;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'sqlite' },
    pools: { type: 'string', default: '4' },
    profile: { type: 'string' },
  },
});
if (!['sqlite', 'postgresql', 'both'].includes(values.database))
  throw new Error(`--database takes sqlite, postgresql or both, not ${values.database}`);
const ENGINES = values.database === 'both' ? ['sqlite', 'postgresql'] : [values.database];
const POOLS = values.pools.split(',').map(Number);
/**
 * The extauth processes run as the ejabberd user: their profiles go into a folder of this run's own inside the one
 * named, which that user may write (mkdir's mode is cut by the umask, and a folder that exists keeps its own: a
 * profile run wrote nothing into a root-owned 0755 folder).
 */
function profileFolder(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'extauth-'));
  fs.chmodSync(dir, 0o777);
  return dir;
}
const PROFILE_DIR = values.profile ? profileFolder(path.resolve(values.profile)) : null;
if (PROFILE_DIR) console.error(`[bench] the extauth processes' V8 profiles go to ${PROFILE_DIR}`);
if (POOLS.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
  throw new Error(`--pools takes pool sizes such as 4 or 1,2,4,8, not ${values.pools}`);

interface Burst {
  latencies: number[];
  failed: number;
  errors: string[];
  perSecond: number;
  /** The client processes' CPU time over the burst's wall time and the machine's cores. */
  clientCpuShare: number;
  /** How busy the machine's cores were over the burst (everything: ejabberd, extauth, the DC, the clients). */
  machineBusy: number;
  /** The CPU time all but the clients spent, per logon (ejabberd, its extauth processes, the DC, the database). */
  serverCpuPerLogonMs: number;
  /** Of it, per logon: the DC's (Samba), ejabberd's own (its Erlang VM) and the extauth processes' (bcscmd). */
  split: { dc: number; ejabberd: number; extauth: number };
}

/** Where a burst's CPU went: the DC's process group, ejabberd's Erlang VM, the extauth processes (bcscmd). */
function serverCpu(): { dc: number; ejabberd: number; extauth: number } {
  const ejabberdUid = Number(execFileSync('id', ['-u', 'ejabberd'], { encoding: 'utf8' }).trim());
  return {
    dc: processCpuMs((p) => p.pgrp === benchDcPid),
    ejabberd: processCpuMs((p) => p.uid === ejabberdUid && !p.command.includes('bcscmd')),
    extauth: processCpuMs((p) => p.uid === ejabberdUid && p.command.includes('bcscmd')),
  };
}
let benchDcPid = -1;

/** Every user logs on at once, through the servers in turn, from CLIENT_PROCESSES processes released together. */
async function burst(servers: Ejabberd[], users: string[], password: string): Promise<Burst> {
  const lean: LeanServer[] = servers.map((s) => ({
    port: s.port,
    domain: s.domain,
    ca: fs.readFileSync(s.certificate, 'utf8'),
  }));
  const shares = Array.from({ length: CLIENT_PROCESSES }, (_, p) => users.filter((_, i) => i % CLIENT_PROCESSES === p));
  const children = shares.map((share, p) =>
    spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'logon-client.ts'),
        // Each process starts at another server, so that the users spread over all of them.
        JSON.stringify({
          servers: [...lean.slice(p % lean.length), ...lean.slice(0, p % lean.length)],
          users: share,
          password,
        }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const outputs = children.map((child) => {
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (text += chunk));
    return {
      ready: new Promise<void>((resolve) => {
        const look = () => (text.includes('ready\n') ? resolve() : child.stdout.once('data', look));
        look();
      }),
      done: new Promise<string>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`a client exited ${code}`)))),
      ),
    };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const cpuBefore = machineCpu();
  const splitBefore = serverCpu();
  const started = performance.now();
  for (const child of children) child.stdin.write('go\n');
  const reports = (await Promise.all(outputs.map((o) => o.done))).map(
    (text) =>
      JSON.parse(text.slice(text.indexOf('ready\n') + 6)) as {
        results: { ms: number; ok: boolean; error: string | null }[];
        cpuMs: number;
      },
  );
  const wallMs = performance.now() - started;
  const cpuAfter = machineCpu();
  const splitAfter = serverCpu();
  const results = reports.flatMap((r) => r.results);
  const cpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
  const busyMs = cpuAfter.busyMs - cpuBefore.busyMs;
  return {
    latencies: results.map((r) => r.ms),
    failed: results.filter((r) => !r.ok).length,
    errors: [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))],
    perSecond: (users.length / wallMs) * 1000,
    clientCpuShare: cpuMs / (wallMs * os.availableParallelism()),
    machineBusy: busyMs / (cpuAfter.allMs - cpuBefore.allMs),
    serverCpuPerLogonMs: Math.max(0, busyMs - cpuMs) / users.length,
    split: {
      dc: (splitAfter.dc - splitBefore.dc) / users.length,
      ejabberd: (splitAfter.ejabberd - splitBefore.ejabberd) / users.length,
      extauth: (splitAfter.extauth - splitBefore.extauth) / users.length,
    },
  };
}

/** The rounds of one contender: medians of their p50 and p99, the rounds' p50s, failures, the clients' share. */
function summary(runs: Burst[]): string {
  const p50s = runs.map((r) => percentile(r.latencies, 50));
  const p99s = runs.map((r) => percentile(r.latencies, 99));
  const failed = runs.reduce((sum, r) => sum + r.failed, 0);
  const errors = [...new Set(runs.flatMap((r) => r.errors))];
  const share = Math.max(...runs.map((r) => r.clientCpuShare));
  return (
    `p50 ${ms(medianOf(p50s))}, p99 ${ms(medianOf(p99s))} (rounds' p50: ${p50s.map(ms).join(', ')}), ` +
    `${medianOf(runs.map((r) => r.perSecond)).toFixed(0)} logons/s, ${failed} failed` +
    `${errors.length ? ` (${errors.slice(0, 3).join('; ')})` : ''}, ` +
    `clients ≤ ${(share * 100).toFixed(0)} % of the CPU; ` +
    `cores busy ${(medianOf(runs.map((r) => r.machineBusy)) * 100).toFixed(0)} %, ` +
    `${medianOf(runs.map((r) => r.serverCpuPerLogonMs)).toFixed(1)} ms of CPU a logon besides the clients' ` +
    `(the burst's work alone keeps all ${os.availableParallelism()} cores busy for ` +
    `${ms((medianOf(runs.map((r) => r.serverCpuPerLogonMs)) * LOGONS) / os.availableParallelism())}; of it the ` +
    `DC ${medianOf(runs.map((r) => r.split.dc)).toFixed(1)} ms, ejabberd ` +
    `${medianOf(runs.map((r) => r.split.ejabberd)).toFixed(1)} ms, the extauth processes ` +
    `${medianOf(runs.map((r) => r.split.extauth)).toFixed(1)} ms a logon)`
  );
}

const p50Of = (runs: Burst[]) => medianOf(runs.map((r) => percentile(r.latencies, 50)));
const p99Of = (runs: Burst[]) => medianOf(runs.map((r) => percentile(r.latencies, 99)));
const phase = (what: string) => console.error(`[bench] ${what}`);

await runBench(async () => {
  const { dc, cache, stop } = await openBenchDc(USERS);
  benchDcPid = dc.pid;
  const work = fs.mkdtempSync(path.join(cache, '..', 'logon-'));
  fs.chmodSync(work, 0o755);
  const servers: { stop: () => Promise<void> }[] = [];
  let relay: TcpProxy | null = null;
  const postgres = ENGINES.includes('postgresql')
    ? await startTestPostgres(fs.mkdtempSync(path.join('/tmp', 'adconsole-bench-pg-')))
    : null;
  // The second 200 log on for the first time: out of the database, so that they are imported on the fly.
  const firstTimers = Array.from({ length: LOGONS }, (_, i) => name(LOGONS + i));
  const known = Array.from({ length: LOGONS }, (_, i) => name(i));

  try {
    // Passwords for the accounts that log on (the seeded ones need none: they are import material), all enabled.
    const admin = await adminClient(dc.address, dc.caFile);
    const enabled = await enableBenchAccounts(admin);
    if (enabled) phase(`enabled again ${enabled} accounts another benchmark disabled`);
    await modifyBenchAccounts(
      admin,
      0,
      2 * LOGONS,
      () => new Attribute({ type: 'unicodePwd', values: [unicodePwd(PASSWORD)] }),
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

    interface Setup {
      label: string;
      nodes: string[];
      location: { file: string; url: string; passwordFile: string };
      servers: Ejabberd[];
      isuser: number[];
      isuserTrue: number;
      known: Burst[];
      knownConnections: number[];
      first: Burst[];
      created: number[];
      /** Per round: the p50 of the on-the-fly imports' run times (their history rows). */
      importMs: number[];
    }

    const forgetFirstTimers = async (setup: Setup) => {
      const database = openUsersDatabase(setup.location);
      await database.engine.write((tx) =>
        tx.run(`DELETE FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`, ...firstTimers),
      );
      database.close();
    };

    /** One configuration: its nodes' folders imported, (a) measured, its ejabberd servers started. */
    async function prepare(engine: string, nodeCount: number, pool: number): Promise<Setup> {
      const url = engine === 'postgresql' ? await createTestDatabase(postgres!) : '';
      const nodes = Array.from({ length: nodeCount }, (_, i) =>
        nodeFolder(`${engine}-${nodeCount}-node-${i + 1}-pool-${pool}`, url),
      );
      // Not spawnSync: the relay in this process must keep pumping while bcscmd imports through it.
      await new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [BCSCMD, `/DATA:${nodes[0]}`, '/LDAP', '/MODE:new', '/YES'],
          { env: { ...process.env, ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password } },
          (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
        ),
      );
      const label =
        (engine === 'postgresql'
          ? nodeCount === 2
            ? 'PostgreSQL, two IM nodes (two ejabberd, one database)'
            : 'PostgreSQL, one IM node'
          : 'SQLite, one IM node') + `, extauth_pool_size ${pool}`;
      const setup: Setup = {
        label,
        nodes,
        location: { file: path.join(nodes[0]!, 'users.sqlite'), url, passwordFile: '' },
        servers: [],
        isuser: [],
        isuserTrue: 0,
        known: [],
        knownConnections: [],
        first: [],
        created: [],
        importMs: [],
      };
      await forgetFirstTimers(setup);
      // The extauth processes run as ejabberd: the nodes' folders, the CA and the password file are theirs to read.
      giveToEjabberd(work);

      phase(`${label}: (a) isuser`);
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
      for (let i = 0; i < ISUSER_CALLS; i++) {
        const t0 = performance.now();
        const value = await ask(`isuser:${name(i % LOGONS)}:${DOMAIN}`);
        setup.isuser.push(performance.now() - t0);
        if (value[3] === 1) setup.isuserTrue++;
      }
      child.stdin.end();

      for (const node of nodes) {
        const server = await startEjabberd({
          domain: DOMAIN,
          extauth: extauthCommand([`/DATA:${node}`, `/PASSWORDFILE:${passwordFile}`]),
          poolSize: pool,
          ...(PROFILE_DIR ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } } : {}),
        });
        servers.push(server);
        setup.servers.push(server);
      }
      // The pools' processes start before the figures.
      await burst(setup.servers, ['nobody-warms-up'], 'x');
      return setup;
    }

    phase('starting the servers');
    const setups: Setup[] = [];
    for (const engine of ENGINES)
      for (const pool of engine === 'sqlite' ? POOLS : [POOLS[0]!]) {
        // PostgreSQL also with one node: the database's own overhead, apart from a second ejabberd on these cores.
        if (engine === 'postgresql') setups.push(await prepare(engine, 1, pool));
        setups.push(await prepare(engine, engine === 'postgresql' ? 2 : 1, pool));
      }

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
    await burst([internal], ['local0'], PASSWORD);

    // Baseline: bare LDAPS binds of the same AD users, as many at a time as the extauth pool binds.
    const ca = [fs.readFileSync(caFile)];
    const bindRound = async (pool: number) => {
      const times: number[] = [];
      let failures = 0;
      for (let i = 0; i < LOGONS; i += pool)
        await Promise.all(
          Array.from({ length: Math.min(pool, LOGONS - i) }, async (_, k) => {
            const t0 = performance.now();
            const client = new Client({ url: `ldaps://${dc.address}:636`, tlsOptions: { ca } });
            try {
              await client.bind(dnOf(i + k), PASSWORD);
            } catch {
              failures++;
            } finally {
              await client.unbind().catch(() => undefined);
            }
            times.push(performance.now() - t0);
          }),
        );
      return { p50: percentile(times, 50), failures };
    };
    // Baseline: the directory's pace for a burst — the 200 users' binds all asked at once over as many kept
    // connections as the pool keeps (as the extauth processes bind): when half of them have been answered.
    const bindBurst = async (pool: number) => {
      const clients = await Promise.all(
        Array.from({ length: pool }, async () => {
          const client = new Client({ url: `ldaps://${dc.address}:636`, tlsOptions: { ca } });
          await client.bind(dnOf(0), PASSWORD);
          return client;
        }),
      );
      const t0 = performance.now();
      const dcBefore = processCpuMs((p) => p.pgrp === dc.pid);
      const done: number[] = [];
      await Promise.all(
        clients.map(async (client, c) => {
          for (let i = c; i < LOGONS; i += pool) {
            await client.bind(dnOf(i), PASSWORD);
            done.push(performance.now() - t0);
          }
        }),
      );
      const dcMs = (processCpuMs((p) => p.pgrp === dc.pid) - dcBefore) / LOGONS;
      for (const client of clients) await client.unbind().catch(() => undefined);
      return { half: percentile(done, 50), dcMs };
    };
    // Baseline: the DC's CPU for a logon's other question, the account's lockout state (as extauth reads it).
    const lockoutReads = async (pool: number) => {
      const client = new Client({ url: `ldaps://${dc.address}:636`, tlsOptions: { ca } });
      await client.bind(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`, SERVICE_ACCOUNT.password);
      const dcBefore = processCpuMs((p) => p.pgrp === dc.pid);
      for (let i = 0; i < LOGONS; i += pool)
        await Promise.all(
          Array.from({ length: Math.min(pool, LOGONS - i) }, (_, k) =>
            client.search(dnOf(i + k), { scope: 'base', attributes: [...LOCK_STATE_ATTRIBUTES] }),
          ),
        );
      const dcMs = (processCpuMs((p) => p.pgrp === dc.pid) - dcBefore) / LOGONS;
      await client.unbind();
      return dcMs;
    };
    // Baseline: one directory search for one account (what a first logon must ask), on a bound connection.
    const searchRound = async (pool: number) => {
      const client = new Client({ url: `ldaps://${dc.address}:636`, tlsOptions: { ca } });
      await client.bind(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`, SERVICE_ACCOUNT.password);
      const times: number[] = [];
      for (let i = 0; i < LOGONS; i += pool)
        await Promise.all(
          Array.from({ length: Math.min(pool, LOGONS - i) }, async (_, k) => {
            const t0 = performance.now();
            await client.search(BENCH_OU, { filter: `(sAMAccountName=${name(LOGONS + i + k)})`, attributes: ['*'] });
            times.push(performance.now() - t0);
          }),
        );
      await client.unbind();
      return percentile(times, 50);
    };

    const floor: Burst[] = [];
    const binds: { p50: number; failures: number }[] = [];
    const searches: number[] = [];
    const bindBursts: { half: number; dcMs: number }[] = [];
    const lockoutDcMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      phase(`round ${round} of ${ROUNDS}`);
      floor.push(
        await burst(
          [internal],
          Array.from({ length: LOGONS }, (_, i) => internalUsers[i % 20]!),
          PASSWORD,
        ),
      );
      binds.push(await bindRound(POOLS[0]!));
      searches.push(await searchRound(POOLS[0]!));
      bindBursts.push(await bindBurst(POOLS[0]!));
      lockoutDcMs.push(await lockoutReads(POOLS[0]!));
      for (const setup of setups) {
        const before = relay!.connections();
        setup.known.push(await burst(setup.servers, known, PASSWORD));
        setup.knownConnections.push(relay!.connections() - before);
        setup.first.push(await burst(setup.servers, firstTimers, PASSWORD));
        const check = openUsersDatabase(setup.location);
        setup.created.push(
          Number(
            (await check.engine.get<{ n: number }>(
              `SELECT count(*) AS n FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`,
              ...firstTimers,
            ))!.n,
          ),
        );
        // The on-the-fly imports' own transactions, from their history rows: what one import costs under load.
        const runs = await check.engine.all<{ started_at: string; finished_at: string }>(
          "SELECT started_at, finished_at FROM import_runs WHERE mode = 'on-the-fly' AND finished_at IS NOT NULL " +
            'ORDER BY id DESC LIMIT ?',
          LOGONS,
        );
        setup.importMs.push(
          percentile(
            runs.map((r) => Date.parse(r.finished_at) - Date.parse(r.started_at)),
            50,
          ),
        );
        check.close();
        await forgetFirstTimers(setup);
      }
    }
    await internal.stop();
    for (const setup of setups) for (const server of setup.servers) await server.stop();

    const bindP50 = medianOf(binds.map((b) => b.p50));
    const searchP50 = medianOf(searches);
    console.log(
      `\nIM logons, ${USERS.toLocaleString('en-US')} accounts in AD and in the users database; ${ROUNDS} rounds, ` +
        `contenders in turn; ${CLIENT_PROCESSES} client processes of lean XMPP logons`,
    );
    console.log(
      `baseline: ejabberd internal auth, ${LOGONS} concurrent logons: ${summary(floor)}; ` +
        `p99 / p50 = ${(p99Of(floor) / p50Of(floor)).toFixed(1)} (a stable floor: ≤ 3)`,
    );
    console.log(
      `baseline: ${LOGONS} bare LDAPS binds (connect + TLS + bind), ${POOLS[0]} at a time: p50 ${ms(bindP50)} ` +
        `(rounds: ${binds.map((b) => ms(b.p50)).join(', ')}), ${binds.reduce((n, b) => n + b.failures, 0)} failed`,
    );
    console.log(
      `baseline: the DC's pace: ${LOGONS} binds asked at once over ${POOLS[0]} kept connections: half answered ` +
        `after ${ms(medianOf(bindBursts.map((b) => b.half)))} ` +
        `(rounds: ${bindBursts.map((b) => ms(b.half)).join(', ')}); ` +
        `the DC's CPU ${ms(medianOf(bindBursts.map((b) => b.dcMs)))} a bind, ${ms(medianOf(lockoutDcMs))} a ` +
        `lockout-state read`,
    );
    console.log(
      `baseline: ${LOGONS} searches for one account each on a bound connection, ${POOLS[0]} at a time: ` +
        `p50 ${ms(searchP50)} (rounds: ${searches.map(ms).join(', ')})`,
    );
    for (const s of setups) {
      console.log(`\n${s.label}:`);
      console.log(
        `(a) isuser, one extauth process, ${ISUSER_CALLS} requests: p50 ${ms(percentile(s.isuser, 50))}, ` +
          `p99 ${ms(percentile(s.isuser, 99))} (${s.isuserTrue} true)`,
      );
      console.log(
        `(b) ${LOGONS} concurrent logons, AD users in the database: ${summary(s.known)}; ` +
          `connections to the DC per round: ${s.knownConnections.join(', ')}`,
      );
      console.log(
        `(c) ${LOGONS} concurrent first logons (on-the-fly import): ${summary(s.first)}; ` +
          `accounts created per round: ${s.created.join(', ')}`,
      );
      console.log(
        `target (b): p50 ${ms(p50Of(s.known))} ≤ internal p50 + one LDAPS bind = ` +
          `${ms(p50Of(floor) + bindP50)}: ${p50Of(s.known) <= p50Of(floor) + bindP50 ? 'met' : 'missed'}`,
      );
      const importMs = medianOf(s.importMs);
      const firstTarget = p50Of(s.known) + searchP50 + importMs;
      console.log(
        `target (c): p50 ${ms(p50Of(s.first))} ≤ (b) p50 + one search + one import transaction (its run, p50 ` +
          `${ms(importMs)}) = ${ms(firstTarget)}: ${p50Of(s.first) <= firstTarget ? 'met' : 'missed'}`,
      );
    }
    const lite = setups.find((s) => s.label.startsWith('SQLite') && s.label.endsWith(` ${POOLS[0]}`));
    const pgTwo = setups.find((s) => s.label.includes('two IM nodes'));
    if (lite && pgTwo)
      console.log(
        `\ntarget (b) on PostgreSQL: two nodes' p50 / one SQLite node's p50 = ` +
          `${(p50Of(pgTwo.known) / p50Of(lite.known)).toFixed(2)} (≤ 1.2)`,
      );
  } finally {
    await relay?.close();
    for (const s of servers) await s.stop().catch(() => undefined);
    stop();
    if (postgres) stopTestPostgres(postgres);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
