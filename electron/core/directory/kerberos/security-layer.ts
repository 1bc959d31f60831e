/**
 * The SASL security layer after a GSSAPI bind (RFC 4752 §3.3, RFC 4422 §3.7): every LDAP message in
 * both directions travels as a 4-byte big-endian length and a GSS-wrapped token — sealed
 * (confidentiality) or signed (integrity). Installed on the ldapts client's socket: outgoing writes are
 * wrapped in order; incoming frames are unwrapped in order and handed to ldapts's own parser, which
 * copes with several LDAP messages in one frame and one message across frames.
 */
import type { Client } from 'ldapts';
import { takeOverSocket } from '../ldapts-adapter.ts';
import type { KerberosClient } from './kerberos-module.ts';

export type SecurityLayer = 'none' | 'integrity' | 'confidentiality';

export function installSecurityLayer(client: Client, gss: KerberosClient, layer: Exclude<SecurityLayer, 'none'>): void {
  const { socket, deliver } = takeOverSocket(client);
  const protect = layer === 'confidentiality';
  const fail = (err: unknown): void => {
    socket.destroy(err instanceof Error ? err : new Error(String(err)));
  };

  const write = socket.write.bind(socket) as (data: Buffer, cb?: (err?: Error | null) => void) => boolean;
  let outgoing: Promise<void> = Promise.resolve();
  socket.write = ((data: Buffer | string, ...rest: unknown[]) => {
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    const plain = Buffer.isBuffer(data) ? data : Buffer.from(data);
    outgoing = outgoing
      .then(async () => {
        const token = Buffer.from(await gss.wrap(plain.toString('base64'), { protect }), 'base64');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(token.length);
        write(Buffer.concat([length, token]), callback);
      })
      .catch(fail);
    return true;
  }) as typeof socket.write;

  let pending: Buffer = Buffer.alloc(0);
  let incoming: Promise<void> = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const size = pending.readUInt32BE(0);
      if (pending.length < 4 + size) break;
      const frame = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      incoming = incoming
        .then(async () => deliver(Buffer.from(await gss.unwrap(frame.toString('base64')), 'base64')))
        .catch(fail);
    }
  });
}
