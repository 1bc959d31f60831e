/**
 * A lean XMPP logon for benchmarks: what a client sends to log on (stream, STARTTLS with the server's certificate
 * verified, SASL PLAIN, resource binding) and no more, matched on the server's replies as text. A full client
 * (xmpp.js) spends more CPU per logon than ejabberd itself: 200 of them in one process set the pace of the
 * benchmark they were to measure. Tests log on with the real client (test/support/xmpp.ts).
 */
import net from 'node:net';
import tls from 'node:tls';

export interface LeanServer {
  port: number;
  domain: string;
  /** The server certificate (PEM) the client trusts. */
  ca: string;
}

export type LeanOutcome = { ok: true } | { ok: false; error: string };

const header = (domain: string) =>
  `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' ` +
  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
const xmlEscape = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reads a socket's text until one of the markers appears; resolves with the marker found. */
class Replies {
  private text = '';
  private waiting: { markers: string[]; resolve: (m: string) => void; reject: (e: Error) => void } | null = null;
  private ended: Error | null = null;

  attach(socket: net.Socket | tls.TLSSocket): void {
    this.text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.check();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  detach(socket: net.Socket): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
  }

  until(...markers: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting = { markers, resolve, reject };
      this.check();
    });
  }

  private check(): void {
    const w = this.waiting;
    if (!w) return;
    for (const marker of w.markers) {
      const at = this.text.indexOf(marker);
      if (at < 0) continue;
      this.text = this.text.slice(at + marker.length);
      this.waiting = null;
      w.resolve(marker);
      return;
    }
    if (this.ended) {
      this.waiting = null;
      w.reject(this.ended);
    }
  }

  private fail(err: Error): void {
    this.ended ??= err;
    this.check();
  }
}

export async function leanLogon(server: LeanServer, user: string, password: string): Promise<LeanOutcome> {
  const replies = new Replies();
  const plain = net.connect(server.port, '127.0.0.1');
  let socket: net.Socket = plain;
  try {
    await new Promise<void>((resolve, reject) => plain.once('connect', resolve).once('error', reject));
    replies.attach(plain);
    plain.write(header(server.domain));
    await replies.until('</stream:features>');
    plain.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    if ((await replies.until('<proceed', '<failure')) !== '<proceed') return { ok: false, error: 'STARTTLS refused' };
    replies.detach(plain);
    const secure = tls.connect({ socket: plain, servername: server.domain, ca: server.ca });
    socket = secure;
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    replies.attach(secure);
    secure.write(header(server.domain));
    await replies.until('</stream:features>');
    const credentials = Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64');
    secure.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${credentials}</auth>`);
    if ((await replies.until('<success', '<failure')) !== '<success') return { ok: false, error: 'not-authorized' };
    secure.write(header(server.domain));
    await replies.until('</stream:features>');
    secure.write(
      "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>" +
        `<resource>${xmlEscape('bench')}</resource></bind></iq>`,
    );
    if ((await replies.until("type='result'", 'type="result"', "type='error'", 'type="error"')).includes('error'))
      return { ok: false, error: 'resource binding refused' };
    secure.end('</stream:stream>');
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    socket.destroy();
  }
}
