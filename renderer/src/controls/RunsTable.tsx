/** A small table of import runs (the schedule's latest syncs, an account's history): run, when, by whom, what. */
import type { ReactNode } from 'react';

/** Who started a run, in the words the console uses everywhere. */
export const STARTED_BY_WORDS: Record<string, string> = {
  wizard: 'Import Wizard',
  'command-line': 'bcscmd',
  'on-the-fly': 'on-the-fly import',
  console: 'console',
  service: 'scheduled sync',
};

export interface RunLine {
  key: string;
  runId: number;
  when: string;
  startedBy: string;
  what: ReactNode;
}

export function RunsTable({
  label,
  whenTitle,
  whatTitle,
  lines,
  empty,
}: {
  label: string;
  whenTitle: string;
  whatTitle: string;
  /** null while loading. */
  lines: RunLine[] | null;
  empty: string;
}) {
  return (
    <table className="runs" aria-label={label}>
      <thead>
        <tr>
          <th>Run</th>
          <th>{whenTitle}</th>
          <th>By</th>
          <th>{whatTitle}</th>
        </tr>
      </thead>
      <tbody>
        {lines?.length === 0 && (
          <tr>
            <td colSpan={4}>{empty}</td>
          </tr>
        )}
        {lines?.map((l) => (
          <tr key={l.key}>
            <td>{l.runId}</td>
            <td>{l.when}</td>
            <td>{STARTED_BY_WORDS[l.startedBy] ?? l.startedBy}</td>
            <td>{l.what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
