/** The server's OU tree with account counts; "All organizational units" on top shows every account. */
import { useMemo, useState } from 'react';
import type { OuNode } from '../../../shared/users-view.ts';
import { anchorOf, isContextMenuKey } from '../controls/ContextMenu.tsx';
import { useTreeKeys, type VisibleItem } from '../controls/tree-keys.ts';

const ALL = 0;

export function OuTreePane({
  ous,
  total,
  selected,
  onSelect,
  onMenu,
  idPrefix = 'ou',
  withAll = true,
  label = 'Server organizational units',
}: {
  ous: OuNode[];
  total: number;
  selected: number | null;
  onSelect: (id: number | null) => void;
  /**
   * Right-click, Shift+F10 or the context-menu key on an OU (null = All organizational units): the context
   * menu at `at`, or straight to an action by its key (F2 Rename…, Delete Delete…).
   */
  onMenu?: (id: number | null, at: { x: number; y: number }, direct?: 'rename' | 'delete') => void;
  /** Element ids are made of it: two trees on one page (the pane and a picker) need their own. */
  idPrefix?: string;
  /** Whether "All organizational units" tops the tree (not in a picker: it is no OU). */
  withAll?: boolean;
  label?: string;
}) {
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const children = useMemo(() => {
    const map = new Map<number, OuNode[]>();
    for (const ou of ous) map.set(ou.parentId ?? ALL, [...(map.get(ou.parentId ?? ALL) ?? []), ou]);
    return map;
  }, [ous]);

  // The visible nodes in order, for arrow-key movement.
  const visible: { id: number; level: number; node: OuNode | null }[] = withAll
    ? [{ id: ALL, level: 1, node: null }]
    : [];
  const walk = (parent: number, level: number) => {
    for (const node of children.get(parent) ?? []) {
      visible.push({ id: node.id, level, node });
      if (!collapsed.has(node.id)) walk(node.id, level + 1);
    }
  };
  walk(ALL, withAll ? 2 : 1);
  const current = selected ?? ALL;
  const toggle = (id: number, open: boolean) =>
    setCollapsed((c) => (open ? new Set([...c].filter((x) => x !== id)) : new Set([...c, id])));

  const items: VisibleItem[] = visible.map((v) => {
    const hasKids = v.id !== ALL && (children.get(v.id)?.length ?? 0) > 0;
    return {
      key: String(v.id),
      label: v.node ? v.node.name : 'All organizational units',
      level: v.level,
      expandable: hasKids,
      expanded: hasKids && !collapsed.has(v.id),
    };
  });
  const onKeyDown = useTreeKeys(items, String(current), {
    move: (key) => {
      const id = Number(key);
      onSelect(id === ALL ? null : id);
      document.getElementById(`${idPrefix}-${id}`)?.focus();
    },
    expand: (key) => toggle(Number(key), true),
    collapse: (key) => toggle(Number(key), false),
  });

  return (
    <ul role="tree" aria-label={label} className="ou-tree">
      {visible.map((item) => {
        const count = item.node ? item.node.total : total;
        const name = item.node ? item.node.name : 'All organizational units';
        const hasKids = item.id !== ALL && (children.get(item.id)?.length ?? 0) > 0;
        const open = !collapsed.has(item.id);
        return (
          <li
            key={item.id}
            role="treeitem"
            aria-level={item.level}
            aria-selected={current === item.id}
            aria-expanded={hasKids ? open : undefined}
            aria-label={`${name} (${count})`}
          >
            <div
              className={current === item.id ? 'tree-row selected' : 'tree-row'}
              style={{ paddingLeft: (item.level - 1) * 14 }}
            >
              <button
                type="button"
                className="tree-toggle"
                tabIndex={-1}
                aria-hidden="true"
                onClick={() => hasKids && toggle(item.id, !open)}
              >
                {hasKids ? (open ? '▾' : '▸') : ' '}
              </button>
              <button
                type="button"
                id={`${idPrefix}-${item.id}`}
                className="tree-label"
                tabIndex={
                  current === item.id || (!visible.some((v) => v.id === current) && item === visible[0]) ? 0 : -1
                }
                onClick={() => onSelect(item.id === ALL ? null : item.id)}
                onContextMenu={(e) => {
                  if (!onMenu) return;
                  e.preventDefault();
                  onSelect(item.id === ALL ? null : item.id);
                  onMenu(item.id === ALL ? null : item.id, { x: e.clientX, y: e.clientY });
                }}
                onKeyDown={(e) => {
                  const id = item.id === ALL ? null : item.id;
                  const direct = e.key === 'F2' ? 'rename' : e.key === 'Delete' ? 'delete' : undefined;
                  if (!onMenu || (!isContextMenuKey(e) && !direct)) return onKeyDown(e);
                  e.preventDefault();
                  onMenu(id, anchorOf(e.currentTarget), direct);
                }}
              >
                <span aria-hidden="true" className="node-icon organizationalUnit" /> {name}{' '}
                <span className="count">({count.toLocaleString('en-US')})</span>
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
