/** The server's OU tree with account counts; "All organizational units" on top shows every account. */
import { useMemo, useState } from 'react';
import type { OuNode } from '../../../shared/users-view.ts';

const ALL = 0;

export function OuTreePane({ ous, total, selected, onSelect }: { ous: OuNode[]; total: number; selected: number | null; onSelect: (id: number | null) => void }) {
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const children = useMemo(() => {
    const map = new Map<number, OuNode[]>();
    for (const ou of ous) map.set(ou.parentId ?? ALL, [...(map.get(ou.parentId ?? ALL) ?? []), ou]);
    return map;
  }, [ous]);

  // The visible nodes in order, for arrow-key movement.
  const visible: { id: number; level: number; node: OuNode | null }[] = [{ id: ALL, level: 1, node: null }];
  const walk = (parent: number, level: number) => {
    for (const node of children.get(parent) ?? []) {
      visible.push({ id: node.id, level, node });
      if (!collapsed.has(node.id)) walk(node.id, level + 1);
    }
  };
  walk(ALL, 2);
  const current = selected ?? ALL;
  const toggle = (id: number, open: boolean) => setCollapsed((c) => (open ? new Set([...c].filter((x) => x !== id)) : new Set([...c, id])));

  const onKeyDown = (event: React.KeyboardEvent, index: number) => {
    const item = visible[index]!;
    const hasKids = (children.get(item.id)?.length ?? 0) > 0 && item.id !== ALL;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = index + 1;
    else if (event.key === 'ArrowUp') next = index - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = visible.length - 1;
    else if (event.key === 'ArrowRight' && hasKids) toggle(item.id, true);
    else if (event.key === 'ArrowLeft' && hasKids) toggle(item.id, false);
    else return;
    event.preventDefault();
    if (next !== null && visible[next]) {
      const target = visible[next]!;
      onSelect(target.id === ALL ? null : target.id);
      document.getElementById(`ou-${target.id}`)?.focus();
    }
  };

  return (
    <ul role="tree" aria-label="Server organizational units" className="ou-tree">
      {visible.map((item, index) => {
        const count = item.node ? item.node.total : total;
        const name = item.node ? item.node.name : 'All organizational units';
        const hasKids = item.id !== ALL && (children.get(item.id)?.length ?? 0) > 0;
        const open = !collapsed.has(item.id);
        return (
          <li key={item.id} role="treeitem" aria-level={item.level} aria-selected={current === item.id} aria-expanded={hasKids ? open : undefined} aria-label={`${name} (${count})`}>
            <div className={current === item.id ? 'tree-row selected' : 'tree-row'} style={{ paddingLeft: (item.level - 1) * 14 }}>
              <button type="button" className="tree-toggle" tabIndex={-1} aria-hidden="true" onClick={() => hasKids && toggle(item.id, !open)}>
                {hasKids ? (open ? '▾' : '▸') : ' '}
              </button>
              <button type="button" id={`ou-${item.id}`} className="tree-label" tabIndex={current === item.id ? 0 : -1} onClick={() => onSelect(item.id === ALL ? null : item.id)} onKeyDown={(e) => onKeyDown(e, index)}>
                <span aria-hidden="true" className="node-icon organizationalUnit" /> {name} <span className="count">({count.toLocaleString('en-US')})</span>
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
