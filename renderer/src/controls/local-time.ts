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

const UTC_STAMP = /\b(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d)?) UTC\b/g;
const GMT_STAMP = /\b([A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}) GMT\b/g;

/**
 * A report written for every reader (the command line keeps UTC) with its moments in the viewer's zone and
 * format: "2026-12-05 14:02:09 UTC" and OpenSSL's "Jan  3 00:00:00 2027 GMT" become local times.
 */
export function inViewersTime(text: string): string {
  return text
    .replace(UTC_STAMP, (all, day: string, time: string) => localTime(`${day}T${time}Z`) || all)
    .replace(GMT_STAMP, (all, when: string) => {
      const at = new Date(`${when} GMT`);
      return Number.isNaN(at.getTime()) ? all : localTime(at.toISOString());
    });
}
