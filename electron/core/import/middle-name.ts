/**
 * ParseMiddleNameFromAD: AD has no middle-name attribute in common use, so the middle name is read from
 * displayName in the two orders organisations use — "First Middle Last" ("John Jr. Wilson") and
 * "Last First Middle" ("Wilson John Jr.") — anchored on givenName and sn so that neither is guessed.
 */
const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
const same = (a: string[], b: string[]) =>
  a.length === b.length && a.every((w, i) => w.localeCompare(b[i]!, undefined, { sensitivity: 'accent' }) === 0);

export function middleNameFrom(displayName: string, givenName: string, surname: string): string {
  const d = words(displayName);
  const g = words(givenName);
  const s = words(surname);
  if (g.length === 0 || s.length === 0 || d.length <= g.length + s.length) return '';
  // "First Middle Last"
  if (same(d.slice(0, g.length), g) && same(d.slice(d.length - s.length), s))
    return d.slice(g.length, d.length - s.length).join(' ');
  // "Last First Middle"
  if (same(d.slice(0, s.length), s) && same(d.slice(s.length, s.length + g.length), g))
    return d.slice(s.length + g.length).join(' ');
  return '';
}
