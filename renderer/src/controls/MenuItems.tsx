/**
 * The items of an open menu, for the menu bar's menus and the context menus alike: Up/Down (Home/End)
 * move, Enter, Space or an item's underlined letter chooses, an unavailable item is greyed with its reason
 * as a tooltip and cannot be chosen. Other keys go to the owner (Esc, Left/Right, Tab).
 */
import { useEffect, useRef, useState } from 'react';
import { itemWithKey, plainText } from './access-key-text.ts';
import { Ak } from './Ak.tsx';

export interface MenuItem {
  /** With its access key: "&Properties". */
  label: string;
  onSelect: () => void;
  /** Why it is unavailable (the item is greyed out), or undefined. */
  unavailable?: string;
  /** The key that does the same outside the menu ("F1", "Alt+Enter"), shown right-aligned as Windows does. */
  shortcut?: string;
}

export function MenuItems({
  label,
  items,
  className,
  style,
  onChoose,
  onOtherKey,
  menuRef,
}: {
  label: string;
  items: MenuItem[];
  className: string;
  style?: React.CSSProperties;
  /** An available item was chosen: close the menu, then run it. */
  onChoose: (item: MenuItem) => void;
  /** A key the list does not handle itself; returns whether it was used. */
  onOtherKey: (e: React.KeyboardEvent) => boolean;
  menuRef?: React.Ref<HTMLDivElement>;
}) {
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      items.findIndex((i) => !i.unavailable),
    ),
  );
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => refs.current[active]?.focus(), [active]);
  const choose = (item: MenuItem) => {
    if (!item.unavailable) onChoose(item);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    const step = (d: number) => setActive((a) => (a + d + items.length) % items.length);
    const lettered =
      e.ctrlKey || e.altKey
        ? -1
        : itemWithKey(
            items.map((i) => i.label),
            e.key,
          );
    if (e.key === 'ArrowDown') step(1);
    else if (e.key === 'ArrowUp') step(-1);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(items.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') choose(items[active]!);
    else if (lettered >= 0) choose(items[lettered]!);
    else if (!onOtherKey(e)) return;
    e.preventDefault();
  };
  return (
    <div
      ref={menuRef}
      role="menu"
      aria-label={plainText(label)}
      className={className}
      style={style}
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
          className={item.unavailable ? 'menu-item unavailable' : 'menu-item'}
          onClick={() => choose(item)}
        >
          <Ak text={item.label} />
          {item.shortcut && <span className="menu-shortcut">{item.shortcut}</span>}
        </button>
      ))}
    </div>
  );
}
