/**
 * The IM (XMPP) domains whose users this users database serves, as the setting `imDomains` holds them:
 * comma- or space-separated DNS names. Empty = the Active Directory's own DNS domain name.
 */
export type ImDomains = { ok: true; domains: string[] } | { ok: false; error: string };

// A DNS label of letters (any script: XMPP domains may be internationalised), digits and hyphens.
const LABEL = /^[\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** Domains compare case-insensitively, after Unicode normalisation (as XMPP's nameprep does). */
export const domainKey = (domain: string) => domain.normalize('NFKC').toLowerCase().replace(/\.$/, '');

export function parseImDomains(text: string): ImDomains {
  const domains = text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of domains) {
    const labels = domainKey(d).split('.');
    if (d.length > 253 || !labels.every((l) => LABEL.test(l)))
      return { ok: false, error: `"${d}" is not a domain name (such as corp.example.com).` };
  }
  return { ok: true, domains: [...new Set(domains.map(domainKey))] };
}

/** The DNS domain an AD naming context names: DC=corp,DC=example,DC=com → corp.example.com. */
export function dnsDomainOfDn(dn: string): string | null {
  const parts = [...dn.matchAll(/(?:^|,)\s*DC=([^,]+)/gi)].map((m) => m[1]!.trim());
  return parts.length ? parts.join('.').toLowerCase() : null;
}
