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
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
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

async function logons(server: Parameters<typeof xmppLogon>[0], users: string[], password: string) {
  const started = performance.now();
  const results = await Promise.all(users.map((u) => timed(() => xmppLogon(server, u, password))));
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

const { dc, cache, stop } = await openBenchDc(USERS);
const data = fs.mkdtempSync(path.join(cache, '..', 'logon-'));
fs.chmodSync(data, 0o755);
const servers: { stop: () => Promise<void> }[] = [];
let relay: TcpProxy | null = null;
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
  const caFile = path.join(data, 'ca.pem');
  fs.copyFileSync(dc.caFile, caFile);
  const set = spawnSync(
    process.execPath,
    [
      BCSCMD,
      `/DATA:${data}`,
      `/SET:server=${dc.address}`,
      `/SET:port=${relay.port}`,
      `/SET:caFile=${caFile}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:ouPath=LDAP://${BENCH_OU}`,
      '/SET:autoImport=yes',
      '/SET:pageSize=1000',
    ],
    { encoding: 'utf8' },
  );
  if (set.status !== 0) throw new Error(set.stderr);
  // Not spawnSync: the relay in this process must keep pumping while bcscmd imports through it.
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [BCSCMD, `/DATA:${data}`, '/LDAP', '/MODE:new', '/YES'],
      { env: { ...process.env, ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password } },
      (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
    ),
  );
  // The second 200 log on for the first time: out of the database, so that they are imported on the fly.
  const firstTimers = Array.from({ length: LOGONS }, (_, i) => name(LOGONS + i));
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(path.join(data, 'users.sqlite'));
  db.prepare(`DELETE FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`).run(...firstTimers);
  db.close();
  const passwordFile = path.join(data, 'ldap.txt');
  fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
  giveToEjabberd(data);

  phase('(a) isuser');
  // (a) isuser straight to one extauth process, one request at a time as ejabberd sends them.
  const [program, ...args] = extauthCommand([`/DATA:${data}`, `/PASSWORDFILE:${passwordFile}`]);
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

  phase('(b) and (c)');
  // (b) and (c) through ejabberd and its pool of extauth processes.
  const server = await startEjabberd({
    domain: DOMAIN,
    extauth: extauthCommand([`/DATA:${data}`, `/PASSWORDFILE:${passwordFile}`]),
    poolSize: POOL,
  });
  servers.push(server);
  await xmppLogon(server, 'nobody-warms-up', 'x'); // the pool's processes start before the figures
  const before = relay.connections();
  const known = await logons(
    server,
    Array.from({ length: LOGONS }, (_, i) => name(i)),
    PASSWORD,
  );
  const knownConnections = relay.connections() - before;
  const first = await logons(server, firstTimers, PASSWORD);
  const check = new DatabaseSync(path.join(data, 'users.sqlite'));
  const created = (
    check
      .prepare(`SELECT count(*) AS n FROM accounts WHERE logon IN (${firstTimers.map(() => '?').join(',')})`)
      .get(...firstTimers) as { n: number }
  ).n;
  check.close();
  await server.stop();

  const bindP50 = percentile(
    binds.map((b) => b.ms),
    50,
  );
  console.log(`IM logons, ${USERS.toLocaleString('en-US')} accounts in AD and in the users database`);
  console.log(`(a) isuser, one extauth process, ${ISUSER_CALLS} requests: ${summary(isuser)} (${isuserTrue} true)`);
  console.log(
    `(b) ${LOGONS} concurrent XMPP logons, AD users in the database: ${summary(known.latencies)}, ` +
      `${known.perSecond.toFixed(0)} logons/s, ${known.failed} failed, ${knownConnections} connections to the DC`,
  );
  console.log(
    `(c) ${LOGONS} concurrent first logons (on-the-fly import): ${summary(first.latencies)}, ` +
      `${first.failed} failed, ${created} accounts created`,
  );
  console.log(
    `baseline: ejabberd internal auth, ${LOGONS} concurrent logons: ${summary(floor.latencies)}, ` +
      `${floor.perSecond.toFixed(0)} logons/s, ${floor.failed} failed`,
  );
  console.log(
    `baseline: ${LOGONS} bare LDAPS binds (connect + TLS + bind), ${POOL} at a time as the pool makes them: ` +
      `${summary(binds.map((b) => b.ms))}, ${bindFailures} failed`,
  );
  if (stray.length) console.log(`client errors outside a logon: ${stray.length} (${String(stray[0])})`);
  console.log(
    `target (b): p50 ${ms(percentile(known.latencies, 50))} ≤ internal p50 + one LDAPS bind = ` +
      `${ms(percentile(floor.latencies, 50) + bindP50)}`,
  );
} finally {
  await relay?.close();
  for (const s of servers) await s.stop().catch(() => undefined);
  stop();
  fs.rmSync(data, { recursive: true, force: true });
}
