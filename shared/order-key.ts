/**
 * Names in the order a person reads a list: without regard to case or accents ("Åberg" beside "Aberg"), and
 * numbers by value ("user9" before "user10"). The key is computed once per name and compared as plain text,
 * so that 100 000 rows sort at the speed of a plain string sort, and so that the users database — which
 * compares text byte for byte on both engines (engine/sql-engine.ts, `text`) — orders a column of these keys
 * exactly as the console's own sorts do: the import preview and the users view order names the same way.
 */
import { foldText } from './fold.ts';

/**
 * A run of digits is written as its length in two digits, then the digits without leading zeros: numbers compare
 * by value up to 99 digits, and every number still starts with a digit (so it sorts among other text as digits
 * do). Shorter than padding every number to a fixed width, so keys compare faster.
 */
const MAX_DIGITS = 99;
const ASCII = /^[\u0000-\u007f]*$/;
const HAS_DIGIT = /\d/;
/**
 * UTF-16 (JavaScript's `<`) and UTF-8 (the databases') order text the same way except for the characters
 * U+E000–U+FFFF against those beyond U+FFFF; the few such that survive folding (private use, specials) are
 * spelled with two characters below U+D800 that keep their order among themselves.
 */
const HIGH_BMP = /[\uE000-\uFFFF]/g;
const spellHigh = (c: string) => `\uD7FF${String.fromCharCode(0x100 + c.charCodeAt(0) - 0xe000)}`;

/** Every run of digits as its length and its digits, leading zeros dropped (a hand loop: 3 × a regex's). */
function encodeNumbers(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    let first = i;
    while (first < end - 1 && text.charCodeAt(first) === 48) first++;
    const width = Math.min(end - first, MAX_DIGITS);
    out += text.slice(from, i) + (width < 10 ? '0' : '') + String(width) + text.slice(first, end);
    from = i = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

export function orderKey(text: string): string {
  // Most names are plain ASCII: lower case is all their folding needs.
  const folded = ASCII.test(text) ? text.toLowerCase() : foldText(text).replace(HIGH_BMP, spellHigh);
  return HAS_DIGIT.test(folded) ? encodeNumbers(folded) : folded;
}

/** Plain comparison of two keys (what both databases do with them). */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
