/** Browse…: the directory's containers from the naming context down, one level loaded per expand. */
import { useEffect, useRef, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { Settings } from '../../../shared/settings.ts';
import { Dialog } from '../controls/Dialog.tsx';
import { useDirectoryTree } from '../controls/directory-tree.ts';
import { focusTreeItem, useTreeKeys } from '../controls/tree-keys.ts';
import { ErrorText } from '../controls/ErrorText.tsx';

/** `startDn`: the container the OU path names now; Browse opens there, as Windows' pickers do. */
export function BrowseDialog({
  settings,
  password,
  startDn,
  onPick,
  onCancel,
}: {
  settings: Settings;
  password: string;
  startDn?: string;
  onPick: (dn: string) => void;
  onCancel: () => void;
}) {
  const { root, tree, error, toggle, reveal, visible, failover } = useDirectoryTree(settings, password);
  const [picked, setSelected] = useState<string | null>(null);
  const selected = picked ?? root?.dn ?? null;
  const box = useRef<HTMLDivElement>(null);
  const items = visible();

  useEffect(() => {
    if (!root) return;
    void (startDn ? reveal(startDn) : Promise.resolve(root.dn)).then((dn) => {
      setSelected(dn ?? root.dn);
      requestAnimationFrame(() => focusTreeItem(box.current, dn ?? root.dn));
    });
    // Once, when the naming context has been read.
  }, [root]);

  const move = (dn: string) => {
    setSelected(dn);
    focusTreeItem(box.current, dn);
  };
  const nodeOf = (dn: string) => items.find((i) => i.key === dn)!.node;
  const onKeyDown = useTreeKeys(items, selected, {
    move,
    expand: (dn) => toggle(nodeOf(dn)),
    collapse: (dn) => toggle(nodeOf(dn)),
  });

  const renderNode = (node: BrowseNode, level: number) => {
    const kids = tree.children[node.dn];
    const expanded = tree.expanded.has(node.dn) && Array.isArray(kids);
    return (
      <li
        key={node.dn}
        role="treeitem"
        aria-level={level}
        aria-expanded={kids === undefined || (Array.isArray(kids) && kids.length > 0) ? expanded : undefined}
        aria-selected={selected === node.dn}
        aria-label={node.name}
      >
        <div className={selected === node.dn ? 'tree-row selected' : 'tree-row'} style={{ paddingLeft: level * 16 }}>
          <button
            type="button"
            className="tree-toggle"
            tabIndex={-1}
            aria-label={expanded ? `Collapse ${node.name}` : `Expand ${node.name}`}
            onClick={() => toggle(node)}
          >
            {kids === 'loading' ? '…' : expanded ? '▾' : Array.isArray(kids) && kids.length === 0 ? ' ' : '▸'}
          </button>
          <button
            type="button"
            className="tree-label"
            data-tree-key={node.dn}
            tabIndex={selected === node.dn ? 0 : -1}
            onClick={() => setSelected(node.dn)}
            onDoubleClick={() => toggle(node)}
            onKeyDown={onKeyDown}
          >
            <span aria-hidden="true" className={`node-icon ${node.kind}`} /> {node.name}
          </button>
        </div>
        {expanded && (kids as BrowseNode[]).length > 0 && (
          <ul role="group">{(kids as BrowseNode[]).map((k) => renderNode(k, level + 1))}</ul>
        )}
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
      <div className="tree-box" ref={box}>
        {root ? (
          <ul role="tree" aria-label="Directory containers">
            {renderNode(root, 1)}
          </ul>
        ) : error ? null : (
          <p role="status">Connecting to the directory…</p>
        )}
      </div>
      <ErrorText error={error} />
      {selected && <p className="selected-path">Selected: {selected}</p>}
      {failover && <p className="note">Failover: {failover}</p>}
    </Dialog>
  );
}
