import { describe, expect, it } from 'vitest';
import { formatAdsPath, hostError, parseAdsPath } from '../../shared/adspath.ts';

describe('parseAdsPath', () => {
  it('reads a serverless path and the domain it names', () => {
    const p = parseAdsPath('LDAP://OU=sales,OU=la,DC=domain,DC=com');
    expect(p).toMatchObject({
      ok: true,
      scheme: 'LDAP',
      server: null,
      port: null,
      dn: 'OU=sales,OU=la,DC=domain,DC=com',
      domain: 'domain.com',
    });
  });

  it('reads a server and port before the DN', () => {
    expect(parseAdsPath('LDAP://dc1.domain.com:636/OU=sales,DC=domain,DC=com')).toMatchObject({
      ok: true,
      server: 'dc1.domain.com',
      port: 636,
      dn: 'OU=sales,DC=domain,DC=com',
    });
  });

  it('accepts LDAPS:// and any letter case of the scheme', () => {
    expect(parseAdsPath('ldaps://dc1/DC=x')).toMatchObject({ ok: true, scheme: 'LDAPS', server: 'dc1', dn: 'DC=x' });
  });

  it('accepts IPv4 and bracketed IPv6 servers', () => {
    expect(parseAdsPath('LDAP://127.0.0.1:389/DC=x')).toMatchObject({ ok: true, server: '127.0.0.1', port: 389 });
    expect(parseAdsPath('LDAP://[::1]:636/DC=x')).toMatchObject({ ok: true, server: '[::1]', port: 636 });
  });

  it('reads a server alone as the whole domain on that server', () => {
    expect(parseAdsPath('LDAP://dc1.domain.com')).toMatchObject({ ok: true, server: 'dc1.domain.com', dn: '' });
  });

  it('keeps escaped commas, non-ASCII and the \\/ escape in the DN', () => {
    expect(parseAdsPath('LDAP://OU=Research\\, Development,DC=corp')).toMatchObject({
      ok: true,
      dn: 'OU=Research\\, Development,DC=corp',
    });
    expect(parseAdsPath('LDAP://OU=Zürich Büro,DC=corp')).toMatchObject({ ok: true, dn: 'OU=Zürich Büro,DC=corp' });
    expect(parseAdsPath('LDAP://OU=a\\/b,DC=corp')).toMatchObject({ ok: true, dn: 'OU=a/b,DC=corp' });
  });

  it('treats an empty path as the whole domain', () => {
    expect(parseAdsPath('  ')).toMatchObject({ ok: true, empty: true });
  });

  it.each([
    ['OU=sales,DC=x', /must start with LDAP:\/\//],
    ['GC://DC=x', /Global Catalog/],
    ['HTTP://x/DC=y', /not an LDAP path/],
    ['LDAP://dc1:99999/DC=x', /out of range/],
    ['LDAP://dc1:abc/DC=x', /not a port number/],
    ['LDAP://bad_host!/DC=x', /not a valid host name/],
    ['LDAP://999.1.1.1/DC=x', /not a valid IPv4/],
    ['LDAP:///DC=x', /server name .* is empty/],
    ['LDAP://OU=a,b,DC=x', /has no "="/],
    ['LDAP://OU=a"b,DC=x', /must be escaped/],
  ])('refuses %j and says why', (path, message) => {
    const p = parseAdsPath(path);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toMatch(message);
  });

  it('reports positions in the whole path, not just its DN part', () => {
    expect(parseAdsPath('LDAP://dc1/OU=a"b')).toEqual({
      ok: false,
      error: 'The character " at position 16 must be escaped as \\".',
    });
  });
});

describe('formatAdsPath', () => {
  it('writes a picked container back as an ADsPath that parses to the same DN', () => {
    const text = formatAdsPath('OU=a/b,DC=corp', 'dc1', 636);
    expect(text).toBe('LDAP://dc1:636/OU=a\\/b,DC=corp');
    expect(parseAdsPath(text)).toMatchObject({ ok: true, server: 'dc1', port: 636, dn: 'OU=a/b,DC=corp' });
    expect(formatAdsPath('DC=corp', null, null, 'LDAPS')).toBe('LDAPS://DC=corp');
  });
});

describe('hostError', () => {
  it('accepts names and addresses and rejects junk', () => {
    expect(hostError('dc1.corp.example.test')).toBeNull();
    expect(hostError('127.0.0.1')).toBeNull();
    expect(hostError('[::1]')).toBeNull();
    expect(hostError('a b')).not.toBeNull();
    expect(hostError('-bad')).not.toBeNull();
  });
});

describe('parseAdsPath and "/" inside the DN', () => {
  it('refuses an unescaped "/" in the DN (ADSI reads it as a separator), naming where and the escaped form', () => {
    expect(parseAdsPath('LDAP://cn=foo/bar,dc=corp,dc=test')).toEqual({
      ok: false,
      error:
        'The "/" at character 14 is read as a separator: inside a distinguished name write it as "\\/" ' +
        '(cn=foo\\/bar,dc=corp,dc=test).',
    });
    expect(parseAdsPath('LDAP://dc1:636/OU=a/b/c,DC=corp')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The "\/" at character 20 .*\(OU=a\\\/b\\\/c,DC=corp\)\.$/),
    });
    // An escaped backslash before it does not escape the slash.
    expect(parseAdsPath('LDAP://OU=a\\\\/b,DC=corp')).toMatchObject({ ok: false });
    expect(parseAdsPath('LDAP://cn=foo\\/bar,dc=corp')).toMatchObject({ ok: true, dn: 'cn=foo/bar,dc=corp' });
  });
});
