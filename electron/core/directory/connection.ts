/**
 * The parts of a directory connection (TCP, TLS, the LDAP client over our own socket), which the
 * connection pipeline (pipeline.ts) puts together for Test connection and every session alike.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'ldapts';
import { Failure } from '../failure.ts';
import { installLdaptsAdapter } from './ldapts-adapter.ts';
import { type CertificateSummary, explainHandshakeError, tlsOptions, verifyOrThrow } from './tls-check.ts';

export interface Timeouts {
  connectMs: number;
  operationMs: number;
}

function describeSocketError(err: NodeJS.ErrnoException, where: string, timeoutMs: number): Failure {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new Failure(
        'connection-refused',
        `Nothing accepts connections on ${where} (connection refused).`,
        'Check the server and port in Advanced settings: LDAPS listens on 636, LDAP and StartTLS on 389.',
      );
    case 'ETIMEDOUT':
      return new Failure(
        'connect-timeout',
        `${where} did not accept the connection within ${timeoutMs / 1000} s.`,
        'Check that the server is reachable from this computer (firewall, VPN), or raise the connect timeout.',
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new Failure(
        'unreachable',
        `${where} cannot be reached from this computer (${err.code}).`,
        'Check the network route, VPN or firewall to the domain controller.',
      );
    default:
      return new Failure(
        'connect-failed',
        `Connecting to ${where} failed: ${err.message}.`,
        'Check the server and port in Advanced settings.',
      );
  }
}

export function endpoint(address: string, port: number): string {
  return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Tries each address in turn; the first that accepts within the timeout wins. */
export async function connectTcp(
  addresses: string[],
  port: number,
  timeoutMs: number,
): Promise<{ socket: net.Socket; address: string; failures: string[] }> {
  const failures: string[] = [];
  let last: Failure | null = null;
  for (const address of addresses) {
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: address, port });
        const timer = setTimeout(() => {
          s.destroy();
          reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
        }, timeoutMs);
        s.once('connect', () => {
          clearTimeout(timer);
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
      return { socket, address, failures };
    } catch (err) {
      last = describeSocketError(err as NodeJS.ErrnoException, endpoint(address, port), timeoutMs);
      failures.push(last.message);
    }
  }
  throw last ?? new Failure('no-address', 'There was no address to connect to.', 'Check the server name.');
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** LDAPS: TLS directly on the connected socket, certificate verified against `ca`. */
export async function handshakeLdaps(
  socket: net.Socket,
  host: string,
  port: number,
  ca: string[],
  timeoutMs: number,
): Promise<{ socket: tls.TLSSocket; certificate: CertificateSummary }> {
  const secure = tls.connect({ ...tlsOptions(host, ca), socket });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', (err) => reject(explainHandshakeError(err, port)));
    }),
    timeoutMs,
    () => {
      secure.destroy();
      return new Failure(
        'tls-timeout',
        `The server accepted the connection on port ${port} but did not complete the TLS handshake within ` +
          `${timeoutMs / 1000} s.`,
        'Check that this port serves LDAPS (usually 636) and that nothing between here and the server ' +
          'intercepts TLS; or raise the connect timeout.',
      );
    },
  );
  secure.removeAllListeners('error');
  return { socket: secure, certificate: verifyOrThrow(secure, host) };
}

/**
 * An ldapts client over a socket we already opened. ldapts would silently reconnect (in plaintext after
 * StartTLS); a second connection attempt fails instead, so a lost session is visible.
 */
export function clientOver(
  socket: net.Socket,
  host: string,
  port: number,
  timeouts: Timeouts,
  capture?: (s: tls.TLSSocket) => void,
): Client {
  installLdaptsAdapter(); // a clear error here if the installed ldapts is not the one this build knows
  let used = false;
  const urlHost = net.isIPv6(host) ? `[${host}]` : host;
  return new Client({
    url: `ldap://${urlHost}:${port}`,
    timeout: timeouts.operationMs,
    connectTimeout: timeouts.connectMs,
    createConnection: (() => {
      if (!used) {
        used = true;
        return socket;
      }
      const dead = new net.Socket();
      process.nextTick(() =>
        dead.destroy(new Error('The connection to the domain controller was lost; start the operation again.')),
      );
      return dead;
    }) as typeof net.connect,
    createSecureConnection: ((options: tls.ConnectionOptions) => {
      const s = tls.connect(options);
      capture?.(s);
      return s;
    }) as typeof tls.connect,
  });
}

/** StartTLS on a plain LDAP connection, with the same verification as LDAPS. */
export async function startTls(
  socket: net.Socket,
  host: string,
  port: number,
  ca: string[],
  timeouts: Timeouts,
): Promise<{ client: Client; certificate: CertificateSummary }> {
  let upgraded: tls.TLSSocket | null = null;
  const client = clientOver(socket, host, port, timeouts, (s) => {
    upgraded = s;
  });
  try {
    await withTimeout(client.startTLS(tlsOptions(host, ca)), timeouts.connectMs + timeouts.operationMs, () => {
      socket.destroy();
      return new Failure(
        'tls-timeout',
        `The server did not complete StartTLS within ${(timeouts.connectMs + timeouts.operationMs) / 1000} s.`,
        'Check that the port serves plain LDAP (389) for StartTLS, or choose LDAPS.',
      );
    });
  } catch (err) {
    socket.destroy();
    if (err instanceof Failure) throw err;
    const e = err as NodeJS.ErrnoException & { code?: unknown };
    if (typeof e.code === 'number') {
      throw new Failure(
        'starttls-refused',
        `The server refused StartTLS (LDAP result ${e.code}): ${e.message}`,
        'Choose LDAPS, or enable StartTLS on the domain controller (it needs a certificate).',
      );
    }
    if (/Socket error|ECONNRESET|Connection closed/i.test(e.message)) {
      // A plain StartTLS request to an LDAPS port: the server expected a TLS handshake and hung up.
      throw new Failure(
        'tls-expected',
        `The server on port ${port} closed the connection when asked for StartTLS: this port expects TLS from ` +
          `the first byte (LDAPS).`,
        port === 636
          ? 'Choose LDAPS for port 636, or port 389 for StartTLS.'
          : 'Choose LDAPS for this port, or the plain LDAP port (389) for StartTLS.',
      );
    }
    throw explainHandshakeError(e, port);
  }
  if (!upgraded)
    throw new Failure('tls-failed', 'StartTLS finished without a TLS session.', 'Choose LDAPS in Advanced settings.');
  return { client, certificate: verifyOrThrow(upgraded, host) };
}

/**
 * Ends a session: unbind when ldapts has used the socket, and always destroy the socket itself
 * (ldapts skips unbind on a client that never sent anything, which would keep the process alive).
 */
export async function closeClient(client: Client, socket: net.Socket): Promise<void> {
  await client.unbind().catch(() => undefined);
  socket.destroy();
}
