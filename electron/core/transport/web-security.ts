/**
 * The browser console's gatekeeping as pure functions: the per-run token, the loopback Host/Origin rule
 * (against DNS rebinding and cross-site requests) and the content security policy.
 */
import crypto from 'node:crypto';

export const TOKEN_COOKIE = 'adconsole_token';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The token from the query, an Authorization: Bearer header or the session cookie. */
export function presentedToken(
  url: URL,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): { token: string | null; fromQuery: boolean } {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return { token: fromQuery, fromQuery: true };
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return { token: bearer[1]!, fromQuery: false };
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return { token: rest.join('='), fromQuery: false };
  }
  return { token: null, fromQuery: false };
}

/** Only the loopback names we serve on, with our port: anything else is a rebinding or a stray proxy. */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-origin and on POST/WebSocket requests; when present it must be ours. */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
