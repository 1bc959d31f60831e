/** AD's lockout arithmetic, without a DC: intervals, FILETIMEs, the count AD still holds, unreadable policies. */
import { describe, expect, it } from 'vitest';
import {
  effectiveBadCount,
  fileTimeMs,
  NO_POLICY_WINDOW_MS,
  STRICTEST_THRESHOLD,
  strictestReading,
} from '../../../../electron/core/directory/password-policy.ts';

describe('password policies', () => {
  it('reads FILETIMEs (100 ns since 1601) as milliseconds since 1970, and 0 as never', () => {
    expect(fileTimeMs('116444736000000000')).toBe(0);
    expect(fileTimeMs('134409047812869280')).toBe(Date.UTC(2026, 11, 5, 0, 39, 41, 287));
    expect(fileTimeMs('0')).toBeNull();
    expect(fileTimeMs('')).toBeNull();
  });

  it("counts AD's failures only while the window since the last one lasts (AD resets at the next attempt)", () => {
    const state = { pso: null, badPwdCount: 3, badPasswordTimeMs: 1_000_000, lockedOut: false };
    expect(effectiveBadCount(state, 60_000, 1_059_999)).toBe(3);
    expect(effectiveBadCount(state, 60_000, 1_060_000)).toBe(0);
    // A count without a time is taken as it is.
    expect(effectiveBadCount({ ...state, badPasswordTimeMs: null }, 60_000, 9e12)).toBe(3);
  });

  it('takes a policy it cannot read as locking after two failures, remembered at least 30 minutes', () => {
    expect(strictestReading([{ threshold: 5, windowMs: 60_000 }], 'CN=X')).toEqual({
      threshold: STRICTEST_THRESHOLD,
      windowMs: NO_POLICY_WINDOW_MS,
      pso: 'CN=X',
      readable: false,
    });
    expect(strictestReading([{ threshold: 5, windowMs: 7_200_000 }], 'CN=X').windowMs).toBe(7_200_000);
  });
});
