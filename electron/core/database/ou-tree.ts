/** The server's OU tree, loaded once per run: paths for display and comparison, created on demand. */
import type { SqlQueryable } from './engine/sql-engine.ts';
import { DEFAULT_OU, formatServerOuPath } from '../../../shared/server-ou-path.ts';

export const DEFAULT_OU_ID = 1;

export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

interface OuRow {
  id: number;
  parent_id: number | null;
  name: string;
}

export class OuTree {
  private readonly byId = new Map<number, OuRow>();
  private readonly byParentAndName = new Map<string, number>();

  constructor(rows: readonly OuRow[]) {
    for (const row of rows) this.remember(row);
  }

  /** The tree as the database holds it now. */
  static async read(q: SqlQueryable): Promise<OuTree> {
    return new OuTree(await q.all<OuRow>('SELECT id, parent_id, name FROM ous'));
  }

  /** Every OU: id, parent, name. */
  rows(): readonly OuRow[] {
    return [...this.byId.values()];
  }

  private remember(row: OuRow): void {
    this.byId.set(row.id, row);
    this.byParentAndName.set(`${row.parent_id ?? 0}/${nameKey(row.name)}`, row.id);
  }

  names(id: number): string[] {
    const names: string[] = [];
    for (let row = this.byId.get(id); row; row = row.parent_id === null ? undefined : this.byId.get(row.parent_id))
      names.unshift(row.name);
    return names;
  }

  path(id: number): string {
    return formatServerOuPath(this.names(id));
  }

  /** The OU at this path, or null. */
  find(names: readonly string[]): number | null {
    let parent: number | null = null;
    for (const name of names) {
      const id = this.byParentAndName.get(`${parent ?? 0}/${nameKey(name)}`);
      if (id === undefined) return null;
      parent = id;
    }
    return parent;
  }

  parentOf(id: number): number | null {
    return this.byId.get(id)?.parent_id ?? null;
  }

  /** Creates the missing OUs of a path (inside the caller's write transaction) and returns the last one's id. */
  async ensure(tx: SqlQueryable, names: readonly string[], now: string): Promise<number> {
    if (names.length === 0) return DEFAULT_OU_ID;
    let parent: number | null = null;
    for (const name of names) {
      let id: number | undefined = this.byParentAndName.get(`${parent ?? 0}/${nameKey(name)}`);
      if (id === undefined) {
        const inserted: { id: number } | undefined = await tx.get<{ id: number }>(
          'INSERT INTO ous (parent_id, name, name_key, created_at, sees_all) VALUES (?, ?, ?, ?, ' +
            'coalesce((SELECT sees_all FROM ous WHERE id = ?), 1)) RETURNING id',
          parent,
          name,
          nameKey(name),
          now,
          parent,
        );
        id = Number(inserted!.id);
        // A new OU sees what its parent sees, and its parent (a new top-level OU sees every OU).
        if (parent !== null) await seeAsParent(tx, id, parent);
        this.remember({ id, parent_id: parent, name });
      }
      parent = id;
    }
    return parent!;
  }
}

/** The new OU paired with its parent and with whom the parent sees (pairs stored once, smaller id first). */
async function seeAsParent(tx: SqlQueryable, id: number, parent: number): Promise<void> {
  await tx.run(
    'INSERT INTO ou_visibility (a, b) SELECT CASE WHEN o < ? THEN o ELSE ? END, CASE WHEN o < ? THEN ? ELSE o END ' +
      'FROM (SELECT CAST(? AS BIGINT) AS o UNION SELECT CASE WHEN a = ? THEN b ELSE a END FROM ou_visibility ' +
      'WHERE a = ? OR b = ?) AS seen WHERE o <> ? ON CONFLICT DO NOTHING',
    id,
    id,
    id,
    id,
    parent,
    parent,
    parent,
    parent,
    id,
  );
}

/** How placement names an account's OU: the given path, with `_Default` for "no OU". */
export const displayOuPath = (names: readonly string[]): string =>
  names.length === 0 ? DEFAULT_OU : formatServerOuPath(names);
