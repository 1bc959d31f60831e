/**
 * A context menu as Windows has it: opened by right-click, Shift+F10 or the context-menu key, at the item
 * it is about; Up/Down move, Enter or an item's underlined letter chooses, Esc or a click elsewhere closes
 * and gives focus back. An
 * unavailable item is shown greyed with its reason as a tooltip.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { itemWithKey } from './access-key-text.ts';
import { Ak } from './Ak.tsx';

export interface ContextItem {
  label: string;
  onSelect: () => void;
  /** Why it is unavailable (the item is greyed out), or undefined. */
  unavailable?: string;
}

/** Whether a key press asks for the context menu (Shift+F10 or the context-menu key). */
export const isContextMenuKey = (e: React.KeyboardEvent) => (e.shiftKey && e.key === 'F10') || e.key === 'ContextMenu';

export function ContextMenu({
  label,
  items,
  at,
  onClose,
}: {
  label: string;
  items: ContextItem[];
  at: { x: number; y: number };
  onClose: () => void;
}) {
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      items.findIndex((i) => !i.unavailable),
    ),
  );
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const opener = useRef<HTMLElement | null>(document.activeElement as HTMLElement | null);
  const close = () => {
    onClose();
    opener.current?.focus();
  };
  useEffect(() => refs.current[active]?.focus(), [active]);
  useEffect(() => {
    const outside = (e: MouseEvent) => {
      if (!(e.target as HTMLElement).closest('[role="menu"].context-menu')) onClose();
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [onClose]);
  const labels = items.map((i) => i.label);
  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    const step = (d: number) => setActive((a) => (a + d + items.length) % items.length);
    if (e.key === 'ArrowDown') step(1);
    else if (e.key === 'ArrowUp') step(-1);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(items.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else if (!e.ctrlKey && !e.altKey && itemWithKey(labels, e.key) >= 0) {
      const item = items[itemWithKey(labels, e.key)]!;
      if (!item.unavailable) {
        onClose();
        item.onSelect();
      }
    } else return;
    e.preventDefault();
  };
  return createPortal(
    <div
      role="menu"
      aria-label={label}
      className="context-menu"
      style={{ left: at.x, top: at.y }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, i) => (
        <button
          key={item.label}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="menuitem"
          tabIndex={i === active ? 0 : -1}
          aria-disabled={item.unavailable ? true : undefined}
          title={item.unavailable}
          className={item.unavailable ? 'unavailable' : ''}
          onClick={() => {
            if (item.unavailable) return;
            onClose();
            item.onSelect();
          }}
        >
          <Ak text={item.label} />
        </button>
      ))}
    </div>,
    document.body,
  );
}

/** Where a menu opened from the keyboard appears: under the focused element. */
export function anchorOf(el: HTMLElement): { x: number; y: number } {
  const box = el.getBoundingClientRect();
  return { x: box.left + 8, y: box.bottom };
}
