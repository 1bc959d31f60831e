import { describe, expect, it } from 'vitest';
import { isAccountEntry, logonName } from '../../../../electron/core/directory/account-filter.ts';

const person = 'CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=test';
const computerCategory = 'CN=Computer,CN=Schema,CN=Configuration,DC=corp,DC=test';

describe('which directory entries are accounts', () => {
  it('takes users (objectClass user, objectCategory Person), not computers, groups or contacts', () => {
    expect(
      isAccountEntry({ objectClass: ['top', 'person', 'organizationalPerson', 'user'], objectCategory: person }, false),
    ).toBe(true);
    expect(isAccountEntry({ objectclass: ['top', 'USER'], OBJECTCATEGORY: person.toUpperCase() }, false)).toBe(true);
    expect(
      isAccountEntry(
        {
          objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
          objectCategory: computerCategory,
        },
        false,
      ),
    ).toBe(false);
    expect(isAccountEntry({ objectClass: ['top', 'group'], objectCategory: 'CN=Group,CN=Schema' }, false)).toBe(false);
    expect(
      isAccountEntry(
        { objectClass: ['top', 'person', 'organizationalPerson', 'contact'], objectCategory: person },
        false,
      ),
    ).toBe(false);
    expect(isAccountEntry({ objectClass: ['top', 'organizationalUnit'] }, false)).toBe(false);
  });

  it('takes computers when computers are imported', () => {
    expect(isAccountEntry({ objectClass: ['top', 'user', 'computer'], objectCategory: computerCategory }, true)).toBe(
      true,
    );
    expect(isAccountEntry({ objectClass: ['top', 'user'], objectCategory: person }, true)).toBe(false);
  });

  it('drops the trailing $ of a computer logon only', () => {
    expect(logonName('WS01$', true)).toBe('WS01');
    expect(logonName('odd$', false)).toBe('odd$');
  });
});
