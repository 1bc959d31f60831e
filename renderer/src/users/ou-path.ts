/** A server OU's path from the users view's OU list ("Staff/Sales"), as the core's OU paths are written. */
import { formatServerOuPath } from '../../../shared/server-ou-path.ts';
import type { OuNode } from '../../../shared/users-view.ts';

export function ouPathOf(ous: readonly OuNode[], id: number | null): string {
  const names: string[] = [];
  const byId = new Map(ous.map((o) => [o.id, o]));
  let node = id === null ? undefined : byId.get(id);
  while (node) {
    names.unshift(node.name);
    node = node.parentId === null ? undefined : byId.get(node.parentId);
  }
  return formatServerOuPath(names);
}

/** The OU with this path (compared without regard to case, as the server does), or null. */
export function ouIdOf(ous: readonly OuNode[], path: string): number | null {
  const wanted = path.toLocaleLowerCase();
  return ous.find((o) => ouPathOf(ous, o.id).toLocaleLowerCase() === wanted)?.id ?? null;
}
