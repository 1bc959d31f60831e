/**
 * A context menu as Windows has it: opened by right-click, Shift+F10 or the context-menu key, at the item
 * it is about; its items behave as every menu's (MenuItems); Esc, Tab or a click elsewhere closes it and
 * gives focus back.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { type MenuItem, MenuItems } from './MenuItems.tsx';

export type ContextItem = MenuItem;

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
  const opener = useRef<HTMLElement | null>(document.activeElement as HTMLElement | null);
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState(at);
  // As on Windows, a menu that would leave the window opens to the left of / above the point instead.
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect();
    if (!box) return;
    setPlace({
      x: at.x + box.width > window.innerWidth ? Math.max(0, at.x - box.width) : at.x,
      y: at.y + box.height > window.innerHeight ? Math.max(0, at.y - box.height) : at.y,
    });
  }, [at]);
  useEffect(() => {
    const outside = (e: MouseEvent) => {
      if (!(e.target as HTMLElement).closest('[role="menu"].context-menu')) onClose();
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [onClose]);
  return createPortal(
    <MenuItems
      label={label}
      items={items}
      className="context-menu"
      style={{ left: place.x, top: place.y }}
      menuRef={menu}
      onChoose={(item) => {
        // Back where the menu was opened from first: a dialog the item opens returns focus there, not to a
        // menu item that no longer exists.
        opener.current?.focus();
        onClose();
        item.onSelect();
      }}
      onOtherKey={(e) => {
        if (e.key !== 'Escape' && e.key !== 'Tab') return false;
        onClose();
        opener.current?.focus();
        return true;
      }}
    />,
    document.body,
  );
}

/** Where a menu opened from the keyboard appears: under the focused element. */
export function anchorOf(el: HTMLElement): { x: number; y: number } {
  const box = el.getBoundingClientRect();
  return { x: box.left + 8, y: box.bottom };
}
