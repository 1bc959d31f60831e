/** Page 5: the dry-run plan, every account with its action; rows can be left out; nothing is written yet. */
import { useCallback, useState } from 'react';
import type { PlanFilter } from '../../../../shared/contract.ts';
import { MAX_LEFT_OUT, type PlannedAction } from '../../../../shared/import-run.ts';
import type { ApiError } from '../../../../shared/result.ts';
import { api } from '../../api.ts';
import { usePagedRows } from '../../controls/paged-rows.ts';
import { VirtualTable, type Column } from '../../controls/VirtualTable.tsx';
import { saveTextFile } from '../../download.ts';
import { ACTION_LABEL, countOf, PREVIEW_ACTIONS, WRITING_ACTIONS } from '../action-words.ts';
import { ProgressView } from './ProgressView.tsx';
import { ErrorText } from '../../controls/ErrorText.tsx';
import type { PreviewState } from '../wizard-state.ts';

const changeText = (a: PlannedAction) =>
  a.changes
    ? Object.entries(a.changes)
        .map(([field, c]) => `${field}: ${c.from || '(empty)'} → ${c.to || '(empty)'}`)
        .join('; ')
    : '';

export function PreviewPage({
  preview,
  error,
  excluded,
  onExcluded,
}: {
  preview: PreviewState | null;
  error: ApiError | null;
  excluded: Set<string>;
  onExcluded: (s: Set<string>) => void;
}) {
  const [filter, setFilter] = useState<PlanFilter>('all');
  const [selected, setSelected] = useState<number | null>(null);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const outcome = preview?.outcome ?? null;
  const ready = outcome?.ok === true;
  const jobId = preview?.jobId ?? 0;
  const fetchBlock = useCallback(
    (offset: number, limit: number) => api.invoke('import.plan', { jobId, filter, offset, limit }),
    [jobId, filter],
  );
  const rows = usePagedRows<PlannedAction>(
    ready ? `${jobId}/${filter}` : 'none',
    ready ? fetchBlock : async () => ({ ok: true, value: { total: 0, rows: [] } }),
  );

  const flip = (row: PlannedAction) => {
    if (!row.guid) return;
    const next = new Set(excluded);
    if (next.has(row.guid)) next.delete(row.guid);
    else next.add(row.guid);
    onExcluded(next);
  };

  const columns: Column<PlannedAction>[] = [
    {
      key: 'include',
      title: 'Apply',
      width: 56,
      render: (a) => {
        const leaveOutable = WRITING_ACTIONS.includes(a.action) && a.guid !== null;
        return (
          <input
            type="checkbox"
            aria-label={`Apply ${a.action} of ${a.logon}`}
            tabIndex={-1}
            disabled={!leaveOutable}
            checked={leaveOutable && !excluded.has(a.guid!)}
            onChange={() => flip(a)}
          />
        );
      },
    },
    { key: 'action', title: 'Action', width: 92, render: (a) => ACTION_LABEL[a.action] },
    { key: 'logon', title: 'Logon name', width: 140, render: (a) => a.logon },
    {
      key: 'details',
      title: 'Changes (old → new) or reason',
      width: '2fr',
      render: (a) => changeText(a) || a.reason || '',
    },
    { key: 'dn', title: 'Distinguished name', width: '1.5fr', render: (a) => a.dn ?? '' },
  ];

  if (error) {
    return <ErrorText error={error} />;
  }
  if (!outcome)
    return (
      <ProgressView
        title="Preparing the preview (a dry run: nothing is written)"
        progress={preview?.progress ?? null}
      />
    );
  if (!outcome.ok) {
    return <ErrorText error={outcome.error} />;
  }

  const exportPlan = async () => {
    const result = await api.invoke('import.planCsv', { jobId, exclude: [...excluded] });
    if (result.ok) {
      setExportError(null);
      saveTextFile(result.value);
    } else setExportError(result.error);
  };

  return (
    <>
      <p>
        Nothing has been written yet. This is what the import will do
        {outcome.read
          ? ` with the ${outcome.read.toLocaleString('en-US')} entries read from ${outcome.dc ?? 'the directory'}`
          : ''}
        :
      </p>
      {outcome.failover && <p className="note">Failover: {outcome.failover}</p>}
      <ul className="plan-counts" aria-label="Planned actions">
        {PREVIEW_ACTIONS.map((action) => (
          <li key={action}>
            {ACTION_LABEL[action]}: <strong>{countOf(outcome.counts, action).toLocaleString('en-US')}</strong>
          </li>
        ))}
      </ul>
      {outcome.warning && (
        <p role="alert" className="warning-text">
          ⚠ {outcome.warning} Next asks before it applies this plan.
        </p>
      )}
      <div className="row toolbar">
        <label className="row">
          Show:{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as PlanFilter)}>
            <option value="all">All actions</option>
            {PREVIEW_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {ACTION_LABEL[action]} ({countOf(outcome.counts, action)})
              </option>
            ))}
          </select>
        </label>
        <span className="note grow">
          {excluded.size > 0
            ? `${excluded.size} row${excluded.size === 1 ? '' : 's'} left out (Space on a selected row ticks ` +
              `or unticks it).`
            : 'Untick a row (or select it and press Space) to leave it out.'}
        </span>
        <button type="button" onClick={() => void exportPlan()}>
          Export plan…
        </button>
      </div>
      {excluded.size > MAX_LEFT_OUT && (
        <p role="alert" className="error-text">
          {excluded.size.toLocaleString('en-US')} rows are left out; one run can leave out at most{' '}
          {MAX_LEFT_OUT.toLocaleString('en-US')}. Narrow the source on the Source page instead.
        </p>
      )}
      <div
        onKeyDown={(e) => {
          const row = selected === null ? undefined : rows.getRow(selected);
          if (e.key === ' ' && row) {
            e.preventDefault();
            flip(row);
          }
        }}
      >
        <VirtualTable
          label="Planned changes"
          columns={columns}
          rowCount={rows.total ?? 0}
          getRow={rows.getRow}
          onRange={rows.onRange}
          rowLabel={(a) => `${a.action} ${a.logon}`}
          typeAhead={(a) => a.logon}
          selected={selected}
          onSelect={setSelected}
          height={260}
          empty="No account in this view."
        />
      </div>
      <ErrorText error={rows.error ?? exportError} />
    </>
  );
}
