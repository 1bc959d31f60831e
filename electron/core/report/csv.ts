/** CSV for reports that admins open in Excel: quoted fields, and formulas neutralised (=, +, -, @ at the start). */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: (string | number | null)[]): string => `${fields.map(csvField).join(',')}\r\n`;
