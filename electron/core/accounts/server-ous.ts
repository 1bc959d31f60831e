/**
 * The server's own OU tree, managed by the administrator: New OU, Rename, Delete. Each change is one
 * transaction with its history entry (as local accounts' changes are). Sync places AD accounts by its own
 * rule, so an OU that holds AD accounts is not renamed here (the next sync would create the old name
 * again and move them back); only an empty OU is deleted; `_Default` stays.
 */
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import type { StartedBy } from '../../../shared/import-run.ts';
import { DEFAULT_OU, ouNameProblem, parseServerOuPath } from '../../../shared/server-ou-path.ts';
import { DEFAULT_OU_ID, nameKey, OuTree } from '../database/ou-tree.ts';
import { Failure } from '../failure.ts';
import { noSuchServerOu, recorded } from './local-accounts.ts';

function namesOf(path: string): string[] {
  const ou = parseServerOuPath(path);
  if (!ou.ok)
    throw new Failure('invalid-input', `Server OU: ${ou.error}`, 'Correct the OU path.', { nothingChanged: true });
  if (ou.names.length === 0)
    throw new Failure('invalid-input', 'Name the OU (a path such as Staff/Contractors).', 'Type the OU path.', {
      nothingChanged: true,
    });
  return ou.names;
}

function existing(tree: OuTree, path: string): number {
  const id = tree.find(namesOf(path));
  if (id === null) throw noSuchServerOu(path);
  return id;
}

function notBuiltin(id: number, what: string): void {
  if (id === DEFAULT_OU_ID)
    throw new Failure(
      'server-ou-builtin',
      `The built-in OU ${DEFAULT_OU} cannot be ${what}: accounts without an OU of their own live there.`,
      'Create an OU of your own for the accounts you want apart (New OU…).',
      { nothingChanged: true },
    );
}

/** Ids of the OU and every OU below it. */
async function subtree(q: SqlQueryable, id: number): Promise<number[]> {
  const rows = await q.all<{ id: number }>(
    'WITH RECURSIVE below(id) AS (SELECT CAST(? AS BIGINT) UNION ALL ' +
      'SELECT ous.id FROM ous JOIN below ON ous.parent_id = below.id) SELECT id FROM below',
    id,
  );
  return rows.map((r) => Number(r.id));
}

/** Creates the OU (and any missing parent); refuses one that exists. Returns its path as written back. */
export async function addServerOu(engine: SqlEngine, path: string, by: StartedBy): Promise<string> {
  const names = namesOf(path);
  const tree = await OuTree.read(engine);
  if (tree.find(names) !== null)
    throw new Failure(
      'server-ou-exists',
      `The OU "${tree.path(tree.find(names)!)}" already exists.`,
      'Choose another name.',
      {
        nothingChanged: true,
      },
    );
  return recorded(engine, by, `server OU ${path}: created`, {}, async (tx, now) => {
    const inside = await OuTree.read(tx);
    return inside.path(await inside.ensure(tx, names, now));
  });
}

/** Renames the last part of the path; refuses a sibling of the same name and an OU that AD accounts use. */
export async function renameServerOu(engine: SqlEngine, path: string, newName: string, by: StartedBy): Promise<string> {
  const problem = ouNameProblem(newName);
  if (problem)
    throw new Failure('invalid-input', `New name: ${problem}.`, 'Type another name.', { nothingChanged: true });
  return recorded(engine, by, `server OU ${path}: renamed to ${newName}`, {}, async (tx) => {
    const tree = await OuTree.read(tx);
    const id = existing(tree, path);
    notBuiltin(id, 'renamed');
    const parent = tree.parentOf(id);
    const clash = tree.find([...(parent === null ? [] : tree.names(parent)), newName]);
    if (clash !== null && clash !== id)
      throw new Failure('server-ou-exists', `There is already an OU "${tree.path(clash)}".`, 'Choose another name.', {
        nothingChanged: true,
      });
    const ids = await subtree(tx, id);
    const fromAd = Number(
      (await tx.get<{ n: number }>(
        `SELECT count(*) AS n FROM accounts WHERE origin = 'ad' AND ou_id IN (${ids.map(() => '?').join(',')})`,
        ...ids,
      ))!.n,
    );
    if (fromAd > 0)
      throw new Failure(
        'server-ou-from-ad',
        `The OU "${tree.path(id)}" holds ${fromAd} account${fromAd === 1 ? '' : 's'} from Active Directory: the next ` +
          'sync would create it again under its old name and move them back.',
        'Change where imported accounts go in the Import Wizard (Placement), or rename the OU in Active Directory.',
        { nothingChanged: true },
      );
    await tx.run('UPDATE ous SET name = ?, name_key = ? WHERE id = ?', newName, nameKey(newName), id);
    return (await OuTree.read(tx)).path(id);
  });
}

/** Deletes an empty OU (no accounts, no OUs below it). */
export async function deleteServerOu(engine: SqlEngine, path: string, by: StartedBy): Promise<void> {
  await recorded(engine, by, `server OU ${path}: deleted`, {}, async (tx) => {
    const tree = await OuTree.read(tx);
    const id = existing(tree, path);
    notBuiltin(id, 'deleted');
    const accounts = Number((await tx.get<{ n: number }>('SELECT count(*) AS n FROM accounts WHERE ou_id = ?', id))!.n);
    const children = Number((await tx.get<{ n: number }>('SELECT count(*) AS n FROM ous WHERE parent_id = ?', id))!.n);
    if (accounts + children > 0)
      throw new Failure(
        'server-ou-not-empty',
        `The OU "${tree.path(id)}" is not empty: it holds ${accounts} account${accounts === 1 ? '' : 's'} and ` +
          `${children} OU${children === 1 ? '' : 's'}.`,
        'Move or delete what it holds first; only an empty OU is deleted.',
        { nothingChanged: true },
      );
    await tx.run('DELETE FROM ous WHERE id = ?', id);
  });
}
