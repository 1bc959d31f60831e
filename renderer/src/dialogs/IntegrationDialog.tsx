/** Tools → Active Directory (LDAP) integration…: how the server reaches AD, with Test connection. */
import { Ak } from '../controls/Ak.tsx';
import { useEffect, useId, useState } from 'react';
import type { SettingsView, TestReport } from '../../../shared/contract.ts';
import type { ApiError } from '../../../shared/result.ts';
import { settingsProblems, type Settings } from '../../../shared/settings.ts';
import { passwordTargetOf, sameTarget } from '../../../shared/password-target.ts';
import { api } from '../api.ts';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { focusField } from '../controls/focus-field.ts';
import { ConfirmBox } from '../controls/ConfirmBox.tsx';
import { localTime } from '../controls/local-time.ts';
import { MessageBox } from '../controls/MessageBox.tsx';
import { REFUSING_CODES, refusedPasswordText } from '../../../shared/refused-password.ts';
import { AdvancedDialog } from './AdvancedDialog.tsx';
import { TestLookup } from './TestLookup.tsx';
import { TestResultBox } from './TestResultBox.tsx';

/** The main process's rule, from the same shared code: a stored password serves only its own login ID and server. */
function storedPasswordApplies(view: SettingsView, draft: Settings): boolean {
  return (
    view.password.stored &&
    sameTarget({ login: view.password.login ?? '', server: view.password.server ?? '' }, passwordTargetOf(draft))
  );
}

type Box =
  | { kind: 'test'; report: TestReport }
  | { kind: 'error'; title: string; error: ApiError }
  | { kind: 'notice'; text: string }
  | { kind: 'refused'; reason: string };

/** What a Test connection tried: the same login ID, server and password (typed or stored) as the form now holds. */
const credentialsOf = (draft: Settings, password: string) =>
  JSON.stringify([draft.account, passwordTargetOf(draft), password]);

