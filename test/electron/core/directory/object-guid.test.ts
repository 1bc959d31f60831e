import { describe, expect, it } from 'vitest';
import { escapeFilterValue } from '../../../../electron/core/directory/filter-escape.ts';
import { guidToString } from '../../../../electron/core/directory/object-guid.ts';

describe('objectGUID text form', () => {
  it('byte-swaps the first three groups as Windows does', () => {
    // Bytes as ldapsearch shows them for CN=Administrator (base64 vsj40IxeCUa0EjQKGcAcYA==).
    expect(guidToString(Buffer.from('vsj40IxeCUa0EjQKGcAcYA==', 'base64'))).toBe(
      'd0f8c8be-5e8c-4609-b412-340a19c01c60',
    );
  });

  it('refuses what is not 16 bytes', () => {
    expect(() => guidToString(Buffer.alloc(15))).toThrow(/16 bytes/);
  });
});

describe('LDAP filter values (RFC 4515)', () => {
  it.each([
    ['*', '\\2a'],
    ['*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'],
    ['admin)(|(cn=*', 'admin\\29\\28|\\28cn=\\2a'],
    ['back\\slash', 'back\\5cslash'],
    ['nul\u0000', 'nul\\00'],
    ['Zürich', 'Zürich'],
  ])('escapes %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });
});
