/**
 * The console's users view: OU tree on the left, the selected OU's accounts in a virtualised table with
 * sorting and search, the selected account's details, and a status line with totals and the last run.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import type { AccountRecord, SortColumn, UsersOverview } from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { usePagedRows } from '../controls/paged-rows.ts';
import { VirtualTable, type Column } from '../controls/VirtualTable.tsx';
import { AccountActions } from './AccountActions.tsx';
import { AccountDetails } from './AccountDetails.tsx';
import { AccountProperties } from './AccountProperties.tsx';
import { OuActions, type OuMenuRequest } from './OuActions.tsx';
import { OuTreePane } from './OuTreePane.tsx';
import { statusLine } from './status-line.ts';
import { ErrorText } from '../controls/ErrorText.tsx';
import { isModalOpen } from '../controls/modal-stack.ts';
import { saveTextFile } from '../download.ts';

const COLUMNS: Column<AccountRecord>[] = [
  { key: 'logon', title: 'Logon name', width: 150, render: (a) => a.logon, sortable: true },
  { key: 'displayName', title: 'Display name', width: '1.4fr', render: (a) => a.displayName, sortable: true },
  { key: 'email', title: 'E-mail', width: '1.4fr', render: (a) => a.email, sortable: true },
  { key: 'department', title: 'Department', width: '1fr', render: (a) => a.department, sortable: true },
  { key: 'enabled', title: 'Enabled', width: 70, render: (a) => (a.enabled ? 'Yes' : 'No'), sortable: true },
  { key: 'origin', title: 'Origin', width: 60, render: (a) => (a.origin === 'ad' ? 'AD' : 'Local'), sortable: true },
  { key: 'kind', title: 'Kind', width: 76, render: (a) => (a.kind === 'user' ? 'User' : 'Computer'), sortable: true },
];

const SEARCH_DELAY_MS = 200;

export function UsersView({ onStatus }: { onStatus: (text: string) => void }) {
  const [overview, setOverview] = useState<UsersOverview | null>(null);
  const [overviewError, setOverviewError] = useState<ApiError | null>(null);
  const [ouId, setOuId] = useState<number | null>(null);
  const [recursive, setRecursive] = useState(true);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ column: SortColumn; descending: boolean }>({ column: 'logon', descending: false });
  const [selected, setSelected] = useState<number | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [ouMenu, setOuMenu] = useState<OuMenuRequest | null>(null);
  const [properties, setProperties] = useState<AccountRecord | null>(null);

  const loadOverview = useCallback(() => {
    void api.invoke('users.overview', {}).then((r) => {
      if (r.ok) {
        setOverview(r.value);
        setOverviewError(null);
      } else setOverviewError(r.error);
    });
  }, []);

  useEffect(() => {
    loadOverview();
    return api.on('users.changed', () => {
      loadOverview();
      setRefresh((n) => n + 1);
    });
  }, [loadOverview]);

  const reload = useCallback(() => {
    loadOverview();
    setRefresh((n) => n + 1);
  }, [loadOverview]);
  // F5 reads the view again, as in the Windows consoles (and not the browser's reload of the page).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F5' || e.ctrlKey || isModalOpen()) return;
      e.preventDefault();
      reload();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reload]);

  useEffect(() => {
    if (overview) onStatus(statusLine(overview));
    else if (overviewError) onStatus(overviewError.message);
  }, [overview, overviewError, onStatus]);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const queryKey = JSON.stringify([ouId, recursive, search, sort, refresh]);
  const fetchBlock = useCallback(
    (offset: number, limit: number) =>
      api.invoke('users.list', {
        ouId,
        recursive,
        search,
        sort: sort.column,
        descending: sort.descending,
        offset,
        limit,
      }),
    [ouId, recursive, search, sort],
  );
  const rows = usePagedRows<AccountRecord>(queryKey, fetchBlock);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const exportList = async () => {
    const result = await api.invoke('users.exportCsv', {
      ouId,
      recursive,
      search,
      sort: sort.column,
      descending: sort.descending,
    });
    if (result.ok) saveTextFile(result.value);
    setExportError(result.ok ? null : result.error);
  };
  // A new query clears the selection; a refresh after a change (users.changed) keeps it on the same row.
  const resetKey = JSON.stringify([ouId, recursive, search, sort]);
  useEffect(() => setSelected(null), [resetKey]);
  const current = selected === null ? undefined : rows.getRow(selected);
  const ouName = useMemo(
    () => (ouId === null ? 'All organizational units' : (overview?.ous.find((o) => o.id === ouId)?.name ?? '')),
    [ouId, overview],
  );

  return (
    <main className="workspace" aria-label="Users">
      <nav className="tree-pane" aria-label="Organizational units">
        {overview ? (
          <OuTreePane
            ous={overview.ous}
            total={overview.totals.accounts}
            selected={ouId}
            onSelect={setOuId}
            onMenu={(id, at) => setOuMenu({ id, at })}
          />
        ) : (
          <p className="empty">
            {overviewError ? `${overviewError.message} ${overviewError.hint ?? ''}` : 'Opening the users database…'}
          </p>
        )}
      </nav>
      <section className="list-pane" aria-label="Accounts">
        <div className="row toolbar">
          <label className="row">
            Search accounts:{' '}
            <input
              type="search"
              className="search"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder="logon, name, e-mail or department"
            />
          </label>
          <label className="check inline">
            <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} /> Include
            sub-OUs
          </label>
          <button type="button" title="Read the accounts again (F5)" onClick={() => reload()}>
            Refresh
          </button>
          <button type="button" title="Save every account of this view as CSV" onClick={() => void exportList()}>
            Export List…
          </button>
          <span className="grow" />
          <span role="status" className="note">
            {rows.total === null
              ? 'Loading…'
              : `${rows.total.toLocaleString('en-US')} account${rows.total === 1 ? '' : 's'} in ` +
                `${ouName}${search ? ` matching "${search}"` : ''}`}
          </span>
        </div>
        <ErrorText error={rows.error ?? exportError} />
        <VirtualTable
          label="Accounts"
          columns={COLUMNS}
          rowCount={rows.total ?? 0}
          getRow={rows.getRow}
          onRange={rows.onRange}
          rowLabel={(a) => a.logon}
          selected={selected}
          onSelect={setSelected}
          onActivate={(index) => {
            setSelected(index);
            setProperties(rows.getRow(index) ?? null);
          }}
          sort={sort}
          onSort={(column) =>
            setSort((s) => ({ column: column as SortColumn, descending: s.column === column ? !s.descending : false }))
          }
          height={330}
          empty={
            overview && overview.totals.accounts === 0
              ? 'The users database is empty. Import accounts with Tools → Active Directory Import Wizard….'
              : 'No accounts match.'
          }
        />
        <AccountActions account={current ?? null} />
        {properties && <AccountProperties account={properties} onClose={() => setProperties(null)} />}
        {overview && <OuActions ous={overview.ous} menu={ouMenu} onClose={() => setOuMenu(null)} />}
        <AccountDetails account={current ?? null} />
      </section>
    </main>
  );
}
