/**
 * The communication server's own OU paths, written "Staff/Sales" (a "/" inside a name as "\/").
 * The server's OUs are a plain tree of names; AD's OU names may contain "/" and are kept as they are.
 */
export const DEFAULT_OU = '_Default';
export const MAX_OU_NAME = 256;
// Control characters would make names that cannot be typed or shown.
const CONTROL = /[\u0000-\u001f\u007f]/;

export type OuPathResult = { ok: true; names: string[] } | { ok: false; error: string };

export function ouNameProblem(name: string): string | null {
  if (name.trim() === '') return 'an OU name is empty';
  if (name !== name.trim()) return `the OU name "${name}" starts or ends with a space`;
  if (name.length > MAX_OU_NAME) return `the OU name "${name.slice(0, 40)}…" is longer than ${MAX_OU_NAME} characters`;
  if (CONTROL.test(name)) return `the OU name "${name.replace(CONTROL, '?')}" contains a control character`;
  return null;
}

/** '' = the top level of the tree. */
export function parseServerOuPath(text: string): OuPathResult {
  if (text.trim() === '') return { ok: true, names: [] };
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '/' || text[i + 1] === '\\')) current += text[++i];
    else if (c === '/') {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  for (const name of names) {
    const problem = ouNameProblem(name);
    if (problem) return { ok: false, error: `${problem} (write nested OUs as Parent/Child).` };
  }
  return { ok: true, names };
}

export function formatServerOuPath(names: readonly string[]): string {
  return names.map((n) => n.replace(/\\/g, '\\\\').replace(/\//g, '\\/')).join('/');
}
