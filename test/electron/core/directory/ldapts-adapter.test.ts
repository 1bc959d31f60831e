import fs from 'node:fs';
import { BerWriter, Client, MessageParser, SearchEntry } from 'ldapts';
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

/** An LDAP message holding a search entry, as a DC sends it (RFC 4511 §4.5.2), with a paged-results control. */
function searchEntryMessage(messageId: number, dn: string, attributes: Record<string, string[]>): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeInt(messageId);
  writer.startSequence(0x64); // [APPLICATION 4] SearchResultEntry
  writer.writeString(dn);
  writer.startSequence();
  for (const [type, values] of Object.entries(attributes)) {
    writer.startSequence();
    writer.writeString(type);
    writer.startSequence(0x31);
    for (const value of values) writer.writeString(value);
    writer.endSequence();
    writer.endSequence();
  }
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

describe('search entries from the wire', () => {
  const parsed = (bytes: Buffer) => {
    installLdaptsAdapter();
    const messages: SearchEntry[] = [];
    const parser = new MessageParser();
    parser.on('message', (m) => messages.push(m as SearchEntry));
    parser.on('error', (e: Error) => {
      throw e;
    });
    parser.read(bytes, new Map());
    return messages;
  };

  it('are decoded when they are read, with every attribute and value the server sent', () => {
    const wire = Buffer.concat([
      searchEntryMessage(7, 'CN=Zoë Brandt,OU=Staff,DC=corp', { sAMAccountName: ['zbrandt'], mail: ['z@corp'] }),
      searchEntryMessage(7, 'CN=Ann,DC=corp', { memberOf: ['CN=A', 'CN=B'], description: [] }),
    ]);
    const [first, second] = parsed(wire);
    // Kept as bytes on arrival: nothing decoded until the entry is read.
    expect(first!.attributes).toEqual([]);
    expect(first!.toObject(['sAMAccountName', 'mail', 'title'], [])).toEqual({
      dn: 'CN=Zoë Brandt,OU=Staff,DC=corp',
      sAMAccountName: 'zbrandt',
      mail: 'z@corp',
      title: [],
    });
    expect(second!.toObject(['memberOf'], [])).toEqual({
      dn: 'CN=Ann,DC=corp',
      memberOf: ['CN=A', 'CN=B'],
      description: [],
    });
    // Read twice, decoded once: the same values, no attribute doubled.
    expect(first!.toObject(['mail'], ['mail'])).toMatchObject({ mail: Buffer.from('z@corp') });
    expect(first!.attributes).toHaveLength(2);
  });

  it('made by the caller (not parsed from the wire) are read as they are', () => {
    const entry = new SearchEntry({ messageId: 1, name: 'CN=x', attributes: [] });
    installLdaptsAdapter();
    expect(entry.toObject(['cn'], [])).toEqual({ dn: 'CN=x', cn: [] });
  });
});
