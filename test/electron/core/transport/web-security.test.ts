import { describe, expect, it } from 'vitest';
import {
  allowedHost,
  allowedOrigin,
  contentSecurityPolicy,
  newToken,
  presentedToken,
  tokensEqual,
} from '../../../../electron/core/transport/web-security.ts';

describe('the browser console gate', () => {
  it('makes long random tokens', () => {
    const a = newToken();
    expect(a.length).toBeGreaterThanOrEqual(40);
    expect(newToken()).not.toBe(a);
  });

  it('compares tokens exactly', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'ab')).toBe(false);
    expect(tokensEqual('abc', null)).toBe(false);
    expect(tokensEqual('abc', '')).toBe(false);
  });

  it('finds the token in the query, a bearer header or the cookie', () => {
    expect(presentedToken(new URL('http://x/?token=q'), {})).toEqual({ token: 'q', fromQuery: true });
    expect(presentedToken(new URL('http://x/'), { authorization: 'Bearer b' })).toEqual({
      token: 'b',
      fromQuery: false,
    });
    expect(presentedToken(new URL('http://x/'), { cookie: 'other=1; adconsole_token=c' })).toEqual({
      token: 'c',
      fromQuery: false,
    });
    expect(presentedToken(new URL('http://x/'), { cookie: 'adconsole_tokenx=c' })).toEqual({
      token: null,
      fromQuery: false,
    });
  });

  it('accepts only loopback hosts on our own port (no DNS rebinding)', () => {
    expect(allowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(allowedHost('localhost:8080', 8080)).toBe(true);
    expect(allowedHost('127.0.0.1:8081', 8080)).toBe(false);
    expect(allowedHost('evil.example.com:8080', 8080)).toBe(false);
    expect(allowedHost('127.0.0.1.nip.io:8080', 8080)).toBe(false);
    expect(allowedHost(undefined, 8080)).toBe(false);
  });

  it('accepts no Origin or our own, and refuses other sites', () => {
    expect(allowedOrigin(undefined, 8080)).toBe(true);
    expect(allowedOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(allowedOrigin('http://evil.example.com', 8080)).toBe(false);
    expect(allowedOrigin('null', 8080)).toBe(false);
    expect(allowedOrigin('https://127.0.0.1:8080', 8080)).toBe(false);
  });

  it('allows scripts only from itself', () => {
    const csp = contentSecurityPolicy(8080);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
  });
});
