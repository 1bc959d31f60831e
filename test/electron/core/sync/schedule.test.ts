import { describe, expect, it } from 'vitest';
import {
  dailyFullDue,
  delayAfterRun,
  lastDailyFullAt,
  MAX_BACKOFF_FACTOR,
  nextRunAt,
} from '../../../../electron/core/sync/schedule.ts';

// Local times, as the service reads fullSyncAt.
const at = (day: number, hours: number, minutes = 0) => new Date(2026, 11, day, hours, minutes);
const MINUTE = 60_000;

describe('the schedule', () => {
  it('runs the first sync at once, then every interval after the last run ended', () => {
    const now = at(1, 14, 0);
    expect(nextRunAt({ everyMinutes: 30, fullSyncAt: '03:00', lastEndedAt: null, failures: 0, now })).toEqual(now);
    const ended = at(1, 14, 2);
    expect(nextRunAt({ everyMinutes: 30, fullSyncAt: '03:00', lastEndedAt: ended, failures: 0, now })).toEqual(
      at(1, 14, 32),
    );
  });

  it('is off at 0 minutes', () => {
    expect(nextRunAt({ everyMinutes: 0, fullSyncAt: '03:00', lastEndedAt: null, failures: 0, now: at(1, 1) })).toBe(
      null,
    );
  });

  it('backs off after failures, doubling up to a ceiling, so a DC that is down is not hammered', () => {
    expect([1, 2, 3, 4, 5, 9].map((f) => delayAfterRun(30, f) / MINUTE)).toEqual([30, 60, 120, 240, 240, 240]);
    expect(delayAfterRun(30, 50)).toBe(30 * MINUTE * MAX_BACKOFF_FACTOR);
    const ended = at(1, 10, 0);
    expect(nextRunAt({ everyMinutes: 1, fullSyncAt: '03:00', lastEndedAt: ended, failures: 3, now: ended })).toEqual(
      at(1, 10, 4),
    );
  });

  it('wakes for the daily full pass when that comes before the next interval', () => {
    const ended = at(1, 2, 0);
    expect(nextRunAt({ everyMinutes: 240, fullSyncAt: '03:00', lastEndedAt: ended, failures: 0, now: ended })).toEqual(
      at(1, 3, 0),
    );
    // Failing: the back-off wins, even over the daily time.
    expect(nextRunAt({ everyMinutes: 240, fullSyncAt: '03:00', lastEndedAt: ended, failures: 1, now: ended })).toEqual(
      at(1, 6, 0),
    );
  });

  it('makes a pass full when none was full since the last daily time, as the clock moves on', () => {
    expect(lastDailyFullAt('03:00', at(1, 2, 59))).toEqual(new Date(2026, 10, 30, 3)); // the day before
    expect(lastDailyFullAt('03:00', at(1, 3, 0))).toEqual(at(1, 3));
    const fullAt = at(1, 3, 5);
    expect(dailyFullDue(fullAt, '03:00', at(1, 14))).toBe(false);
    expect(dailyFullDue(fullAt, '03:00', at(2, 2, 59))).toBe(false);
    expect(dailyFullDue(fullAt, '03:00', at(2, 3, 0))).toBe(true);
    // The machine was off for days: one full pass catches up.
    expect(dailyFullDue(fullAt, '03:00', at(9, 12))).toBe(true);
    expect(dailyFullDue(at(9, 12, 1), '03:00', at(9, 12, 30))).toBe(false);
    expect(dailyFullDue(null, '23:30', at(1, 1))).toBe(true);
  });
});
