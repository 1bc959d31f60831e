/**
 * Deciding, per account, what a run does — without writing to the database. The same plan is shown by a
 * dry run and applied by a real one.
 *
 * Matching: objectGUID first, then logon name (case-insensitive). A local-origin account with the logon
 * of an AD account is a conflict and stays as it is. Sync never deletes: it disables accounts disabled
 * in AD or (full passes only) gone from the source, and re-enables only what sync itself disabled.
 */
import { type AccountRow, logonKey } from '../database/accounts.ts';
import { displayOuPath, nameKey, type OuTree } from '../database/ou-tree.ts';
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { AdAccount } from './ad-account.ts';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import type { FieldChange, ImportMode } from '../../../shared/import-run.ts';
import type { LocalRow, Stage } from './stage.ts';

export interface PlanOptions {
  mode: ImportMode;
  kind: 'user' | 'computer';
  importDisabled: boolean;
  placement: 'recreate' | 'single';
  placementOu: string[];
  /** Rejected entries that are in the database: read, so not gone. */
  seenGuids: ReadonlySet<string>;
}

export type GoneCandidate = Pick<AccountRow, 'id' | 'logon' | 'ad_dn' | 'ad_guid' | 'display_name' | 'ou_id'>;

/**
 * What a full pass may find gone: every enabled AD account of this kind, by id (`Planner.unmatched` keeps those
 * it did not read; reading every account's row here cost a 20 000-account sync 0.03 s).
 */
export const enabledAdIds = async (q: SqlQueryable, kind: AccountRow['kind']): Promise<number[]> =>
  (await q.all<{ id: number }>("SELECT id FROM accounts WHERE origin = 'ad' AND kind = ? AND enabled = 1", kind)).map(
    (r) => Number(r.id),
  );

/** The rows `Planner.planGone` plans from, of these accounts, by id. */
export async function goneCandidates(q: SqlQueryable, ids: number[]): Promise<GoneCandidate[]> {
  const rows: GoneCandidate[] = [];
  const sorted = [...ids].sort((a, b) => a - b);
  for (let at = 0; at < sorted.length; at += 500) {
    const part = sorted.slice(at, at + 500);
    rows.push(
      ...(await q.all<GoneCandidate>(
        'SELECT id, logon, ad_dn, ad_guid, display_name, ou_id FROM accounts ' +
          `WHERE id IN (${part.map(() => '?').join(', ')}) ORDER BY id`,
        ...part,
      )),
    );
  }
  return rows;
}

/** How many AD accounts of this kind the database holds (the base of `untouched` and of the safety limits). */
export const adAccountCount = async (q: SqlQueryable, kind: AccountRow['kind']): Promise<number> =>
  Number((await q.get<{ n: number }>("SELECT count(*) AS n FROM accounts WHERE origin = 'ad' AND kind = ?", kind))!.n);

export const GONE_REASON =
  'no longer in the import source (deleted in AD, moved out of the selected OUs, or no longer a group member)';

/** What a sync compares, and the name a change is reported under: every person field, and the DN. */
const FIELDS: [keyof AdAccount, keyof LocalRow, string][] = [
  ...PERSON_FIELDS.map((f): [keyof AdAccount, keyof LocalRow, string] => [f.key, f.column, f.key]),
  ['dn', 'ad_dn', 'adDn'],
];

export function targetOu(account: AdAccount, options: Pick<PlanOptions, 'placement' | 'placementOu'>): string[] {
  return options.placement === 'recreate' ? [...options.placementOu, ...account.adOus] : [...options.placementOu];
}

function changesOf(
  local: LocalRow,
  account: AdAccount,
  target: string[],
  tree: OuTree,
): Record<string, FieldChange> | null {
  const changes: Record<string, FieldChange> = {};
  for (const [adField, column, name] of FIELDS) {
    const from = String(local[column] ?? '');
    const to = String(account[adField] ?? '');
    if (from !== to) changes[name] = { from, to };
  }
  const fromOu = displayOuPath(tree.names(local.ou_id));
  const toOu = displayOuPath(target);
  // OU names are case-insensitive on the server: a case-only rename in AD is not a move.
  if (nameKey(fromOu) !== nameKey(toOu)) changes.ou = { from: fromOu, to: toOu };
  if (local.ad_guid !== account.guid) changes.adGuid = { from: local.ad_guid ?? '', to: account.guid };
  return Object.keys(changes).length > 0 ? changes : null;
}

