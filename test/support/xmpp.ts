/** A real XMPP client (@xmpp/client) logging on as a user would: STARTTLS, then SASL PLAIN. */
import tls from 'node:tls';
import fs from 'node:fs';
import { client } from '@xmpp/client';
import type { Ejabberd } from './ejabberd.ts';

const trusted = new Set<string>();

/** The client verifies the server's certificate as any client does: the test server's is added to the trust. */
export function trustServer(server: Ejabberd): void {
  if (trusted.has(server.certificate)) return;
  trusted.add(server.certificate);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), fs.readFileSync(server.certificate, 'utf8')]);
}

/**
 * xmpp.js base64s the PLAIN response with btoa(), one latin-1 byte per code unit, so a non-ASCII user
 * name or password would leave as latin-1 (or throw) where RFC 4616 wants UTF-8 (the bug reported with
 * processone/fluux-messenger#1371). Handing the SASL step the UTF-8 bytes as a binary string sends what
 * a correct client sends.
 */
export const utf8Binary = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

/**
 * xmpp.js detaches its XML parser when it stops, but bytes the server sends meanwhile (its own end of the
 * stream) still reach _onData, which then throws outside any promise ("reading 'write'" of null). Bound when
 * the socket is attached, so wrapped before start(); only bytes after stop() began are dropped (during
 * start-up the parser is briefly replaced, and those bytes matter). Returns: call it before stop().
 */
export function quietStop(xmpp: ReturnType<typeof client>): () => void {
  let stopping = false;
  const onData = xmpp._onData;
  xmpp._onData = function (this: typeof xmpp, data: Buffer) {
    if (stopping && !this.parser) return;
    onData.call(this, data);
  };
  return () => {
    stopping = true;
  };
}

export type LogonOutcome = { ok: true } | { ok: false; error: string };

export async function xmppLogon(server: Ejabberd, username: string, password: string): Promise<LogonOutcome> {
  trustServer(server);
  const xmpp = client({
    service: `xmpp://127.0.0.1:${server.port}`,
    domain: server.domain,
    // The real name for the client's own JID (its stream header); the bytes only for the SASL response.
    username,
    password,
    credentials: { username: utf8Binary(username), password: utf8Binary(password) },
    resource: 'test',
  });
  xmpp.on('error', () => undefined);
  const stopping = quietStop(xmpp);
  // xmpp.js waits 2 s per exchange by default; 200 logons at once through TLS on two cores take longer.
  xmpp.timeout = 30_000;
  try {
    await xmpp.start();
    stopping();
    await xmpp.stop();
    return { ok: true };
  } catch (err) {
    stopping();
    await xmpp.stop().catch(() => undefined);
    const e = err as { condition?: string; message?: string };
    return { ok: false, error: e.condition ?? e.message ?? String(err) };
  }
}
