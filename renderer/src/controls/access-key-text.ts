/**
 * Access keys written as Windows resource files write them: "&Test connection" underlines the T and
 * Alt+T reaches the control; "&&" is a literal ampersand. Pure, so that a unit test can check them.
 */
export interface AccessText {
  before: string;
  key: string | null;
  after: string;
}

export function parseAccessText(text: string): AccessText {
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] !== '&') continue;
    if (text[i + 1] === '&') {
      i++;
      continue;
    }
    const unescape = (s: string) => s.replaceAll('&&', '&');
    return { before: unescape(text.slice(0, i)), key: text[i + 1]!, after: unescape(text.slice(i + 2)) };
  }
  return { before: text.replaceAll('&&', '&'), key: null, after: '' };
}

/** The letter Alt+letter matches ("t" for "&Test"), lower case, or null. */
export const accessKeyOf = (text: string): string | null => parseAccessText(text).key?.toLocaleLowerCase() ?? null;

/** The text without its marker ("Test connection"), for titles and accessible names. */
export function plainText(text: string): string {
  const { before, key, after } = parseAccessText(text);
  return `${before}${key ?? ''}${after}`;
}

/** The letters used more than once among `texts` (an access key must be unique within a dialog). */
export function clashingKeys(texts: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const t of texts) {
    const key = accessKeyOf(t);
    if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

/** In an open menu a letter alone chooses the item it underlines: the index of that item, or -1. */
export const itemWithKey = (labels: readonly string[], letter: string): number =>
  letter.length === 1 ? labels.findIndex((l) => accessKeyOf(l) === letter.toLocaleLowerCase()) : -1;
