/**
 * Text as search compares it, the way a person does: without regard to case or accents ("aberg" finds
 * "Åberg", "zurich" finds "Zürich", "lodz" finds "Łódź"). Compatibility decomposition drops the marks; the
 * letters that have none to drop (ß, ł, ø, æ, œ, đ, ð, þ, dotless ı) are spelled as their readers type them.
 */
const MARKS = /\p{M}/gu;
const SPELLED: Record<string, string> = { ß: 'ss', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const SPECIAL = /[ßłøæœđðþı]/g;

export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(SPECIAL, (c) => SPELLED[c]!);
}
