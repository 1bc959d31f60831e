import { describe, expect, it } from 'vitest';
import { formatImportSource, parseImportSource } from '../../shared/import-source.ts';

describe('the saved import source', () => {
  it('is empty for the OU container path', () => {
    expect(parseImportSource('')).toEqual({ ok: true, source: null });
    expect(parseImportSource(' ; ')).toEqual({ ok: true, source: null });
  });

  it('reads OUs, one-level OUs and groups, and writes them back the same way', () => {
    const text =
      'OU=Sales,DC=corp,DC=example,DC=com; level:OU=HQ,DC=corp,DC=example,DC=com; ' +
      'GROUP: CN=Staff\\; all,OU=Groups,DC=corp,DC=example,DC=com';
    const parsed = parseImportSource(text);
    expect(parsed).toEqual({
      ok: true,
      source: {
        ous: ['OU=Sales,DC=corp,DC=example,DC=com'],
        levels: ['OU=HQ,DC=corp,DC=example,DC=com'],
        // An escaped ";" belongs to the value.
        groups: ['CN=Staff\\; all,OU=Groups,DC=corp,DC=example,DC=com'],
      },
    });
    expect(parseImportSource(formatImportSource(parsed.ok ? parsed.source! : (null as never)))).toEqual(parsed);
  });

  it('refuses what is not a distinguished name, saying how to write one', () => {
    const parsed = parseImportSource('OU=Sales,DC=corp; Sales team');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/^"Sales team" is not a distinguished name such as OU=Sales,DC=corp/);
    expect(!parsed.ok && parsed.error).toMatch(/write group:<dn> for a group, level:<dn> for one OU level\.$/);
  });
});
