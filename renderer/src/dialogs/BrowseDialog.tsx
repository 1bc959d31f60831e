/** Browse…: the directory's containers from the naming context down, one level loaded per expand. */
import { useEffect, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { ApiError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/settings.ts';
import { api } from '../api.ts';
import { Dialog } from '../controls/Dialog.tsx';

interface TreeState {
  children: Record<string, BrowseNode[] | 'loading'>;
  expanded: Set<string>;
}


export function BrowseDialog({ settings, password, onPick, onCancel }: { settings: Settings; password: string; onPick: (dn: string) => void; onCancel: () => void }) {
  const [root, setRoot] = useState<BrowseNode | null>(null);
  const [tree, setTree] = useState<TreeState>({ children: {}, expanded: new Set() });
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (dn: string | null) => {
    const result = await api.invoke('directory.browse', { settings, ...(password ? { password } : {}), dn });
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    setError(null);
    setTree((t) => ({ children: { ...t.children, [result.value.node.dn]: result.value.children }, expanded: new Set([...t.expanded, result.value.node.dn]) }));
    return result.value.node;
  };

  useEffect(() => {
    void load(null).then((node) => {
      if (node) {
        setRoot(node);
        setSelected(node.dn);
      }
    });
    // Loads once per opening: the settings cannot change while this modal dialog is open.
  }, []);

  const toggle = (node: BrowseNode) => {
    if (tree.expanded.has(node.dn)) {
      setTree((t) => ({ ...t, expanded: new Set([...t.expanded].filter((d) => d !== node.dn)) }));
    } else if (tree.children[node.dn]) {
      setTree((t) => ({ ...t, expanded: new Set([...t.expanded, node.dn]) }));
    } else {
      setTree((t) => ({ ...t, children: { ...t.children, [node.dn]: 'loading' } }));
      void load(node.dn).then((loaded) => {
        if (!loaded) setTree((t) => ({ ...t, children: Object.fromEntries(Object.entries(t.children).filter(([k]) => k !== node.dn)) }));
      });
    }
  };

  const renderNode = (node: BrowseNode, level: number) => {
    const kids = tree.children[node.dn];
    const expanded = tree.expanded.has(node.dn) && Array.isArray(kids);
    return (
      <li key={node.dn} role="treeitem" aria-level={level} aria-expanded={kids === undefined || (Array.isArray(kids) && kids.length > 0) ? expanded : undefined} aria-selected={selected === node.dn} aria-label={node.name}>
        <div className={selected === node.dn ? 'tree-row selected' : 'tree-row'} style={{ paddingLeft: level * 16 }}>
          <button type="button" className="tree-toggle" tabIndex={-1} aria-label={expanded ? `Collapse ${node.name}` : `Expand ${node.name}`} onClick={() => toggle(node)}>
            {kids === 'loading' ? '…' : expanded ? '▾' : Array.isArray(kids) && kids.length === 0 ? ' ' : '▸'}
          </button>
          <button
            type="button"
            className="tree-label"
            tabIndex={selected === node.dn ? 0 : -1}
            onClick={() => setSelected(node.dn)}
            onDoubleClick={() => toggle(node)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' && !expanded) toggle(node);
              if (e.key === 'ArrowLeft' && expanded) toggle(node);
            }}
          >
            <span aria-hidden="true" className={`node-icon ${node.kind}`} /> {node.name}
          </button>
        </div>
        {expanded && (kids as BrowseNode[]).length > 0 && <ul role="group">{(kids as BrowseNode[]).map((k) => renderNode(k, level + 1))}</ul>}
      </li>
    );
  };

  return (
    <Dialog
      title="Browse for container"
      width={520}
      onCancel={onCancel}
      onSubmit={() => selected && onPick(selected)}
      buttons={
        <>
          <button type="submit" className="default" disabled={!selected}>
            OK
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      }
    >
      <p>Choose the organizational unit or container whose accounts the server imports.</p>
      <div className="tree-box">
        {root ? (
          <ul role="tree" aria-label="Directory containers">
            {renderNode(root, 1)}
          </ul>
        ) : error ? null : (
          <p role="status">Connecting to the directory…</p>
        )}
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error.message} {error.hint}
        </p>
      )}
      {selected && <p className="selected-path">Selected: {selected}</p>}
    </Dialog>
  );
}
