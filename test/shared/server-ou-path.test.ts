import { describe, expect, it } from 'vitest';
import { formatServerOuPath, parseServerOuPath } from '../../shared/server-ou-path.ts';

describe('server OU paths', () => {
  it('reads nested OUs separated by slashes, with an escaped slash inside a name', () => {
    expect(parseServerOuPath('Staff/R\\/D/Zürich')).toEqual({ ok: true, names: ['Staff', 'R/D', 'Zürich'] });
    expect(formatServerOuPath(['Staff', 'R/D', 'Zürich'])).toBe('Staff/R\\/D/Zürich');
  });

  it('reads an empty path as the top level', () => {
    expect(parseServerOuPath('')).toEqual({ ok: true, names: [] });
  });

  it.each([
    ['Staff//Sales', /empty/],
    ['Staff/ Sales', /starts or ends with a space/],
    ['Bad\u0007Name', /control character/],
    ['x'.repeat(300), /longer than 256/],
  ])('refuses %j with a reason', (text, reason) => {
    const parsed = parseServerOuPath(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });

  it('round-trips names with backslashes and slashes', () => {
    const names = ['a\\b', 'c/d', 'e'];
    expect(parseServerOuPath(formatServerOuPath(names))).toEqual({ ok: true, names });
  });
});
