/**
 * Picks a server OU from the OU tree, as Active Directory Users and Computers' Move dialog does: the tree
 * with the current OU selected, the keyboard of every tree, and New OU… to create one under the selected OU
 * (the rules are bcscmd /ADDOU's). OK gives the chosen OU's path; a refusal keeps the dialog open with why.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { OuNode } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Ak } from '../controls/Ak.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { PromptDialog } from '../controls/PromptDialog.tsx';
import { useRefusableSubmit } from '../controls/refusable-submit.ts';
import { ouIdOf, ouPathOf } from './ou-path.ts';
import { OuTreePane } from './OuTreePane.tsx';

export function OuPicker({
  title,
  note,
  initial,
  ok = 'OK',
  onPick,
  onCancel,
}: {
  title: string;
  note: string;
  /** The path of the OU selected at first. */
  initial: string;
  ok?: string;
  /** Does the work with the chosen path; the refusal to show, or null (the dialog then closes). */
  onPick: (path: string) => Promise<ApiError | null>;
  onCancel: () => void;
}) {
  const [ous, setOus] = useState<OuNode[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const picked = useRefusableSubmit(onPick, onCancel);
  const { busy, error, setError } = picked;
  const load = (select: string) =>
    void api.invoke('users.overview', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      setOus(r.value.ous);
      setSelected(ouIdOf(r.value.ous, select) ?? r.value.ous[0]?.id ?? null);
    });
  useEffect(() => load(initial), []);
  const path = ous && selected !== null ? ouPathOf(ous, selected) : '';
  const submit = () => path && void picked.submit(path);
  return (
    <>
      <Dialog
        title={title}
        help="account"
        width={420}
        onCancel={onCancel}
        onSubmit={submit}
        buttons={
          <>
            <button type="button" className="left" disabled={!ous} onClick={() => setCreating(true)}>
              <Ak text="&New OU…" />
            </button>
            <OkCancel onCancel={onCancel} disabled={busy || !path} ok={ok} />
          </>
        }
      >
        <p>{note}</p>
        <div className="picker-tree">
          {ous ? (
            <OuTreePane
              ous={ous}
              total={0}
              selected={selected}
              onSelect={setSelected}
              idPrefix="pick-ou"
              withAll={false}
              label="Server OUs"
            />
          ) : (
            <p className="note">Reading the OU tree…</p>
          )}
        </div>
        <p className="note" role="status">
          {path ? `Selected: ${path}` : ''}
        </p>
        <ErrorText error={error} />
      </Dialog>
      {creating && (
        <PromptDialog
          title="New OU"
          label="&Name"
          help="users"
          note={`A new OU under ${path || 'the top of the tree'}.`}
          onCancel={() => setCreating(false)}
          onSubmit={async (name) => {
            const wanted = path ? `${path}/${name.replace(/\\/g, '\\\\').replace(/\//g, '\\/')}` : name;
            const r = await api.invoke('ous.add', { path: wanted });
            if (r.ok) load(r.value.path);
            return r.ok ? null : r.error;
          }}
        />
      )}
    </>
  );
}