/** "a local account "x"", "a computer account "x"", "another account "x"" — for conflict reasons. */
const holder = (row: LocalRow, kind: AccountRow['kind']): string =>
  `${row.origin === 'local' ? 'a local' : row.kind !== kind ? `a ${row.kind}` : 'another'} account "${row.logon}"`;

/**
 * Plans against the accounts the stage read from the users database (`Stage.loadLocal`, with `seenGuids` among
 * the GUIDs it was given), so that planning asks the database nothing row by row.
 */
export class Planner {
  private readonly matched = new Set<number>();
  private readonly seenLogons = new Set<string>();

  private readonly stage: Stage;
  private readonly tree: OuTree;
  private readonly options: PlanOptions;

  constructor(stage: Stage, tree: OuTree, options: PlanOptions) {
    this.stage = stage;
    this.tree = tree;
    this.options = options;
    this.markSeen(options.seenGuids);
  }

  /** Entries read but rejected (`seenGuids`): their accounts are not gone. */
  markSeen(guids: Iterable<string>): void {
    for (const guid of guids) {
      const row = this.stage.local('ad_guid', guid);
      if (row) this.matched.add(row.id);
    }
  }

  private byLogon(key: string): LocalRow | undefined {
    return this.stage.local('logon_key', key);
  }

  /** Whether an account keeps its logon name through this run (it is not an AD account being read again now). */
  private keepsLogon(row: LocalRow, kind: AccountRow['kind']): boolean {
    return row.origin === 'local' || row.kind !== kind || !row.ad_guid || !this.stage.has(row.ad_guid);
  }

  /**
   * The local account an AD entry is: same GUID, else same logon unless that logon belongs to another live AD entry.
   */
  private match(account: AdAccount): LocalRow | null {
    const byGuid = this.stage.local('ad_guid', account.guid);
    if (byGuid) return byGuid;
    const byLogon = this.byLogon(logonKey(account.logon));
    if (!byLogon) return null;
    // A user and a computer with the same logon are different accounts: that is a conflict, not a match.
    if (byLogon.kind !== account.kind) return null;
    if (byLogon.origin === 'ad' && byLogon.ad_guid && this.stage.has(byLogon.ad_guid)) return null;
    return byLogon;
  }

  planEntry(account: AdAccount): void {
    if (this.admit(account)) this.decide(account);
  }

  /**
   * The first entry read with a logon name goes on to `decide`; a later one with the same name is planned as a
   * conflict here. Called for every entry in the order they were read.
   */
  admit(account: AdAccount): boolean {
    const key = logonKey(account.logon);
    if (!this.seenLogons.has(key)) {
      this.seenLogons.add(key);
      return true;
    }
    this.stage.plan({
      logon: account.logon,
      dn: account.dn,
      guid: account.guid,
      displayName: account.displayName,
      action: 'conflict',
      reason: 'another directory entry in this import has the same logon name',
    });
    return false;
  }

  /**
   * Whether `decide` gives the same answer before the whole source is read: it asks whether other entries are
   * in this read (`Stage.has`) only for an entry that matches no account by GUID or that was renamed in AD.
   */
  decidableBeforeTheEnd(account: AdAccount): boolean {
    return this.options.mode === 'new' || this.stage.localMark(account.guid)?.logonKey === logonKey(account.logon);
  }

