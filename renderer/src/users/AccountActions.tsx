/**
 * The users view's account actions for the selected local accounts. AD accounts are managed in Active
 * Directory (a sync would undo a change made here), so the actions are unavailable for them and the reason
 * is shown. The rules are the core's (the same as bcscmd /ADDUSER …); a refusal is shown in the dialog,
 * which stays open with what was typed.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { AccountRecord } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Ak } from '../controls/Ak.tsx';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { ContextMenu, type ContextItem } from '../controls/ContextMenu.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { ContactListDialog } from './ContactListDialog.tsx';
import { OuPicker } from './OuPicker.tsx';

type Open = 'new' | 'password' | 'move' | 'delete' | null;

/** New account…: into the OU selected in the tree (as ADUC's New › User does), and selected once made. */
function NewAccountDialog({
  ou,
  onDone,
  onCreated,
}: {
  ou: string;
  onDone: () => void;
  onCreated: (logon: string) => void;
}) {
  const [draft, setDraft] = useState({ logon: '', displayName: '', email: '', ou });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { logon: useId(), name: useId(), email: useId(), ou: useId() };
  const submit = async () => {
    setBusy(true);
    const result = await api.invoke('accounts.add', draft);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone();
    onCreated(result.value.logon);
  };
  const field = (key: keyof typeof draft, id: string, label: string, placeholder = '') => (
    <>
      <label htmlFor={id}>
        <Ak text={label} />
      </label>
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
      help="account"
      onCancel={onDone}
      onSubmit={() => void submit()}
      buttons={<OkCancel onCancel={onDone} disabled={busy || draft.logon.trim() === ''} />}
    >
      <p>A local account logs on to the IM server with a password set here; AD sync never touches it.</p>
      <div className="grid">
        {field('logon', ids.logon, '&Logon name')}
        {field('displayName', ids.name, '&Display name', 'First Last')}
        {field('email', ids.email, '&E-mail')}
        {field('ou', ids.ou, 'Server &OU', '_Default')}
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
      help="account"
      onCancel={onDone}
      onSubmit={() => void submit()}
      buttons={<OkCancel onCancel={onDone} disabled={busy || password === '' || password !== again} />}
    >
      <p className="note">
        At least 8 characters (at most 1 024), without line breaks or other control characters. The account logs on to
        the IM server with it; AD accounts keep their password in Active Directory.
      </p>
      <div className="grid">
        <label htmlFor={ids.password}>
          <Ak text="&New password" />
        </label>
        <input
          id={ids.password}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor={ids.again}>
          <Ak text="&Confirm password" />
        </label>
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

/** Why the account actions are unavailable for a selection, or null when they apply to all of it. */
function whyNot(accounts: (AccountRecord | undefined)[]): string | null {
  if (accounts.length === 0) return 'Select an account first.';
  // An AD account among those read is the reason that stays true whatever else is selected.
  const fromAd = accounts.filter((a) => a?.origin === 'ad').length;
  if (fromAd > 0)
    return accounts.length === 1
      ? 'Managed in Active Directory: change it there; the next sync brings it in.'
      : `${fromAd} of the ${accounts.length} selected accounts are managed in Active Directory: change them ` +
          'there; the next sync brings the change in.';
  if (accounts.length > MAX_AT_ONCE) return 'Select at most 1 000 accounts for one change.';
  if (accounts.some((a) => !a)) return 'Reading the selected accounts…';
  return null;
}

const MAX_AT_ONCE = 1000;
const namesOf = (accounts: AccountRecord[]) =>
  accounts.length <= 3
    ? accounts.map((a) => a.logon).join(', ')
    : `${accounts
        .slice(0, 3)
        .map((a) => a.logon)
        .join(', ')} and ${accounts.length - 3} more`;

/**
 * The account actions for the selection, one list for the toolbar and the context menu: Properties, New
 * account…, Set password…, Disable / Enable, Move to OU…, Delete…. With several accounts selected they act
 * on all of them (all or none); for AD accounts they are shown unavailable with the reason.
 */
/** An action asked for by its key in the table: Delete → Delete…, Alt+Enter → Properties. */
export interface AccountCommand {
  what: 'delete' | 'properties';
  /** A new number for every key press, so that the same key twice acts twice. */
  seq: number;
}

export function AccountActions({
  accounts,
  menuAt,
  onMenuClose,
  onProperties,
  command,
  currentOu,
  onCreated,
}: {
  /** The selected accounts (undefined: not read yet). */
  accounts: (AccountRecord | undefined)[];
  /** The server OU selected in the tree ('' for All organizational units): where New account… puts one. */
  currentOu: string;
  /** A new account was made: the view selects it. */
  onCreated: (logon: string) => void;
  /** Where the context menu is open, or null. */
  menuAt: { x: number; y: number } | null;
  onMenuClose: () => void;
  onProperties: (account: AccountRecord) => void;
  command: AccountCommand | null;
}) {
  const [open, setOpen] = useState<Open>(null);
  const [contactsOf, setContactsOf] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const why = whyNot(accounts);
  const chosen = why ? [] : (accounts as AccountRecord[]);
  const one = accounts.length === 1 && accounts[0] ? accounts[0] : null;
  const logons = chosen.map((a) => a.logon);
  const allDisabled = chosen.length > 0 && chosen.every((a) => !a.enabled);
  const run = async (work: () => ReturnType<typeof api.invoke>) => {
    const result = await work();
    setError(result.ok ? null : result.error);
  };
  const items: (ContextItem & { key: string })[] = [
    {
      key: 'properties',
      label: '&Properties',
      shortcut: 'Alt+Enter',
      unavailable: one ? undefined : accounts.length === 0 ? 'Select an account first.' : 'Select one account.',
      onSelect: () => one && onProperties(one),
    },
    {
      key: 'contacts',
      label: '&Contact list…',
      unavailable: one ? undefined : accounts.length === 0 ? 'Select an account first.' : 'Select one account.',
      onSelect: () => one && setContactsOf(one.logon),
    },
    { key: 'new', label: '&New account…', onSelect: () => setOpen('new') },
    {
      key: 'password',
      label: 'Set pass&word…',
      unavailable: why ?? (chosen.length > 1 ? 'Select one account to set its password.' : undefined),
      onSelect: () => setOpen('password'),
    },
    {
      key: 'enabled',
      label: allDisabled ? 'Ena&ble' : 'Disa&ble',
      unavailable: why ?? undefined,
      onSelect: () => void run(() => api.invoke('accounts.setEnabled', { logons, enabled: allDisabled })),
    },
    { key: 'move', label: '&Move to OU…', unavailable: why ?? undefined, onSelect: () => setOpen('move') },
    {
      key: 'delete',
      label: '&Delete…',
      shortcut: 'Del',
      unavailable: why ?? undefined,
      onSelect: () => setOpen('delete'),
    },
  ];
  const reason = accounts.length > 0 && why && !why.startsWith('Reading') ? why : '';
  // A key press for an action runs it when it is available; otherwise its reason is shown, as a refusal.
  const [keyRefusal, setKeyRefusal] = useState<string | null>(null);
  const done = useRef(0);
  const selectionKey = accounts.map((a) => a?.id ?? '?').join(',');
  useEffect(() => setKeyRefusal(null), [selectionKey]);
  useEffect(() => {
    if (!command || command.seq === done.current) return;
    done.current = command.seq;
    const item = items.find((i) => i.key === command.what)!;
    if (item.unavailable) setKeyRefusal(item.unavailable);
    else {
      setKeyRefusal(null);
      item.onSelect();
    }
  });
  return (
    <div className="row toolbar account-actions" role="toolbar" aria-label="Account actions">
      {items
        .filter((item) => item.key !== 'properties' && item.key !== 'contacts')
        .map((item) => (
          <button
            key={item.key}
            type="button"
            disabled={item.unavailable !== undefined}
            title={item.unavailable}
            onClick={item.onSelect}
          >
            <Ak text={item.label} />
          </button>
        ))}
      {/* A refused key press (Delete on an AD account) is announced; the standing reason is only shown. */}
      {(keyRefusal ?? reason) && (
        <span role={keyRefusal ? 'alert' : undefined} className="note">
          {keyRefusal ?? reason}
        </span>
      )}
      <ErrorText error={error} />
      {menuAt && <ContextMenu label="Account" items={items} at={menuAt} onClose={onMenuClose} />}
      {/* Kept by logon: the selection may be read again (a refresh) while the dialog is open. */}
      {contactsOf && <ContactListDialog logon={contactsOf} onClose={() => setContactsOf(null)} />}
      {open === 'new' && <NewAccountDialog ou={currentOu} onDone={() => setOpen(null)} onCreated={onCreated} />}
      {open === 'password' && one && <SetPasswordDialog logon={one.logon} onDone={() => setOpen(null)} />}
      {open === 'move' && chosen.length > 0 && (
        <OuPicker
          title={chosen.length === 1 ? `Move ${chosen[0]!.logon}` : `Move ${chosen.length} accounts`}
          note={`Move ${chosen.length === 1 ? 'the account' : 'the accounts'} into the server OU selected below.`}
          initial={chosen[0]!.ou}
          onCancel={() => setOpen(null)}
          onPick={async (ou) => {
            const r = await api.invoke('accounts.move', { logons, ou });
            return r.ok ? null : r.error;
          }}
        />
      )}
      {open === 'delete' && chosen.length > 0 && (
        <ConfirmBox
          title={chosen.length === 1 ? 'Delete account' : 'Delete accounts'}
          message={
            chosen.length === 1
              ? `Delete the local account ${one!.logon}${one!.displayName ? ` (${one!.displayName})` : ''}? ` +
                'It can no longer log on to the IM server, and this cannot be undone.'
              : `Delete the ${chosen.length} local accounts ${namesOf(chosen)}? They can no longer log on to ` +
                'the IM server, and this cannot be undone.'
          }
          yes="&Delete"
          no="&Keep it"
          onAnswer={(yes) => {
            setOpen(null);
            if (yes) void run(() => api.invoke('accounts.delete', { logons }));
          }}
        />
      )}
    </div>
  );
}
