/** The AD groups, narrowed by a search box, with a tick per group; ticked groups stay listed on top. */
import { Ak } from '../controls/Ak.tsx';
import { useEffect, useRef, useState } from 'react';
import type { GroupNode } from '../../../shared/contract.ts';
import type { ApiError } from '../../../shared/result.ts';
import { api } from '../api.ts';
import { focusTreeItem, useTreeKeys } from '../controls/tree-keys.ts';
import { ErrorText } from '../controls/ErrorText.tsx';

const SEARCH_DELAY_MS = 300;

export function GroupPicker({
  selected,
  onChange,
}: {
  selected: GroupNode[];
  onChange: (groups: GroupNode[]) => void;
}) {
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<{ groups: GroupNode[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [current, setCurrent] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void api.invoke('directory.groups', { search: typed }).then((r) => {
        if (!current) return;
        if (r.ok) {
          setFound(r.value);
          setError(null);
        } else setError(r.error);
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [typed]);

  const isSelected = (g: GroupNode) => selected.some((s) => s.dn === g.dn);
  const flip = (g: GroupNode) => onChange(isSelected(g) ? selected.filter((s) => s.dn !== g.dn) : [...selected, g]);
  const listed = [...selected, ...(found?.groups ?? []).filter((g) => !isSelected(g))];
  const list = useRef<HTMLUListElement>(null);
  const at = listed.some((g) => g.dn === current) ? current : (listed[0]?.dn ?? null);
  // One Tab stop for the whole list; Space ticks through the checkbox itself.
  const onKeyDown = useTreeKeys(
    listed.map((g) => ({ key: g.dn, label: g.name, level: 1, expandable: false, expanded: false })),
    at,
    {
      move: (dn) => {
        setCurrent(dn);
        focusTreeItem(list.current, dn);
      },
    },
  );

  return (
    <div className="group-picker">
      <label className="row">
        <Ak text="Search &groups:" />{' '}
        <input type="search" className="grow" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <ul className="tree-box group-list" aria-label="Active Directory groups" ref={list}>
        {listed.map((g) => (
          <li key={g.dn}>
            <label className="check" title={g.dn}>
              <input
                type="checkbox"
                data-tree-key={g.dn}
                tabIndex={at === g.dn ? 0 : -1}
                checked={isSelected(g)}
                onChange={() => flip(g)}
                onKeyDown={onKeyDown}
                onFocus={() => setCurrent(g.dn)}
              />{' '}
              {g.name}
              {g.description && <span className="note"> — {g.description}</span>}
            </label>
          </li>
        ))}
        {found && listed.length === 0 && <li className="note">No group matches.</li>}
        {!found && !error && <li role="status">Loading groups…</li>}
      </ul>
      {found?.truncated && <p className="note">More groups match than are listed: type more of the name.</p>}
      <ErrorText error={error} />
    </div>
  );
}
