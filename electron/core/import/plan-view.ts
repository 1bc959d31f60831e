/**
 * The preview's order: by default the plan's own (what needs a look first — disables — then creates and the
 * rest, unchanged last); or by a column the administrator clicked, ties kept in the plan's order.
 */
import type { PlanFilter, PlanSort } from '../../../shared/contract.ts';
import { type Action, planDetails, type PlannedAction } from '../../../shared/import-run.ts';
import { orderKey } from '../../../shared/order-key.ts';

export const PREVIEW_ORDER: Action[] = [
  'disable',
  'create',
  'enable',
  'update',
  'conflict',
  'skip',
  'failed',
  'unchanged',
];

const rank = (a: PlannedAction) => PREVIEW_ORDER.indexOf(a.action);

type TextColumn = Exclude<PlanSort, 'action'>;
const TEXT_OF: Record<TextColumn, (a: PlannedAction) => string> = {
  logon: (a) => a.logon,
  displayName: (a) => a.displayName ?? '',
  targetOu: (a) => a.targetOu ?? '',
  details: planDetails,
  dn: (a) => a.dn ?? '',
};

/** The columns whose order keys a preview computes as it is kept: the names, sorted most. */
const NAME_COLUMNS: TextColumn[] = ['logon', 'displayName'];

/**
 * A kept preview: its rows in preview order, and each column's order keys (shared/order-key.ts), computed
 * once per column — for the names as the preview is kept, for the others at their first sort — so that a
 * click on a column header sorts 100 000 rows at the speed of a plain string sort, in the order the users
 * view gives the same names.
 */
export class Preview {
  readonly rows: PlannedAction[];
  private readonly keys = new Map<TextColumn, string[]>();

  constructor(plan: readonly PlannedAction[]) {
    this.rows = plan.toSorted((a, b) => rank(a) - rank(b));
    for (const column of NAME_COLUMNS) this.keysOf(column);
  }

  private keysOf(column: TextColumn): string[] {
    let keys = this.keys.get(column);
    if (!keys) this.keys.set(column, (keys = this.rows.map((row) => orderKey(TEXT_OF[column](row)))));
    return keys;
  }

  /** The rows `filter` shows, sorted by `sort`; a stable sort, so equal rows keep the plan's order. */
  sorted(filter: PlanFilter, sort: PlanSort, descending: boolean): PlannedAction[] {
    const shown: number[] = [];
    for (let i = 0; i < this.rows.length; i++) if (filter === 'all' || this.rows[i]!.action === filter) shown.push(i);
    const sign = descending ? -1 : 1;
    if (sort === 'action') {
      if (descending) shown.sort((x, y) => rank(this.rows[y]!) - rank(this.rows[x]!) || x - y);
    } else {
      const keys = this.keysOf(sort);
      shown.sort((x, y) => {
        const a = keys[x]!;
        const b = keys[y]!;
        return a < b ? -sign : a > b ? sign : x - y;
      });
    }
    return shown.map((i) => this.rows[i]!);
  }
}
