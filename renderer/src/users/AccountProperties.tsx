/**
 * An account's Properties (double-click or Enter on it): every field, where it came from, and what every
 * run did to it — imports, syncs, on-the-fly imports and the administrator's changes — newest first.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { AccountHistoryLine, AccountRecord } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Dialog } from '../controls/Dialog.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { RunsTable } from '../controls/RunsTable.tsx';
import { localTime } from '../controls/local-time.ts';
import { accountFields } from './AccountDetails.tsx';

function changesText(json: string | null): string {
  if (!json) return '';
  const changes = JSON.parse(json) as Record<string, { from: string; to: string }>;
  return Object.entries(changes)
    .map(([field, c]) => `${field}: ${c.from || '(empty)'} → ${c.to || '(empty)'}`)
    .join('; ');
}

export function AccountProperties({ account, onClose }: { account: AccountRecord; onClose: () => void }) {
  const [history, setHistory] = useState<AccountHistoryLine[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    void api.invoke('accounts.history', { logon: account.logon }).then((r) => {
      if (r.ok) setHistory(r.value);
      else setError(r.error);
    });
  }, [account.logon]);
  return (
    <Dialog
      title={`${account.logon} Properties`}
      help="account"
      width={720}
      onCancel={onClose}
      onSubmit={onClose}
      buttons={
        <button type="submit" className="default" data-autofocus>
          OK
        </button>
      }
    >
      <dl className="properties">
        {accountFields(account).map(([name, value]) => (
          <div key={name} className="detail">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <ErrorText error={error} />
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