export function IntegrationDialog({ onClose }: { onClose: () => void }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [password, setPassword] = useState('');
  const [forget, setForget] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [box, setBox] = useState<Box | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  /** The last Test connection's bind refusal, for the credentials it used: OK asks before saving them. */
  const [refusedTest, setRefusedTest] = useState<{ credentials: string; reason: string } | null>(null);
  const ids = { auto: useId(), login: useId(), password: useId(), passwordNote: useId(), advanced: useId() };

  useEffect(() => {
    void api.invoke('settings.get', {}).then((result) => {
      if (result.ok) {
        setView(result.value);
        setDraft(result.value.settings);
      } else setBox({ kind: 'error', title: 'Active Directory (LDAP) integration', error: result.error });
    });
  }, []);

  if (!draft || !view) {
    return box?.kind === 'error' ? (
      <MessageBox
        title={box.title}
        kind="error"
        message={`${box.error.message} ${box.error.hint ?? ''}`}
        onClose={onClose}
      />
    ) : null;
  }
  const specified = draft.account === 'specified';
  const storedApplies = storedPasswordApplies(view, draft);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setDraft({ ...draft, [key]: value });
  const setAccount = (account: Settings['account']) => set('account', account);

  const test = async () => {
    setBusy('test');
    // The administrator asked for this bind: it is made even with a password a DC refused before.
    const result = await api.invoke('connection.test', {
      settings: draft,
      ...(password ? { password } : {}),
      retryRefused: true,
    });
    setBusy(null);
    const refusal = result.ok
      ? result.value.steps.find((s) => s.name === 'bind' && !s.ok && s.code && REFUSING_CODES.has(s.code))
      : undefined;
    setRefusedTest(refusal ? { credentials: credentialsOf(draft, password), reason: refusal.detail } : null);
    setBox(
      result.ok
        ? { kind: 'test', report: result.value }
        : { kind: 'error', title: 'Test connection', error: result.error },
    );
  };

  const save = async (confirmed = false) => {
    const found = settingsProblems(draft);
    if (found.length > 0) {
      // Say which field and why, and go there: the login here, anything else behind Advanced settings….
      const inAdvanced = (field: string) => field !== 'login' && field !== 'account' && field !== 'autoImport';
      setProblems(found.map((p) => (inAdvanced(p.field) ? `${p.message} (in Advanced settings…)` : p.message)));
      focusField(inAdvanced(found[0]!.field) ? ids.advanced : ids.login);
      return;
    }
    setProblems([]);
    if (!confirmed && draft.account === 'specified' && refusedTest?.credentials === credentialsOf(draft, password)) {
      setBox({ kind: 'refused', reason: refusedTest.reason });
      return;
    }
    setBusy('save');
    const result = await api.invoke('settings.save', {
      settings: draft,
      password: password ? { action: 'set', value: password } : forget ? { action: 'clear' } : { action: 'keep' },
    });
    setBusy(null);
    if (!result.ok) {
      setBox({ kind: 'error', title: 'Active Directory (LDAP) integration', error: result.error });
      return;
    }
    if (result.value.notices.length > 0) setBox({ kind: 'notice', text: result.value.notices.join(' ') });
    else onClose();
  };

  const passwordNote = !specified
    ? null
    : password
      ? view.secureStorage.persistent
        ? 'The new password is stored encrypted when you press OK.'
        : view.secureStorage.description
      : forget
        ? 'The stored password will be removed when you press OK.'
        : storedApplies && view.password.refused
          ? `${refusedPasswordText(view.password.refused, localTime)} Type the right password (Test connection ` +
            'sends the stored one once more on request).'
          : storedApplies
            ? 'A password is stored for this login ID; leave the field blank to keep it.'
            : view.password.stored
              ? 'The stored password belongs to another login ID or server: type the password.'
              : 'No password is stored.';

  return (
    <>
      <Dialog
        title="Active Directory (LDAP) integration"
        help="integration"
        width={560}
        onCancel={onClose}
        onSubmit={() => void save()}
        buttons={
          <>
            <button type="button" className="left" disabled={busy !== null} onClick={() => void test()}>
              {busy === 'test' ? 'Testing…' : <Ak text="&Test connection" />}
            </button>
            <OkCancel onCancel={onClose} disabled={busy !== null} />
          </>
        }
      >
        <label className="check">
          <input
            id={ids.auto}
            type="checkbox"
            data-autofocus
            checked={draft.autoImport}
            onChange={(e) => set('autoImport', e.target.checked)}
          />{' '}
          <Ak
            text={
              '&Search and import user accounts from the Active Directory if the accounts are not found on the ' +
              'communication server'
            }
          />
        </label>
        <fieldset>
          <legend>Credentials</legend>
          <div role="radiogroup" aria-label="Credentials" className="radios vertical">
            <label>
              <input type="radio" name="account" checked={!specified} onChange={() => setAccount('current')} />{' '}
              <Ak text="&Current account" />
            </label>
            <label>
              <input type="radio" name="account" checked={specified} onChange={() => setAccount('specified')} />{' '}
              <Ak text="S&pecified account" />
            </label>
          </div>
          <div className="grid indent">
            <label htmlFor={ids.login} className={specified ? '' : 'disabled'}>
              <Ak text="&Login ID" />
            </label>
            <input
              id={ids.login}
              value={draft.login}
              disabled={!specified}
              placeholder="DOMAIN\user, user@domain.com or CN=…,DC=domain,DC=com"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set('login', e.target.value)}
            />
            <label htmlFor={ids.password} className={specified ? '' : 'disabled'}>
              <Ak text="Pass&word" />
            </label>
            <input
              id={ids.password}
              type="password"
              value={password}
              disabled={!specified}
              placeholder={storedApplies ? '(stored)' : ''}
              autoComplete="new-password"
              aria-describedby={ids.passwordNote}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {passwordNote && (
            <p id={ids.passwordNote} className="note indent">
              {passwordNote}{' '}
              {view.password.stored && !password && (
                <button type="button" className="link" onClick={() => setForget(!forget)}>
                  <Ak text={forget ? '&Keep the stored password' : '&Forget the stored password'} />
                </button>
              )}
            </p>
          )}
          {!specified && (
            <p className="note indent">
              The connection uses the identity this console runs under (Kerberos/SSPI); no password is typed.
            </p>
          )}
        </fieldset>
        <div className="row end">
          <button type="button" id={ids.advanced} onClick={() => setAdvanced(true)}>
            <Ak text="A&dvanced settings…" />
          </button>
        </div>
        <TestLookup settings={draft} password={password} />
        {problems.length > 0 && (
          <div role="alert" className="error-text">
            {problems.map((p) => (
              <p key={p}>{p}</p>
            ))}
          </div>
        )}
      </Dialog>
      {advanced && (
        <AdvancedDialog
          settings={draft}
          password={password}
          onCancel={() => setAdvanced(false)}
          onApply={(changes) => {
            setDraft({ ...draft, ...changes });
            setAdvanced(false);
          }}
        />
      )}
      {box?.kind === 'test' && <TestResultBox report={box.report} onClose={() => setBox(null)} />}
      {box?.kind === 'error' && (
        <MessageBox
          title={box.title}
          kind="error"
          message={`${box.error.message} ${box.error.hint ?? ''}`.trim()}
          onClose={() => setBox(null)}
        />
      )}
      {box?.kind === 'refused' && (
        <ConfirmBox
          title="Active Directory (LDAP) integration"
          message={
            `The domain controller refused this password when you tested it: ${box.reason} If you save it, the ` +
            'scheduled sync, on-the-fly lookups and IM logons will not use it (a refused password is not sent ' +
            'again, so that the account is not locked out) until another password is saved. Save it anyway?'
          }
          yes="&Yes"
          no="&No"
          onAnswer={(yes) => {
            setBox(null);
            if (yes) void save(true);
          }}
        />
      )}
      {box?.kind === 'notice' && (
        <MessageBox
          title="Active Directory (LDAP) integration"
          kind="warning"
          message={`Settings saved. ${box.text}`}
          onClose={onClose}
        />
      )}
    </>
  );
}
