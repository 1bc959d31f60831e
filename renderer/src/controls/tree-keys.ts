/**
 * The Windows tree and list keyboard model, one implementation for every tree (Browse, the wizard's
 * OUs, the users view's OUs) and list (the wizard's groups): one Tab stop; Up/Down, Home/End,
 * PgUp/PgDn move; typing a name's first letters jumps to it; Right expands or goes to the first
 * child, Left collapses or goes to the parent; Space ticks; Enter presses the dialog's default button.
 */
import { useRef } from 'react';

export interface VisibleItem {
  key: string;
  /** What type-ahead matches. */
  label: string;
  level: number;
  expandable: boolean;
  expanded: boolean;
}

export interface TreeActions {
  move(key: string): void;
  expand?(key: string): void;
  collapse?(key: string): void;
  tick?(key: string): void;
}

const PAGE = 10;
const TYPE_AHEAD_MS = 800;

/** Index of the parent of `index` in a visible list (the nearest item above with a smaller level). */
function parentIndex(items: VisibleItem[], index: number): number {
  const level = items[index]!.level;
  for (let i = index - 1; i >= 0; i--) if (items[i]!.level < level) return i;
  return -1;
}

/** The next item after `from` (wrapping) whose label starts with `text`; a single letter repeated cycles. */
export function typeAheadMatch(items: VisibleItem[], from: number, text: string): number {
  const wanted = text.toLocaleLowerCase();
  const cycling = wanted.length > 1 && [...wanted].every((c) => c === wanted[0]);
  const prefix = cycling ? wanted[0]! : wanted;
  const start = cycling || wanted.length === 1 ? from + 1 : from;
  for (let k = 0; k < items.length; k++) {
    const i = (start + k) % items.length;
    if (items[i]!.label.toLocaleLowerCase().startsWith(prefix)) return i;
  }
  return -1;
}

/** The key handler for a tree or list whose visible items are `items` and whose current item is `current`. */
export function useTreeKeys(
  items: VisibleItem[],
  current: string | null,
  actions: TreeActions,
): (event: React.KeyboardEvent) => void {
  const typed = useRef({ text: '', at: 0 });
  return (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Math.max(
      0,
      items.findIndex((i) => i.key === current),
    );
    const item = items[index];
    if (!item) return;
    const go = (i: number) => {
      const target = items[Math.max(0, Math.min(items.length - 1, i))];
      if (target) actions.move(target.key);
    };
    switch (event.key) {
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowUp':
        go(index - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(items.length - 1);
        break;
      case 'PageDown':
        go(index + PAGE);
        break;
      case 'PageUp':
        go(index - PAGE);
        break;
      case 'ArrowRight':
        if (item.expandable && !item.expanded) actions.expand?.(item.key);
        else if (item.expanded && items[index + 1] && items[index + 1]!.level > item.level) go(index + 1);
        break;
      case 'ArrowLeft':
        if (item.expanded) actions.collapse?.(item.key);
        else if (parentIndex(items, index) >= 0) go(parentIndex(items, index));
        break;
      case ' ':
        if (!actions.tick) return;
        actions.tick(item.key);
        break;
      case 'Enter':
        // Enter on a tree item is the dialog's default button, as on Windows.
        (event.currentTarget as HTMLElement).closest('form')?.requestSubmit();
        break;
      default: {
        if (event.key.length !== 1 || event.key === ' ') return;
        const now = Date.now();
        typed.current = {
          text: now - typed.current.at > TYPE_AHEAD_MS ? event.key : typed.current.text + event.key,
          at: now,
        };
        const found = typeAheadMatch(items, index, typed.current.text);
        if (found >= 0) go(found);
        break;
      }
    }
    event.preventDefault();
    event.stopPropagation();
  };
}

/** Focuses the element of a tree item (rendered with data-tree-key) once it is in the page. */
export function focusTreeItem(container: HTMLElement | null, key: string): void {
  const el = container?.querySelector<HTMLElement>(`[data-tree-key="${CSS.escape(key)}"]`);
  el?.focus();
  el?.scrollIntoView?.({ block: 'nearest' });
}
