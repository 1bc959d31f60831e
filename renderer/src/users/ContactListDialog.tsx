/** Contact list…: what an account's IM client receives — the OUs it sees, each with its members. */
import { useEffect, useState } from 'react';
import type { ContactList } from '../../../shared/contract.ts';
import type { ApiError } from '../../../shared/result.ts';
import { api } from '../api.ts';
import { Dialog } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';

export function ContactListDialog({ logon, onClose }: { logon: string; onClose: () => void }) {
  const [list, setList] = useState<ContactList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    void api.invoke('accounts.contacts', { logon }).then((r) => (r.ok ? setList(r.value) : setError(r.error)));
  }, [logon]);
  const count = list?.groups.reduce((n, g) => n + g.members.length, 0) ?? 0;
  return (
    <Dialog
      title={`Contact list of ${logon}`}
      help="users"
      width={560}
      onCancel={onClose}
      onSubmit={onClose}
      buttons={
        <button type="submit" className="default" data-autofocus>
          OK
        </button>
      }
    >
      <p role="status">
        {list
          ? `${logon} sees ${count} contact${count === 1 ? '' : 's'} in ${list.groups.length} group${
              list.groups.length === 1 ? '' : 's'
            } (the server OUs its OU's permissions show), as its IM client lists them.`
          : error
            ? ''
            : 'Reading…'}
      </p>
      {list && (
        <div className="picker-tree contact-list">
          <ul aria-label="Contact list">
            {list.groups.map((g) => (
              <li key={g.label}>
                <strong>{g.label}</strong> ({g.members.length})
                <ul aria-label={g.label}>
                  {g.members.map((m) => (
                    <li key={m.logon}>
                      {m.displayName} <span className="note">({m.logon})</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorText error={error} />
    </Dialog>
  );
}
