/**
 * A table that draws only the rows in view, so that 100 000 accounts scroll without stalls. Rows come
 * from `getRow` (undefined while a page loads); `onRange` asks for what is about to be shown. Keyboard:
 * the body is one focusable grid; arrows, Page Up/Down, Home/End move the selection (with Shift: extend
 * it; Ctrl+Space toggles a row, Ctrl+A selects all, when the table takes several). Without a fixed
 * `height` it fills its container. Column edges are dragged to resize, or double-clicked to fit the widest
 * text in view (Ctrl+Plus: every column), remembered under `layoutKey`;
 * a truncated cell shows its whole text as a tooltip.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { isContextMenuKey, anchorOf } from './ContextMenu.tsx';
import { clampWidth, loadWidths, saveWidths, type Widths } from './layout-store.ts';
import type { SelectHow } from './selection.ts';

export interface Column<T> {
  key: string;
  title: string;
  width: number | string;
  render: (row: T) => ReactNode;
  sortable?: boolean;
}

export interface VirtualTableProps<T> {
  label: string;
  columns: Column<T>[];
  rowCount: number;
  getRow: (index: number) => T | undefined;
  onRange: (first: number, last: number) => void;
  rowLabel: (row: T) => string;
  /** What typing a name's first letters matches (default: the row's label). */
  typeAhead?: (row: T) => string;
  /** Type-ahead over every row, fetched or not: the index of the first row whose text starts so, or null. */
  findRow?: (typed: string) => Promise<number | null>;
  /** The focused row (and, without `marked`, the one selected row). */
  selected?: number | null;
  /** The selected rows, when the table takes several (Ctrl/Shift). */
  marked?: ReadonlySet<number>;
  onSelect?: (index: number, how: SelectHow) => void;
  /** Right-click, Shift+F10 or the context-menu key on a row (null: on no row). */
  onContextMenu?: (index: number | null, at: { x: number; y: number }) => void;
  /** Where the column widths the administrator drags are remembered. */
  layoutKey?: string;
  /** Rows drawn differently (disabled accounts greyed, as Windows lists them): an extra class name, or ''. */
  rowClass?: (row: T) => string;
  /** Bumped to forget the dragged widths (Restore defaults): the columns' own widths again. */
  widthsReset?: number;
  /** A key the table does not handle (Delete, Alt+Enter…); returns whether it was used. */
  onKey?: (event: React.KeyboardEvent) => boolean;
  /** Double-click or Enter on a row (outside a dialog): open it, as Windows lists do (Properties). */
  onActivate?: (index: number) => void;
  sort?: { column: string; descending: boolean };
  onSort?: (column: string) => void;
  /** A fixed body height; without it the table fills its container. */
  height?: number;
  empty?: ReactNode;
}

/** The order after a click on a heading: that column ascending, or the other way on a second click. */
export function toggledSort<C extends string>(
  current: { column: C; descending: boolean },
  column: string,
): { column: C; descending: boolean } {
  return { column: column as C, descending: current.column === column ? !current.descending : false };
}

const ROW_HEIGHT = 22;
const OVERSCAN = 10;

