/**
 * The import source the scheduled sync (and `bcscmd /LDAP` without /OU or /GROUP) reads, as the setting
 * `importSource` holds it: distinguished names separated by ";" (RFC 4514 escapes a ";" inside a value as
 * "\;", so a bare one always separates), each an OU read with its sub-OUs, or prefixed "level:" (that OU's
 * own accounts only) or "group:" (the group's members, nested groups included). Empty = the OU container
 * path. The wizard writes it when it applies an import; /SET writes it by hand.
 */
import { parseDn } from './dn.ts';

export interface SourceChoice {
  ous: string[];
  groups: string[];
  levels: string[];
}

export type SourceParse = { ok: true; source: SourceChoice | null } | { ok: false; error: string };

const KINDS = { group: 'groups', level: 'levels' } as const;

export function parseImportSource(text: string): SourceParse {
  const source: SourceChoice = { ous: [], groups: [], levels: [] };
  // Split on ";" not preceded by an odd number of backslashes.
  const parts = text.split(/(?<=(?:^|[^\\])(?:\\\\)*);/).map((p) => p.trim());
  for (const part of parts) {
    if (part === '') continue;
    const prefix = /^(group|level)\s*:\s*/i.exec(part);
    const kind = prefix ? KINDS[prefix[1]!.toLowerCase() as keyof typeof KINDS] : 'ous';
    const dn = part.slice(prefix ? prefix[0].length : 0);
    const parsed = parseDn(dn);
    if (!parsed.ok || parsed.rdns.length === 0)
      return {
        ok: false,
        error:
          `"${part}" is not a distinguished name such as OU=Sales,DC=corp,DC=example,DC=com` +
          `${parsed.ok ? '' : ` (${parsed.error})`}; write group:<dn> for a group, level:<dn> for one OU level.`,
      };
    source[kind].push(dn);
  }
  return { ok: true, source: source.ous.length + source.groups.length + source.levels.length ? source : null };
}

export function formatImportSource(source: SourceChoice): string {
  return [...source.ous, ...source.levels.map((dn) => `level:${dn}`), ...source.groups.map((dn) => `group:${dn}`)].join(
    '; ',
  );
}
