/**
 * A real ejabberd (Debian's package) with a private configuration, started as the test setup's root:
 * `ejabberdctl --config-dir <dir> … foreground`, which runs the server as the `ejabberd` user — so the
 * folder, and everything the extauth program reads or writes, belongs to that user. The Erlang
 * distribution listens on a port of its own (ERL_DIST_PORT), so no epmd daemon is needed or started.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDirFor } from './temp-dir.ts';
import { imConfig } from '../../electron/core/publish/im-config.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

export const EJABBERDCTL = '/usr/sbin/ejabberdctl';
export const ejabberdInstalled = () => fs.existsSync(EJABBERDCTL);

export interface Ejabberd {
  dir: string;
  domain: string;
  port: number;
  /** The Erlang node name, for `ejabberdctl --node` (e.g. to register internal users). */
  node: string;
  /** The certificate the c2s listener presents (self-signed for `domain`): the client trusts it. */
  certificate: string;
  pid: number;
  /** With `directory`: the admin API's address (the setting imApi). */
  apiUrl: string | null;
  /** Stops the server and keeps its data (its spool); `resume` starts it again on the same ports. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface EjabberdOptions {
  domain: string;
  /** External authentication: the program and its arguments (no spaces inside one: ejabberd splits on them). */
  extauth?: string[];
  poolSize?: number;
  /** Added to the server's environment, which its extauth programs inherit (su keeps it). */
  env?: Record<string, string>;
  /**
   * The directory: AD Console's API listener, api_permissions and modules, exactly as bcscmd /IMCONFIG prints
   * them (`apiCommands` narrows what the API may call, to test a refusal).
   */
  directory?: boolean;
  apiCommands?: string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Recursively gives a path to the ejabberd user (the server and its extauth processes run as it). */
export function giveToEjabberd(target: string): void {
  const run = spawnSync('chown', ['-R', 'ejabberd:ejabberd', target], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`chown ejabberd ${target} failed: ${run.stderr}`);
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`ejabberd exited (${child.exitCode}): ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`ejabberd did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A free port is free when it is asked for, not necessarily when ejabberd binds it a second later (another
 * server of the run may take it meanwhile): a start that lost its port to someone else starts again on new ones.
 */
export async function startEjabberd(options: EjabberdOptions): Promise<Ejabberd> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt === 3 || !/eaddrinuse/i.test((err as Error).message)) throw err;
    }
  }
}

