/** The directory's containers loaded one level per expand, for Browse… and the wizard's Source page. */
import { useEffect, useRef, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import { formatDn, parseDn } from '../../../shared/dn.ts';
import type { ApiError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/settings.ts';
import { api } from '../api.ts';
import type { VisibleItem } from './tree-keys.ts';

export interface TreeState {
  children: Record<string, BrowseNode[] | 'loading'>;
  expanded: Set<string>;
}

export function useDirectoryTree(settings: Settings, password: string) {
  const [root, setRoot] = useState<BrowseNode | null>(null);
  const [tree, setTree] = useState<TreeState>({ children: {}, expanded: new Set() });
  const [error, setError] = useState<ApiError | null>(null);
  const [failover, setFailover] = useState<string | null>(null);
  // What has been loaded so far, for work that spans several loads (revealing a path).
  const loaded = useRef<Record<string, BrowseNode[]>>({});

  const load = async (dn: string | null) => {
    const result = await api.invoke('directory.browse', { settings, ...(password ? { password } : {}), dn });
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    setError(null);
    if (result.value.failover) setFailover(result.value.failover);
    loaded.current[result.value.node.dn] = result.value.children;
    setTree((t) => ({
      children: { ...t.children, [result.value.node.dn]: result.value.children },
      expanded: new Set([...t.expanded, result.value.node.dn]),
    }));
    return result.value.node;
  };

  useEffect(() => {
    void load(null).then((node) => node && setRoot(node));
    // Loads once per opening: the settings cannot change while the dialog is open.
  }, []);

  const toggle = (node: BrowseNode) => {
    if (tree.expanded.has(node.dn)) {
      setTree((t) => ({ ...t, expanded: new Set([...t.expanded].filter((d) => d !== node.dn)) }));
    } else if (tree.children[node.dn]) {
      setTree((t) => ({ ...t, expanded: new Set([...t.expanded, node.dn]) }));
    } else {
      setTree((t) => ({ ...t, children: { ...t.children, [node.dn]: 'loading' } }));
      void load(node.dn).then((done) => {
        if (!done)
          setTree((t) => ({
            ...t,
            children: Object.fromEntries(Object.entries(t.children).filter(([k]) => k !== node.dn)),
          }));
      });
    }
  };

  /**
   * Expands the containers above `dn`, one level at a time as the directory lists them, and returns the
   * DN of the deepest one found (the directory's own spelling): Browse… opens at the current path.
   */
  const reveal = async (dn: string): Promise<string | null> => {
    const target = parseDn(dn);
    const top = root && parseDn(root.dn);
    if (!root || !target.ok || !top || !top.ok || target.rdns.length < top.rdns.length) return null;
    let at = root.dn;
    for (let depth = target.rdns.length - top.rdns.length - 1; depth >= 0; depth--) {
      const kids = loaded.current[at] ?? ((await load(at)) ? loaded.current[at] : undefined);
      const wanted = formatDn(target.rdns.slice(depth)).toLowerCase();
      const next = kids?.find(
        (k) =>
          parseDn(k.dn).ok && formatDn((parseDn(k.dn) as { rdns: typeof target.rdns }).rdns).toLowerCase() === wanted,
      );
      if (!next) break;
      if (depth > 0 && !loaded.current[next.dn]) await load(next.dn);
      else if (depth > 0) setTree((t) => ({ ...t, expanded: new Set([...t.expanded, next.dn]) }));
      at = next.dn;
    }
    return at;
  };

  const childrenOf = (dn: string): string[] => {
    const kids = tree.children[dn];
    return Array.isArray(kids) ? kids.map((k) => k.dn) : [];
  };

  /** The nodes a person sees, top to bottom, for the keyboard. */
  const visible = (): (VisibleItem & { node: BrowseNode })[] => {
    const out: (VisibleItem & { node: BrowseNode })[] = [];
    const walk = (node: BrowseNode, level: number) => {
      const kids = tree.children[node.dn];
      const expanded = tree.expanded.has(node.dn) && Array.isArray(kids);
      out.push({
        key: node.dn,
        label: node.name,
        level,
        expandable: kids === undefined || (Array.isArray(kids) && kids.length > 0),
        expanded,
        node,
      });
      if (expanded) for (const k of kids as BrowseNode[]) walk(k, level + 1);
    };
    if (root) walk(root, 1);
    return out;
  };

  return { root, tree, error, toggle, childrenOf, reveal, visible, failover };
}
