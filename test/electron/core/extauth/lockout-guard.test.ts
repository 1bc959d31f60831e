/** The lockout guard on a real SQLite file and a real PostgreSQL database, with the clock moving on (no DC). */
import { describe, expect, it } from 'vitest';
import { allowedFailures, LockoutGuard, windowOf } from '../../../../electron/core/extauth/lockout-guard.ts';
import { adIntervalMs, NO_POLICY_WINDOW_MS } from '../../../../electron/core/directory/password-policy.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';

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
});

describeOnEngines('the lockout guard on $name', ({ usersDatabase }) => {
  /** Two processes' (or nodes') connections to one users database, on one clock the test moves. */
  async function twoOpeners() {
    const { engine, connect } = await usersDatabase();
    const clock = { now: 1_000_000 };
    return {
      clock,
      engine,
      one: new LockoutGuard(engine, () => clock.now),
      other: new LockoutGuard(await connect(), () => clock.now),
    };
  }

  it('stops after the allowed failures until the window has passed since the last one, for every opener', async () => {
    const { one, other, clock } = await twoOpeners();
    expect(await one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
    clock.now += 1000;
    expect(await other.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    expect(await one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 3 });
    const lastAt = clock.now;
    clock.now += 30_000;
    expect(await other.reserve('dave', 3, 60_000)).toEqual({
      allowed: false,
      failures: 3,
      retryAtMs: lastAt + 60_000,
    });
    expect(await one.reserve('erin', 3, 60_000)).toMatchObject({ allowed: true, failures: 1 });
    clock.now = lastAt + 60_000;
    expect(await one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
  });

  it('forgets the failures at a success and does not count checks that never compared a password', async () => {
    const { engine } = await usersDatabase();
    const guard = new LockoutGuard(engine, () => 5000);
    await guard.reserve('dave', 2, 60_000);
    await guard.notCounted('dave');
    expect(await guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 1 });
    await engine.write((tx) => LockoutGuard.succeeded(tx, 'dave'));
    expect(await guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 1 });
    expect(await guard.reserve('dave', 2, 60_000)).toEqual({ allowed: true, failures: 2 });
    expect(await guard.reserve('dave', 2, 60_000)).toMatchObject({ allowed: false });
  });

  it('holds an account for one check at a time across openers, until it ends or its lease runs out', async () => {
    const { one, other, clock } = await twoOpeners();
    expect(await one.begin('dave', 5000)).toBe(true);
    expect(await other.begin('dave', 5000)).toBe(false);
    expect(await other.begin('erin', 5000)).toBe(true);
    expect(await one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 1 });
    await one.end('dave');
    expect(await other.begin('dave', 5000)).toBe(true);
    // The failure counted during the first check stays; a process that died holding the account loses it.
    expect(await other.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    clock.now += 5001;
    expect(await one.begin('dave', 5000)).toBe(true);
    await one.notCounted('dave');
    await one.end('dave');
    expect(await one.reserve('dave', 3, 60_000)).toEqual({ allowed: true, failures: 2 });
  });

  it('admits exactly the allowed attempts when four openers race 25 attempts each', async () => {
    const { engine, connect } = await usersDatabase();
    const openers = [engine, ...(await Promise.all([connect(), connect(), connect()]))];
    const results = await Promise.all(
      openers.flatMap((e) =>
        Array.from({ length: 25 }, () => new LockoutGuard(e, () => 1_000_000).reserve('dave', 7, 60_000)),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    expect(
      results
        .filter((r) => r.allowed)
        .map((r) => r.failures)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("times the window by the database server's clock when no clock is given", async () => {
    const { engine } = await usersDatabase();
    const guard = new LockoutGuard(engine);
    const before = Date.now();
    expect(await guard.reserve('dave', 1, 60_000)).toEqual({ allowed: true, failures: 1 });
    const refused = await guard.reserve('dave', 1, 60_000);
    expect(refused.allowed).toBe(false);
    // The failure was stamped by the server (on this machine, within the test's own time, give or take a second).
    const retryAt = (refused as { retryAtMs: number }).retryAtMs - 60_000;
    expect(retryAt).toBeGreaterThanOrEqual(before - 1000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
