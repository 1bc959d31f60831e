/**
 * OU Permissions…: which server OUs the users of an OU see — and may message — in the IM network, as Bopup
 * Communication Server's OU permissions do. Ticking an OU takes the OUs below it too. Two-way (presence
 * follows the sender's contact list): the OUs ticked here see this OU's users as well.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { OuNode } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Ak } from '../controls/Ak.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { useRefusableSubmit } from '../controls/refusable-submit.ts';
import { ouIdOf, ouPathOf } from './ou-path.ts';

/** The OUs in tree order with their depth, and each OU's descendants. */
function treeOrder(ous: OuNode[]) {
  const children = new Map<number | null, OuNode[]>();
  for (const ou of ous) children.set(ou.parentId, [...(children.get(ou.parentId) ?? []), ou]);
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const rows: { ou: OuNode; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const ou of children.get(parent) ?? []) {
      rows.push({ ou, depth });
      walk(ou.id, depth + 1);
    }
  };
  walk(null, 0);
  const below = (id: number): number[] => (children.get(id) ?? []).flatMap((c) => [c.id, ...below(c.id)]);
  return { rows, below };
}

export function OuPermissionsDialog({ ous, ouId, onClose }: { ous: OuNode[]; ouId: number; onClose: () => void }) {
  const path = ouPathOf(ous, ouId);
  const [ticked, setTicked] = useState<Set<number> | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const { rows, below } = treeOrder(ous);
  useEffect(() => {
    void api.invoke('ous.permissions', { path }).then((r) => {
      if (!r.ok) return setLoadError(r.error);
      setTicked(new Set(r.value.sees.map((p) => ouIdOf(ous, p)).filter((id): id is number => id !== null)));
    });
  }, [path]);
  const saved = useRefusableSubmit(async (sees: Set<number>) => {
    const all = ous.every((o) => sees.has(o.id));
    const r = await api.invoke('ous.setPermissions', {
      path,
      sees: all ? '*' : [...sees].map((id) => ouPathOf(ous, id)),
    });
    return r.ok ? null : r.error;
  }, onClose);
  const flip = (id: number, on: boolean) => {
    const next = new Set(ticked);
    for (const x of [id, ...below(id)])
      if (on) next.add(x);
      else if (x !== ouId) next.delete(x);
    setTicked(next);
  };
  return (
    <Dialog
      title={`${path} Permissions`}
      help="users"
      width={520}
      onCancel={onClose}
      onSubmit={() => ticked && void saved.submit(ticked)}
      buttons={
        <>
          <button
            type="button"
            className="left"
            disabled={!ticked}
            onClick={() => setTicked(new Set(ous.map((o) => o.id)))}
          >
            <Ak text="&Every OU" />
          </button>
          <OkCancel onCancel={onClose} disabled={!ticked || saved.busy} />
        </>
      }
    >
      <p>
        The users of {path} see — and may message — the users of the OUs ticked below. Ticking an OU takes the OUs below
        it too. It works both ways: the OUs ticked also see the users of {path}.
      </p>
      <div className="picker-tree" role="group" aria-label="OUs it sees">
        {ticked &&
          rows.map(({ ou, depth }) => (
            <label key={ou.id} className="check" style={{ paddingLeft: depth * 18 }}>
              <input
                type="checkbox"
                checked={ticked.has(ou.id)}
                disabled={ou.id === ouId}
                data-autofocus={ou.id === ouId ? undefined : true}
                onChange={(e) => flip(ou.id, e.target.checked)}
              />{' '}
              {ou.name}
            </label>
          ))}
      </div>
      <p className="note">
        IM clients see an added or removed contact at once; a change of which OUs are shown reaches them at their next
        sign-in.
      </p>
      <ErrorText error={loadError ?? saved.error} />
    </Dialog>
  );
}
