/**
 * A TCP relay in front of the real DC, so that a test can make the DC vanish (cut, down), hang (stall,
 * hold) or come back (release, up) in the middle of a run without stopping the DC that other suites share.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Bytes relayed from the DC so far. */
  fromServer(): number;
  /** Connections accepted so far. */
  connections(): number;
  /** Cut every connection once this many bytes came from the DC. */
  cutAfter(bytes: number): void;
  /** Stop relaying (both sockets stay open) once this many bytes came from the DC. */
  stallAfter(bytes: number): void;
  /** Keep what the DC sends from now on until release(): the client waits as for a slow DC. */
  hold(): void;
  /** Deliver what was held, and relay again. */
  release(): void;
  /** Stop listening and drop every connection: connecting is refused, as with a DC that is down. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `listenOn`: the address the relay listens on (default 127.0.0.1); the DC's own address keeps its
 * certificate's name valid for a client that connects to the relay.
 */
export async function startTcpProxy(host: string, port: number, listenOn = '127.0.0.1'): Promise<TcpProxy> {
  let received = 0;
  let accepted = 0;
  let cutAt = Infinity;
  let stallAt = Infinity;
  let held: { client: net.Socket; chunk: Buffer }[] | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect({ host, port });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= cutAt) return end();
      if (received >= stallAt) return; // swallowed: the client waits for an answer that never comes
      if (held) held.push({ client, chunk });
      else client.write(chunk);
    });
  });
  const listen = (at: number) => new Promise<void>((resolve) => server.listen(at, listenOn, resolve));
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  await listen(0);
  const listenPort = (server.address() as net.AddressInfo).port;
  return {
    port: listenPort,
    fromServer: () => received,
    connections: () => accepted,
    cutAfter: (bytes) => {
      cutAt = bytes;
    },
    stallAfter: (bytes) => {
      stallAt = bytes;
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const queued = held ?? [];
      held = null;
      for (const { client, chunk } of queued) if (!client.destroyed) client.write(chunk);
    },
    down: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
    up: () => listen(listenPort),
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
