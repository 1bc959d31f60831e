import { describe, expect, it } from 'vitest';
import { parseLoginId } from '../../shared/login-id.ts';

describe('parseLoginId', () => {
  it('recognises the three forms AD accepts', () => {
    expect(parseLoginId('CORP\\svc-adconsole')).toEqual({
      ok: true,
      form: { kind: 'down-level', domain: 'CORP', user: 'svc-adconsole' },
    });
    expect(parseLoginId('svc@corp.example.test')).toEqual({
      ok: true,
      form: { kind: 'upn', user: 'svc', domain: 'corp.example.test' },
    });
    expect(parseLoginId('CN=Service,OU=Service Accounts,DC=corp')).toMatchObject({ ok: true, form: { kind: 'dn' } });
  });

  it.each([
    ['', /Type a login ID/],
    ['svc', /incomplete/],
    ['TOO-LONG-NETBIOS-NAME\\svc', /NetBIOS/],
    // The characters MS-SRVS forbids in a NetBIOS name.
    ...['[', ']', ';', '+', ',', '<', '>', '|', '*', '?', ':', '"'].map((c): [string, RegExp] => [
      `CO${c}RP\\svc`,
      /not a valid NetBIOS domain name .*\[ \] ; \+ = ,/,
    ]),
    ['.CORP\\svc', /not starting with a dot/],
    ['CORP\\', /not a valid user name/],
    ['CORP\\a*b', /not a valid user name/],
    ['svc@bad domain', /not a valid domain/],
    ['CN=a,', /looks like a DN/],
  ])('refuses %j and says how to write it', (text, message) => {
    const parsed = parseLoginId(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
