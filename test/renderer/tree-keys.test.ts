import { describe, expect, it } from 'vitest';
import { typeAheadMatch, type VisibleItem } from '../../renderer/src/controls/tree-keys.ts';

const items: VisibleItem[] = [
  'corp.example.test',
  'Sales',
  'Service Accounts',
  'Staff',
  'Engineering',
  'Zürich Büro',
].map((label, i) => ({ key: String(i), label, level: i === 0 ? 1 : 2, expandable: false, expanded: false }));

describe('type-ahead in trees and lists', () => {
  it('jumps to the first name after the current one that starts with the typed letters', () => {
    expect(typeAheadMatch(items, 0, 's')).toBe(1); // Sales
    expect(typeAheadMatch(items, 0, 'st')).toBe(3); // Staff
    expect(typeAheadMatch(items, 0, 'zü')).toBe(5); // non-ASCII, case-insensitive
  });

  it('cycles through the names with one letter when that letter is typed again, and wraps', () => {
    expect(typeAheadMatch(items, 1, 's')).toBe(2);
    expect(typeAheadMatch(items, 2, 'ss')).toBe(3);
    expect(typeAheadMatch(items, 3, 's')).toBe(1);
  });

  it('finds nothing for letters no name starts with', () => {
    expect(typeAheadMatch(items, 0, 'q')).toBe(-1);
  });
});
