/** The integration dialog's Test lookup: what on-the-fly import would do for a logon name, importing nothing. */
import { Ak } from '../controls/Ak.tsx';
import { useId, useState } from 'react';
import type { LookupResult } from '../../../shared/lookup.ts';
import type { ApiError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/settings.ts';
import { api } from '../api.ts';

export function lookupWords(r: LookupResult, autoImport: boolean): string {
  switch (r.result) {
    case 'local':
      return (
        `${r.account.logon} is already in the users database ` +
        `(${r.account.origin === 'ad' ? 'from AD' : 'a local account'}, in ${r.account.ou}): the server lets ` +
        `it log on without asking the directory.`
      );
    case 'imported':
      return (
        `Found ${r.dn}. ` +
        `${autoImport ? 'It would be imported' : 'With the checkbox above on, it would be imported'} as ` +
        `${r.account.logon} ` +
        `(${r.account.displayName || 'no display name'}${r.account.email ? `, ${r.account.email}` : ''}) ` +
        `into ${r.account.ou}, ${r.account.enabled ? 'enabled' : 'disabled'}. Nothing was imported.`
      );
    case 'not-found':
      return `Not found: ${r.reason}`;
    case 'unavailable':
      return `Directory unavailable: ${r.reason}`;
  }
}

export function TestLookup({ settings, password }: { settings: Settings; password: string }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ text: string; failed: boolean } | null>(null);
  const id = useId();
  const run = async () => {
    setBusy(true);
    const result = await api.invoke('directory.lookup', { settings, ...(password ? { password } : {}), name });
    setBusy(false);
    if (!result.ok) {
      const e: ApiError = result.error;
      setAnswer({ text: `${e.message} ${e.hint ?? ''}`.trim(), failed: true });
    } else
      setAnswer({
        text: lookupWords(result.value, settings.autoImport),
        failed: result.value.result === 'not-found' || result.value.result === 'unavailable',
      });
  };
  return (
    <fieldset>
      <legend>Test lookup</legend>
      <div className="row">
        <label htmlFor={id}>
          <Ak text="Logo&n name" />
        </label>
        <input
          id={id}
          className="grow"
          value={name}
          spellCheck={false}
          autoComplete="off"
          placeholder="name, DOMAIN\name or name@domain"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            // Enter here looks the name up instead of pressing OK.
            if (e.key === 'Enter') {
              e.preventDefault();
              if (name.trim() && !busy) void run();
            }
          }}
        />
        <button type="button" disabled={busy || name.trim() === ''} onClick={() => void run()}>
          {busy ? 'Looking up…' : <Ak text="Test look&up" />}
        </button>
      </div>
      {answer && (
        <p role="status" className={answer.failed ? 'error-text' : 'note'}>
          {answer.text}
        </p>
      )}
    </fieldset>
  );
}
