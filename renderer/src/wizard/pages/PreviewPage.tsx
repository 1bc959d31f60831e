/**
 * Page 5: the dry-run plan, every account with its action, the display name and the server OU it goes to;
 * sorted by any column (the plan's own order puts the disables first); rows can be left out; nothing is
 * written yet.
 */
import { Ak } from '../../controls/Ak.tsx';
import { useCallback, useState } from 'react';
import type { PlanFilter, PlanSort } from '../../../../shared/contract.ts';
import { MAX_LEFT_OUT, planDetails, type PlannedAction } from '../../../../shared/import-run.ts';
import type { ApiError } from '../../../../shared/result.ts';
import { api } from '../../api.ts';
import { usePagedRows } from '../../controls/paged-rows.ts';
import { toggledSort, VirtualTable, type Column } from '../../controls/VirtualTable.tsx';
import { saveTextFile } from '../../download.ts';
import { ACTION_LABEL, countOf, PREVIEW_ACTIONS, WRITING_ACTIONS } from '../action-words.ts';
import { ProgressView } from './ProgressView.tsx';
import { ErrorText } from '../../controls/ErrorText.tsx';
import type { PreviewState } from '../wizard-state.ts';

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
  const [sort, setSort] = useState<{ column: PlanSort; descending: boolean }>({ column: 'action', descending: false });
  const [selected, setSelected] = useState<number | null>(null);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const outcome = preview?.outcome ?? null;
  const ready = outcome?.ok === true;
  const jobId = preview?.jobId ?? 0;
  const fetchBlock = useCallback(
    (offset: number, limit: number) =>
      api.invoke('import.plan', { jobId, filter, sort: sort.column, descending: sort.descending, offset, limit }),
    [jobId, filter, sort],
  );
  const rows = usePagedRows<PlannedAction>(
    ready ? JSON.stringify([jobId, filter, sort]) : 'none',
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
    { key: 'action', title: 'Action', width: 80, render: (a) => ACTION_LABEL[a.action], sortable: true },
    { key: 'logon', title: 'Logon name', width: 120, render: (a) => a.logon, sortable: true },
    { key: 'displayName', title: 'Display name', width: 130, render: (a) => a.displayName ?? '', sortable: true },
    { key: 'targetOu', title: 'Server OU', width: 110, render: (a) => a.targetOu ?? '', sortable: true },
    { key: 'details', title: 'Changes (old → new) or reason', width: '2fr', render: planDetails, sortable: true },
    { key: 'dn', title: 'Distinguished name', width: '1.5fr', render: (a) => a.dn ?? '', sortable: true },
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
          <Ak text="&Show:" />{' '}
          <select
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as PlanFilter);
              setSelected(null);
            }}
          >
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
          <Ak text="&Export plan…" />
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
          sort={sort}
          onSort={(column) => {
            // A new order puts other rows at the selected index: nothing stays selected.
            setSort((s) => toggledSort(s, column));
            setSelected(null);
          }}
          layoutKey="preview"
          height={260}
          empty="No account in this view."
        />
      </div>
      <ErrorText error={rows.error ?? exportError} />
    </>
  );
}
