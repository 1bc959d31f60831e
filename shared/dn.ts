/**
 * Distinguished names (RFC 4514) — parsing, escaping, formatting.
 * Pure code: shared by the renderer (validation as you type) and the core (search bases).
 */

export interface Ava {
  type: string;
  /** The text value; for a BER value, the `#hex` as written. */
  value: string;
  /**
   * Set for a value written as `#` and hex digits (RFC 4514 §2.4: a BER encoding). An escaped `\#…` is
   * text that starts with "#": the two must stay apart, or "#2024" turns into a hex value when rebuilt.
   */
  ber?: true;
}
export type Rdn = Ava[];

export type DnParse = { ok: true; rdns: Rdn[] } | { ok: false; error: string; position: number };

/** Longer input is refused outright: no real DN is this long, and it bounds the work on hostile input. */
export const MAX_DN_LENGTH = 4096;

const KEYSTRING = /^[A-Za-z][A-Za-z0-9-]*$/;
/** RFC 4512 numericoid: no leading zeros in a number ("01.1" is not an OID). */
const NUMERICOID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;
const HEX = /^[0-9A-Fa-f]{2}$/;
/** Characters that RFC 4514 allows after a backslash as themselves. */
const ESCAPABLE = new Set(['"', '+', ',', ';', '<', '>', ' ', '#', '=', '\\']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `offset` = where the DN starts in what the admin typed, so positions in messages match the field. */
export function parseDn(input: string, offset = 0): DnParse {
  if (input.length > MAX_DN_LENGTH) {
    return {
      ok: false,
      error: `The DN is ${input.length} characters long; at most ${MAX_DN_LENGTH} are accepted.`,
      position: MAX_DN_LENGTH,
    };
  }
  const rdns: Rdn[] = [];
  if (input.trim() === '') return { ok: true, rdns };
  let i = 0;
  const fail = (error: string, position = i): DnParse => ({ ok: false, error, position });
  const skipSpaces = () => {
    while (input[i] === ' ') i++;
  };

  for (;;) {
    const rdn: Rdn = [];
    for (;;) {
      skipSpaces();
      const typeStart = i;
      while (i < input.length && input[i] !== '=' && input[i] !== ',' && input[i] !== '+') i++;
      const type = input.slice(typeStart, i).trim();
      if (input[i] !== '=' || type === '') {
        return fail(
          type === ''
            ? `An attribute name is missing at character ${typeStart + 1 + offset} (expected something like OU=name).`
            : `"${type}" at character ${typeStart + 1 + offset} has no "=": each part must look like OU=name.`,
          typeStart,
        );
      }
      if (!KEYSTRING.test(type) && !NUMERICOID.test(type)) {
        const oidLike = /^[\d.]+$/.test(type);
        return fail(
          oidLike
            ? `"${type}" at character ${typeStart + 1 + offset} is not a valid attribute OID (numbers ` +
                `separated by dots, without leading zeros, such as 2.5.4.11).`
            : `"${type}" at character ${typeStart + 1 + offset} is not a valid attribute name (letters, digits ` +
                `and "-", starting with a letter).`,
          typeStart,
        );
      }
      i++; // '='
      skipSpaces();
      const ber = input[i] === '#';
      const value = readValue();
      if (typeof value !== 'string') return value;
      rdn.push(ber ? { type, value, ber: true } : { type, value });
      if (input[i] === '+') {
        i++;
        continue;
      }
      break;
    }
    rdns.push(rdn);
    if (i >= input.length) return { ok: true, rdns };
    if (input[i] !== ',') return fail(`Unexpected "${input[i]}" at character ${i + 1 + offset}.`);
    i++;
    if (input.slice(i).trim() === '')
      return fail(`The DN ends with a comma at character ${i + offset}: remove it or add the missing part.`, i - 1);
  }

  function readValue(): string | DnParse {
    const start = i;
    if (input[i] === '#') {
      // BER-encoded value in hex: kept verbatim, it is compared as written.
      i++;
      while (i < input.length && /[0-9A-Fa-f]/.test(input[i]!)) i++;
      if ((i - start - 1) % 2 !== 0 || i - start === 1)
        return fail(
          `The hex value starting at character ${start + 1 + offset} must have an even number of hex digits.`,
          start,
        );
      const end = i;
      skipSpaces();
      if (i < input.length && input[i] !== ',' && input[i] !== '+')
        return fail(`Unexpected "${input[i]}" after the hex value at character ${i + 1 + offset}.`);
      return input.slice(start, end);
    }
    const bytes: number[] = [];
    let text = '';
    let trailingUnescapedSpaces = 0;
    const flushBytes = (): string | null => {
      if (bytes.length === 0) return '';
      try {
        const s = utf8.decode(Uint8Array.from(bytes));
        bytes.length = 0;
        return s;
      } catch {
        return null;
      }
    };
    while (i < input.length) {
      const c = input[i]!;
      if (c === ',' || c === '+') break;
      if (c === '\\') {
        const next = input[i + 1];
        const pair = input.slice(i + 1, i + 3);
        if (HEX.test(pair)) {
          bytes.push(parseInt(pair, 16));
          i += 3;
          trailingUnescapedSpaces = 0;
          continue;
        }
        if (next !== undefined && (ESCAPABLE.has(next) || next === '/')) {
          // "\/" is not RFC 4514, but ADsPaths escape slashes that way; accept it as a plain "/".
          const flushed = flushBytes();
          if (flushed === null)
            return fail(`The escaped bytes before character ${i + 1 + offset} are not valid UTF-8.`);
          text += flushed + next;
          i += 2;
          trailingUnescapedSpaces = 0;
          continue;
        }
        if (next === undefined)
          return fail(
            `The DN ends with a lone backslash at character ${i + 1 + offset}: escape it as \\\\ or remove it.`,
          );
        return fail(
          `"\\${next}" at character ${i + 1 + offset} is not a valid escape: use \\ before , + " \\ < > ; = # ` +
            `or a space, or a two-digit hex code such as \\2C.`,
        );
      }
      const flushed = flushBytes();
      if (flushed === null) return fail(`The escaped bytes before character ${i + 1 + offset} are not valid UTF-8.`);
      text += flushed;
      if (c === '"' || c === ';' || c === '<' || c === '>') {
        return fail(`The character ${c} at position ${i + 1 + offset} must be escaped as \\${c}.`);
      }
      if (c === '\0') return fail(`A NUL character at character ${i + 1 + offset} is not allowed; write it as \\00.`);
      trailingUnescapedSpaces = c === ' ' ? trailingUnescapedSpaces + 1 : 0;
      text += c;
      i++;
    }
    const flushed = flushBytes();
    if (flushed === null) return fail(`The escaped bytes before character ${i + 1 + offset} are not valid UTF-8.`);
    text += flushed;
    // Unescaped trailing spaces are separators written for readability ("OU=a, DC=b"), not part of the value.
    const value = text.slice(0, text.length - trailingUnescapedSpaces);
    if (value === '') return fail(`The value at character ${start + 1 + offset} is empty.`, start);
    return value;
  }
}

const hexByte = (code: number) => `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Escapes one attribute value for use in a DN (RFC 4514 §2.4), as AD writes them: the special characters
 * with a backslash, a leading "#" or space and a trailing space, and every control character (below 0x20,
 * and 0x7F) as a hex pair — AD itself names deleted objects "CN=name\0ADEL:<guid>".
 */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += hexByte(code);
    else if ('"+,;<>\\='.includes(c)) out += '\\' + c;
    else if ((c === ' ' || c === '#') && k === 0) out += '\\' + c;
    else if (c === ' ' && k === value.length - 1) out += '\\ ';
    else out += c;
  }
  return out;
}

export function formatDn(rdns: Rdn[]): string {
  return rdns
    .map((rdn) => rdn.map((ava) => `${ava.type}=${ava.ber ? ava.value : escapeDnValue(ava.value)}`).join('+'))
    .join(',');
}

/** The DNS domain named by the DC= components of a DN ("DC=corp,DC=example,DC=com" → "corp.example.com"), or null. */
export function domainOfDn(rdns: Rdn[]): string | null {
  const labels = rdns
    .filter((rdn) => rdn.length === 1 && rdn[0]!.type.toLowerCase() === 'dc')
    .map((rdn) => rdn[0]!.value);
  return labels.length > 0 ? labels.join('.').toLowerCase() : null;
}

/** The value of the first RDN, for showing a node of the tree ("OU=Sales,DC=…" → "Sales"). */
export function leafName(rdns: Rdn[]): string {
  return rdns[0]?.map((ava) => ava.value).join(' + ') ?? '';
}

/** An RDN as AD compares it: attribute types and values without regard to case, multi-valued parts in any order. */
const rdnKey = (rdn: Rdn): string =>
  rdn
    .map((ava) => `${ava.type.toLowerCase()}=${ava.value.normalize('NFC').toLowerCase()}`)
    .sort()
    .join('+');

/**
 * Whether `dn` lies under `base`: anywhere below it (or it itself) with 'sub', directly below it with 'one' —
 * as a search of that base with that scope would find it. Unparsable input is never within anything.
 */
export function dnWithin(dn: string, base: string, scope: 'sub' | 'one'): boolean {
  const entry = parseDn(dn);
  const container = parseDn(base);
  if (!entry.ok || !container.ok) return false;
  const depth = entry.rdns.length - container.rdns.length;
  if (scope === 'one' ? depth !== 1 : depth < 0) return false;
  return container.rdns.every((rdn, k) => rdnKey(rdn) === rdnKey(entry.rdns[depth + k]!));
}
