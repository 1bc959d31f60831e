/**
 * The console's users view over the database: the OU tree with counts, totals, the last run, and one
 * page of accounts at a time (the table is virtualised, so 100 000 accounts never travel at once).
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type {
  AccountRecord,
  AccountsPage,
  AccountsQuery,
  OuNode,
  RunSummary,
  SortColumn,
  UsersOverview,
} from '../../../shared/users-view.ts';
import { findRun, type RunRecord } from '../import/run-history.ts';
import { foldText } from '../../../shared/fold.ts';
import { type AccountRow, type AccountView, accountView, logonKey, SEARCH_SEGMENTS } from './accounts.ts';
import { OuTree } from './ou-tree.ts';

const ORDER_BY: Record<SortColumn, string> = {
  logon: 'logon_key',
  displayName: 'display_name COLLATE NOCASE',
  email: 'email COLLATE NOCASE',
  department: 'department COLLATE NOCASE',
  enabled: 'enabled',
  origin: 'origin',
  kind: 'kind',
  ou: '(SELECT name FROM ous WHERE ous.id = ou_id) COLLATE NOCASE',
  title: 'title COLLATE NOCASE',
  phone: 'phone',
  lastLogonAt: 'last_logon_at',
  syncedAt: 'synced_at',
  adDn: 'ad_dn COLLATE NOCASE',
};

interface FullRow extends AccountRow {
  photo: string;
  created_at: string;
  updated_at: string;
  synced_at: string | null;
}

/** A history record as the console and /STATUS show it. */
export function toRunSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    mode: r.mode,
    source: r.source,
    startedBy: r.startedBy,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: r.counts,
    error: r.error,
    backup: r.backup,
    host: r.host,
    pid: r.pid,
  };
}

export function usersOverview(db: DatabaseSync, databaseFile: string): UsersOverview {
  const rows = db
    .prepare(
      "SELECT o.id, o.parent_id, o.name, count(a.id) AS own, ifnull(sum(a.origin = 'ad'), 0) AS own_ad " +
        'FROM ous o LEFT JOIN accounts a ON a.ou_id = o.id GROUP BY o.id ORDER BY o.name_key',
    )
    .all() as { id: number; parent_id: number | null; name: string; own: number; own_ad: number }[];
  const nodes = new Map<number, OuNode>(
    rows.map((r) => [r.id, { id: r.id, parentId: r.parent_id, name: r.name, own: Number(r.own), total: 0, fromAd: 0 }]),
  );
  const ownAd = new Map(rows.map((r) => [r.id, Number(r.own_ad)]));
  for (const node of nodes.values()) {
    for (let n: OuNode | undefined = node; n; n = n.parentId === null ? undefined : nodes.get(n.parentId)) {
      n.total += node.own;
      n.fromAd += ownAd.get(node.id)!;
    }
  }
  const t = db
    .prepare(
      "SELECT count(*) AS accounts, ifnull(sum(enabled), 0) AS enabled, ifnull(sum(origin = 'ad'), 0) AS " +
        'fromAd FROM accounts',
    )
    .get() as { accounts: number; enabled: number; fromAd: number };
  const accounts = Number(t.accounts);
  // The last import (a sync, the wizard, an on-the-fly import): an administrator's change to an account is none.
  const lastId = db.prepare("SELECT max(id) AS id FROM import_runs WHERE mode != 'account'").get() as {
    id: number | null;
  };
  const last = lastId.id === null ? null : findRun(db, Number(lastId.id));
  const lastRun: RunSummary | null = last && toRunSummary(last);
  return {
    ous: [...nodes.values()],
    totals: {
      accounts,
      enabled: Number(t.enabled),
      disabled: accounts - Number(t.enabled),
      fromAd: Number(t.fromAd),
      local: accounts - Number(t.fromAd),
    },
    lastRun,
    databaseFile,
  };
}

