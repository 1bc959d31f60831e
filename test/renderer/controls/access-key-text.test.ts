/** Access keys written as Windows resource files write them ("&File"), parsed without a DOM. */
import { describe, expect, it } from 'vitest';
import {
  accessKeyOf,
  clashingKeys,
  itemWithKey,
  parseAccessText,
  plainText,
} from '../../../renderer/src/controls/access-key-text.ts';
import { MENUS } from '../../../shared/menus.ts';

describe('access key text', () => {
  it('underlines the letter after the ampersand, and reads a doubled ampersand as one', () => {
    expect(parseAccessText('&Test connection')).toEqual({ before: '', key: 'T', after: 'est connection' });
    expect(parseAccessText('Set pass&word…')).toEqual({ before: 'Set pass', key: 'w', after: 'ord…' });
    expect(parseAccessText('Sales && &Marketing')).toEqual({ before: 'Sales & ', key: 'M', after: 'arketing' });
    expect(parseAccessText('No key')).toEqual({ before: 'No key', key: null, after: '' });
    expect(plainText('Sales && &Marketing')).toBe('Sales & Marketing');
    expect(accessKeyOf('E&xit')).toBe('x');
    expect(accessKeyOf('Trailing &')).toBeNull();
  });

  it('finds the letters used twice, and the item a letter chooses in an open menu', () => {
    expect(clashingKeys(['&Open', '&Options', 'Sa&ve', 'plain'])).toEqual(['o']);
    expect(clashingKeys(['&Open', 'Sa&ve'])).toEqual([]);
    expect(itemWithKey(['&New OU…', 'Rena&me…', '&Delete…'], 'M')).toBe(1);
    expect(itemWithKey(['&New OU…'], 'x')).toBe(-1);
  });

  it('gives every menu and every item in a menu its own letter', () => {
    expect(clashingKeys(MENUS.map((m) => m.label))).toEqual([]);
    for (const menu of MENUS) {
      expect(clashingKeys(menu.items.map((i) => i.label))).toEqual([]);
      for (const item of menu.items) expect(accessKeyOf(item.label), item.label).not.toBeNull();
    }
  });
});
