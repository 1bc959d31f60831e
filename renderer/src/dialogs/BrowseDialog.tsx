/** Browse…: the directory's containers from the naming context down, one level loaded per expand. */
import { useEffect, useRef, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { Settings } from '../../../shared/settings.ts';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { useDirectoryTree } from '../controls/directory-tree.ts';
import { DirectoryTree } from '../controls/DirectoryTree.tsx';
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

  const renderLabel = (node: BrowseNode) => (
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
  );

  return (
    <Dialog
      title="Browse for container"
      help="browse"
      width={520}
      onCancel={onCancel}
      onSubmit={() => selected && onPick(selected)}
      buttons={<OkCancel onCancel={onCancel} disabled={!selected} />}
    >
      <p>Choose the organizational unit or container whose accounts the server imports.</p>
      <div className="tree-box" ref={box}>
        {root ? (
          <DirectoryTree
            label="Directory containers"
            root={root}
            tree={tree}
            current={selected}
            highlight="selected"
            onToggle={toggle}
            renderLabel={renderLabel}
          />
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
