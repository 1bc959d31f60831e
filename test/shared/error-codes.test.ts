import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../shared/error-codes.ts';

describe('the one list of error codes', () => {
  it("is the README's table, code for code", () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const listed = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| /gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(ERROR_CODES));
  });

  it('tells a listed code from any other text', () => {
    expect(isErrorCode('account-locked')).toBe(true);
    expect(isErrorCode('constructor')).toBe(false);
    expect(isErrorCode('ldap-49')).toBe(false);
  });
});
