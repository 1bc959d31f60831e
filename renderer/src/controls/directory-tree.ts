/** The directory's containers loaded one level per expand, for Browse… and the wizard's Source page. */
import { useEffect, useState } from 'react';
import type { BrowseNode } from '../../../shared/contract.ts';
import type { ApiError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/settings.ts';
import { api } from '../api.ts';

export interface TreeState {
  children: Record<string, BrowseNode[] | 'loading'>;
  expanded: Set<string>;
}

export function useDirectoryTree(settings: Settings, password: string) {
  const [root, setRoot] = useState<BrowseNode | null>(null);
  const [tree, setTree] = useState<TreeState>({ children: {}, expanded: new Set() });
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
      void load(node.dn).then((loaded) => {
        if (!loaded) setTree((t) => ({ ...t, children: Object.fromEntries(Object.entries(t.children).filter(([k]) => k !== node.dn)) }));
      });
    }
  };

  const childrenOf = (dn: string): string[] => {
    const kids = tree.children[dn];
    return Array.isArray(kids) ? kids.map((k) => k.dn) : [];
  };

  return { root, tree, error, toggle, childrenOf };
}
