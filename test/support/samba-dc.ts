/**
 * A real Active Directory for the tests: Samba 4 provisioned into a private folder, on 127.0.0.1, with a
 * test CA whose server certificate names dc1.corp.example.test and 127.0.0.1 (Samba's own names neither).
 * Also runnable by hand: `node test/support/samba-dc.ts start <dir>` prints the connection facts.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'ldapts';
import { ADMIN_PASSWORD, BASE_DN, DC_FQDN, DC_HOST, DOMAIN, NETBIOS, REALM } from './directory-fixture.ts';
import { seedDirectory } from './seed-directory.ts';

export const DC_ADDRESS = '127.0.0.1';

export interface TestDc {
  dir: string;
  pid: number;
  address: string;
  fqdn: string;
  caFile: string;
  otherCaFile: string;
  baseDn: string;
  adminLogin: string;
  adminPassword: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A self-signed CA valid for 30 days: <stem>.pem and <stem>.key in `dir`. */
export function createTestCa(dir: string, stem: string, commonName: string): string {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${stem}.key`,
      '-out',
      `${stem}.pem`,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}`,
    ],
    dir,
  );
  return path.join(dir, `${stem}.pem`);
}

/**
 * Test CA + DC certificate (SAN: the DC's FQDN and 127.0.0.1, not "localhost": that name is the mismatch case), and an
 * unrelated CA.
 */
export function makeCertificates(
  dir: string,
  address = DC_ADDRESS,
): { caFile: string; otherCaFile: string; certFile: string; keyFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  createTestCa(dir, 'ca', 'AD Console Test CA');
  createTestCa(dir, 'other-ca', 'Some Other CA');
  return {
    caFile: path.join(dir, 'ca.pem'),
    otherCaFile: path.join(dir, 'other-ca.pem'),
    ...issueDcCertificate(dir, dir, DC_FQDN, address),
  };
}

