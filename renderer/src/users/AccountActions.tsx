/**
 * The users view's account actions: New account…, Set password…, Disable / Enable, Move to OU… and
 * Delete… for the selected local account. AD accounts are managed in Active Directory (a sync would undo a change made
 * here), so these are unavailable for them and the reason is shown. The rules are the core's (the same
 * as bcscmd /ADDUSER …); a refusal is shown in the dialog, which stays open with what was typed.
 */
import { useId, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { AccountRecord } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { Dialog } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { PromptDialog } from '../controls/PromptDialog.tsx';

type Open = 'new' | 'password' | 'move' | 'delete' | null;

function NewAccountDialog({ onDone }: { onDone: () => void }) {
  const [draft, setDraft] = useState({ logon: '', displayName: '', email: '', ou: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { logon: useId(), name: useId(), email: useId(), ou: useId() };
  const submit = async () => {
    setBusy(true);
    const result = await api.invoke('accounts.add', draft);
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };
  const field = (key: keyof typeof draft, id: string, label: string, placeholder = '') => (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={draft[key]}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={key === 'logon' && error?.code === 'invalid-logon' ? true : undefined}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </>
  );
  return (
    <Dialog
      title="New local account"
      onCancel={onDone}
      onSubmit={() => void submit()}
      buttons={
        <>
          <button type="submit" className="default" disabled={busy || draft.logon.trim() === ''}>
            OK
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </>
      }
    >
      <p>A local account logs on to the IM server with a password set here; AD sync never touches it.</p>
      <div className="grid">
        {field('logon', ids.logon, 'Logon name')}
        {field('displayName', ids.name, 'Display name', 'First Last')}
        {field('email', ids.email, 'E-mail')}
        {field('ou', ids.ou, 'Server OU', '_Default')}
      </div>
      <ErrorText error={error} />
    </Dialog>
  );
}

function SetPasswordDialog({ logon, onDone }: { logon: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { password: useId(), again: useId() };
  const mismatch = again !== '' && again !== password;
  const submit = async () => {
    if (password !== again) return;
    setBusy(true);
    const result = await api.invoke('accounts.setPassword', { logon, password });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };
  return (
    <Dialog
      title={`Set password for ${logon}`}
      onCancel={onDone}
      onSubmit={() => void submit()}
      buttons={
        <>
          <button type="submit" className="default" disabled={busy || password === '' || password !== again}>
            OK
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </>
      }
    >
      <div className="grid">
        <label htmlFor={ids.password}>New password</label>
        <input
          id={ids.password}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor={ids.again}>Confirm password</label>
        <input
          id={ids.again}
          type="password"
          autoComplete="new-password"
          value={again}
          aria-invalid={mismatch || undefined}
          onChange={(e) => setAgain(e.target.value)}
        />
      </div>
      {mismatch && (
        <p role="alert" className="error-text">
          The two passwords differ. Type the same password in both boxes.
        </p>
      )}
      <ErrorText error={error} />
    </Dialog>
  );
}

export function AccountActions({ account }: { account: AccountRecord | null }) {
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const local = account?.origin === 'local';
  const run = async (work: () => ReturnType<typeof api.invoke>) => {
    const result = await work();
    setError(result.ok ? null : result.error);
  };
  const why = account && !local ? 'Managed in Active Directory: change it there; the next sync brings it in.' : '';
  return (
    <div className="row toolbar account-actions" role="toolbar" aria-label="Account actions">
      <button type="button" onClick={() => setOpen('new')}>
        New account…
      </button>
      <button type="button" disabled={!local} title={why} onClick={() => setOpen('password')}>
        Set password…
      </button>
      <button
        type="button"
        disabled={!local}
        title={why}
        onClick={() =>
          void run(() => api.invoke('accounts.setEnabled', { logon: account!.logon, enabled: !account!.enabled }))
        }
      >
        {account && !account.enabled ? 'Enable' : 'Disable'}
      </button>
      <button type="button" disabled={!local} title={why} onClick={() => setOpen('move')}>
        Move to OU…
      </button>
      <button type="button" disabled={!local} title={why} onClick={() => setOpen('delete')}>
        Delete…
      </button>
      {why && <span className="note">{why}</span>}
      <ErrorText error={error} />
      {open === 'new' && <NewAccountDialog onDone={() => setOpen(null)} />}
      {open === 'password' && account && <SetPasswordDialog logon={account.logon} onDone={() => setOpen(null)} />}
      {open === 'move' && account && (
        <PromptDialog
          title={`Move ${account.logon}`}
          label="Server OU"
          initial={account.ou}
          note="Into an OU that exists (New OU… in the OU tree's context menu creates one)."
          onCancel={() => setOpen(null)}
          onSubmit={async (ou) => {
            const r = await api.invoke('accounts.move', { logons: [account.logon], ou });
            return r.ok ? null : r.error;
          }}
        />
      )}
      {open === 'delete' && account && (
        <ConfirmBox
          title="Delete account"
          message={
            `Delete the local account ${account.logon}${account.displayName ? ` (${account.displayName})` : ''}? ` +
            'It can no longer log on to the IM server, and this cannot be undone.'
          }
          yes="Delete"
          no="Keep it"
          onAnswer={(yes) => {
            setOpen(null);
            if (yes) void run(() => api.invoke('accounts.delete', { logon: account.logon }));
          }}
        />
      )}
    </div>
  );
}
