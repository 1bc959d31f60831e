/**
 * The Source page's OU ticks as data. With "include sub-OUs", ticking an OU takes its whole subtree;
 * unticking an OU inside a ticked subtree keeps everything else of that subtree (the ancestors' own
 * accounts and the siblings' subtrees), which shows the ancestors as partly ticked. Without it, a tick
 * takes only that OU's own accounts. The result maps directly onto the import source (ous / levels).
 */

export interface OuSelection {
  /** Whole subtrees. */
  subtrees: string[];
  /** OUs whose own accounts only. */
  levels: string[];
}

export type TickState = 'checked' | 'mixed' | 'unchecked';

export const EMPTY_SELECTION: OuSelection = { subtrees: [], levels: [] };

const key = (dn: string) => dn.toLowerCase();
/** True when `dn` lies strictly below `ancestor`. */
export const isBelow = (dn: string, ancestor: string) => key(dn).endsWith(`,${key(ancestor)}`);
const same = (a: string, b: string) => key(a) === key(b);
const without = (list: string[], dn: string) => list.filter((x) => !same(x, dn));

/** With "include sub-OUs", an OU whose own level is ticked but whose sub-OUs are not all ticked is partly ticked. */
export function tickState(
  selection: OuSelection,
  dn: string,
  includeSub = false,
  childrenOf: (dn: string) => string[] = () => [],
): TickState {
  if (selection.subtrees.some((s) => same(s, dn) || isBelow(dn, s))) return 'checked';
  const inLevels = selection.levels.some((l) => same(l, dn));
  const below = [...selection.subtrees, ...selection.levels].some((s) => isBelow(s, dn));
  if (below || (inLevels && includeSub && childrenOf(dn).length > 0)) return 'mixed';
  return inLevels ? 'checked' : 'unchecked';
}

/**
 * Ticks or unticks `dn`. `childrenOf` lists the loaded children of an OU (they are loaded for every OU on
 * the way down to a visible one).
 */
export function toggle(
  selection: OuSelection,
  dn: string,
  includeSub: boolean,
  childrenOf: (dn: string) => string[],
): OuSelection {
  if (!includeSub) {
    const on = selection.levels.some((l) => same(l, dn));
    return { subtrees: selection.subtrees, levels: on ? without(selection.levels, dn) : [...selection.levels, dn] };
  }
  const state = tickState(selection, dn, true, childrenOf);
  if (state !== 'checked') {
    // Take the whole subtree; anything ticked below it is now part of it.
    const inside = (x: string) => same(x, dn) || isBelow(x, dn);
    return normalise(
      {
        subtrees: [...selection.subtrees.filter((x) => !inside(x)), dn],
        levels: selection.levels.filter((x) => !inside(x)),
      },
      childrenOf,
    );
  }
  const root = selection.subtrees.find((s) => same(s, dn) || isBelow(dn, s));
  if (!root) return { ...selection, levels: without(selection.levels, dn) };
  let subtrees = without(selection.subtrees, root);
  const levels = [...selection.levels];
  // Split the ticked subtree along the path from its root down to dn's parent.
  for (let node = root; !same(node, dn);) {
    levels.push(node);
    const kids = childrenOf(node);
    const next = kids.find((k) => same(k, dn) || isBelow(dn, k));
    if (!next) break;
    subtrees = [...subtrees, ...kids.filter((k) => !same(k, next))];
    node = next;
  }
  return { subtrees, levels };
}

/** An OU whose own level and every child are ticked is one ticked subtree again. */
function normalise(selection: OuSelection, childrenOf: (dn: string) => string[]): OuSelection {
  for (const level of selection.levels) {
    const kids = childrenOf(level);
    if (kids.length > 0 && kids.every((k) => selection.subtrees.some((s) => same(s, k)))) {
      const inside = (x: string) => isBelow(x, level);
      return normalise(
        {
          subtrees: [...selection.subtrees.filter((x) => !inside(x)), level],
          levels: without(selection.levels, level),
        },
        childrenOf,
      );
    }
  }
  return selection;
}

export const isEmpty = (s: OuSelection) => s.subtrees.length === 0 && s.levels.length === 0;
