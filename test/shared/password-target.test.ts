import { describe, expect, it } from 'vitest';
import { passwordTargetOf, sameTarget } from '../../shared/password-target.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

describe('passwordTargetOf', () => {
  it('binds the password to the Server field when it is set', () => {
    expect(
      passwordTargetOf({ ...DEFAULT_SETTINGS, login: ' CORP\\svc ', server: 'dc1', ouPath: 'LDAP://dc9/DC=x' }),
    ).toEqual({ login: 'CORP\\svc', server: 'dc1' });
  });

  it('falls back to the server in the path, then to the domain found by DNS', () => {
    expect(passwordTargetOf({ ...DEFAULT_SETTINGS, ouPath: 'LDAP://dc9:636/DC=x' }).server).toBe('dc9');
    expect(passwordTargetOf({ ...DEFAULT_SETTINGS, ouPath: 'LDAP://OU=a,DC=corp,DC=com' }).server).toBe(
      'domain:corp.com',
    );
  });
});

describe('sameTarget', () => {
  it('ignores case and surrounding spaces, nothing else', () => {
    expect(sameTarget({ login: 'CORP\\Svc', server: 'DC1' }, { login: 'corp\\svc ', server: 'dc1' })).toBe(true);
    expect(sameTarget({ login: 'CORP\\svc', server: 'dc1' }, { login: 'CORP\\svc', server: 'dc2' })).toBe(false);
    expect(sameTarget({ login: 'CORP\\svc', server: 'dc1' }, { login: 'svc@corp', server: 'dc1' })).toBe(false);
  });
});
