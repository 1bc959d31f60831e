/**
 * A TCP relay in front of the real DC, so that a test can make the DC vanish (cut) or hang (stall) in the
 * middle of a search without stopping the DC that other suites share.
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
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect({ host, port });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= cutAt) return end();
      if (received >= stallAt) return; // swallowed: the client waits for an answer that never comes
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, listenOn, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    fromServer: () => received,
    connections: () => accepted,
    cutAfter: (bytes) => {
      cutAt = bytes;
    },
    stallAfter: (bytes) => {
      stallAt = bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