/** A DC certificate from the test CA in `caDir` (a second DC of the domain gets its own from the same CA). */
export function issueDcCertificate(
  caDir: string,
  dir: string,
  fqdn: string,
  address: string,
): { certFile: string; keyFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'dc.key', '-out', 'dc.csr', '-subj', `/CN=${fqdn}`], dir);
  fs.writeFileSync(path.join(dir, 'dc.ext'), `subjectAltName=DNS:${fqdn},IP:${address}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'dc.csr',
      '-CA',
      path.join(caDir, 'ca.pem'),
      '-CAkey',
      path.join(caDir, 'ca.key'),
      '-CAcreateserial',
      '-out',
      'dc.pem',
      '-days',
      '30',
      '-extfile',
      'dc.ext',
    ],
    dir,
  );
  fs.chmodSync(path.join(dir, 'dc.key'), 0o600); // Samba refuses a key file others can read
  return { certFile: path.join(dir, 'dc.pem'), keyFile: path.join(dir, 'dc.key') };
}

async function waitForPort(
  address: string,
  port: number,
  child: { exitCode: number | null },
  logFile: string,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `samba exited with code ${child.exitCode}; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: address, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`samba did not open port ${port} within ${deadlineMs / 1000} s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200)); // polling interval while waiting for the port, not a readiness guess
  }
}

/** The first binds after the port opens can fail while Samba finishes starting its services: retry, bounded. */
async function waitForLdaps(address: string, caFile: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const client = new Client({
      url: `ldaps://${address}:636`,
      tlsOptions: { ca: [fs.readFileSync(caFile)] },
      timeout: 5000,
      connectTimeout: 5000,
    });
    try {
      await client.bind(`Administrator@${DOMAIN}`, ADMIN_PASSWORD);
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`LDAPS bind to the test DC still fails: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

async function portInUse(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The DNS management RPC comes up a little after LDAPS: retry, bounded, and report Samba's own words. */
export async function addDnsRecord(
  server: string,
  zone: string,
  name: string,
  type: 'A' | 'SRV',
  data: string,
  deadlineMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const run = spawnSync(
      'samba-tool',
      ['dns', 'add', server, zone, name, type, data, '-U', 'Administrator', `--password=${ADMIN_PASSWORD}`],
      { encoding: 'utf8' },
    );
    const said = `${run.stdout}${run.stderr}`;
    if (run.status === 0 || /already exists/i.test(said)) return;
    if (Date.now() > deadline) throw new Error(`samba-tool dns add failed: ${said.trim().slice(-500)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function checkPortsFree(address: string): Promise<void> {
  for (const port of [53, 88, 389, 636]) {
    if (await portInUse(address, port))
      throw new Error(
        `Something already listens on ${address}:${port} (a test DC left running?). Stop it by its pid, then ` +
          `run the tests again.`,
      );
  }
}

/** Starts samba on a provisioned folder and waits until LDAPS binds and the DC's name resolves. */
export async function runDc(
  dir: string,
  address: string,
  caFile: string,
  log: (line: string) => void,
  host = DC_HOST,
): Promise<number> {
  const logFile = path.join(dir, 'samba.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn('samba', ['-i', '-M', 'single', '-s', path.join(dir, 'etc', 'smb.conf'), '--debug-stdout'], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  fs.writeFileSync(path.join(dir, 'samba.pid'), String(child.pid));
  log(`samba started (pid ${child.pid}); waiting for LDAPS`);
  try {
    await waitForPort(address, 636, child, logFile, 60_000);
    await waitForLdaps(address, caFile, 60_000);
    // Samba does not register loopback addresses in its own DNS; the DC's name must resolve for SRV discovery.
    await addDnsRecord(address, DOMAIN, host, 'A', address);
  } catch (err) {
    stopTestDc({ pid: child.pid! }); // the folder stays for its logs
    throw err;
  }
  return child.pid!;
}

export function describeDc(dir: string, pid: number, address: string, fqdn = DC_FQDN): TestDc {
  const tlsDir = path.join(dir, 'tls');
  return {
    dir,
    pid,
    address,
    fqdn,
    caFile: path.join(tlsDir, 'ca.pem'),
    otherCaFile: path.join(tlsDir, 'other-ca.pem'),
    baseDn: BASE_DN,
    adminLogin: `Administrator@${DOMAIN}`,
    adminPassword: ADMIN_PASSWORD,
  };
}

/** `address`: any loopback address; two DCs on different addresses run side by side. */
/** `extraOptions`: smb.conf lines beyond the defaults (the shared test DC keeps Samba's defaults). */
export async function startTestDc(
  dir: string,
  log: (line: string) => void = () => undefined,
  address = DC_ADDRESS,
  extraOptions: string[] = [],
): Promise<TestDc> {
  await checkPortsFree(address);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const certs = makeCertificates(path.join(dir, 'tls'), address);
  for (const sub of ['run', 'ncalrpc', 'winbindd', 'lock', 'cache'])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const options = [
    'bind interfaces only=yes',
    // A mask makes Samba listen on a loopback address that no interface lists (127.0.0.2); the plain address alone
    // would not.
    `interfaces=${address}/8`,
    `pid directory=${dir}/run`,
    `ncalrpc dir=${dir}/ncalrpc`,
    `winbindd socket directory=${dir}/winbindd`,
    `lock directory=${dir}/lock`,
    `cache directory=${dir}/cache`,
    `tls enabled=yes`,
    `tls certfile=${certs.certFile}`,
    `tls keyfile=${certs.keyFile}`,
    `tls cafile=${certs.caFile}`,
    'dns forwarder=',
    ...extraOptions,
  ];
  log('provisioning the Samba AD DC');
  execFileSync(
    'samba-tool',
    [
      'domain',
      'provision',
      `--realm=${REALM}`,
      `--domain=${NETBIOS}`,
      '--server-role=dc',
      '--dns-backend=SAMBA_INTERNAL',
      `--adminpass=${ADMIN_PASSWORD}`,
      `--targetdir=${dir}`,
      `--host-name=${DC_HOST}`,
      `--host-ip=${address}`,
      ...options.map((o) => `--option=${o}`),
    ],
    {
      stdio: [
        'ignore',
        fs.openSync(path.join(dir, 'provision.log'), 'w'),
        fs.openSync(path.join(dir, 'provision.log'), 'a'),
      ],
    },
  );
  const pid = await runDc(dir, address, certs.caFile, log);
  try {
    await seedDirectory(address, certs.caFile);
  } catch (err) {
    stopTestDc({ pid });
    throw err;
  }
  return describeDc(dir, pid, address);
}

/** Starts a DC folder provisioned and seeded before (the benchmarks keep one so that seeding is paid once). */
export async function restartTestDc(
  dir: string,
  log: (line: string) => void = () => undefined,
  address = DC_ADDRESS,
): Promise<TestDc> {
  await checkPortsFree(address);
  const pid = await runDc(dir, address, path.join(dir, 'tls', 'ca.pem'), log);
  return describeDc(dir, pid, address);
}

/** Stops the DC by its process group (samba forks helpers); never by name. */
export function stopTestDc(dc: { pid: number; dir?: string }): void {
  try {
    process.kill(-dc.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  if (dc.dir) fs.rmSync(dc.dir, { recursive: true, force: true });
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(import.meta.filename) &&
  process.argv[2] === 'start'
) {
  const dir = path.resolve(process.argv[3] ?? '.test-dc');
  startTestDc(dir, (l) => console.error(l)).then(
    (dc) => {
      fs.writeFileSync(path.join(dir, 'dc.json'), JSON.stringify(dc, null, 2));
      console.log(JSON.stringify(dc, null, 2));
      console.error(`Stop it with: kill -TERM -${dc.pid}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
