/**
 * A table that draws only the rows in view, so that 100 000 accounts scroll without stalls. Rows come
 * from `getRow` (undefined while a page loads); `onRange` asks for what is about to be shown. Keyboard:
 * the body is one focusable grid; arrows, Page Up/Down, Home/End move the selection.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

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
  selected?: number | null;
  onSelect?: (index: number) => void;
  /** Double-click or Enter on a row (outside a dialog): open it, as Windows lists do (Properties). */
  onActivate?: (index: number) => void;
  sort?: { column: string; descending: boolean };
  onSort?: (column: string) => void;
  height?: number;
  empty?: ReactNode;
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
  selected = null,
  onSelect,
  onActivate,
  sort,
  onSort,
  height = 360,
  empty,
}: VirtualTableProps<T>) {
  const typeAheadText = typeAhead ?? rowLabel;
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const id = useId();
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rowCount, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const template = columns.map((c) => (typeof c.width === 'number' ? `${c.width}px` : c.width)).join(' ');

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

  const moveTo = (index: number) => {
    if (rowCount === 0 || !onSelect) return;
    const target = Math.max(0, Math.min(rowCount - 1, index));
    onSelect(target);
    const el = body.current;
    if (!el) return;
    const top = target * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };

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
    if (event.key in next) {
      event.preventDefault();
      moveTo(next[event.key]!);
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
      // Type-ahead on the first column's text, among the rows fetched so far.
      const now = Date.now();
      typed.current = { text: now - typed.current.at > 800 ? event.key : typed.current.text + event.key, at: now };
      const wanted = typed.current.text.toLocaleLowerCase();
      const from = wanted.length === 1 ? current + 1 : Math.max(0, current);
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
        aria-selected={onSelect ? selected === index : undefined}
        aria-label={row ? rowLabel(row) : 'Loading'}
        className={selected === index ? 'vrow selected' : 'vrow'}
        style={{ top: index * ROW_HEIGHT, gridTemplateColumns: template }}
        onClick={() => onSelect?.(index)}
        onDoubleClick={() => onActivate?.(index)}
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
    <div role="grid" aria-label={label} aria-rowcount={rowCount + 1} className="vtable">
      <div role="row" aria-rowindex={1} className="vhead" style={{ gridTemplateColumns: template }}>
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
          </div>
        ))}
      </div>
      <div
        ref={body}
        className="vbody"
        tabIndex={0}
        aria-label={`${label} rows`}
        aria-activedescendant={
          selected !== null && selected >= first && selected < last ? `${id}-row-${selected}` : undefined
        }
        style={{ height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        {rowCount === 0 ? (
          <div className="vempty">{empty}</div>
        ) : (
          <div style={{ height: rowCount * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
        )}
      </div>
    </div>
  );
}
