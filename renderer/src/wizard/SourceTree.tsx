/** The AD's OUs with tri-state ticks, one level loaded per expand (Right/Left arrows on a box expand/collapse). */
import { useEffect, useRef } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { Settings } from '../../../shared/settings.ts';
import { useDirectoryTree } from '../controls/directory-tree.ts';
import { tickState, toggle as toggleTick, type OuSelection, type TickState } from './ou-selection.ts';

function TickBox({ state, label, onChange, onKeyDown }: { state: TickState; label: string; onChange: () => void; onKeyDown: (e: React.KeyboardEvent) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'mixed';
  }, [state]);
  return <input ref={ref} type="checkbox" aria-label={label} checked={state === 'checked'} onChange={onChange} onKeyDown={onKeyDown} />;
}

export function SourceTree({ settings, selection, includeSub, onChange }: { settings: Settings; selection: OuSelection; includeSub: boolean; onChange: (s: OuSelection) => void }) {
  const { root, tree, error, toggle, childrenOf } = useDirectoryTree(settings, '');

  const renderNode = (node: BrowseNode, level: number) => {
    const kids = tree.children[node.dn];
    const expanded = tree.expanded.has(node.dn) && Array.isArray(kids);
    const expandable = kids === undefined || (Array.isArray(kids) && kids.length > 0);
    return (
      <li key={node.dn} role="treeitem" aria-level={level} aria-expanded={expandable ? expanded : undefined} aria-label={node.name}>
        <div className="tree-row" style={{ paddingLeft: (level - 1) * 16 }}>
          <button type="button" className="tree-toggle" tabIndex={-1} aria-label={expanded ? `Collapse ${node.name}` : `Expand ${node.name}`} onClick={() => toggle(node)}>
            {kids === 'loading' ? '…' : expanded ? '▾' : expandable ? '▸' : ' '}
          </button>
          <label className="tree-check">
            <TickBox
              state={tickState(selection, node.dn, includeSub, childrenOf)}
              label={node.name}
              onChange={() => onChange(toggleTick(selection, node.dn, includeSub, childrenOf))}
              onKeyDown={(e) => {
                if ((e.key === 'ArrowRight' && !expanded) || (e.key === 'ArrowLeft' && expanded)) {
                  e.preventDefault();
                  toggle(node);
                }
              }}
            />
            <span aria-hidden="true" className={`node-icon ${node.kind}`} /> {node.name}
          </label>
        </div>
        {expanded && (kids as BrowseNode[]).length > 0 && <ul role="group">{(kids as BrowseNode[]).map((k) => renderNode(k, level + 1))}</ul>}
      </li>
    );
  };

  return (
    <div className="tree-box source-tree">
      {root ? (
        <ul role="tree" aria-label="Active Directory organizational units">
          {renderNode(root, 1)}
        </ul>
      ) : error ? (
        <p role="alert" className="error-text">
          {error.message} {error.hint}
        </p>
      ) : (
        <p role="status">Connecting to the directory…</p>
      )}
    </div>
  );
}
