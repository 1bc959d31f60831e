/**
 * OU permissions: which server OUs a server OU's users see (and may message) in the IM network, as
 * Bopup Communication Server's OU permissions say it. The relation is two-way — XMPP presence follows the
 * sender's contact list, so one-way visibility would show contacts offline — and stored so: an OU that sees
 * every OU (`sees_all`, the default, also for new top-level OUs) is seen by every OU; the others see the OUs
 * paired with them in `ou_visibility`, and those that see all. A new sub-OU sees what its parent sees.
 */
import type { StartedBy } from '../../../shared/import-run.ts';
import { parseServerOuPath } from '../../../shared/server-ou-path.ts';
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { DEFAULT_OU_ID, OuTree } from '../database/ou-tree.ts';
import { Failure } from '../failure.ts';
import { noSuchServerOu, recorded } from './local-accounts.ts';

interface OuFlags {
  id: number;
  parent_id: number | null;
  sees_all: number;
}

/** Every OU's visible OUs (itself included), from one read of the two tables. */
export async function visibleOus(q: SqlQueryable): Promise<Map<number, Set<number>>> {
  const ous = await q.all<OuFlags>('SELECT id, parent_id, sees_all FROM ous');
  const all = ous.map((o) => Number(o.id));
  const everyone = ous.filter((o) => o.sees_all === 1).map((o) => Number(o.id));
  const seen = new Map<number, Set<number>>(ous.map((o) => [Number(o.id), new Set([Number(o.id), ...everyone])]));
  for (const { a, b } of await q.all<{ a: number; b: number }>('SELECT a, b FROM ou_visibility')) {
    seen.get(Number(a))?.add(Number(b));
    seen.get(Number(b))?.add(Number(a));
  }
  for (const o of ous) if (o.sees_all === 1) seen.set(Number(o.id), new Set(all));
  return seen;
}

/** The OU's id for a path ('' or _Default: _Default), or the Failure that names the missing one. */
function ouIdOf(tree: OuTree, path: string): number {
  const parsed = parseServerOuPath(path);
  if (!parsed.ok)
    throw new Failure('invalid-input', `Server OU: ${parsed.error}`, 'Correct the OU path.', { nothingChanged: true });
  const id = parsed.names.length === 0 ? DEFAULT_OU_ID : tree.find(parsed.names);
  if (id === null) throw noSuchServerOu(path);
  return id;
}

/** The OU and every OU below it (ticking an OU includes the OUs below it). */
function withSubtrees(tree: OuTree, ids: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const r of tree.rows())
    if (r.parent_id !== null) children.set(Number(r.parent_id), [...(children.get(Number(r.parent_id)) ?? []), r.id]);
  const out = new Set<number>();
  const queue = [...ids];
  while (queue.length) {
    const id = queue.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return out;
}

export interface OuPermissions {
  ou: string;
  /** It sees every OU (and every OU sees it). */
  everyOu: boolean;
  /** The OUs it sees, by path, itself included, in tree order. */
  sees: string[];
}

export async function ouPermissions(q: SqlQueryable, path: string): Promise<OuPermissions> {
  const tree = await OuTree.read(q);
  const id = ouIdOf(tree, path);
  const seen = (await visibleOus(q)).get(id)!;
  return {
    ou: tree.path(id),
    everyOu: seen.size === tree.rows().length,
    sees: [...seen].map((o) => tree.path(o)).sort((x, y) => x.localeCompare(y)),
  };
}

/**
 * Sets which OUs `path` sees: the OUs named (`below`: each with the OUs below it), or every OU ('*'). Two-way: the OUs
 * it no longer sees no longer see it — an OU that saw every OU keeps seeing every other one. One history
 * entry; returns the permissions as they are now.
 */
export async function setOuPermissions(
  engine: SqlEngine,
  path: string,
  sees: string[] | '*',
  by: StartedBy,
  { below = true }: { below?: boolean } = {},
): Promise<OuPermissions> {
  const tree = await OuTree.read(engine);
  const id = ouIdOf(tree, path);
  const named = sees === '*' ? [] : sees.map((p) => ouIdOf(tree, p));
  // The command line names OUs with everything below them; the console's tree sends exactly what is ticked.
  const chosen = sees === '*' ? null : below ? withSubtrees(tree, named) : new Set(named);
  await recorded(
    engine,
    by,
    `server OU ${tree.path(id)}: sees ${sees === '*' ? 'every OU' : sees.length ? sees.join('; ') : 'only itself'}`,
    {},
    async (tx) => {
      const flags = await tx.all<OuFlags>('SELECT id, parent_id, sees_all FROM ous');
      const setAll = (value: number, ou: number) => tx.run('UPDATE ous SET sees_all = ? WHERE id = ?', value, ou);
      // Pairs are stored once, smaller id first; collected and written in one go.
      const pairs = new Set<string>();
      const link = (x: number, y: number) => x !== y && pairs.add(`${Math.min(x, y)} ${Math.max(x, y)}`);
      await tx.run('DELETE FROM ou_visibility WHERE a = ? OR b = ?', id, id);
      if (chosen === null || flags.every((o) => chosen.has(Number(o.id)))) {
        await setAll(1, id);
        return;
      }
      chosen.add(id);
      await setAll(0, id);
      for (const other of chosen) link(id, other);
      // OUs that saw every OU and are not chosen: they keep seeing every other OU, not this one.
      const leaving = flags.filter((o) => o.sees_all === 1 && !chosen.has(Number(o.id)) && Number(o.id) !== id);
      const stillOpen = (o: OuFlags) => o.sees_all === 1 && !leaving.includes(o) && Number(o.id) !== id;
      for (const x of leaving) {
        await setAll(0, x.id);
        for (const y of flags) if (Number(y.id) !== id && !stillOpen(y)) link(Number(x.id), Number(y.id));
      }
      const existing = new Set(
        (await tx.all<{ a: number; b: number }>('SELECT a, b FROM ou_visibility')).map((r) => `${r.a} ${r.b}`),
      );
      await tx.copyRows(
        'ou_visibility',
        ['a', 'b'],
        [...pairs].filter((p) => !existing.has(p)).map((p) => p.split(' ').map(Number)),
      );
    },
  );
  return ouPermissions(engine, path);
}