async function startOnce(options: EjabberdOptions): Promise<Ejabberd> {
  const dir = tempDirFor('ejabberd');
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.mkdirSync(path.join(dir, 'spool'));
  const [port, distPort] = [await freePort(), await freePort()];
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2'].concat([
      '-subj',
      `/CN=${options.domain}`,
      '-addext',
      `subjectAltName=DNS:${options.domain}`,
    ]),
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  fs.writeFileSync(path.join(dir, 'server.pem'), fs.readFileSync(key, 'utf8') + fs.readFileSync(cert, 'utf8'));
  const auth = options.extauth
    ? [
        'auth_method: external',
        `extauth_program: ${JSON.stringify(options.extauth.join(' '))}`,
        `extauth_pool_size: ${options.poolSize ?? 2}`,
        // Every logon goes to the program: the tests count what it does.
        'auth_use_cache: false',
      ]
    : [
        'auth_method: internal',
        // The same mechanism as external auth offers (PLAIN only), so that the two compare: xmpp.js would
        // pick SCRAM, whose PBKDF2 it computes in JavaScript (~0.9 s of the client's CPU per logon).
        'disable_sasl_mechanisms: ["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512", "X-OAUTH2"]',
      ];
  const apiUrl = options.directory ? `http://127.0.0.1:${await freePort()}/api` : null;
  const directory = apiUrl
    ? imConfig(
        { ...DEFAULT_SETTINGS, imApi: apiUrl, imDomains: options.domain },
        { program: '', dataDir: '', passwordFile: null },
      )
    : null;
  const apiPermissions = (directory?.apiPermissions ?? []).map((line) =>
    options.apiCommands && line.trim().startsWith('what:') ? `    what: [${options.apiCommands.join(', ')}]` : line,
  );
  fs.writeFileSync(
    path.join(dir, 'ejabberd.yml'),
    [
      `hosts: [${JSON.stringify(options.domain)}]`,
      // info logs every API call with its arguments (photos included): warning with the directory (DESIGN §12).
      `loglevel: ${process.env.EJABBERD_LOGLEVEL ?? (directory ? 'warning' : 'info')}`,
      `certfiles: [${JSON.stringify(path.join(dir, 'server.pem'))}]`,
      'listen:',
      // ejabberd's default listen backlog is 5: a burst of logons would wait for SYN retries (1 s, 3 s, 7 s…).
      `  - { port: ${port}, ip: "127.0.0.1", module: ejabberd_c2s, starttls: true, starttls_required: true,`,
      '      backlog: 1024 }',
      ...(directory?.listener ?? []),
      ...auth,
      ...(directory ? ['acl:', ...directory.acl, 'api_permissions:', ...apiPermissions] : ['acl: {}']),
      'access_rules: {}',
      'shaper_rules: {}',
      ...(directory ? ['modules:', ...directory.modules] : ['modules: {}']),
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'ejabberdctl.cfg'),
    [
      `EJABBERD_CONFIG_PATH=${path.join(dir, 'ejabberd.yml')}`,
      `EJABBERD_PID_PATH=${path.join(dir, 'ejabberd.pid')}`,
      `ERL_DIST_PORT=${distPort}`,
      '',
    ].join('\n'),
  );
  giveToEjabberd(dir);
  const logFile = path.join(dir, 'foreground.log');
  const node = `adc${process.pid}x${port}@localhost`;
  const launch = async () => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(
      EJABBERDCTL,
      [
        '--config-dir',
        dir,
        '--logs',
        path.join(dir, 'logs'),
        '--spool',
        path.join(dir, 'spool'),
        '--node',
        node,
        'foreground',
      ],
      { cwd: dir, stdio: ['ignore', out, out], detached: true, env: { ...process.env, ...options.env } },
    );
    fs.closeSync(out);
    await waitForPort(port, child, logFile);
    if (apiUrl) await waitForPort(Number(new URL(apiUrl).port), child, logFile);
    return { child, vm: Number(fs.readFileSync(path.join(dir, 'ejabberd.pid'), 'utf8').trim()) };
  };
  // su starts the Erlang VM in a session of its own and does not pass SIGTERM on: stop the VM by the pid it
  // wrote (EJABBERD_PID_PATH); it shuts down cleanly on SIGTERM, and ejabberdctl then exits.
  const halt = async ({ child, vm }: { child: ChildProcess; vm: number }) => {
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    if (vm > 0) kill(vm, 'SIGTERM');
    const timer = setTimeout(() => {
      if (vm > 0) kill(vm, 'SIGKILL');
      kill(-child.pid!, 'SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
    await waitGone(vm);
  };
  let running: { child: ChildProcess; vm: number } | null = await launch();
  const server: Ejabberd = {
    dir,
    domain: options.domain,
    port,
    node,
    certificate: cert,
    pid: running.vm,
    apiUrl,
    pause: async () => {
      if (running) await halt(running);
      running = null;
    },
    resume: async () => {
      running ??= await launch();
      server.pid = running.vm;
    },
    stop: async () => {
      if (running) await halt(running);
      running = null;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Whether the ejabberd user can read and run this file (the repository may sit in a private folder). */
function ejabberdCanRun(file: string): boolean {
  return (
    spawnSync('su', ['-s', '/bin/sh', '-c', `test -r "${file}" && test -x "${process.execPath}"`, 'ejabberd'])
      .status === 0
  );
}

let installed: string | null = null;

/**
 * The command ejabberd runs as its extauth program: this checkout's bcscmd under this Node. When the
 * checkout is in a folder the ejabberd user cannot enter (CI clones into root's home), it is installed
 * first — copied to a folder it can read — as an administrator would install it (e.g. under /opt).
 */
export function extauthCommand(args: string[]): string[] {
  return [...bcscmdForEjabberd(), '/EXTAUTH', ...args];
}

/**
 * bcscmd run as the ejabberd user, as the README has administrators run it on the IM server's data folder
 * (`runuser -u ejabberd -- bcscmd …`), so that every file it creates there is the extauth programs' too.
 */
/** bcscmd's command line as the ejabberd user (for a long-running /SERVICE). */
export const asEjabberd = (): string[] => ['runuser', '-u', 'ejabberd', '--', ...bcscmdForEjabberd()];

export function bcscmdAsEjabberd(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; out: string; err: string } {
  const [command, ...rest] = asEjabberd();
  const run = spawnSync(command!, [...rest, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env },
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The same without blocking this process. */
export function bcscmdAsEjabberdAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const [command, ...rest] = asEjabberd();
    const child = spawn(command!, [...rest, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** This checkout's bcscmd under this Node, where the ejabberd user can run it. */
export function bcscmdForEjabberd(): string[] {
  const bcscmd = path.resolve('bin/bcscmd.js');
  if (ejabberdCanRun(bcscmd)) return [process.execPath, bcscmd];
  if (!installed) {
    installed = tempDirFor('install');
    const done = installed;
    process.once('exit', () => fs.rmSync(done, { recursive: true, force: true }));
    fs.chmodSync(installed, 0o755);
    for (const part of ['bin', 'electron', 'shared', 'package.json', 'node_modules'])
      fs.cpSync(path.resolve(part), path.join(installed, part), { recursive: true, verbatimSymlinks: true });
    fs.copyFileSync(process.execPath, path.join(installed, 'node'));
    fs.chmodSync(path.join(installed, 'node'), 0o755);
  }
  return [path.join(installed, 'node'), path.join(installed, 'bin/bcscmd.js')];
}
