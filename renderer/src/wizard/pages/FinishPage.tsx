/** Page 7: the run's summary, its conflicts and errors with reasons, the backup, and Save report…. */
import { Ak } from '../../controls/Ak.tsx';
import { useState } from 'react';
import type { ImportOutcome } from '../../../../shared/import-run.ts';
import type { ApiError } from '../../../../shared/result.ts';
import { api } from '../../api.ts';
import { saveTextFile } from '../../download.ts';
import { ACTION_LABEL, countOf, PREVIEW_ACTIONS } from '../action-words.ts';
import { ErrorText } from '../../controls/ErrorText.tsx';

const LISTED_PROBLEMS = 200;

export function FinishPage({ outcome }: { outcome: ImportOutcome }) {
  const [error, setError] = useState<ApiError | null>(null);
  const save = async () => {
    if (!outcome.runId) return;
    const result = await api.invoke('import.reportCsv', { runId: outcome.runId });
    if (result.ok) {
      setError(null);
      saveTextFile(result.value);
    } else setError(result.error);
  };
  const counts = PREVIEW_ACTIONS.map((a) => ({ a, n: countOf(outcome.counts, a) })).concat([
    { a: 'failed', n: outcome.counts.failed },
  ]);
  return (
    <>
      <p role="status">
        The import finished in {(outcome.durationMs / 1000).toFixed(1)} s (run {outcome.runId}
        {outcome.dc ? `, read from ${outcome.dc}` : ''}).
      </p>
      {outcome.failover && <p className="note">Failover: {outcome.failover}</p>}
      <table className="summary" aria-label="Import summary">
        <tbody>
          {counts.map(({ a, n }) => (
            <tr key={a}>
              <th scope="row">{ACTION_LABEL[a]}</th>
              <td>{n.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {outcome.leftOut > 0 && (
        <p className="note">
          {outcome.leftOut} account(s) left out in the preview were not applied (listed as skipped in the report).
        </p>
      )}
      {outcome.backup && <p>The previous database was backed up to {outcome.backup}.</p>}
      {outcome.problems.length > 0 && (
        <>
          <p>Conflicts, skipped accounts and errors:</p>
          <ul className="problems" aria-label="Conflicts and errors">
            {outcome.problems.slice(0, LISTED_PROBLEMS).map((p, i) => (
              <li key={i}>
                <strong>{ACTION_LABEL[p.action]}</strong> {p.logon}: {p.reason}
              </li>
            ))}
          </ul>
          {outcome.problems.length > LISTED_PROBLEMS && (
            <p className="note">…and {outcome.problems.length - LISTED_PROBLEMS} more in the report.</p>
          )}
        </>
      )}
      <p>
        <button type="button" onClick={() => void save()} disabled={!outcome.runId}>
          <Ak text="Save &report…" />
        </button>
      </p>
      <ErrorText error={error} />
    </>
  );
}
