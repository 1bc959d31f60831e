/** The Source page's tri-state ticks as data (pure unit test; the Chromium suite drives the same code). */
import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, tickState, toggle } from '../../../renderer/src/wizard/ou-selection.ts';

const D = 'DC=corp,DC=test';
const STAFF = `OU=Staff,${D}`;
const ENG = `OU=Engineering,${STAFF}`;
const OPS = `OU=Ops,${STAFF}`;
const WEB = `OU=Web,${ENG}`;
const TREE: Record<string, string[]> = { [D]: [STAFF], [STAFF]: [ENG, OPS], [ENG]: [WEB], [OPS]: [], [WEB]: [] };
const kids = (dn: string) => TREE[dn] ?? [];

describe('OU ticks with "include sub-OUs"', () => {
  it('ticking an OU takes its whole subtree, and everything below shows ticked', () => {
    const s = toggle(EMPTY_SELECTION, STAFF, true, kids);
    expect(s).toEqual({ subtrees: [STAFF], levels: [] });
    expect([STAFF, ENG, WEB, OPS].map((dn) => tickState(s, dn))).toEqual(['checked', 'checked', 'checked', 'checked']);
    expect(tickState(s, D)).toBe('mixed');
  });

  it("unticking an OU inside a ticked subtree keeps the ancestors' own accounts and the siblings' subtrees", () => {
    const s = toggle(toggle(EMPTY_SELECTION, STAFF, true, kids), WEB, true, kids);
    expect(s.subtrees.sort()).toEqual([OPS]);
    expect(s.levels.sort()).toEqual([ENG, STAFF].sort());
    expect([STAFF, ENG, WEB, OPS].map((dn) => tickState(s, dn, true, kids))).toEqual([
      'mixed',
      'mixed',
      'unchecked',
      'checked',
    ]);
  });

  it('ticking the last unticked child makes the parent one ticked subtree again', () => {
    const split = toggle(toggle(EMPTY_SELECTION, STAFF, true, kids), OPS, true, kids);
    expect(tickState(split, STAFF, true, kids)).toBe('mixed');
    expect(toggle(split, OPS, true, kids)).toEqual({ subtrees: [STAFF], levels: [] });
  });

  it('ticking a parent absorbs what was ticked below it; unticking it clears everything', () => {
    const s = toggle(toggle(EMPTY_SELECTION, WEB, true, kids), STAFF, true, kids);
    expect(s).toEqual({ subtrees: [STAFF], levels: [] });
    expect(toggle(s, STAFF, true, kids)).toEqual({ subtrees: [], levels: [] });
  });

  it('compares DNs case-insensitively', () => {
    const s = toggle(EMPTY_SELECTION, STAFF, true, kids);
    expect(tickState(s, ENG.toUpperCase())).toBe('checked');
  });
});

describe('OU ticks without "include sub-OUs"', () => {
  it("a tick takes only that OU's own accounts, and ticks again to remove it", () => {
    const s = toggle(EMPTY_SELECTION, STAFF, false, kids);
    expect(s).toEqual({ subtrees: [], levels: [STAFF] });
    expect([STAFF, ENG].map((dn) => tickState(s, dn))).toEqual(['checked', 'unchecked']);
    expect(toggle(s, STAFF, false, kids)).toEqual({ subtrees: [], levels: [] });
  });
});
