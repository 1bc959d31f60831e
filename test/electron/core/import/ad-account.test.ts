import type { Entry } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { ousOf, toAdAccount } from '../../../../electron/core/import/ad-account.ts';

const GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const entry = (attrs: Record<string, unknown>): Entry =>
  ({
    dn: 'CN=J W,OU=LA,OU=Sales,DC=corp,DC=test',
    objectGUID: GUID,
    sAMAccountName: 'jw',
    userAccountControl: '512',
    ...attrs,
  }) as Entry;
const users = { importComputers: false, parseMiddleName: false };

describe('directory entry → account', () => {
  it('maps the attributes, with missing ones as empty text', () => {
    const mapped = toAdAccount(
      entry({
        givenName: 'John',
        sn: 'Wilson',
        displayName: 'John Jr. Wilson',
        uSNChanged: '4711',
        whenChanged: '20261127080000.0Z',
      }),
      users,
    );
    expect(mapped).toEqual({
      ok: true,
      account: {
        guid: '33221100-5544-7766-8899-aabbccddeeff',
        logon: 'jw',
        firstName: 'John',
        middleName: '',
        lastName: 'Wilson',
        displayName: 'John Jr. Wilson',
        email: '',
        department: '',
        title: '',
        phone: '',
        enabled: true,
        kind: 'user',
        dn: 'CN=J W,OU=LA,OU=Sales,DC=corp,DC=test',
        adOus: ['Sales', 'LA'],
        usn: 4711,
        whenChanged: '20261127080000.0Z',
      },
    });
  });

  it('parses the middle name only when asked', () => {
    const mapped = toAdAccount(entry({ givenName: 'John', sn: 'Wilson', displayName: 'Wilson John Jr.' }), {
      ...users,
      parseMiddleName: true,
    });
    expect(mapped.ok && mapped.account.middleName).toBe('Jr.');
  });

  it('reads the disabled bit of userAccountControl', () => {
    const mapped = toAdAccount(entry({ userAccountControl: '514' }), users);
    expect(mapped.ok && mapped.account.enabled).toBe(false);
  });

  it('drops the trailing $ of computer accounts', () => {
    const mapped = toAdAccount(entry({ sAMAccountName: 'WS01$', userAccountControl: '4096' }), {
      ...users,
      importComputers: true,
    });
    expect(mapped.ok && [mapped.account.logon, mapped.account.kind]).toEqual(['WS01', 'computer']);
  });

  it('keeps non-ASCII, quotes and tabs in values as they are', () => {
    const mapped = toAdAccount(
      entry({ sAMAccountName: 'björn.åberg', title: 'Tab\there', displayName: 'Long "Quoted", Title' }),
      users,
    );
    expect(mapped.ok && [mapped.account.logon, mapped.account.title, mapped.account.displayName]).toEqual([
      'björn.åberg',
      'Tab\there',
      'Long "Quoted", Title',
    ]);
  });

  it.each([
    ['no objectGUID', { objectGUID: undefined }, /no objectGUID/],
    ['no logon name', { sAMAccountName: undefined }, /no sAMAccountName/],
    ['a control character in the logon', { sAMAccountName: 'a\u0001b' }, /control character/],
    ['an over-long logon', { sAMAccountName: 'x'.repeat(300) }, /longer than 256/],
    ['no userAccountControl', { userAccountControl: undefined }, /userAccountControl is missing/],
  ])('rejects an entry with %s, with the reason', (_, attrs, reason) => {
    const mapped = toAdAccount(entry(attrs), users);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.rejected.reason).toMatch(reason);
  });

  it('takes only OU= components as the OU structure, from the domain down', () => {
    expect(ousOf('CN=x,OU=Research\\, Development,OU=Zürich Büro,DC=corp,DC=test')).toEqual([
      'Zürich Büro',
      'Research, Development',
    ]);
    expect(ousOf('CN=Administrator,CN=Users,DC=corp,DC=test')).toEqual([]);
  });
});
