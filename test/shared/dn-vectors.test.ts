/**
 * The DN parser and formatter against vectors published by other LDAP implementations, not only our own
 * examples: RFC 4514 §4, go-ldap's dn_test.go, python-ldap's Tests/t_ldap_dn.py. Where those libraries
 * accept more than RFC 4514 (go-ldap's escaped spaces in attribute types), the vector is left out; where
 * they decode a BER value to text (go-ldap gives "Hi" for #04024869), we keep the hex as written and
 * mark it, which is what a search base needs.
 */
import { describe, expect, it } from 'vitest';
import { parseAdsPath } from '../../shared/adspath.ts';
import { type Ava, escapeDnValue, formatDn, parseDn, type Rdn } from '../../shared/dn.ts';

const rdnsOf = (dn: string): Rdn[] => {
  const parsed = parseDn(dn);
  if (!parsed.ok) throw new Error(`${dn}: ${parsed.error}`);
  return parsed.rdns;
};
const ava = (type: string, value: string, ber = false): Ava => (ber ? { type, value, ber: true } : { type, value });

describe('RFC 4514 §4 examples', () => {
  it.each<[string, Rdn[]]>([
    ['UID=jsmith,DC=example,DC=net', [[ava('UID', 'jsmith')], [ava('DC', 'example')], [ava('DC', 'net')]]],
    [
      'OU=Sales+CN=J.  Smith,DC=example,DC=net',
      [[ava('OU', 'Sales'), ava('CN', 'J.  Smith')], [ava('DC', 'example')], [ava('DC', 'net')]],
    ],
    [
      'CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net',
      [[ava('CN', 'James "Jim" Smith, III')], [ava('DC', 'example')], [ava('DC', 'net')]],
    ],
    [
      'CN=Before\\0dAfter,DC=example,DC=net',
      [[ava('CN', 'Before\rAfter')], [ava('DC', 'example')], [ava('DC', 'net')]],
    ],
    [
      '1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com',
      [[ava('1.3.6.1.4.1.1466.0', '#04024869', true)], [ava('DC', 'example')], [ava('DC', 'com')]],
    ],
    ['CN=Lu\\C4\\8Di\\C4\\87', [[ava('CN', 'Lučić')]]],
  ])('parses %s', (dn, expected) => {
    expect(rdnsOf(dn)).toEqual(expected);
  });

  it('writes the carriage return of "Before\\0dAfter" back as a hex pair, not raw', () => {
    expect(formatDn(rdnsOf('CN=Before\\0dAfter,DC=example,DC=net'))).toBe('CN=Before\\0DAfter,DC=example,DC=net');
  });
});

describe('go-ldap dn_test.go', () => {
  it.each<[string, Rdn[]]>([
    [
      'cn=Jim\\2C \\22Hasse Hö\\22 Hansson!,dc=dummy,dc=com',
      [[ava('cn', 'Jim, "Hasse Hö" Hansson!')], [ava('dc', 'dummy')], [ava('dc', 'com')]],
    ],
    ['UID=jsmith,DC=example,DC=net', [[ava('UID', 'jsmith')], [ava('DC', 'example')], [ava('DC', 'net')]]],
    [
      'OU=Sales+CN=J. Smith,DC=example,DC=net',
      [[ava('OU', 'Sales'), ava('CN', 'J. Smith')], [ava('DC', 'example')], [ava('DC', 'net')]],
    ],
    ['1.3.6.1.4.1.1466.0=#04024869', [[ava('1.3.6.1.4.1.1466.0', '#04024869', true)]]],
    ['1.3.6.1.4.1.1466.0=#04024869,DC=net', [[ava('1.3.6.1.4.1.1466.0', '#04024869', true)], [ava('DC', 'net')]]],
    ['CN=Lu\\C4\\8Di\\C4\\87', [[ava('CN', 'Lučić')]]],
    ['  CN  =  Lu\\C4\\8Di\\C4\\87  ', [[ava('CN', 'Lučić')]]],
    ['   A   =   1   ,   B   =   2   ', [[ava('A', '1')], [ava('B', '2')]]],
    ['   A   =   1   +   B   =   2   ', [[ava('A', '1'), ava('B', '2')]]],
  ])('parses %j', (dn, expected) => {
    expect(rdnsOf(dn)).toEqual(expected);
  });

  it.each([
    '*',
    'cn=Jim\\0Test',
    'cn=Jim\\0',
    'DC=example,=net',
    '1=#0402486',
    'test,DC=example,DC=com',
    '=test,DC=example,DC=com',
  ])('refuses %j', (dn) => {
    expect(parseDn(dn).ok).toBe(false);
  });

  it.each([
    ['o=A', 'o\\=A'],
    ['o,A', 'o\\,A'],
    ['o#A', 'o#A'], // go-ldap escapes an inner "#" too; RFC 4514 needs it only in front
    ['o<A', 'o\\<A'],
    ['o>A', 'o\\>A'],
    ['o;A', 'o\\;A'],
    ['o"A', 'o\\"A'],
    ['o+A', 'o\\+A'],
    [' o=A', '\\ o\\=A'],
    ['o=A ', 'o\\=A\\ '],
    [' o=A ', '\\ o\\=A\\ '],
  ])('escapes %j as %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it.each([
    ['o= A,o=B', 'o=A,o=B'],
    ['o=A + o=B', 'o=A+o=B'],
    ['o= A +o= B', 'o=A+o=B'],
    ['cn=John Doe, ou=People, dc=sun.com', 'cn=John Doe,ou=People,dc=sun.com'],
  ])('formats %j as %j', (dn, formatted) => {
    expect(formatDn(rdnsOf(dn))).toBe(formatted);
  });
});

