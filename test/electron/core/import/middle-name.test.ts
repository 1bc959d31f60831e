import { describe, expect, it } from 'vitest';
import { middleNameFrom } from '../../../../electron/core/import/middle-name.ts';

describe('middle name from DisplayName', () => {
  it('reads "First Middle Last"', () => {
    expect(middleNameFrom('John Jr. Wilson', 'John', 'Wilson')).toBe('Jr.');
    expect(middleNameFrom('Anna Maria Luisa García López', 'Anna', 'García López')).toBe('Maria Luisa');
  });

  it('reads "Last First Middle"', () => {
    expect(middleNameFrom('Wilson John Jr.', 'John', 'Wilson')).toBe('Jr.');
  });

  it('ignores case and accents only as AD does not: accents must match', () => {
    expect(middleNameFrom('john jr. wilson', 'John', 'Wilson')).toBe('jr.');
    expect(middleNameFrom('Zoe Marie Stepanova', 'Zoë', 'Štěpánová')).toBe('');
  });

  it('finds no middle name when there is none or the names do not anchor it', () => {
    expect(middleNameFrom('John Wilson', 'John', 'Wilson')).toBe('');
    expect(middleNameFrom('Wilson, John', 'John', 'Wilson')).toBe('');
    expect(middleNameFrom('Johnny B. Goode', 'John', 'Wilson')).toBe('');
    expect(middleNameFrom('John Jr. Wilson', '', 'Wilson')).toBe('');
    expect(middleNameFrom('', 'John', 'Wilson')).toBe('');
  });
});
