/**
 * Every use of ldapts internals, in one module. ldapts (pinned: see PINNED_LDAPTS) lacks three things
 * the console needs, so this adapter reaches past its public API:
 *
 * - Sending a request we build ourselves (`Client#_send`, `#_nextMessageId`, `#_connect`): the paged
 *   search that follows the server's cookie across empty pages and abandons an early stop (ldapts 9.2's
 *   `searchPaginated` ends at the first empty page and sends nothing when the caller stops: see
 *   src/Client.ts in ldapts 9.2), and the SASL GSSAPI bind steps (ldapts accepts only EXTERNAL, PLAIN,
 *   DIGEST-MD5, SCRAM-SHA-1; GSSAPI is asked for in https://github.com/ldapts/ldapts/issues/254).
 * - Keeping the server's SASL credentials (BindResponse [7]) as bytes: ldapts reads them as UTF-8 text,
 *   which corrupts Kerberos tokens. `installLdaptsAdapter` wraps `BindResponse#parseMessage` once.
 * - The socket and its incoming-data handler (`Client#socket`, `#socketDataHandler`), to wrap and
 *   unwrap the SASL security layer (RFC 4752 §3.3), which ldapts has no hook for.
 * - Decoding a search entry when it is read (`SearchEntry#toObject`) instead of as it arrives
 *   (`#parseMessage`): a DC sends a page as one burst after preparing it, and the paged search can ask
 *   for the next page only once the page's last message is parsed. Decoding 1 000 entries on arrival
 *   kept the DC idle for 20–30 ms a page (0.4–0.6 s of a 20 000-account read); kept as bytes, the
 *   request goes out at once and the decoding overlaps the DC's work on the next page.
 *
 * `installLdaptsAdapter()` checks that the installed ldapts is the pinned version and has these
 * internals, with a sentence saying what to do otherwise; connections call it before their first use.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type net from 'node:net';
import path from 'node:path';
import { BerReader, BindResponse, Client, SearchEntry } from 'ldapts';
import { Failure } from '../failure.ts';

export const PINNED_LDAPTS = '9.2.0';
const SERVER_SASL_CREDS = 0x87;

/** A request ldapts can send (BindRequest, SearchRequest …): its own Message class is not exported. */
type Request = { messageId: number };

interface ClientInternals {
  _send(message: Request): Promise<unknown>;
  _nextMessageId(): number;
  _connect(): Promise<void> | void;
  socket?: net.Socket;
  socketDataHandler: (data: Buffer) => void;
}

const internals = (client: Client) => client as unknown as ClientInternals;

/** The installed ldapts version, read from its package.json (null where it cannot be found). */
function installedVersion(): string | null {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve('ldapts'));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ldapts') return pkg.version ?? null;
    }
  } catch {
    // Bundled without its package.json: the internals check below still guards.
  }
  return null;
}

let installed = false;

/** Checks the ldapts that is installed and patches it for binary SASL replies; once per process. */
export function installLdaptsAdapter(): void {
  if (installed) return;
  const version = installedVersion();
  const proto = Client.prototype as unknown as Record<string, unknown>;
  const missing = ['_send', '_nextMessageId', '_connect'].filter((name) => typeof proto[name] !== 'function');
  if ((version !== null && version !== PINNED_LDAPTS) || missing.length > 0) {
    throw new Failure(
      'ldapts-version',
      `This build of AD Console needs ldapts ${PINNED_LDAPTS}, but ` +
        `${version ? `ldapts ${version}` : 'another ldapts'} is ` +
        `installed${missing.length ? ` (it has no ${missing.join(', ')})` : ''}. The console uses parts of ` +
        `ldapts that change between versions.`,
      `Reinstall the console's dependencies as locked (npm ci), or install ldapts ${PINNED_LDAPTS}.`,
    );
  }
  // Keep the server's SASL credentials as bytes; every other field of a bind response is unchanged.
  const parse = BindResponse.prototype.parseMessage;
  BindResponse.prototype.parseMessage = function parseKeepingSaslBytes(this: BindResponse, reader: BerReader) {
    const original = reader.readString;
    const readString = original as (this: BerReader, tag?: number, asBuffer?: boolean) => string | Buffer | null;
    reader.readString = function (this: BerReader, tag?: number, asBuffer?: boolean) {
      return readString.call(this, tag, asBuffer || tag === SERVER_SASL_CREDS);
    } as unknown as typeof reader.readString;
    try {
      parse.call(this, reader);
    } finally {
      reader.readString = original;
    }
  };
  deferEntryDecoding();
  installed = true;
}

/** A search entry's protocol-operation bytes, kept until the entry is read. */
type LazyEntry = SearchEntry & { undecoded?: Buffer | null };

function deferEntryDecoding(): void {
  const parse = SearchEntry.prototype.parseMessage;
  const toObject = SearchEntry.prototype.toObject;
  SearchEntry.prototype.parseMessage = function keepBytes(this: LazyEntry, reader: BerReader) {
    // The reader stands at the operation's contents; the message's controls follow them.
    const start = reader.offset;
    this.undecoded = reader.buffer.subarray(start, start + reader.length);
    reader.offset = start + reader.length;
  };
  SearchEntry.prototype.toObject = function decodeFirst(this: LazyEntry, ...args: Parameters<typeof toObject>) {
    const bytes = this.undecoded;
    if (bytes) {
      this.undecoded = null;
      parse.call(this, new BerReader(bytes));
    }
    return toObject.apply(this, args);
  };
}

/**
 * Sends a request built by the caller (with the message id this returns to it) and settles with the
 * server's response. Connects first when nothing has used the connection yet, as ldapts's own
 * operations do (a bind that is the first message on it, for one); on a connected client the request
 * goes out at once, in the caller's tick (paged search asks for the next page before reading this one).
 */
export async function sendRequest<R>(client: Client, build: (messageId: number) => Request): Promise<R> {
  installLdaptsAdapter();
  const c = internals(client);
  if (!client.isConnected) await c._connect();
  return (await c._send(build(c._nextMessageId()))) as R;
}

/**
 * Takes over the client's socket for a security layer: `deliver` hands unwrapped bytes to ldapts's own
 * parser (which copes with several messages in one chunk and one message over several).
 */
export function takeOverSocket(client: Client): { socket: net.Socket; deliver: (data: Buffer) => void } {
  const c = internals(client);
  const socket = c.socket;
  if (!socket) throw new Error('the LDAP connection closed during the bind');
  socket.removeListener('data', c.socketDataHandler);
  return { socket, deliver: (data) => c.socketDataHandler(data) };
}