describe('python-ldap t_ldap_dn.py', () => {
  it.each([
    ['foobar', 'foobar'],
    ['foo,bar', 'foo\\,bar'],
    ['foo=bar', 'foo\\=bar'],
    ['foo#bar', 'foo#bar'],
    ['#foobar', '\\#foobar'],
    ['foo bar', 'foo bar'],
    [' foobar', '\\ foobar'],
    ['foobar ', 'foobar\\ '],
    ['f+o>o,b<a;r="\0"', 'f\\+o\\>o\\,b\\<a\\;r\\=\\"\\00\\"'],
    ['foo\\,bar', 'foo\\\\\\,bar'],
  ])('escape_dn_chars(%j) = %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('reads str2dn examples, escaped UTF-8 included', () => {
    expect(rdnsOf('uid=test42+uidNumber=42,ou=Testing,dc=example,dc=com')).toEqual([
      [ava('uid', 'test42'), ava('uidNumber', '42')],
      [ava('ou', 'Testing')],
      [ava('dc', 'example')],
      [ava('dc', 'com')],
    ]);
    expect(rdnsOf('uid=test\\, 42,ou=Testing,dc=example,dc=com')[0]).toEqual([ava('uid', 'test, 42')]);
    expect(rdnsOf('cn=\\c3\\a4\\c3\\b6\\c3\\bc\\c3\\84\\c3\\96\\c3\\9c\\c3\\9f,dc=example,dc=com')[0]).toEqual([
      ava('cn', 'äöüÄÖÜß'),
    ]);
  });

  it.each([
    'foobar,ou=ae-dir',
    '-cn=foobar,ou=ae-dir',
    ';cn=foobar,ou=ae-dir',
    ',cn=foobar,ou=ae-dir',
    'cn=foobar,ou=ae-dir,',
  ])('is_dn(%j) is false', (dn) => {
    expect(parseDn(dn).ok).toBe(false);
  });
});

describe('values that must keep their meaning through parse → format', () => {
  it('keeps an escaped "#" as text: OU=\\#2024 stays OU=\\#2024, never the hex value #2024', () => {
    const rdns = rdnsOf('OU=\\#2024,DC=corp,DC=example,DC=com');
    expect(rdns[0]).toEqual([ava('OU', '#2024')]);
    expect(formatDn(rdns)).toBe('OU=\\#2024,DC=corp,DC=example,DC=com');
  });

  it('keeps a BER value as the hex it is', () => {
    expect(formatDn(rdnsOf('OU=#2024,DC=corp'))).toBe('OU=#2024,DC=corp');
  });

  it('gives the search base of LDAP://OU=\\#2024,… with the "#" still escaped', () => {
    const path = parseAdsPath('LDAP://OU=\\#2024,DC=corp,DC=example,DC=com');
    expect(path).toMatchObject({ ok: true, dn: 'OU=\\#2024,DC=corp,DC=example,DC=com' });
  });

  it('writes LF, CR, TAB and DEL as hex pairs, as AD names deleted objects (CN=name\\0ADEL:guid)', () => {
    const deleted = 'CN=Jane Doe\\0ADEL:5f1c7e21-8e3a-4d2b-9a57-3f0c6b2a1d90,CN=Deleted Objects,DC=corp';
    expect(rdnsOf(deleted)[0]![0]!.value).toBe('Jane Doe\nDEL:5f1c7e21-8e3a-4d2b-9a57-3f0c6b2a1d90');
    expect(formatDn(rdnsOf(deleted))).toBe(deleted);
    expect(escapeDnValue('a\tb\rc\u007fd\u0001')).toBe('a\\09b\\0Dc\\7Fd\\01');
  });

  it.each(['01.1=x', '1.02=x', '2.5.4.011=Sales'])('refuses the attribute OID %j (leading zeros, RFC 4512)', (dn) => {
    const parsed = parseDn(dn);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/not a valid attribute OID .*without leading zeros/);
  });

  it('accepts OIDs whose numbers are written without leading zeros, 0 included', () => {
    expect(rdnsOf('2.5.4.11=Sales,0.9.2342.19200300.100.1.25=corp')).toEqual([
      [ava('2.5.4.11', 'Sales')],
      [ava('0.9.2342.19200300.100.1.25', 'corp')],
    ]);
  });
});
