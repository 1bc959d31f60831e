/**
 * A minimal DNS SRV client. Node 24's c-ares rejects some valid SRV answers with EBADRESP (nodejs/node
 * #66173 — Samba's DNS among them), which would break finding domain controllers; this reads them.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { SrvRecord } from 'node:dns';

const TYPE_SRV = 33;

export function encodeQuery(id: number, name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`invalid DNS label in ${name}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0, 0, TYPE_SRV, 0, 1]));
  return Buffer.concat(parts);
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it in the record. */
function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let next = -1;
  let jumps = 0;
  for (;;) {
    if (offset >= msg.length) throw new Error('DNS name runs past the message');
    const len = msg[offset]!;
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > 32) throw new Error('DNS name compression loop');
      if (next < 0) next = offset + 2;
      offset = ((len & 0x3f) << 8) | msg[offset + 1]!;
      continue;
    }
    if (len === 0) return { name: labels.join('.'), next: next < 0 ? offset + 1 : next };
    labels.push(msg.toString('ascii', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
}

export function decodeSrvResponse(
  msg: Buffer,
  id: number,
): { truncated: boolean; rcode: number; records: SrvRecord[] } {
  if (msg.length < 12 || msg.readUInt16BE(0) !== id) throw new Error('DNS answer does not match the query');
  const flags = msg.readUInt16BE(2);
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = readName(msg, offset).next + 4;
  const records: SrvRecord[] = [];
  for (let i = 0; i < an; i++) {
    offset = readName(msg, offset).next;
    const type = msg.readUInt16BE(offset);
    const rdlength = msg.readUInt16BE(offset + 8);
    const rdata = offset + 10;
    if (type === TYPE_SRV) {
      records.push({
        priority: msg.readUInt16BE(rdata),
        weight: msg.readUInt16BE(rdata + 2),
        port: msg.readUInt16BE(rdata + 4),
        name: readName(msg, rdata + 6).name,
      });
    }
    offset = rdata + rdlength;
  }
  return { truncated: (flags & 0x0200) !== 0, rcode: flags & 0x0f, records };
}

function overUdp(server: string, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(Object.assign(new Error(`no DNS answer from ${server}`), { code: 'ETIMEOUT' }));
    }, timeoutMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(query, 53, server);
  });
}

function overTcp(server: string, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server, port: 53 });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no DNS answer from ${server}`), { code: 'ETIMEOUT' })),
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.length);
    socket.write(Buffer.concat([length, query]));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.destroy();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.once('error', reject);
  });
}

/** Asks each server in turn; NXDOMAIN / no records end the search like c-ares does. */
export async function querySrv(name: string, servers: string[], timeoutMs = 3000): Promise<SrvRecord[]> {
  let lastError: unknown = new Error('no DNS servers configured');
  for (const raw of servers) {
    const server = raw.replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^([\d.]+):\d+$/, '$1');
    const id = Math.floor(Math.random() * 0xffff);
    const query = encodeQuery(id, name);
    try {
      let answer = decodeSrvResponse(await overUdp(server, query, timeoutMs), id);
      if (answer.truncated) answer = decodeSrvResponse(await overTcp(server, query, timeoutMs), id);
      if (answer.rcode === 3) throw Object.assign(new Error(`querySrv ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      if (answer.rcode !== 0)
        throw Object.assign(new Error(`querySrv failed with DNS rcode ${answer.rcode}`), { code: 'ESERVFAIL' });
      if (answer.records.length === 0) throw Object.assign(new Error(`querySrv ENODATA ${name}`), { code: 'ENODATA' });
      return answer.records;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTFOUND' || (err as NodeJS.ErrnoException).code === 'ENODATA')
        throw err;
      lastError = err;
    }
  }
  throw lastError;
}