/** The OU and, when recursive, every OU below it. */
function ouScope(db: DatabaseSync, ouId: number, recursive: boolean): number[] {
  if (!recursive) return [ouId];
  const children = new Map<number, number[]>();
  for (const r of db.prepare('SELECT id, parent_id FROM ous').all() as { id: number; parent_id: number | null }[]) {
    if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
  }
  const ids: number[] = [];
  for (const queue = [ouId]; queue.length > 0;) {
    const id = queue.pop()!;
    ids.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return ids;
}

/** What was typed, as the search text holds it (folded; the separators it uses can never be typed into it). */
const searchTerm = (text: string) => foldText(text.trim()).replace(/[\u0000-\u001f]/g, '');

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The accounts a view shows (OU, sub-OUs, search, Find…) in its order, as SQL. */
function viewQuery(db: DatabaseSync, query: AccountsView): { clause: string; params: SQLInputValue[]; order: string } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.ouId !== null) {
    const ids = ouScope(db, query.ouId, query.recursive);
    where.push(`ou_id IN (${ids.map(() => '?').join(', ')})`);
    params.push(...ids);
  }
  // Without case or accents ("aberg" finds "Åberg"): the folded search text kept with each account.
  const search = searchTerm(query.search);
  if (search) {
    where.push("search_text LIKE ? ESCAPE '\\'");
    params.push(likePattern(search));
  }
  const find = query.find;
  if (find) {
    // Each field between its separators: "%<start>%text%<end>%" cannot match in another field.
    const inSegment = (segment: keyof typeof SEARCH_SEGMENTS, text: string) => {
      const t = searchTerm(text);
      if (!t) return;
      const [start, end] = SEARCH_SEGMENTS[segment];
      where.push("search_text LIKE ? ESCAPE '\\'");
      params.push(`%${start}${likePattern(t)}${end}%`);
    };
    inSegment('logon', find.logon);
    inSegment('name', find.name);
    inSegment('email', find.email);
    inSegment('department', find.department);
    const ou = searchTerm(find.ou);
    if (ou) {
      where.push("ou_id IN (SELECT id FROM ous WHERE fold(name) LIKE ? ESCAPE '\\')");
      params.push(likePattern(ou));
    }
    if (find.origin !== 'any') {
      where.push('origin = ?');
      params.push(find.origin);
    }
    if (find.enabled !== 'any') where.push(find.enabled === 'yes' ? 'enabled = 1' : 'enabled = 0');
  }
  const direction = query.descending ? 'DESC' : 'ASC';
  const order =
    query.sort === 'logon' ? `logon_key ${direction}` : `${ORDER_BY[query.sort]} ${direction}, logon_key ${direction}`;
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params, order };
}

export type AccountsView = Omit<AccountsQuery, 'offset' | 'limit'>;

export function accountsPage(db: DatabaseSync, query: AccountsQuery): AccountsPage {
  const { clause, params, order } = viewQuery(db, query);
  const total = Number((db.prepare(`SELECT count(*) AS n FROM accounts ${clause}`).get(...params) as { n: number }).n);
  const rows = db
    .prepare(`SELECT * FROM accounts ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, query.limit, query.offset) as unknown as FullRow[];
  const tree = new OuTree(db);
  return { total, offset: query.offset, rows: rows.map((r) => toRecord(r, tree)) };
}

/**
 * Type-ahead over the whole view (not only the rows fetched so far): the position of the first account whose
 * logon name starts with `prefix`, in the view's order, or null when none does or the view is not in logon
 * order (the table then looks among the rows it has).
 */
export function logonPosition(db: DatabaseSync, view: AccountsView, prefix: string): number | null {
  if (view.sort !== 'logon') return null;
  const wanted = prefix.normalize('NFC').toLowerCase();
  const { clause, params, order } = viewQuery(db, view);
  const and = clause ? `${clause} AND` : 'WHERE';
  // Ascending: the rows before the first match sort below the prefix; descending: above every key it starts.
  const before = view.descending
    ? db.prepare(`SELECT count(*) AS n FROM accounts ${and} logon_key >= ?`).get(...params, `${wanted}\u{10FFFF}`)
    : db.prepare(`SELECT count(*) AS n FROM accounts ${and} logon_key < ?`).get(...params, wanted);
  const index = Number((before as { n: number }).n);
  const at = db
    .prepare(`SELECT logon_key FROM accounts ${clause} ORDER BY ${order} LIMIT 1 OFFSET ?`)
    .get(...params, index) as { logon_key: string } | undefined;
  return at?.logon_key.startsWith(wanted) ? index : null;
}

/** Every account of a view, in its order, as /USERS /JSON shows accounts (Export List…). */
export function* accountsInView(db: DatabaseSync, query: AccountsView): Generator<AccountView> {
  const { clause, params, order } = viewQuery(db, query);
  const tree = new OuTree(db);
  for (const row of db.prepare(`SELECT * FROM accounts ${clause} ORDER BY ${order}`).iterate(...params))
    yield accountView(row as unknown as FullRow, tree);
}

function toRecord(r: FullRow, tree: OuTree): AccountRecord {
  return {
    ...accountView(r, tree),
    id: r.id,
    disabledBy: r.disabled_by,
    adDn: r.ad_dn,
    syncedAt: r.synced_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLogonAt: r.last_logon_at,
    hasPassword: r.password_hash !== null,
    hasPhoto: r.photo !== '',
  };
}

/** The account's photo (a JPEG of at most 96×96, base64; '' for none): the details pane and Properties ask. */
export function accountPhoto(db: DatabaseSync, logon: string): { photo: string } {
  const row = db.prepare('SELECT photo FROM accounts WHERE logon_key = ?').get(logonKey(logon)) as
    { photo: string } | undefined;
  return { photo: row?.photo ?? '' };
}
