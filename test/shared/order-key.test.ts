import { describe, expect, it } from 'vitest';
import { compareKeys, orderKey } from '../../shared/order-key.ts';

const ordered = (names: string[]) => names.toSorted((a, b) => compareKeys(orderKey(a), orderKey(b)));

/** How UTF-8 bytes compare (SQLite's BINARY and PostgreSQL's "C" on a key column). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('order keys', () => {
  it('order names without regard to case or accents', () => {
    expect(ordered(['Zoë', 'zeta', 'Åberg', 'abbot', 'Łódź', 'lodge', 'ÉMILE', 'emil'])).toEqual([
      'abbot',
      'Åberg',
      'emil',
      'ÉMILE',
      'lodge',
      'Łódź',
      'zeta',
      'Zoë',
    ]);
    expect(orderKey('STRAßE')).toBe(orderKey('strasse'));
  });

  it('order numbers in names by value, leading zeros aside, wherever they stand', () => {
    expect(ordered(['user10', 'user9', 'user100', 'user009', 'user1'])).toEqual([
      'user1',
      'user9',
      'user009',
      'user10',
      'user100',
    ]);
    expect(ordered(['Room 2 desk 10', 'Room 10 desk 1', 'Room 2 desk 9'])).toEqual([
      'Room 2 desk 9',
      'Room 2 desk 10',
      'Room 10 desk 1',
    ]);
    expect(orderKey('ＡＢＣ１２')).toBe(orderKey('abc12')); // full-width forms fold to their letters and digits
  });

  it('compare in JavaScript exactly as the databases compare the stored keys, byte for byte', () => {
    const names = [
      'a\uE000b', // private use, above the surrogates in UTF-16
      'a\u{1F600}b', // beyond U+FFFF: a surrogate pair in UTF-16
      'a\uFFFDb',
      'a\uD7A3b',
      'a\u4E00b',
      'aXb',
      'a9b',
      'a\u{20000}b',
    ];
    const keys = names.map(orderKey);
    expect(keys.toSorted(compareKeys)).toEqual(keys.toSorted(byBytes));
  });

  it('keep a name without digits or accents as its lower case, and empty as empty', () => {
    expect(orderKey('Anna-Lena')).toBe('anna-lena');
    expect(orderKey('')).toBe('');
  });
});
