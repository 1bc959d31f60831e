/**
 * The OU tree's context menu: New OU…, Rename…, Delete… (an empty OU only; `_Default` stays). The rules
 * are the core's (bcscmd /ADDOU, /RENAMEOU, /DELETEOU); a refusal keeps the dialog open with its reason.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { OuNode } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { ContextMenu } from '../controls/ContextMenu.tsx';
import { MessageBox } from '../controls/MessageBox.tsx';
import { PromptDialog } from '../controls/PromptDialog.tsx';
import { ouPathOf } from './ou-path.ts';
import { OuPermissionsDialog } from './OuPermissionsDialog.tsx';

const DEFAULT_OU_ID = 1;

export interface OuMenuRequest {
  /** null = "All organizational units". */
  id: number | null;
  at: { x: number; y: number };
  /** F2 or Delete on the OU: that action at once (or why it is unavailable), no menu. */
  direct?: 'rename' | 'delete';
}

export function OuActions({ ous, menu, onClose }: { ous: OuNode[]; menu: OuMenuRequest | null; onClose: () => void }) {
  const [open, setOpen] = useState<{ kind: 'new' | 'rename' | 'delete' | 'permissions'; id: number | null } | null>(
    null,
  );
  const [error, setError] = useState<ApiError | null>(null);
  const node = (id: number | null) => (id === null ? undefined : ous.find((o) => o.id === id));
  const refusal = async <T,>(result: Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>) => {
    const r = await result;
    return r.ok ? null : r.error;
  };
  const unavailable = (id: number | null, what: 'renamed' | 'deleted'): string | undefined => {
    if (id === null) return 'Choose an OU in the tree first.';
    if (id === DEFAULT_OU_ID) return `The built-in OU _Default cannot be ${what}.`;
    const n = node(id)!;
    if (what === 'deleted' && n.total > 0)
      return `Only an empty OU can be deleted: it holds ${n.total} account${n.total === 1 ? '' : 's'}.`;
    if (what === 'deleted' && ous.some((o) => o.parentId === id)) return 'Only an empty OU can be deleted: it has OUs.';
    // The core's rule (bcscmd /RENAMEOU), said before it is tried.
    if (what === 'renamed' && n.fromAd > 0)
      return (
        `It holds ${n.fromAd} account${n.fromAd === 1 ? '' : 's'} from Active Directory: the next sync would ` +
        'create the old name again and move them back. Change the placement in the Import Wizard instead.'
      );
    return undefined;
  };
  const [refused, setRefused] = useState<{ title: string; text: string } | null>(null);
  // As in Active Directory Users and Computers: F2 renames, Delete deletes, or a message says why not.
  useEffect(() => {
    if (!menu?.direct) return;
    const why = unavailable(menu.id, menu.direct === 'rename' ? 'renamed' : 'deleted');
    if (why) setRefused({ title: menu.direct === 'rename' ? 'Rename OU' : 'Delete OU', text: why });
    else setOpen({ kind: menu.direct, id: menu.id });
    onClose();
  });
  const target = open ? node(open.id) : undefined;
  return (
    <>
      {refused && (
        <MessageBox title={refused.title} kind="warning" message={refused.text} onClose={() => setRefused(null)} />
      )}
      {menu && !menu.direct && (
        <ContextMenu
          label="OU actions"
          at={menu.at}
          onClose={onClose}
          items={[
            { label: '&New OU…', onSelect: () => setOpen({ kind: 'new', id: menu.id }) },
            {
              label: 'Rena&me…',
              shortcut: 'F2',
              unavailable: unavailable(menu.id, 'renamed'),
              onSelect: () => setOpen({ kind: 'rename', id: menu.id }),
            },
            {
              label: '&Delete…',
              shortcut: 'Del',
              unavailable: unavailable(menu.id, 'deleted'),
              onSelect: () => setOpen({ kind: 'delete', id: menu.id }),
            },
            {
              label: '&Permissions…',
              unavailable: menu.id === null ? 'Choose an OU in the tree first.' : undefined,
              onSelect: () => setOpen({ kind: 'permissions', id: menu.id }),
            },
          ]}
        />
      )}
      {open?.kind === 'new' && (
        <PromptDialog
          title="New OU"
          label="OU &path"
          initial={open.id === null ? '' : `${ouPathOf(ous, open.id)}/`}
          note="A server OU for local accounts; write nested OUs as Parent/Child."
          onCancel={() => setOpen(null)}
          onSubmit={(path) => refusal(api.invoke('ous.add', { path }))}
        />
      )}
      {open?.kind === 'rename' && target && (
        <PromptDialog
          title={`Rename ${ouPathOf(ous, target.id)}`}
          label="New &name"
          initial={target.name}
          onCancel={() => setOpen(null)}
          onSubmit={(name) => refusal(api.invoke('ous.rename', { path: ouPathOf(ous, target.id), name }))}
        />
      )}
      {open?.kind === 'permissions' && target && (
        <OuPermissionsDialog ous={ous} ouId={target.id} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'delete' && target && (
        <ConfirmBox
          title="Delete OU"
          message={`Delete the empty OU ${ouPathOf(ous, target.id)}?`}
          yes="&Delete"
          no="&Keep it"
          onAnswer={(yes) => {
            setOpen(null);
            if (yes) void refusal(api.invoke('ous.delete', { path: ouPathOf(ous, target.id) })).then(setError);
          }}
        />
      )}
      {error && (
        <MessageBox
          title="Delete OU"
          kind="error"
          message={`${error.message} ${error.hint ?? ''}`.trim()}
          onClose={() => setError(null)}
        />
      )}
    </>
  );
}
