/**
 * Where the IM server's admin API listens (the setting `imApi`): ejabberd's mod_http_api, e.g.
 * http://127.0.0.1:5285/api. Empty = the directory is not published. Plain http only on this machine's
 * loopback: anywhere else the API — and the bearer token of `imApiTokenFile` — cross the network, so https.
 */
import { isLoopbackHost } from './loopback.ts';

export type ImApiParse = { ok: true; url: string | null; loopback: boolean } | { ok: false; error: string };

export function parseImApi(text: string): ImApiParse {
  const value = text.trim();
  if (value === '') return { ok: true, url: null, loopback: true };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      ok: false,
      error: `"${value}" is not a URL: write the address of ejabberd's API, such as http://127.0.0.1:5285/api.`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, error: `The IM server's API is reached over http:// or https://, not ${url.protocol}//.` };
  if (url.username || url.password || url.search || url.hash)
    return {
      ok: false,
      error: 'Write the API address alone: no user, password, query or fragment (a token goes in imApiTokenFile).',
    };
  const loopback = isLoopbackHost(url.hostname);
  if (!loopback && url.protocol === 'http:')
    return {
      ok: false,
      error:
        `${url.hostname} is not this machine: its API (and the token) would cross the network unencrypted. Use ` +
        'https:// (an ejabberd listener with tls: true), or run AD Console on the IM server and use 127.0.0.1.',
    };
  return { ok: true, url: url.href.replace(/\/$/, ''), loopback };
}
