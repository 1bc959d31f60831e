/** The AD's OUs with tri-state ticks, one level loaded per expand; one Tab stop, Windows tree keys, Space ticks. */
import { useEffect, useRef, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { Settings } from '../../../shared/settings.ts';
import { useDirectoryTree } from '../controls/directory-tree.ts';
import { DirectoryTree } from '../controls/DirectoryTree.tsx';
import { focusTreeItem, useTreeKeys } from '../controls/tree-keys.ts';
import { tickState, toggle as toggleTick, type OuSelection, type TickState } from './ou-selection.ts';
import { ErrorText } from '../controls/ErrorText.tsx';

function TickBox({
  state,
  label,
  dn,
  current,
  onChange,
  onKeyDown,
  onFocus,
}: {
  state: TickState;
  label: string;
  dn: string;
  current: boolean;
  onChange: () => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  onFocus: () => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'mixed';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={label}
      data-tree-key={dn}
      tabIndex={current ? 0 : -1}
      checked={state === 'checked'}
      onChange={onChange}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    />
  );
}

export function SourceTree({
  settings,
  selection,
  includeSub,
  onChange,
}: {
  settings: Settings;
  selection: OuSelection;
  includeSub: boolean;
  onChange: (s: OuSelection) => void;
}) {
  const { root, tree, error, toggle, childrenOf, visible } = useDirectoryTree(settings, '');
  const [current, setCurrent] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const items = visible();
  const at = current ?? root?.dn ?? null;
  const nodeOf = (dn: string) => items.find((i) => i.key === dn)!.node;
  const onKeyDown = useTreeKeys(items, at, {
    move: (dn) => {
      setCurrent(dn);
      focusTreeItem(box.current, dn);
    },
    expand: (dn) => toggle(nodeOf(dn)),
    collapse: (dn) => toggle(nodeOf(dn)),
    // Space ticks through the checkbox itself.
  });

  const renderLabel = (node: BrowseNode) => (
    <label className="tree-check">
      <TickBox
        state={tickState(selection, node.dn, includeSub, childrenOf)}
        label={node.name}
        dn={node.dn}
        current={at === node.dn}
        onChange={() => onChange(toggleTick(selection, node.dn, includeSub, childrenOf))}
        onKeyDown={onKeyDown}
        onFocus={() => setCurrent(node.dn)}
      />
      <span aria-hidden="true" className={`node-icon ${node.kind}`} /> {node.name}
    </label>
  );

  return (
    <div className="tree-box source-tree" ref={box}>
      {root ? (
        <DirectoryTree
          label="Active Directory organizational units"
          root={root}
          tree={tree}
          current={at}
          highlight="current"
          onToggle={toggle}
          renderLabel={renderLabel}
        />
      ) : error ? (
        <ErrorText error={error} />
      ) : (
        <p role="status">Connecting to the directory…</p>
      )}
    </div>
  );
}
