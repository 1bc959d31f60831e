/**
 * A moment as the command line and messages about another machine's process name it: "2026-12-01 17:05 UTC",
 * the same on every machine. (The console shows its own times in the viewer's zone: renderer local-time.ts.)
 */
export function utcText(iso: string, precision: 'minute' | 'second' = 'minute'): string {
  return `${iso.replace('T', ' ').slice(0, precision === 'minute' ? 16 : 19)} UTC`;
}
