/**
 * Times as the viewer reads them: their own time zone and their locale's format, as Windows tools show
 * them (the core keeps UTC ISO strings; /JSON and the CSV files keep those).
 */
const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** '' for no time; the text as it came for one that does not parse (never "Invalid Date"). */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? iso : FORMAT.format(when);
}
