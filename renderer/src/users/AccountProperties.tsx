/**
 * An account's Properties (double-click or Enter on it): every field, where it came from, and what every
 * run did to it — imports, syncs, on-the-fly imports and the administrator's changes — newest first. A local
 * account's fields, server OU and logon name are edited here (OK, Cancel, Apply, as Windows property sheets
 * are); an AD account's are read-only, with where to change them.
 */
import { useEffect, useId, useState } from 'react';
import { EDITABLE_FIELDS, type EditableField } from '../../../shared/contract.ts';
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { ApiError } from '../../../shared/result.ts';
import type { AccountHistoryLine, AccountRecord } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Ak } from '../controls/Ak.tsx';
import { Dialog } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { RunsTable } from '../controls/RunsTable.tsx';
import { localTime } from '../controls/local-time.ts';
import { accountFields } from './AccountDetails.tsx';
import { AccountPhoto } from './AccountPhoto.tsx';
import { OuPicker } from './OuPicker.tsx';

function changesText(json: string | null): string {
  if (!json) return '';
  const changes = JSON.parse(json) as Record<string, { from: string; to: string }>;
  return Object.entries(changes)
    .map(([field, c]) => `${field}: ${c.from || '(empty)'} → ${c.to || '(empty)'}`)
    .join('; ');
}

/** The fields Properties edits, with their labels and access keys (unique in the dialog). */
const EDIT_LABELS: Record<EditableField | 'logon', string> = {
  logon: '&Logon name',
  firstName: '&First name',
  middleName: '&Middle name',
  lastName: 'La&st name',
  displayName: '&Display name',
  email: '&E-mail',
  department: 'De&partment',
  title: '&Title',
  phone: 'P&hone',
};

interface Saved {
  logon: string;
  fields: Record<EditableField, string>;
  ou: string;
}

const savedOf = (a: { logon: string; ou: string } & Record<EditableField, string>): Saved => ({
  logon: a.logon,
  fields: Object.fromEntries(EDITABLE_FIELDS.map((k) => [k, a[k]])) as Record<EditableField, string>,
  ou: a.ou,
});

function EditForm({ draft, onDraft, invalid }: { draft: Saved; onDraft: (d: Saved) => void; invalid: boolean }) {
  const id = useId();
  const [picking, setPicking] = useState(false);
  const input = (key: EditableField | 'logon') => (
    <div key={key} className="edit-field">
      <label htmlFor={`${id}-${key}`}>
        <Ak text={EDIT_LABELS[key]} />
      </label>
      <input
        id={`${id}-${key}`}
        value={key === 'logon' ? draft.logon : draft.fields[key]}
        spellCheck={false}
        autoComplete="off"
        data-autofocus={key === 'logon' || undefined}
        aria-invalid={(key === 'logon' && invalid) || undefined}
        onChange={(e) =>
          onDraft(
            key === 'logon'
              ? { ...draft, logon: e.target.value }
              : { ...draft, fields: { ...draft.fields, [key]: e.target.value } },
          )
        }
      />
    </div>
  );
  return (
    <fieldset className="edit-grid">
      <legend>Local account</legend>
      {input('logon')}
      {PERSON_FIELDS.filter((f) => f.key !== 'logon').map((f) => input(f.key as EditableField))}
      <div className="edit-field">
        <span>Server OU</span>
        <span className="row">
          <output aria-label="Server OU" className="grow">
            {draft.ou}
          </output>
          <button type="button" onClick={() => setPicking(true)}>
            <Ak text="&Change…" />
          </button>
        </span>
      </div>
      {picking && (
        <OuPicker
          title="Server OU"
          note={`The server OU ${draft.logon || 'the account'} goes to when you press OK or Apply.`}
          initial={draft.ou}
          onCancel={() => setPicking(false)}
          onPick={async (ou) => {
            onDraft({ ...draft, ou });
            return null;
          }}
        />
      )}
    </fieldset>
  );
}

export function AccountProperties({ account, onClose }: { account: AccountRecord; onClose: () => void }) {
  const [history, setHistory] = useState<AccountHistoryLine[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<Saved>(() => savedOf(account));
  const [draft, setDraft] = useState<Saved>(saved);
  const [busy, setBusy] = useState(false);
  const local = account.origin === 'local';
  const loadHistory = (logon: string) =>
    void api.invoke('accounts.history', { logon }).then((r) => {
      if (r.ok) setHistory(r.value);
      else setError(r.error);
    });
  useEffect(() => loadHistory(account.logon), [account.logon]);

  const changedFields = EDITABLE_FIELDS.filter((k) => draft.fields[k] !== saved.fields[k]);
  const dirty = changedFields.length > 0 || draft.logon !== saved.logon || draft.ou !== saved.ou;
  /** Writes what changed, in one change; true when it was written (or there was nothing to write). */
  const apply = async (): Promise<boolean> => {
    if (!dirty) return true;
    setBusy(true);
    const result = await api.invoke('accounts.edit', {
      logon: saved.logon,
      fields: Object.fromEntries(changedFields.map((k) => [k, draft.fields[k]])),
      ...(draft.ou !== saved.ou ? { ou: draft.ou } : {}),
      ...(draft.logon !== saved.logon ? { rename: draft.logon } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    const now = savedOf(result.value);
    setSaved(now);
    setDraft(now);
    setError(null);
    loadHistory(now.logon);
    return true;
  };
  const facts = accountFields({ ...account, logon: saved.logon, ou: saved.ou, ...saved.fields }).filter(
    ([name]) => !local || (!PERSON_FIELDS.some((f) => f.label === name) && name !== 'Server OU'),
  );
  return (
    <Dialog
      title={`${saved.logon} Properties`}
      help="account"
      width={720}
      onCancel={onClose}
      onSubmit={() => void apply().then((done) => done && onClose())}
      buttons={
        local ? (
          <>
            <button type="submit" className="default" disabled={busy}>
              OK
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" disabled={busy || !dirty} onClick={() => void apply()}>
              <Ak text="&Apply" />
            </button>
          </>
        ) : (
          <button type="submit" className="default" data-autofocus>
            OK
          </button>
        )
      }
    >
      {local ? (
        <EditForm
          draft={draft}
          onDraft={setDraft}
          invalid={error?.code === 'invalid-logon' || error?.code === 'account-exists'}
        />
      ) : (
        <p className="note">
          This account comes from Active Directory: change it in Active Directory Users and Computers; the next sync
          brings the change in (a change made here would be undone by it).
        </p>
      )}
      <ErrorText error={error} />
      <AccountPhoto account={account} />
      <dl className="properties">
        {facts.map(([name, value]) => (
          <div key={name} className="detail">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <RunsTable
        label="History of this account"
        whenTitle="When"
        whatTitle="What"
        empty="No run has changed this account."
        lines={
          history?.map((h) => ({
            key: `${h.runId}-${h.action}-${h.reason ?? ''}`,
            runId: h.runId,
            when: localTime(h.at),
            startedBy: h.startedBy,
            what: [h.action, changesText(h.changes), h.reason].filter(Boolean).join(' — '),
          })) ?? null
        }
      />
    </Dialog>
  );
}
