/** Times in reports for the viewer (pure; the console's Chromium suites show the same in the Test connection box). */
import { describe, expect, it } from 'vitest';
import { inViewersTime, localTime } from '../../../renderer/src/controls/local-time.ts';

describe('inViewersTime', () => {
  it("turns a report's UTC and GMT stamps into the viewer's local time, and leaves other text alone", () => {
    const text =
      'Domain DC=corp served by dc1; server time 2026-12-05 00:41:04 UTC (this computer is 0 s ahead). ' +
      'Certificate valid until Jan  3 00:00:00 2027 GMT; refused at 2026-12-05 14:02 UTC.';
    const shown = inViewersTime(text);
    expect(shown).toContain(`server time ${localTime('2026-12-05T00:41:04Z')} (this computer`);
    expect(shown).toContain(`valid until ${localTime('2027-01-03T00:00:00Z')};`);
    expect(shown).toContain(`refused at ${localTime('2026-12-05T14:02Z')}.`);
    expect(shown).not.toMatch(/UTC|GMT/);
    expect(inViewersTime('no time here, UTC offsets aside')).toBe('no time here, UTC offsets aside');
  });
});
