import fs from 'node:fs';
import { Client } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { installLdaptsAdapter, PINNED_LDAPTS } from '../../../../electron/core/directory/ldapts-adapter.ts';

describe('the ldapts adapter', () => {
  it('pins the same ldapts version as package.json, and that version is the one installed', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.ldapts).toBe(PINNED_LDAPTS);
    expect(JSON.parse(fs.readFileSync('node_modules/ldapts/package.json', 'utf8')).version).toBe(PINNED_LDAPTS);
    expect(() => installLdaptsAdapter()).not.toThrow();
  });

  it('finds the internals it relies on in the installed ldapts', () => {
    const client = new Client({ url: 'ldap://127.0.0.1:1' }) as unknown as Record<string, unknown>;
    for (const name of ['_send', '_nextMessageId', '_connect', 'socketDataHandler'])
      expect(typeof client[name], name).toBe('function');
  });
});
