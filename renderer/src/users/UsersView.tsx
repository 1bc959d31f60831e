/**
 * The console's users view, laid out as the Windows consoles are: the OU tree, the accounts table and the
 * selected account's details fill the window, with movable splitters between them (sizes remembered). A
 * small toolbar: Refresh (F5), Find… (Ctrl+F), Export List…, Add/Remove Columns…, the search box. The
 * table takes several accounts (Ctrl/Shift) and has a context menu with the account actions.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import {
  type AccountFind,
  type AccountRecord,
  EMPTY_FIND,
  type SortColumn,
  type UsersOverview,
} from '../../../shared/users-view.ts';
import { api } from '../api.ts';
import { Ak } from '../controls/Ak.tsx';
import { ErrorText } from '../controls/ErrorText.tsx';
import { loadNames, saveNames } from '../controls/layout-store.ts';
import { isModalOpen } from '../controls/modal-stack.ts';
import { usePagedRows } from '../controls/paged-rows.ts';
import { NO_SELECTION, select, selectedRows, type Selection } from '../controls/selection.ts';
import { Splitter, usePaneSize } from '../controls/Splitter.tsx';
import { toggledSort, VirtualTable } from '../controls/VirtualTable.tsx';
import { saveTextFile } from '../download.ts';
import { COLUMN_KEYS, DEFAULT_SHOWN, shownColumns } from './account-columns.ts';
import { type AccountCommand, AccountActions } from './AccountActions.tsx';
import { AccountDetails } from './AccountDetails.tsx';
import { AccountProperties } from './AccountProperties.tsx';
import { ColumnsDialog } from './ColumnsDialog.tsx';
import { FindDialog, findText } from './FindDialog.tsx';
import { OuActions, type OuMenuRequest } from './OuActions.tsx';
import { OuTreePane } from './OuTreePane.tsx';
import { ouPathOf } from './ou-path.ts';
import { statusLine } from './status-line.ts';

const SEARCH_DELAY_MS = 200;
const TREE = { name: 'usersTree', fallback: 260, min: 140, max: 600 };
const DETAILS = { name: 'usersDetails', fallback: 150, min: 60, max: 600 };

/** Keys of the main window (not while a dialog is open): F5 reads the view again, Ctrl+F opens Find…. */
function useWindowKeys(keys: Record<string, () => void>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isModalOpen() || e.altKey) return;
      const name = `${e.ctrlKey ? 'Ctrl+' : ''}${e.key.length === 1 ? e.key.toUpperCase() : e.key}`;
      const action = keys[name];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);
}

