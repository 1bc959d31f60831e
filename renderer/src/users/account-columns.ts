/**
 * The accounts table's columns, declared once as data: what each shows, its heading, its width, and
 * whether Add/Remove Columns… may hide it. The logon name always stays.
 */
import type { AccountRecord, SortColumn } from '../../../shared/users-view.ts';
import type { Column } from '../controls/VirtualTable.tsx';
import { localTime } from '../controls/local-time.ts';

export interface AccountColumn extends Column<AccountRecord> {
  key: SortColumn;
}

export const ACCOUNT_COLUMNS: AccountColumn[] = [
  { key: 'logon', title: 'Logon name', width: 150, render: (a) => a.logon, sortable: true },
  { key: 'displayName', title: 'Display name', width: '1.4fr', render: (a) => a.displayName, sortable: true },
  { key: 'email', title: 'E-mail', width: '1.4fr', render: (a) => a.email, sortable: true },
  { key: 'department', title: 'Department', width: '1fr', render: (a) => a.department, sortable: true },
  { key: 'enabled', title: 'Enabled', width: 70, render: (a) => (a.enabled ? 'Yes' : 'No'), sortable: true },
  { key: 'origin', title: 'Origin', width: 60, render: (a) => (a.origin === 'ad' ? 'AD' : 'Local'), sortable: true },
  { key: 'kind', title: 'Kind', width: 76, render: (a) => (a.kind === 'user' ? 'User' : 'Computer'), sortable: true },
  { key: 'ou', title: 'Server OU', width: 140, render: (a) => a.ou, sortable: true },
  { key: 'title', title: 'Title', width: 120, render: (a) => a.title, sortable: true },
  { key: 'phone', title: 'Phone', width: 110, render: (a) => a.phone, sortable: true },
  { key: 'lastLogonAt', title: 'Last logon', width: 150, render: (a) => localTime(a.lastLogonAt), sortable: true },
  { key: 'syncedAt', title: 'Last sync', width: 150, render: (a) => localTime(a.syncedAt), sortable: true },
  { key: 'adDn', title: 'Distinguished name', width: 260, render: (a) => a.adDn ?? '', sortable: true },
];

export const ALWAYS_SHOWN: SortColumn = 'logon';
export const DEFAULT_SHOWN: SortColumn[] = ['logon', 'displayName', 'email', 'department', 'enabled', 'origin', 'kind'];
export const COLUMN_KEYS = ACCOUNT_COLUMNS.map((c) => c.key);

/** The columns to draw, in the table's order, the logon name always among them. */
export const shownColumns = (shown: readonly SortColumn[]): AccountColumn[] =>
  ACCOUNT_COLUMNS.filter((c) => c.key === ALWAYS_SHOWN || shown.includes(c.key));
