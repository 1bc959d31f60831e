/** A list's selection as Windows list views keep it: click, Ctrl+click, Shift+click, Ctrl+A. */
import { describe, expect, it } from 'vitest';
import { NO_SELECTION, select, selectedRows } from '../../../renderer/src/controls/selection.ts';

describe('list selection', () => {
  it('selects one row on a click, toggles with Ctrl and selects from the anchor with Shift', () => {
    let s = select(NO_SELECTION, 4, 'only', 10);
    expect(selectedRows(s)).toEqual([4]);
    s = select(s, 7, 'toggle', 10);
    expect(selectedRows(s)).toEqual([4, 7]);
    s = select(s, 4, 'toggle', 10);
    expect(selectedRows(s)).toEqual([7]);
    s = select(s, 1, 'range', 10); // from the last Ctrl+clicked row (4), whether it ended ticked or not
    expect(selectedRows(s)).toEqual([1, 2, 3, 4]);
    expect(s).toMatchObject({ focus: 1, anchor: 4 });
    s = select(s, 6, 'range', 10); // a second Shift+click replaces the range, from the same anchor
    expect(selectedRows(s)).toEqual([4, 5, 6]);
  });

  it('selects every row with Ctrl+A, and a Shift+click without an anchor selects just that row', () => {
    expect(selectedRows(select(NO_SELECTION, 0, 'all', 5))).toEqual([0, 1, 2, 3, 4]);
    expect(selectedRows(select(NO_SELECTION, 2, 'range', 5))).toEqual([2]);
  });
});