export function UsersView({ onStatus }: { onStatus: (text: string) => void }) {
  const [overview, setOverview] = useState<UsersOverview | null>(null);
  const [overviewError, setOverviewError] = useState<ApiError | null>(null);
  const [ouId, setOuId] = useState<number | null>(null);
  const [recursive, setRecursive] = useState(true);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [find, setFind] = useState<AccountFind>(EMPTY_FIND);
  const [sort, setSort] = useState<{ column: SortColumn; descending: boolean }>({ column: 'logon', descending: false });
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [refresh, setRefresh] = useState(0);
  const [ouMenu, setOuMenu] = useState<OuMenuRequest | null>(null);
  const [accountMenu, setAccountMenu] = useState<{ x: number; y: number } | null>(null);
  const [command, setCommand] = useState<AccountCommand | null>(null);
  const [properties, setProperties] = useState<AccountRecord | null>(null);
  const [dialog, setDialog] = useState<'find' | 'columns' | null>(null);
  const [shown, setShown] = useState(() => loadNames('accountColumns', DEFAULT_SHOWN, COLUMN_KEYS));
  const [widthsReset, setWidthsReset] = useState(0);
  const tree = usePaneSize(TREE);
  const details = usePaneSize(DETAILS);

  const loadOverview = useCallback(() => {
    void api.invoke('users.overview', {}).then((r) => {
      if (r.ok) {
        setOverview(r.value);
        setOverviewError(null);
      } else setOverviewError(r.error);
    });
  }, []);

  // The selected OU was deleted (here or by another process): its nearest remaining parent is selected instead.
  const shownBefore = useRef<UsersOverview | null>(null);
  useEffect(() => {
    const before = shownBefore.current;
    shownBefore.current = overview;
    if (!overview || ouId === null || overview.ous.some((o) => o.id === ouId)) return;
    const byId = new Map(before?.ous.map((o) => [o.id, o]));
    let up = byId.get(ouId)?.parentId ?? null;
    while (up !== null && !overview.ous.some((o) => o.id === up)) up = byId.get(up)?.parentId ?? null;
    setOuId(up);
  }, [overview]);

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
  const keys = useMemo(() => ({ F5: reload, 'Ctrl+F': () => setDialog('find') }), [reload]);
  useWindowKeys(keys);

  useEffect(() => {
    if (overview) onStatus(statusLine(overview));
    else if (overviewError) onStatus(overviewError.message);
  }, [overview, overviewError, onStatus]);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const view = useMemo(
    () => ({ ouId, recursive, search, find, sort: sort.column, descending: sort.descending }),
    [ouId, recursive, search, find, sort],
  );
  const fetchBlock = useCallback(
    (offset: number, limit: number) => api.invoke('users.list', { ...view, offset, limit }),
    [view],
  );
  const rows = usePagedRows<AccountRecord>(JSON.stringify(view), fetchBlock, refresh);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const exportList = async () => {
    const result = await api.invoke('users.exportCsv', view);
    if (result.ok) saveTextFile(result.value);
    setExportError(result.ok ? null : result.error);
  };
  // A new query clears the selection; a refresh after a change (users.changed) keeps it on the same rows.
  const resetKey = JSON.stringify(view);
  useEffect(() => setSelection(NO_SELECTION), [resetKey]);
  const chosen = selectedRows(selection);
  const { ensure } = rows;
  useEffect(() => ensure(selectedRows(selection).slice(0, 1001)), [selection, ensure]);
  const chosenAccounts = chosen.length > 1000 ? chosen.map(() => undefined) : chosen.map((i) => rows.getRow(i));
  const current = selection.focus === null ? undefined : rows.getRow(selection.focus);
  const ouName = useMemo(
    () => (ouId === null ? 'All organizational units' : (overview?.ous.find((o) => o.id === ouId)?.name ?? '')),
    [ouId, overview],
  );
  const finding = findText(find);
  const columns = useMemo(() => shownColumns(shown), [shown]);

  return (
    <main className="workspace" aria-label="Users">
      <nav className="tree-pane" aria-label="Organizational units" style={{ width: tree.size }}>
        {overview ? (
          <OuTreePane
            ous={overview.ous}
            total={overview.totals.accounts}
            selected={ouId}
            onSelect={setOuId}
            onMenu={(id, at, direct) => setOuMenu({ id, at, direct })}
          />
        ) : (
          <p className="empty">
            {overviewError ? `${overviewError.message} ${overviewError.hint ?? ''}` : 'Opening the users database…'}
          </p>
        )}
      </nav>
      <Splitter label="OU tree width" orientation="vertical" {...tree.splitter} />
      <section className="list-pane" aria-label="Accounts">
        <div className="row toolbar" role="toolbar" aria-label="View">
          <button type="button" title="Read the accounts again (F5)" onClick={() => reload()}>
            <Ak text="R&efresh" />
          </button>
          <button type="button" title="Find accounts by any field (Ctrl+F)" onClick={() => setDialog('find')}>
            <Ak text="F&ind…" />
          </button>
          <button type="button" title="Save every account of this view as CSV" onClick={() => void exportList()}>
            <Ak text="Export &List…" />
          </button>
          <button type="button" title="Choose the columns of the table" onClick={() => setDialog('columns')}>
            <Ak text="Add/Remove &Columns…" />
          </button>
          <label className="row">
            <Ak text="Sea&rch accounts:" />{' '}
            <input
              type="search"
              className="search"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder="logon, name, e-mail or department"
            />
          </label>
          <label className="check inline">
            <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} />{' '}
            <Ak text="Include s&ub-OUs" />
          </label>
        </div>
        <div className="row">
          <span role="status" className="note grow">
            {rows.total === null
              ? 'Loading…'
              : `${rows.total.toLocaleString('en-US')} account${rows.total === 1 ? '' : 's'} in ` +
                `${ouName}${search ? ` matching "${search}"` : ''}${finding ? ` found by ${finding}` : ''}` +
                (chosen.length > 1 ? ` · ${chosen.length.toLocaleString('en-US')} selected` : '')}
          </span>
          {finding && (
            <button type="button" className="link" onClick={() => setFind(EMPTY_FIND)}>
              Show all accounts
            </button>
          )}
        </div>
        <ErrorText error={rows.error ?? exportError} />
        <div className="table-area">
          <VirtualTable
            label="Accounts"
            columns={columns}
            rowCount={rows.total ?? 0}
            getRow={rows.getRow}
            onRange={rows.onRange}
            rowLabel={(a) => a.logon}
            findRow={async (prefix) => {
              const r = await api.invoke('users.position', { ...view, prefix });
              return r.ok ? r.value.index : null;
            }}
            selected={selection.focus}
            marked={selection.marked}
            onSelect={(index, how) => setSelection((s) => select(s, index, how, rows.total ?? 0))}
            onActivate={(index) => {
              setSelection((s) => select(s, index, 'only', rows.total ?? 0));
              setProperties(rows.getRow(index) ?? null);
            }}
            onContextMenu={(index, at) => {
              if (index === null) setSelection(NO_SELECTION);
              setAccountMenu(at);
            }}
            layoutKey="accounts"
            widthsReset={widthsReset}
            rowClass={(a) => (a.enabled ? '' : 'disabled-account')}
            onKey={(e) => {
              const what = e.key === 'Delete' ? 'delete' : e.key === 'Enter' && e.altKey ? 'properties' : null;
              if (what) setCommand((c) => ({ what, seq: (c?.seq ?? 0) + 1 }));
              return what !== null;
            }}
            sort={sort}
            onSort={(column) => setSort((s) => toggledSort(s, column))}
            empty={
              overview && overview.totals.accounts === 0
                ? 'The users database is empty. Import accounts with Tools → Active Directory Import Wizard….'
                : 'No accounts match.'
            }
          />
        </div>
        <AccountActions
          accounts={chosenAccounts}
          currentOu={overview && ouId !== null ? ouPathOf(overview.ous, ouId) : ''}
          onCreated={(logon) =>
            void api.invoke('users.position', { ...view, prefix: logon }).then((r) => {
              if (r.ok && r.value.index !== null)
                setSelection(select(NO_SELECTION, r.value.index, 'only', r.value.index + 1));
            })
          }
          menuAt={accountMenu}
          onMenuClose={() => setAccountMenu(null)}
          onProperties={setProperties}
          command={command}
        />
        <Splitter label="Details pane height" orientation="horizontal" {...details.splitter} />
        <div className="details-area" style={{ height: details.size }}>
          <AccountDetails account={current ?? null} />
        </div>
        {properties && <AccountProperties account={properties} onClose={() => setProperties(null)} />}
        {overview && <OuActions ous={overview.ous} menu={ouMenu} onClose={() => setOuMenu(null)} />}
        {dialog === 'find' && (
          <FindDialog
            initial={find}
            onCancel={() => setDialog(null)}
            onFind={(f) => {
              setFind(f);
              setDialog(null);
            }}
          />
        )}
        {dialog === 'columns' && (
          <ColumnsDialog
            shown={shown}
            onCancel={() => setDialog(null)}
            onApply={(next, restored) => {
              setShown(next);
              saveNames('accountColumns', next);
              if (restored) setWidthsReset((n) => n + 1);
              setDialog(null);
            }}
          />
        )}
      </section>
    </main>
  );
}
