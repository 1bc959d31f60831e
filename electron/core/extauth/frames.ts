/**
 * ejabberd's external authentication protocol: each request is a 2-byte big-endian length and that many
 * bytes of UTF-8 `op:user:server[:password]`; each answer is `00 02` then `00 01` (true) or `00 00` (false).
 * The password is everything after the third colon, so it may itself contain colons.
 */
export const OPERATIONS = ['auth', 'isuser', 'setpass', 'tryregister', 'removeuser', 'removeuser3'] as const;
export type Operation = (typeof OPERATIONS)[number];

export type Request =
  | { ok: true; op: Operation; user: string; server: string; password: string | null }
  | { ok: false; op: string; reason: string };

export const answer = (value: boolean): Buffer => Buffer.from([0, 2, 0, value ? 1 : 0]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One request's text, checked: a known operation with the fields it needs (the password stays opaque). */
export function parseRequest(bytes: Uint8Array): Request {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, op: '?', reason: 'the request is not valid UTF-8' };
  }
  const first = text.indexOf(':');
  const op = first < 0 ? text : text.slice(0, first);
  if (!(OPERATIONS as readonly string[]).includes(op)) {
    // Only a word is repeated in the log: an unknown frame might be anything, a password included.
    const word = /^[a-z0-9_]{1,20}$/i.test(op) ? op : '?';
    return { ok: false, op: word, reason: `unknown operation "${word}" (${bytes.length} bytes)` };
  }
  const second = text.indexOf(':', first + 1);
  const user = text.slice(first + 1, second < 0 ? undefined : second);
  if (first < 0 || second < 0 || user === '') return { ok: false, op, reason: 'the request has no user or server' };
  const third = text.indexOf(':', second + 1);
  const server = text.slice(second + 1, third < 0 ? undefined : third);
  if (server === '') return { ok: false, op, reason: 'the request has no server' };
  const password = third < 0 ? null : text.slice(third + 1);
  const needsPassword = op === 'auth' || op === 'setpass' || op === 'tryregister' || op === 'removeuser3';
  if (needsPassword && password === null) return { ok: false, op, reason: `"${op}" needs a password field` };
  return { ok: true, op: op as Operation, user, server, password };
}

/**
 * Cuts a byte stream into frames. A length whose bytes never all arrive is not an error until the stream
 * ends (`end()` then reports it); nothing here throws on what the peer sends.
 */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** The complete frames in `chunk` and what came before it. */
  push(chunk: Buffer): Uint8Array[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Uint8Array[] = [];
    while (this.buffered.length >= 2) {
      const length = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + length) break;
      frames.push(this.buffered.subarray(2, 2 + length));
      this.buffered = this.buffered.subarray(2 + length);
    }
    return frames;
  }

  /** What is left when the stream ends: null, or why the last bytes were not a whole frame. */
  end(): string | null {
    if (this.buffered.length === 0) return null;
    if (this.buffered.length === 1) return 'the stream ended inside a frame length';
    return (
      `the stream ended ${2 + this.buffered.readUInt16BE(0) - this.buffered.length} bytes short of a ` +
      `${this.buffered.readUInt16BE(0)}-byte frame`
    );
  }
}
