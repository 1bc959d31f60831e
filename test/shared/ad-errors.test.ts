import { describe, expect, it } from 'vitest';
import { adSubcode, BIND_SUBCODES, explainLdapResult } from '../../shared/ad-errors.ts';

const AD_MESSAGE = (code: string) =>
  `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${code}, v1db1 Code: 0x31`;

describe('AD bind sub-codes', () => {
  it.each([
    ['525', 'user-not-found', /no account/],
    ['52e', 'invalid-credentials', /password is wrong/],
    ['530', 'logon-hours', /time of day/],
    ['531', 'workstation-restricted', /from this computer/],
    ['532', 'password-expired', /password has expired/],
    ['533', 'account-disabled', /disabled/],
    ['701', 'account-expired', /account has expired/],
    ['773', 'must-change-password', /must change its password/],
    ['775', 'account-locked', /locked out/],
  ])('decodes data %s from result 49 into words', (code, expected, words) => {
    const explained = explainLdapResult(49, AD_MESSAGE(code));
    expect(explained.code).toBe(expected);
    expect(explained.message).toMatch(words);
    expect(explained.hint).toBeTruthy();
  });

  it('finds the sub-code in AD diagnostic text regardless of case', () => {
    expect(adSubcode('comment: AcceptSecurityContext error, data 52E, v4563')).toBe('52e');
    expect(adSubcode('no code here')).toBeNull();
  });

  it('falls back to the generic result 49 text for an unknown sub-code', () => {
    expect(explainLdapResult(49, AD_MESSAGE('999')).code).toBe('invalid-credentials');
  });

  it('gives every sub-code a hint saying what to do', () => {
    for (const entry of Object.values(BIND_SUBCODES)) expect(entry.hint?.length).toBeGreaterThan(10);
  });
});

describe('LDAP result codes', () => {
  it('explains result 8 as a need for LDAPS or StartTLS', () => {
    const e = explainLdapResult(8, '00002028: LdapErr: BindSimple: Transport encryption required.');
    expect(e.message).toMatch(/requires an encrypted connection/);
    expect(e.hint).toMatch(/LDAPS or StartTLS/);
  });

  it('explains a missing container', () => {
    expect(explainLdapResult(32).hint).toMatch(/Browse/);
  });

  it('names an unknown result code and quotes the server', () => {
    const e = explainLdapResult(123, 'strange thing');
    expect(e.message).toContain('123');
    expect(e.message).toContain('strange thing');
  });
});