export function VirtualTable<T>({
  label,
  columns,
  rowCount,
  getRow,
  onRange,
  rowLabel,
  typeAhead,
  findRow,
  selected = null,
  marked,
  onSelect,
  onActivate,
  onContextMenu,
  layoutKey,
  widthsReset = 0,
  rowClass,
  onKey,
  sort,
  onSort,
  height: fixedHeight,
  empty,
}: VirtualTableProps<T>) {
  const typeAheadText = typeAhead ?? rowLabel;
  const body = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setMeasured] = useState(fixedHeight ?? 360);
  const height = fixedHeight ?? measured;
  const id = useId();
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rowCount, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const [widths, setWidths] = useState<Widths>(() => loadWidths(layoutKey));
  useEffect(() => {
    if (widthsReset === 0) return;
    setWidths({});
    saveWidths(layoutKey, {});
  }, [widthsReset]);
  const widthOf = (c: Column<T>) => widths[c.key] ?? c.width;
  const template = columns
    .map((c) => {
      const w = widthOf(c);
      return typeof w === 'number' ? `${w}px` : `minmax(60px, ${w})`;
    })
    .join(' ');
  // Only pixel widths: the rows are as wide as their columns and the table scrolls sideways.
  const fixedWidth = columns.every((c) => typeof widthOf(c) === 'number')
    ? columns.reduce((sum, c) => sum + (widthOf(c) as number), 0)
    : undefined;

  // Filling its container: the rows in view follow the window's size.
  useLayoutEffect(() => {
    if (fixedHeight !== undefined || !body.current) return;
    const el = body.current;
    const observer = new ResizeObserver(() => setMeasured(el.clientHeight));
    observer.observe(el);
    setMeasured(el.clientHeight);
    return () => observer.disconnect();
  }, [fixedHeight]);

  /** Every column's width as drawn now, in pixels (a resize turns them all into pixel widths). */
  const drawnWidths = (): Widths => {
    const cells = [...(head.current?.querySelectorAll<HTMLElement>('[role="columnheader"]') ?? [])];
    return Object.fromEntries(
      columns.map((c, i) => [c.key, Math.round(cells[i]?.getBoundingClientRect().width ?? 100)]),
    );
  };

  /** Dragging a heading's right edge: every column takes its drawn width, then the dragged one follows. */
  const startResize = (event: React.PointerEvent, key: string) => {
    event.preventDefault();
    event.stopPropagation();
    const drawn = drawnWidths();
    const startX = event.clientX;
    const startWidth = drawn[key]!;
    let latest = drawn;
    const move = (e: PointerEvent) => {
      latest = { ...drawn, [key]: clampWidth(startWidth + e.clientX - startX) };
      setWidths(latest);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      saveWidths(layoutKey, latest);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  /**
   * Double-click on a heading's edge (or Ctrl+Plus for every column): a column takes the width of its widest
   * text in view, heading included, as on Windows.
   */
  const fitColumns = (keys: string[]) => {
    const next = drawnWidths();
    for (const key of keys) {
      const nth = columns.findIndex((c) => c.key === key) + 1;
      const heading = head.current?.querySelector<HTMLElement>(`[role="columnheader"]:nth-child(${nth})`);
      const cells = [
        ...(body.current?.querySelectorAll<HTMLElement>(`[role="row"] > [role="gridcell"]:nth-child(${nth})`) ?? []),
      ];
      // A cell's scrollWidth includes its padding; the heading's text is its sort button (or the cell itself).
      const widest = Math.max(
        heading ? (heading.querySelector<HTMLElement>('.vsort')?.scrollWidth ?? heading.scrollWidth - 12) + 12 : 0,
        ...cells.map((c) => c.scrollWidth),
      );
      if (widest > 0) next[key] = clampWidth(widest + 2);
    }
    setWidths(next);
    saveWidths(layoutKey, next);
  };

  // Infotips, as Windows list views show them: only a cell whose text is cut off gets one.
  const onMouseOver = (event: React.MouseEvent) => {
    // A heading's text is its sort button, which is what gets cut off.
    const cell = (event.target as HTMLElement).closest<HTMLElement>('.vsort, .vcell');
    if (!cell) return;
    if (cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent ?? '';
    else cell.removeAttribute('title');
  };
  const isSelected = (index: number) => (marked ? marked.has(index) : selected === index);

  useEffect(() => {
    if (rowCount > 0) onRange(first, last);
  }, [first, last, rowCount, onRange]);

  // A new query starts at the top.
  useEffect(() => {
    if (body.current && rowCount * ROW_HEIGHT < scrollTop) {
      body.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rowCount, scrollTop]);

  const showRow = (index: number) => {
    const el = body.current;
    if (!el) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };
  const moveTo = (index: number, how: SelectHow = 'only') => {
    if (rowCount === 0 || !onSelect) return;
    const target = Math.max(0, Math.min(rowCount - 1, index));
    onSelect(target, how);
    showRow(target);
  };
  // A row selected from outside (a new account, made in a dialog) is brought into view.
  useEffect(() => {
    if (selected !== null && selected < rowCount) showRow(selected);
  }, [selected, rowCount]);

  const typed = useRef({ text: '', at: 0 });
  const onKeyDown = (event: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const current = selected ?? -1;
    const next: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: rowCount - 1,
    };
    if (onKey?.(event)) {
      event.preventDefault();
    } else if (isContextMenuKey(event) && onContextMenu) {
      event.preventDefault();
      const row =
        selected === null ? null : body.current?.querySelector<HTMLElement>(`#${CSS.escape(`${id}-row-${selected}`)}`);
      onContextMenu(selected, anchorOf(row ?? (event.currentTarget as HTMLElement)));
    } else if (event.key in next) {
      event.preventDefault();
      moveTo(next[event.key]!, marked && event.shiftKey ? 'range' : 'only');
    } else if (event.ctrlKey && (event.key === '+' || event.code === 'NumpadAdd')) {
      event.preventDefault();
      fitColumns(columns.map((c) => c.key));
    } else if (marked && event.ctrlKey && (event.key === 'a' || event.key === 'A')) {
      event.preventDefault();
      if (rowCount > 0) onSelect?.(selected ?? 0, 'all');
    } else if (marked && event.ctrlKey && event.key === ' ' && selected !== null) {
      event.preventDefault();
      onSelect?.(selected, 'toggle');
    } else if (event.key === 'Enter') {
      // In a dialog, Enter on the list is the default button, as on Windows.
      const form = (event.currentTarget as HTMLElement).closest('form');
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      } else if (onActivate && selected !== null) {
        event.preventDefault();
        onActivate(selected);
      }
    } else if (event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.altKey && !event.metaKey) {
      // Type-ahead on the first column's text: the next row when it matches (a letter pressed again steps on),
      // else the first match in the whole list when the owner can find it, else among the rows fetched.
      const now = Date.now();
      typed.current = { text: now - typed.current.at > 800 ? event.key : typed.current.text + event.key, at: now };
      const wanted = typed.current.text.toLocaleLowerCase();
      const from = wanted.length === 1 ? current + 1 : Math.max(0, current);
      const next = getRow(from);
      if (findRow && !(next && typeAheadText(next).toLocaleLowerCase().startsWith(wanted))) {
        // The whole list is asked (the rows fetched so far may not hold the first match).
        event.preventDefault();
        const asked = typed.current;
        void findRow(wanted).then((index) => {
          if (index !== null && typed.current === asked) moveTo(index);
        });
        return;
      }
      for (let k = 0; k < rowCount; k++) {
        const i = (from + k) % rowCount;
        const row = getRow(i);
        if (row && typeAheadText(row).toLocaleLowerCase().startsWith(wanted)) {
          event.preventDefault();
          moveTo(i);
          break;
        }
      }
    }
  };

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const row = getRow(index);
    rows.push(
      <div
        key={index}
        id={`${id}-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={onSelect ? isSelected(index) : undefined}
        aria-label={row ? rowLabel(row) : 'Loading'}
        className={
          `vrow${isSelected(index) ? ' selected' : ''}${selected === index && marked ? ' focused' : ''}` +
          `${row && rowClass?.(row) ? ` ${rowClass(row)}` : ''}`
        }
        style={{ top: index * ROW_HEIGHT, gridTemplateColumns: template }}
        onClick={(e) =>
          onSelect?.(index, marked && (e.ctrlKey || e.metaKey) ? 'toggle' : marked && e.shiftKey ? 'range' : 'only')
        }
        onDoubleClick={() => onActivate?.(index)}
        onContextMenu={(e) => {
          if (!onContextMenu) return;
          e.preventDefault();
          if (!isSelected(index)) onSelect?.(index, 'only');
          body.current?.focus();
          onContextMenu(index, { x: e.clientX, y: e.clientY });
        }}
      >
        {columns.map((c) => (
          <div role="gridcell" key={c.key} className="vcell">
            {row ? c.render(row) : index === first ? '…' : ''}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      role="grid"
      aria-label={label}
      aria-rowcount={rowCount + 1}
      aria-multiselectable={marked ? true : undefined}
      className={fixedHeight === undefined ? 'vtable fill' : 'vtable'}
      onMouseOver={onMouseOver}
    >
      <div ref={head} className="vhead-scroll">
        <div
          role="row"
          aria-rowindex={1}
          className="vhead"
          style={{ gridTemplateColumns: template, width: fixedWidth }}
        >
          {columns.map((c) => (
            <div
              role="columnheader"
              key={c.key}
              className="vcell"
              aria-sort={sort?.column === c.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
            >
              {c.sortable && onSort ? (
                <button type="button" className="vsort" onClick={() => onSort(c.key)}>
                  {c.title}
                  {sort?.column === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                c.title
              )}
              <span
                className="vresize"
                role="separator"
                aria-orientation="vertical"
                aria-label={`Resize ${c.title}`}
                onPointerDown={(e) => startResize(e, c.key)}
                onDoubleClick={() => fitColumns([c.key])}
              />
            </div>
          ))}
        </div>
      </div>
      <div
        ref={body}
        className="vbody"
        tabIndex={0}
        aria-label={`${label} rows`}
        aria-activedescendant={
          selected !== null && selected >= first && selected < last ? `${id}-row-${selected}` : undefined
        }
        style={fixedHeight === undefined ? undefined : { height: fixedHeight }}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
          if (head.current) head.current.scrollLeft = e.currentTarget.scrollLeft;
        }}
        onContextMenu={(e) => {
          if (!onContextMenu || (e.target as HTMLElement).closest('[role="row"]')) return;
          e.preventDefault();
          onContextMenu(null, { x: e.clientX, y: e.clientY });
        }}
        onKeyDown={onKeyDown}
      >
        {rowCount === 0 ? (
          <div className="vempty">{empty}</div>
        ) : (
          <div style={{ height: rowCount * ROW_HEIGHT, position: 'relative', width: fixedWidth }}>{rows}</div>
        )}
      </div>
    </div>
  );
}
