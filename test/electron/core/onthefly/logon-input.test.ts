/** The logon names on-the-fly import accepts, and everything it refuses before a filter is built. */
import { describe, expect, it } from 'vitest';
import { parseLogonInput } from '../../../../electron/core/onthefly/logon-input.ts';

describe('parseLogonInput', () => {
  it('reads name, DOMAIN\\name and name@upn-suffix', () => {
    expect(parseLogonInput('alice')).toEqual({ ok: true, sam: 'alice', upn: null, domain: null, key: 'alice' });
    expect(parseLogonInput('CORP\\Alice')).toEqual({ ok: true, sam: 'Alice', upn: null, domain: 'CORP', key: 'alice' });
    expect(parseLogonInput('alice@corp.example.test')).toEqual({
      ok: true,
      sam: 'alice',
      upn: 'alice@corp.example.test',
      domain: null,
      key: 'alice',
    });
    expect(parseLogonInput('  björn.åberg ')).toMatchObject({ ok: true, sam: 'björn.åberg' });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['*', /characters that Active Directory does not allow/],
    ['*)(objectClass=*', /characters that Active Directory does not allow/],
    ['admin)(|(cn=*', /characters that Active Directory does not allow/],
    ['a,b', /not allow/],
    ['ab\u0000c', /control character/],
    ['ab\nc', /control character/],
    ['a'.repeat(1025), /1025 characters long/],
    ['\\alice', /not a logon name/],
    ['CORP\\x\\y', /not a logon name/],
    ['@corp', /not a logon name/],
    ['alice@', /not a logon name/],
    ['...', /not a logon name/],
  ])('refuses %j with the reason', (text, reason) => {
    const parsed = parseLogonInput(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});
