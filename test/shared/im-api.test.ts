import { describe, expect, it } from 'vitest';
import { parseImApi } from '../../shared/im-api.ts';

describe("parsing the IM server API's address", () => {
  it('takes an empty address as "not published", and a loopback http address as it is', () => {
    expect(parseImApi('  ')).toEqual({ ok: true, url: null, loopback: true });
    expect(parseImApi('http://127.0.0.1:5285/api/')).toEqual({
      ok: true,
      url: 'http://127.0.0.1:5285/api',
      loopback: true,
    });
    expect(parseImApi('http://localhost:5285/api')).toMatchObject({ ok: true, loopback: true });
    expect(parseImApi('http://[::1]:5285/api')).toMatchObject({ ok: true, loopback: true });
  });

  it('accepts https anywhere, and refuses plain http to another machine (the token would cross in clear)', () => {
    expect(parseImApi('https://im.corp.example.com:5443/api')).toMatchObject({ ok: true, loopback: false });
    expect(parseImApi('http://im.corp.example.com:5285/api')).toEqual({
      ok: false,
      error: expect.stringMatching(/im\.corp\.example\.com is not this machine: .* Use https:\/\//),
    });
  });

  it('refuses what is no API address, saying what to write', () => {
    expect(parseImApi('127.0.0.1:5285')).toMatchObject({ ok: false });
    expect(parseImApi('not a url')).toEqual({
      ok: false,
      error: expect.stringMatching(/is not a URL: write the address/),
    });
    expect(parseImApi('ftp://127.0.0.1/api')).toEqual({ ok: false, error: expect.stringMatching(/not ftp:/) });
    expect(parseImApi('http://admin:secret@127.0.0.1:5285/api')).toEqual({
      ok: false,
      error: expect.stringMatching(/no user, password, query or fragment \(a token goes in imApiTokenFile\)/),
    });
  });
});
