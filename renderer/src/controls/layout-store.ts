/**
 * The window layout the administrator chose — column widths per table, pane sizes, the columns shown —
 * remembered in the renderer's local storage (layout only: no account data, nothing secret). A stored
 * value that does not fit is ignored.
 */
export type Widths = Record<string, number>;

const MIN_WIDTH = 36;
const MAX_WIDTH = 2000;
const PREFIX = 'adconsole.layout.';

function read(name: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + name) ?? 'null') as unknown;
  } catch {
    return null;
  }
}
/** Remembering is a convenience: storage that is full or switched off leaves the layout as it is now. */
function write(name: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // nothing to do: the layout stays for this session only
  }
}

export const clampWidth = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));

export function loadWidths(table: string | undefined): Widths {
  const raw = table ? read(`columns.${table}`) : null;
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(
    Object.entries(raw).filter(([, w]) => typeof w === 'number' && w >= MIN_WIDTH && w <= MAX_WIDTH),
  ) as Widths;
}

export function saveWidths(table: string | undefined, widths: Widths): void {
  if (table) write(`columns.${table}`, widths);
}

/** A pane's size in pixels, within [min, max]. */
export function loadSize(name: string, fallback: number, min: number, max: number): number {
  const raw = read(`size.${name}`);
  return typeof raw === 'number' && raw >= min && raw <= max ? raw : fallback;
}
export const saveSize = (name: string, size: number) => write(`size.${name}`, Math.round(size));

/** A list of names (the columns shown), kept only when every name is one of `allowed`. */
export function loadNames<T extends string>(name: string, fallback: readonly T[], allowed: readonly T[]): T[] {
  const raw = read(`names.${name}`);
  return Array.isArray(raw) && raw.length > 0 && raw.every((n) => allowed.includes(n as T))
    ? (raw as T[])
    : [...fallback];
}
export const saveNames = (name: string, names: readonly string[]) => write(`names.${name}`, names);
