/**
 * An import's report as CSV, the same columns for a finished run (bcscmd /REPORT /CSV, the wizard's
 * Save report…) and for a preview (Export plan).
 */
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { describeChanges, type RecordedAction } from '../../../shared/import-run.ts';
import { braced } from '../database/accounts.ts';
import { reportRows } from '../import/run-history.ts';
import { csvLine } from './csv.ts';

const HEADER = ['action', 'logon', 'dn', 'objectGUID', 'changes', 'reason'];
const fields = (a: RecordedAction) => [a.action, a.logon, a.dn, braced(a.guid), describeChanges(a.changes), a.reason];

export async function runReportCsv(q: SqlQueryable, runId: number): Promise<string[]> {
  const lines = [csvLine(['run', 'seq', ...HEADER])];
  for (const row of await reportRows(q, runId)) {
    lines.push(
      csvLine([
        runId,
        row.seq,
        ...fields({
          action: row.action as RecordedAction['action'],
          logon: row.logon,
          dn: row.dn,
          guid: row.guid,
          changes: row.changes ? JSON.parse(row.changes) : null,
          reason: row.reason,
        }),
      ]),
    );
  }
  return lines;
}

/** The preview's plan; rows the administrator left out say so in the first column. */
export function* planCsv(plan: Iterable<RecordedAction>, leftOut: ReadonlySet<string>): Generator<string> {
  yield csvLine(['included', ...HEADER]);
  for (const row of plan) yield csvLine([row.guid && leftOut.has(row.guid) ? 'no' : 'yes', ...fields(row)]);
}
