/**
 * The console's users view over the database: the OU tree with counts, totals, the last run, and one
 * page of accounts at a time (the table is virtualised, so 100 000 accounts never travel at once).
 */
import type {
  AccountRecord,
  AccountsPage,
  AccountsQuery,
  OuNode,
  RunSummary,
  SortColumn,
  UsersOverview,
} from '../../../shared/users-view.ts';
import { type RunRecord, type RunRow, runRecordOf } from '../import/run-history.ts';
import { foldText } from '../../../shared/fold.ts';
import { type AccountRow, type AccountView, accountView, logonKey, SEARCH_SEGMENTS } from './accounts.ts';
import type { SqlQueryable, SqlValue } from './engine/sql-engine.ts';
import { OuTree } from './ou-tree.ts';

/**
 * Logon and display names sort by their order keys (shared/order-key.ts: case, accents and numbers as a person
 * reads them; the import preview's order). Other text columns sort without regard to ASCII case (lower() folds
 * ASCII only on SQLite and under PostgreSQL's "C" collation, so both engines give one order). Ties by logon name.
 */
const ORDER_BY: Record<SortColumn, string> = {
  logon: 'logon_order',
  displayName: 'name_order',
  email: 'lower(email)',
  department: 'lower(department)',
  enabled: 'enabled',
  origin: 'origin',
  kind: 'kind',
  ou: 'lower((SELECT name FROM ous WHERE ous.id = ou_id))',
  title: 'lower(title)',
  phone: 'phone',
  lastLogonAt: 'last_logon_at',
  syncedAt: 'synced_at',
  adDn: 'lower(ad_dn)',
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

export async function usersOverview(q: SqlQueryable, location: string): Promise<UsersOverview> {
  const isAd = "CASE WHEN a.origin = 'ad' THEN 1 ELSE 0 END";
  const rows = await q.all<{ id: number; parent_id: number | null; name: string; own: number; own_ad: number }>(
    `SELECT o.id, o.parent_id, o.name, count(a.id) AS own, coalesce(sum(${isAd}), 0) AS own_ad ` +
      'FROM ous o LEFT JOIN accounts a ON a.ou_id = o.id GROUP BY o.id, o.parent_id, o.name ORDER BY o.name_key',
  );
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
  const t = (await q.get<{ accounts: number; enabled: number; fromAd: number }>(
    `SELECT count(*) AS accounts, coalesce(sum(enabled), 0) AS enabled, coalesce(sum(${isAd}), 0) AS "fromAd" ` +
      'FROM accounts a',
  ))!;
  const accounts = Number(t.accounts);
  // The last import (a sync, the wizard, an on-the-fly import): an administrator's change to an account is none.
  const last = await q.get<RunRow>(
    "SELECT * FROM import_runs WHERE id = (SELECT max(id) FROM import_runs WHERE mode != 'account')",
  );
  const lastRun: RunSummary | null = last ? toRunSummary(runRecordOf(last)) : null;
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
    databaseFile: location,
  };
}

/** The OU and, when recursive, every OU below it. */
function ouScope(tree: OuTree, ouId: number, recursive: boolean): number[] {
  if (!recursive) return [ouId];
  const children = new Map<number, number[]>();
  for (const r of tree.rows()) {
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
function viewQuery(tree: OuTree, query: AccountsView): { clause: string; params: SqlValue[]; order: string } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const inOus = (ids: number[]) => {
    where.push(ids.length ? `ou_id IN (${ids.map(() => '?').join(', ')})` : '1 = 0');
    params.push(...ids);
  };
  if (query.ouId !== null) inOus(ouScope(tree, query.ouId, query.recursive));
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
    // OU names folded here, as the search text is: the database has no fold() of its own on either engine.
    const ou = searchTerm(find.ou);
    if (ou)
      inOus(
        tree
          .rows()
          .filter((r) => foldText(r.name).includes(ou))
          .map((r) => r.id),
      );
    if (find.origin !== 'any') {
      where.push('origin = ?');
      params.push(find.origin);
    }
    if (find.enabled !== 'any') where.push(find.enabled === 'yes' ? 'enabled = 1' : 'enabled = 0');
  }
  const direction = query.descending ? 'DESC' : 'ASC';
  const order = `${ORDER_BY[query.sort]} ${direction}, logon_key ${direction}`;
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params, order };
}

export type AccountsView = Omit<AccountsQuery, 'offset' | 'limit'>;

export async function accountsPage(q: SqlQueryable, query: AccountsQuery): Promise<AccountsPage> {
  const tree = await OuTree.read(q);
  const { clause, params, order } = viewQuery(tree, query);
  const total = Number((await q.get<{ n: number }>(`SELECT count(*) AS n FROM accounts ${clause}`, ...params))!.n);
  const rows = await q.all<FullRow>(
    `SELECT * FROM accounts ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ...params,
    query.limit,
    query.offset,
  );
  return { total, offset: query.offset, rows: rows.map((r) => toRecord(r, tree)) };
}

/**
 * Type-ahead over the whole view (not only the rows fetched so far): the position of the first account whose
 * logon name starts with `prefix`, in the view's order, or null when none does or the view is not in logon
 * order (the table then looks among the rows it has).
 */
export async function logonPosition(q: SqlQueryable, view: AccountsView, prefix: string): Promise<number | null> {
  if (view.sort !== 'logon') return null;
  const wanted = prefix.normalize('NFC').toLowerCase();
  const { clause, params, order } = viewQuery(await OuTree.read(q), view);
  const and = clause ? `${clause} AND` : 'WHERE';
  // Names sort by value of their numbers ("user9" before "user10"), so the ones that start with the prefix are
  // not one run of the order: the first of them in the view's order, then how many rows come before it.
  const first = await q.get<{ logon_order: string; logon_key: string }>(
    `SELECT logon_order, logon_key FROM accounts ${and} logon_key >= ? AND logon_key < ? ORDER BY ${order} LIMIT 1`,
    ...params,
    wanted,
    `${wanted}\u{10FFFF}`,
  );
  if (!first) return null;
  const before = view.descending ? '>' : '<';
  const counted = await q.get<{ n: number }>(
    `SELECT count(*) AS n FROM accounts ${and} ` +
      `(logon_order ${before} ? OR (logon_order = ? AND logon_key ${before} ?))`,
    ...params,
    first.logon_order,
    first.logon_order,
    first.logon_key,
  );
  return Number(counted!.n);
}

/** Every account of a view, in its order, as /USERS /JSON shows accounts (Export List…). */
export async function accountsInView(q: SqlQueryable, query: AccountsView): Promise<AccountView[]> {
  const tree = await OuTree.read(q);
  const { clause, params, order } = viewQuery(tree, query);
  return (await q.all<FullRow>(`SELECT * FROM accounts ${clause} ORDER BY ${order}`, ...params)).map((row) =>
    accountView(row, tree),
  );
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
export async function accountPhoto(q: SqlQueryable, logon: string): Promise<{ photo: string }> {
  const row = await q.get<{ photo: string }>('SELECT photo FROM accounts WHERE logon_key = ?', logonKey(logon));
  return { photo: row?.photo ?? '' };
}
