import { describe, expect, it } from 'vitest';
import { countsText, emptyCounts, everyNth } from '../../shared/import-run.ts';

describe('the words of a run', () => {
  it('says how often a full pass comes in plain English ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 24, 101, 111].map((n) => everyNth(n, 'run'))).toEqual([
      'every run',
      'every 2nd run',
      'every 3rd run',
      'every 4th run',
      'every 11th run',
      'every 12th run',
      'every 13th run',
      'every 21st run',
      'every 22nd run',
      'every 24th run',
      'every 101st run',
      'every 111th run',
    ]);
  });

  it('lists only the counts that are not zero, unchanged ones on request', () => {
    expect(countsText(emptyCounts())).toBe('no changes');
    const counts = { ...emptyCounts(), created: 3, disabled: 1, unchanged: 500 };
    expect(countsText(counts)).toBe('3 created, 1 disabled, 500 unchanged');
    expect(countsText(counts, { unchanged: false })).toBe('3 created, 1 disabled');
  });
});
