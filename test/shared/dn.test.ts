import { describe, expect, it } from 'vitest';
import { dnWithin, domainOfDn, escapeDnValue, formatDn, leafName, MAX_DN_LENGTH, parseDn } from '../../shared/dn.ts';

const values = (dn: string) => {
  const parsed = parseDn(dn);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+'));
};

describe('parseDn', () => {
  it('reads a plain DN into its RDNs', () => {
    expect(values('OU=sales,OU=la,DC=domain,DC=com')).toEqual(['OU=sales', 'OU=la', 'DC=domain', 'DC=com']);
  });

  it('treats an empty string as the root DN', () => {
    expect(parseDn('')).toEqual({ ok: true, rdns: [] });
  });

  it('keeps escaped commas, plus signs, quotes and backslashes inside values', () => {
    expect(values('OU=Research\\, Development,DC=x')).toEqual(['OU=Research, Development', 'DC=x']);
    expect(values('CN=a\\+b\\"c\\\\d,DC=x')).toEqual(['CN=a+b"c\\d', 'DC=x']);
  });

  it('decodes hex pairs as UTF-8 bytes', () => {
    expect(values('OU=Z\\C3\\BCrich,DC=x')).toEqual(['OU=Zürich', 'DC=x']);
    expect(values('CN=\\2Cleading comma,DC=x')).toEqual(['CN=,leading comma', 'DC=x']);
  });

  it('accepts non-ASCII text written directly', () => {
    expect(values('OU=Zürich Büro,DC=corp')).toEqual(['OU=Zürich Büro', 'DC=corp']);
  });

  it('reads multi-valued RDNs joined by +', () => {
    expect(values('CN=John+UID=42,DC=x')).toEqual(['CN=John+UID=42', 'DC=x']);
  });

  it('tolerates spaces after separators as admins type them', () => {
    expect(values('OU=sales, DC=domain , DC=com')).toEqual(['OU=sales', 'DC=domain', 'DC=com']);
  });

  it('keeps an escaped trailing space', () => {
    expect(values('CN=trail\\ ,DC=x')).toEqual(['CN=trail ', 'DC=x']);
  });

  it('accepts the ADsPath escape \\/ as a slash', () => {
    expect(values('OU=a\\/b,DC=x')).toEqual(['OU=a/b', 'DC=x']);
  });

  it.each([
    ['OU=sales,', /ends with a comma/],
    ['sales,DC=x', /has no "="/],
    ['=sales', /attribute name is missing/],
    ['OU=a"b,DC=x', /The character " at position 5 must be escaped as \\"/],
    ['OU=a;b', /must be escaped/],
    ['OU=a\\', /lone backslash/],
    ['OU=a\\q', /not a valid escape/],
    ['OU=\\C3,DC=x', /not valid UTF-8/],
    ['OU=,DC=x', /empty/],
    ['1OU=x', /not a valid attribute name/],
    ['OU=a\0b', /NUL/],
    ['OU=#12G', /Unexpected|even number/],
  ])('refuses %j with a message that says what is wrong', (dn, message) => {
    const parsed = parseDn(dn);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('refuses input longer than the limit without scanning it', () => {
    const parsed = parseDn(`CN=${'a'.repeat(MAX_DN_LENGTH)}`);
    expect(parsed.ok).toBe(false);
  });

  it('survives hostile filter-like input as plain (rejected) text', () => {
    for (const hostile of ['*)(objectClass=*', 'OU=*)(|(cn=*', ')(', '\\\\\\', ',,,', '+++', '=====']) {
      const parsed = parseDn(hostile);
      if (parsed.ok) expect(formatDn(parsed.rdns)).not.toContain(')(objectClass');
    }
  });
});

describe('escapeDnValue and formatDn', () => {
  it('escapes what RFC 4514 requires and round-trips through parseDn', () => {
    for (const value of [
      'Research, Development',
      ' lead',
      'trail ',
      '#hash',
      'a+b',
      'q"uote',
      'back\\slash',
      'semi;colon',
      '<angle>',
      'Zürich',
      'nul\0byte',
    ]) {
      const dn = `CN=${escapeDnValue(value)},DC=x`;
      const parsed = parseDn(dn);
      expect(parsed.ok, dn).toBe(true);
      if (parsed.ok) expect(parsed.rdns[0]![0]!.value).toBe(value);
    }
  });

  it('formats a parsed DN back into canonical form', () => {
    const parsed = parseDn('OU=Research\\2C Development, DC=corp');
    expect(parsed.ok && formatDn(parsed.rdns)).toBe('OU=Research\\, Development,DC=corp');
  });
});

describe('DN helpers', () => {
  it('derives the DNS domain from DC= parts', () => {
    const parsed = parseDn('OU=sales,DC=Corp,DC=Example,DC=com');
    expect(parsed.ok && domainOfDn(parsed.rdns)).toBe('corp.example.com');
  });

  it('names a node by its first RDN value', () => {
    const parsed = parseDn('OU=Zürich Büro,DC=corp');
    expect(parsed.ok && leafName(parsed.rdns)).toBe('Zürich Büro');
  });
});

describe('dnWithin', () => {
  const ou = 'OU=Sales,DC=corp,DC=example';
  it('finds an entry anywhere below a base (sub) or directly below it (one), as a search would', () => {
    expect(dnWithin('CN=a,OU=LA,OU=Sales,DC=corp,DC=example', ou, 'sub')).toBe(true);
    expect(dnWithin('CN=a,OU=LA,OU=Sales,DC=corp,DC=example', ou, 'one')).toBe(false);
    expect(dnWithin('CN=a,OU=Sales,DC=corp,DC=example', ou, 'one')).toBe(true);
    expect(dnWithin(ou, ou, 'sub')).toBe(true);
  });

  it('compares as AD does: case, escapes, spaces after commas and NFC do not matter', () => {
    expect(dnWithin('cn=a,ou=SALES, dc=Corp,dc=EXAMPLE', ou, 'one')).toBe(true);
    expect(dnWithin('CN=x,OU=Research\\2C Development,DC=c', 'OU=Research\\, Development,DC=c', 'one')).toBe(true);
    expect(dnWithin('CN=x,OU=Zu\u0308rich,DC=c', 'OU=Z\u00fcrich,DC=c', 'one')).toBe(true);
  });

  it('does not take a name that merely ends the same way, nor unparsable input', () => {
    expect(dnWithin('CN=a,OU=PreSales,DC=corp,DC=example', ou, 'sub')).toBe(false);
    expect(dnWithin('CN=a,OU=Sales,DC=other', ou, 'sub')).toBe(false);
    expect(dnWithin('not a dn', ou, 'sub')).toBe(false);
  });
});
