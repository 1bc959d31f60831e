/**
 * ADsPath parsing: "LDAP://OU=sales,DC=domain,DC=com", "LDAP://dc1.domain.com:636/OU=sales,DC=domain,DC=com",
 * "LDAPS://…". The form the original console stores as the OU container path.
 */
import { domainOfDn, formatDn, parseDn, type Rdn } from './dn.ts';

export type AdsPathParse =
  | {
      ok: true;
      /** Empty path: the whole domain (the server's default naming context). */
      empty: boolean;
      scheme: 'LDAP' | 'LDAPS';
      server: string | null;
      port: number | null;
      dn: string;
      rdns: Rdn[];
      /** DNS domain from the DC= parts, used to find domain controllers when no server is named. */
      domain: string | null;
    }
  | { ok: false; error: string };

const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/** Validates a host name or address as typed by an admin; returns an error sentence or null. */
export function hostError(host: string): string | null {
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    return IPV6_CHARS.test(inner) && inner.includes(':') ? null : `"${host}" is not a valid IPv6 address.`;
  }
  if (host.includes(':')) return IPV6_CHARS.test(host) ? null : `"${host}" is not a valid host name or address.`;
  if (/^[\d.]+$/.test(host)) return IPV4.test(host) ? null : `"${host}" is not a valid IPv4 address.`;
  return HOSTNAME.test(host) ? null : `"${host}" is not a valid host name (letters, digits, "-" and dots).`;
}

export function parsePort(text: string): number | string {
  if (!/^\d{1,5}$/.test(text)) return `"${text}" is not a port number (1–65535).`;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : `Port ${port} is out of range (1–65535).`;
}

export function parseAdsPath(input: string): AdsPathParse {
  const text = input.trim();
  if (text === '')
    return { ok: true, empty: true, scheme: 'LDAP', server: null, port: null, dn: '', rdns: [], domain: null };
  const schemeMatch = /^([A-Za-z]+):\/\/(.*)$/s.exec(text);
  if (!schemeMatch) {
    return {
      ok: false,
      error: 'The path must start with LDAP:// (or LDAPS://), e.g. LDAP://OU=sales,DC=domain,DC=com.',
    };
  }
  const scheme = schemeMatch[1]!.toUpperCase();
  if (scheme === 'GC')
    return { ok: false, error: "Global Catalog paths (GC://) are not supported: use LDAP:// with the domain's DN." };
  if (scheme !== 'LDAP' && scheme !== 'LDAPS')
    return { ok: false, error: `"${schemeMatch[1]}://" is not an LDAP path: use LDAP:// or LDAPS://.` };
  let rest = schemeMatch[2]!;
  let server: string | null = null;
  let port: number | null = null;

  // A server part is whatever precedes the first "/" when it has no "=" (DNs always do).
  const slash = rest.indexOf('/');
  const head = slash >= 0 ? rest.slice(0, slash) : rest;
  if (!head.includes('=') && (slash >= 0 || !rest.includes('='))) {
    rest = slash >= 0 ? rest.slice(slash + 1) : '';
    const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(head)!;
    const host = hostPort[1]!;
    if (host === '') return { ok: false, error: 'The server name between "//" and "/" is empty.' };
    const hostProblem = hostError(host);
    if (hostProblem) return { ok: false, error: hostProblem };
    server = host;
    if (hostPort[2] !== undefined) {
      const parsed = parsePort(hostPort[2]);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      port = parsed;
    }
  }
  // The DN is the tail of what was typed: report positions in the whole field.
  const offset = input.length - input.trimStart().length + text.length - rest.length;
  // ADSI reads an unescaped "/" as the separator between server and DN: one inside the DN must be "\/".
  const separator = /(?<!\\)(?:\\\\)*\//.exec(rest);
  if (separator) {
    const at = separator.index + separator[0].length - 1;
    return {
      ok: false,
      error:
        `The "/" at character ${offset + at + 1} is read as a separator: inside a distinguished name write it ` +
        `as "\\/" (${rest.replace(/(?<!\\)((?:\\\\)*)\//g, '$1\\/')}).`,
    };
  }
  const dn = parseDn(rest, offset);
  if (!dn.ok) return { ok: false, error: dn.error };
  return {
    ok: true,
    empty: false,
    scheme: scheme as 'LDAP' | 'LDAPS',
    server,
    port,
    dn: formatDn(dn.rdns),
    rdns: dn.rdns,
    domain: domainOfDn(dn.rdns),
  };
}

/** Builds the ADsPath the dialog stores for a container picked in Browse, keeping the path's scheme and server. */
export function formatAdsPath(
  dn: string,
  server?: string | null,
  port?: number | null,
  scheme: 'LDAP' | 'LDAPS' = 'LDAP',
): string {
  const authority = server ? `${server}${port ? `:${port}` : ''}/` : '';
  return `${scheme}://${authority}${dn.replace(/\//g, '\\/')}`;
}
