/**
 * A list's selection as Windows list views keep it: the focused row, the anchor a Shift range starts from,
 * and the selected rows. Click selects one; Ctrl+click toggles one; Shift+click selects anchor…row.
 */
export type SelectHow = 'only' | 'toggle' | 'range' | 'all';

export interface Selection {
  focus: number | null;
  anchor: number | null;
  marked: ReadonlySet<number>;
}

export const NO_SELECTION: Selection = { focus: null, anchor: null, marked: new Set() };

export function select(current: Selection, index: number, how: SelectHow, rowCount: number): Selection {
  if (how === 'all') {
    const marked = new Set<number>();
    for (let i = 0; i < rowCount; i++) marked.add(i);
    return { focus: current.focus ?? 0, anchor: current.anchor ?? 0, marked };
  }
  if (how === 'toggle') {
    const marked = new Set(current.marked);
    if (marked.has(index)) marked.delete(index);
    else marked.add(index);
    return { focus: index, anchor: index, marked };
  }
  if (how === 'range' && current.anchor !== null) {
    const marked = new Set<number>();
    const [from, to] = current.anchor <= index ? [current.anchor, index] : [index, current.anchor];
    for (let i = from; i <= to; i++) marked.add(i);
    return { focus: index, anchor: current.anchor, marked };
  }
  return { focus: index, anchor: index, marked: new Set([index]) };
}

/** The selected rows in list order. */
export const selectedRows = (s: Selection): number[] => [...s.marked].sort((a, b) => a - b);
