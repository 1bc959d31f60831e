/** The lockout guard on a real SQLite file, with the clock moving on (no DC). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { allowedFailures, LockoutGuard, windowOf } from '../../../../electron/core/extauth/lockout-guard.ts';
import { adIntervalMs, NO_POLICY_WINDOW_MS } from '../../../../electron/core/directory/password-policy.ts';
import { tempDir } from '../../../support/temp-dir.ts';

/** Two processes' connections to one users database, on one clock the test moves. */
function twoOpeners() {
  const file = path.join(tempDir(), 'users.sqlite');
  const clock = { now: 1_000_000 };
  const a = openUsersDatabase(file);
  const b = openUsersDatabase(file);
  return {
    clock,
    one: new LockoutGuard(a.db, () => clock.now),
    other: new LockoutGuard(b.db, () => clock.now),
    close: () => {
      a.close();
      b.close();
    },
  };
}

describe('the lockout guard', () => {
  it('allows two checks fewer than the domain threshold (at least one), or the cap without a policy', () => {
    expect(allowedFailures({ threshold: 5, windowMs: 60_000 }, 10)).toBe(3);
    expect(allowedFailures({ threshold: 2, windowMs: 60_000 }, 10)).toBe(1);
    expect(allowedFailures({ threshold: 1, windowMs: 60_000 }, 10)).toBe(1);
    expect(allowedFailures({ threshold: 0, windowMs: 0 }, 10)).toBe(10);
    expect(windowOf({ threshold: 0, windowMs: 0 })).toBe(NO_POLICY_WINDOW_MS);
  });

  it("reads AD's intervals (negative 100 ns counts); never and nonsense mean none", () => {
    expect(adIntervalMs('-600000000')).toBe(60_000);
    expect(adIntervalMs(['-18000000000'])).toBe(1_800_000);
    expect(adIntervalMs('-9223372036854775808')).toBe(0);
    expect(adIntervalMs('0')).toBe(0);
    expect(adIntervalMs(undefined)).toBe(0);
    expect(adIntervalMs('abc')).toBe(0);
  });

  it('stops after the allowed failures until the window has passed since the last one, shared by every opener', () => {
    const { one, other, clock, close } = twoOpeners();
    expect(one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
    clock.now += 1000;
    expect(other.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    expect(one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 3 });
    const lastAt = clock.now;
    clock.now += 30_000;
    expect(other.reserve('dave', 3, 60_000)).toEqual({ allowed: false, failures: 3, retryAtMs: lastAt + 60_000 });
    expect(one.reserve('erin', 3, 60_000)).toMatchObject({ allowed: true, failures: 1 });
    clock.now = lastAt + 60_000;
    expect(one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
    close();
  });

  it('forgets the failures at a success and does not count checks that never compared a password', () => {
    const opened = openUsersDatabase(path.join(tempDir(), 'users.sqlite'));
    const guard = new LockoutGuard(opened.db, () => 5000);
    guard.reserve('dave', 2, 60_000);
    guard.notCounted('dave');
    expect(guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 1 });
    guard.succeeded('dave');
    expect(guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 1 });
    expect(guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 2 });
    expect(guard.reserve('dave', 2, 60_000)).toMatchObject({ allowed: false });
    opened.close();
  });

  it('holds an account for one check at a time across openers, until it ends or its lease runs out', () => {
    const { one, other, clock, close } = twoOpeners();
    expect(one.begin('dave', 5000)).toBe(true);
    expect(other.begin('dave', 5000)).toBe(false);
    expect(other.begin('erin', 5000)).toBe(true);
    expect(one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
    one.end('dave');
    expect(other.begin('dave', 5000)).toBe(true);
    // The failure counted during the first check stays; a process that died holding the account loses it.
    expect(other.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    clock.now += 5001;
    expect(one.begin('dave', 5000)).toBe(true);
    one.notCounted('dave');
    one.end('dave');
    expect(one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    close();
  });
});
