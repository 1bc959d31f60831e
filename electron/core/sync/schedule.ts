/**
 * When the scheduled sync runs, as pure functions of the clock: every `syncEveryMinutes` after the last
 * run ended, later after failures (doubling, at most 8 intervals: a DC that is down is not hammered), and
 * a full pass at least once a day at `fullSyncAt` (the service's local time).
 */
import { TIME_OF_DAY } from '../../../shared/settings.ts';

const MINUTE_MS = 60_000;
export const MAX_BACKOFF_FACTOR = 8;

/** How long after a run ended the next one starts; `failures` = consecutive failed runs so far. */
export function delayAfterRun(everyMinutes: number, failures: number): number {
  const factor = failures === 0 ? 1 : Math.min(2 ** (failures - 1), MAX_BACKOFF_FACTOR);
  return everyMinutes * MINUTE_MS * factor;
}

function timeOfDay(fullSyncAt: string): { hours: number; minutes: number } {
  const match = TIME_OF_DAY.exec(fullSyncAt);
  if (!match) return { hours: 3, minutes: 0 };
  const [hours, minutes] = fullSyncAt.split(':').map(Number) as [number, number];
  return { hours, minutes };
}

/** The latest moment at or before `now` when the daily full pass was due. */
export function lastDailyFullAt(fullSyncAt: string, now: Date): Date {
  const { hours, minutes } = timeOfDay(fullSyncAt);
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
  if (at.getTime() > now.getTime()) at.setDate(at.getDate() - 1);
  return at;
}

/** The next moment after `now` when the daily full pass is due. */
export function nextDailyFullAt(fullSyncAt: string, now: Date): Date {
  const at = lastDailyFullAt(fullSyncAt, now);
  at.setDate(at.getDate() + 1);
  return at;
}

/** A full pass is due when none ended since the last daily full-pass time. */
export function dailyFullDue(lastFullAt: Date | null, fullSyncAt: string, now: Date): boolean {
  return lastFullAt === null || lastFullAt.getTime() < lastDailyFullAt(fullSyncAt, now).getTime();
}

export interface NextRunInput {
  everyMinutes: number;
  fullSyncAt: string;
  /** When the last run of this service ended (null: none yet, so the first run starts at once). */
  lastEndedAt: Date | null;
  failures: number;
  now: Date;
}

/** null = the schedule is off. A failing schedule waits out its back-off even past the daily full time. */
export function nextRunAt(input: NextRunInput): Date | null {
  if (input.everyMinutes === 0) return null;
  if (input.lastEndedAt === null) return input.now;
  const regular = new Date(input.lastEndedAt.getTime() + delayAfterRun(input.everyMinutes, input.failures));
  if (input.failures > 0) return regular;
  const daily = nextDailyFullAt(input.fullSyncAt, input.lastEndedAt);
  return daily.getTime() < regular.getTime() ? daily : regular;
}
