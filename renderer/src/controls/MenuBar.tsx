/**
 * The menu bar, drawn by the renderer so that both transports have it. A real ARIA menubar: Alt focuses it,
 * Alt+letter opens a menu, Left/Right move, Down/Enter open, Up/Down choose, Enter or an item's letter
 * activates, Esc closes. Labels carry their access keys ("&File").
 */
import { useEffect, useRef, useState } from 'react';
import { Ak } from './Ak.tsx';
import { type MenuItem, MenuItems } from './MenuItems.tsx';

export interface Menu {
  label: string;
  items: MenuItem[];
}

export function MenuBar({ menus }: { menus: Menu[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const topRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const restoreTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    // Alt alone, as in Windows, moves focus to the menu bar (and back).
    let altAlone = false;
    const down = (e: KeyboardEvent) => {
      altAlone = e.key === 'Alt' && !e.repeat;
    };
    const up = (e: KeyboardEvent) => {
      if (e.key !== 'Alt' || !altAlone || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      if (topRefs.current.includes(document.activeElement as HTMLButtonElement)) {
        setOpen(null);
        restoreTo.current?.focus();
      } else {
        restoreTo.current = document.activeElement as HTMLElement | null;
        setActive(0);
        topRefs.current[0]?.focus();
      }
    };
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    return () => {
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up, true);
    };
  }, []);

  useEffect(() => {
    if (open === null) return;
    const close = (e: MouseEvent) => {
      if (!(e.target as HTMLElement).closest('[role="menubar"]')) setOpen(null);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);

  const focusTop = (index: number) => {
    const i = (index + menus.length) % menus.length;
    setActive(i);
    topRefs.current[i]?.focus();
    return i;
  };

  // Focus goes back before the command runs, so that a dialog it opens returns focus there: to where it was
  // before the menu bar was entered (as on Windows), else to the menu's title.
  const choose = (menuIndex: number, item: MenuItem) => {
    const before = restoreTo.current;
    if (before && before.isConnected && before !== document.body && !before.closest('[role="menubar"]')) before.focus();
    else topRefs.current[menuIndex]?.focus();
    setOpen(null);
    item.onSelect();
  };
  /** Entered with the mouse: where focus was is remembered as Alt remembers it. */
  const enteredByMouse = () => {
    const active = document.activeElement as HTMLElement | null;
    if (!active?.closest('[role="menubar"]')) restoreTo.current = active;
  };

  return (
    <div role="menubar" aria-label="Main menu" className="menubar">
      {menus.map((menu, m) => (
        <div key={menu.label} className="menubar-entry">
          <button
            ref={(el) => {
              topRefs.current[m] = el;
            }}
            type="button"
            role="menuitem"
            aria-haspopup="menu"
            aria-expanded={open === m}
            tabIndex={active === m ? 0 : -1}
            className={open === m ? 'menubar-item open' : 'menubar-item'}
            onPointerDown={enteredByMouse}
            onClick={() => setOpen(open === m ? null : m)}
            onMouseEnter={() => open !== null && open !== m && setOpen(m)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                e.preventDefault();
                const next = focusTop(m + (e.key === 'ArrowRight' ? 1 : -1));
                if (open !== null) setOpen(next);
              } else if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                setOpen(m);
              } else if (e.key === 'Escape') {
                setOpen(null);
                restoreTo.current?.focus();
              }
            }}
          >
            <Ak text={menu.label} />
          </button>
          {open === m && (
            <MenuItems
              key={m}
              label={menu.label}
              items={menu.items}
              className="menu"
              onChoose={(item) => choose(m, item)}
              onOtherKey={(e) => {
                if (e.key === 'Escape') {
                  setOpen(null);
                  topRefs.current[m]?.focus();
                } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  setOpen(focusTop(m + (e.key === 'ArrowRight' ? 1 : -1)));
                } else return false;
                return true;
              }}
            />
          )}
        </div>
      ))}
    </div>
  );
}
