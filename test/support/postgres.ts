/**
 * A private PostgreSQL cluster for the tests (DESIGN §13): Debian's server binaries, `initdb` as the `postgres`
 * user into a private folder, listening on 127.0.0.1 and a private socket folder on a free port, stopped with
 * `pg_ctl stop`. Each test gets a database of its own (`createTestDatabase`), so suites run side by side.
 * Also runnable by hand: `node test/support/postgres.ts start <dir>` prints the connection facts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface TestPostgres {
  dir: string;
  /** The postmaster's pid (from postmaster.pid). */
  pid: number;
  port: number;
  /** postgresql://adconsole@127.0.0.1:<port>/postgres — trust authentication, no password. */
  adminUrl: string;
  /** The server's major version, as Debian installs it (/usr/lib/postgresql/<major>/bin). */
  bin: string;
}

export const PG_USER = 'adconsole';

/** The newest server Debian installed, or null (the package `postgresql` is missing). */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1)!, 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses root: the cluster belongs to the `postgres` user when we are root. */
function asPostgres(bin: string, args: string[]): void {
  const command = path.join(bin, args[0]!);
  const rest = args.slice(1);
  try {
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...rest], { stdio: 'pipe' });
    else execFileSync(command, rest, { stdio: 'pipe' });
  } catch (err) {
    const { stderr } = err as { stderr?: Buffer };
    throw new Error(`${args[0]} failed: ${stderr?.toString().trim() || (err as Error).message}`, { cause: err });
  }
}

export async function startTestPostgres(dir: string, log: (line: string) => void = () => {}): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const started = Date.now();
  asPostgres(bin, ['initdb', '-D', data, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  asPostgres(bin, [
    'pg_ctl',
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  log(
    `PostgreSQL ${path.basename(path.dirname(bin))} ready on 127.0.0.1:${port} (pid ${pid}) ` +
      `in ${Date.now() - started} ms`,
  );
  return { dir, pid, port, adminUrl: `postgresql://${PG_USER}@127.0.0.1:${port}/postgres`, bin };
}

export function stopTestPostgres(pg: TestPostgres): void {
  try {
    asPostgres(pg.bin, ['pg_ctl', '-D', path.join(pg.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } catch {
    // Already stopped: nothing of ours is left running.
  }
  fs.rmSync(pg.dir, { recursive: true, force: true });
}

let databases = 0;

/** An empty database of its own in the cluster: its URL. */
export async function createTestDatabase(pg: TestPostgres, prefix = 'adc'): Promise<string> {
  const { default: postgresDriver } = await import('pg');
  const name = `${prefix}_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const admin = new postgresDriver.Client({ connectionString: pg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `postgresql://${PG_USER}@127.0.0.1:${pg.port}/${name}`;
}

if (import.meta.main && process.argv[2] === 'start') {
  const pg = await startTestPostgres(path.resolve(process.argv[3] ?? 'pg-test'), console.error);
  console.log(JSON.stringify(pg, null, 2));
}
