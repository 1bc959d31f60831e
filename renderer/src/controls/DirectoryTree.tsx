/**
 * One row of a directory tree (Browse… and the wizard's Source page) and, when expanded, its children.
 * The row's focusable part differs (a label button, a tick box), so the caller renders it.
 */
import type { ReactNode } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { TreeState } from './directory-tree.ts';

export interface TreeItemProps {
  node: BrowseNode;
  level: number;
  tree: TreeState;
  /** The row that holds the tree's one Tab stop. */
  current: string | null;
  /** `selected` for a pick-one tree (Browse), `current` for a tree whose rows are ticked. */
  highlight: 'selected' | 'current';
  onToggle: (node: BrowseNode) => void;
  renderLabel: (node: BrowseNode) => ReactNode;
}

export function DirectoryTreeItem(props: TreeItemProps) {
  const { node, level, tree, current, highlight, onToggle, renderLabel } = props;
  const kids = tree.children[node.dn];
  const loaded = Array.isArray(kids) ? kids : null;
  const expanded = tree.expanded.has(node.dn) && loaded !== null;
  // Not loaded yet counts as expandable: AD does not say cheaply whether a container has children.
  const expandable = kids === undefined || (loaded !== null && loaded.length > 0);
  const isCurrent = current === node.dn;
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-expanded={expandable ? expanded : undefined}
      aria-selected={highlight === 'selected' ? isCurrent : undefined}
      aria-label={node.name}
    >
      <div className={isCurrent ? `tree-row ${highlight}` : 'tree-row'} style={{ paddingLeft: (level - 1) * 16 }}>
        <button
          type="button"
          className="tree-toggle"
          tabIndex={-1}
          aria-label={expanded ? `Collapse ${node.name}` : `Expand ${node.name}`}
          onClick={() => onToggle(node)}
        >
          {kids === 'loading' ? '…' : expanded ? '▾' : expandable ? '▸' : ' '}
        </button>
        {renderLabel(node)}
      </div>
      {expanded && loaded.length > 0 && (
        <ul role="group">
          {loaded.map((k) => (
            <DirectoryTreeItem key={k.dn} {...props} node={k} level={level + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The whole tree: one root row (the naming context) and what is expanded below it. */
export function DirectoryTree({
  label,
  root,
  ...rest
}: Omit<TreeItemProps, 'node' | 'level'> & { label: string; root: BrowseNode }) {
  return (
    <ul role="tree" aria-label={label}>
      <DirectoryTreeItem node={root} level={1} {...rest} />
    </ul>
  );
}