  /** What the run does with an admitted entry. */
  decide(account: AdAccount): void {
    const { mode, importDisabled } = this.options;
    const target = targetOu(account, this.options);
    const base = { logon: account.logon, dn: account.dn, guid: account.guid, displayName: account.displayName };
    const key = logonKey(account.logon);
    const local = mode === 'new' ? null : this.match(account);
    if (!local) {
      if (!account.enabled && !importDisabled) {
        this.stage.plan({
          ...base,
          action: 'skip',
          reason: 'disabled in Active Directory (the run skips disabled accounts)',
        });
        return;
      }
      const clash = mode === 'new' ? undefined : this.byLogon(key);
      if (clash && this.keepsLogon(clash, account.kind)) {
        this.stage.plan({
          ...base,
          action: 'conflict',
          reason: `the logon name is taken by ${holder(clash, account.kind)}`,
        });
        return;
      }
      this.stage.plan({
        ...base,
        action: 'create',
        targetOu: target,
        account,
        reason: account.enabled ? null : 'disabled in Active Directory: created disabled',
      });
      return;
    }
    this.matched.add(local.id);
    if (local.origin === 'local') {
      this.stage.plan({
        ...base,
        accountId: local.id,
        action: 'conflict',
        reason: `a local account "${local.logon}" has this logon name; it is left as it is`,
      });
      return;
    }
    if (mode === 'add') {
      this.stage.plan({
        ...base,
        accountId: local.id,
        action: 'unchanged',
        reason: 'already in the database (Add leaves existing accounts as they are)',
      });
      return;
    }
    const changes = changesOf(local, account, target, this.tree);
    if (changes?.logon) {
      const other = this.byLogon(key);
      if (other && other.id !== local.id && this.keepsLogon(other, account.kind)) {
        this.stage.plan({
          ...base,
          accountId: local.id,
          action: 'conflict',
          reason: `renamed in AD to a logon name taken by ${holder(other, account.kind)}`,
        });
        return;
      }
    }
    const plan = { ...base, accountId: local.id, changes, targetOu: target, account, was: local };
    if (!account.enabled && local.enabled === 1)
      this.stage.plan({ ...plan, action: 'disable', reason: 'disabled in Active Directory' });
    else if (account.enabled && local.enabled === 0 && local.disabled_by === 'ad')
      this.stage.plan({ ...plan, action: 'enable', reason: 'enabled again in Active Directory' });
    else if (account.enabled && local.enabled === 0 && local.disabled_by === 'sync')
      this.stage.plan({ ...plan, action: 'enable', reason: 'back in the import source' });
    else if (!account.enabled && local.enabled === 0 && local.disabled_by === 'sync')
      // Stays disabled, for another reason now: the details should say so.
      this.stage.plan({
        ...plan,
        action: 'update',
        reason: 'back in the import source, and disabled in Active Directory',
      });
    else if (changes)
      this.stage.plan({
        ...plan,
        action: 'update',
        reason:
          account.enabled && local.enabled === 0
            ? 'enabled in AD, but stays disabled: an administrator disabled it'
            : null,
      });
    else
      this.stage.plan({
        ...base,
        accountId: local.id,
        action: 'unchanged',
        targetOu: target,
        displayName: account.displayName,
      });
  }

  /**
   * Incremental passes: the AD accounts of this kind the pass did not return are unchanged since the last mark
   * (`all`: how many AD accounts of this kind the database holds).
   */
  untouched(all: number): number {
    return Math.max(0, all - this.matched.size);
  }

  /** Of these accounts, those no entry planned so far matched. */
  unmatched(ids: Iterable<number>): number[] {
    return [...ids].filter((id) => !this.matched.has(id));
  }

  /** Full sync passes only: of the enabled AD accounts of this kind (`goneCandidates`), those no longer given. */
  planGone(rows: Iterable<GoneCandidate>): void {
    for (const row of rows) {
      if (this.matched.has(row.id)) continue;
      this.stage.plan({
        action: 'disable',
        accountId: row.id,
        logon: row.logon,
        dn: row.ad_dn,
        guid: row.ad_guid,
        reason: GONE_REASON,
        // Disabled where it is: the row names the account and the server OU it stays in.
        displayName: row.display_name,
        targetOu: this.tree.names(row.ou_id),
      });
    }
  }
}
