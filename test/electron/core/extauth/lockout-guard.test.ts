/** The lockout guard on a real SQLite file and a real PostgreSQL database, with the clock moving on (no DC). */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../../../electron/core/database/engine/sql-engine.ts';
import {
  allowedFailures,
  LockoutGuard,
  type Reservation,
  windowOf,
} from '../../../../electron/core/extauth/lockout-guard.ts';
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
    const otherEngine = await connect();
    return {
      clock,
      engine,
      otherEngine,
      one: new LockoutGuard(engine, () => clock.now),
      other: new LockoutGuard(otherEngine, () => clock.now),
    };
  }

  /**
   * One password check as /EXTAUTH makes it: the account taken (waiting while another check holds it), the count
   * asked, then ended as the bind went — a wrong password, a right one, or no comparison at all.
   */
  async function check(
    guard: LockoutGuard,
    engine: SqlEngine,
    key: string,
    bind: 'wrong' | 'right' | 'none',
    allowed = 3,
    windowMs = 60_000,
  ): Promise<Reservation> {
    let taken = await guard.take(key, 5000);
    while (!taken) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      taken = await guard.take(key, 5000);
    }
    const admitted = LockoutGuard.admits(taken, allowed, windowMs);
    if (!admitted.allowed || bind === 'none') await guard.release(key, taken);
    else if (bind === 'wrong') await guard.failed(key, taken, windowMs);
    else await engine.write((tx) => LockoutGuard.succeeded(tx, key));
    return admitted;
  }

  it('stops after the allowed failures until the window has passed since the last one, for every opener', async () => {
    const { one, other, engine, otherEngine, clock } = await twoOpeners();
    expect(await check(one, engine, 'dave', 'wrong')).toEqual({ allowed: true, failures: 1 });
    clock.now += 1000;
    expect(await check(other, otherEngine, 'dave', 'wrong')).toEqual({ allowed: true, failures: 2 });
    expect(await check(one, engine, 'dave', 'wrong')).toEqual({ allowed: true, failures: 3 });
    const lastAt = clock.now;
    clock.now += 30_000;
    expect(await check(other, otherEngine, 'dave', 'wrong')).toEqual({
      allowed: false,
      failures: 3,
      retryAtMs: lastAt + 60_000,
    });
    expect(await check(one, engine, 'erin', 'wrong')).toMatchObject({ allowed: true, failures: 1 });
    clock.now = lastAt + 60_000;
    expect(await check(one, engine, 'dave', 'wrong')).toEqual({ allowed: true, failures: 1 });
  });

  it('forgets the failures at a success and does not count checks that never compared a password', async () => {
    const { engine } = await usersDatabase();
    const guard = new LockoutGuard(engine, () => 5000);
    await check(guard, engine, 'dave', 'wrong', 2);
    await check(guard, engine, 'dave', 'none', 2);
    await check(guard, engine, 'dave', 'none', 2);
    expect(await check(guard, engine, 'dave', 'right', 2)).toEqual({ allowed: true, failures: 2 });
    expect(await check(guard, engine, 'dave', 'wrong', 2)).toEqual({ allowed: true, failures: 1 });
    expect(await check(guard, engine, 'dave', 'wrong', 2)).toEqual({ allowed: true, failures: 2 });
    expect(await check(guard, engine, 'dave', 'wrong', 2)).toMatchObject({ allowed: false });
    // A check that compared nothing leaves no row behind for an account without failures.
    await check(guard, engine, 'erin', 'none', 2);
    expect(await engine.all("SELECT account_key FROM logon_failures WHERE account_key = 'erin'")).toEqual([]);
  });

  it('holds an account for one check at a time across openers; a check that dies stays counted', async () => {
    const { one, other, clock } = await twoOpeners();
    const taken = (await one.take('dave', 5000))!;
    expect(taken).not.toBeNull();
    expect(await other.take('dave', 5000)).toBeNull();
    expect(await other.take('erin', 5000)).not.toBeNull();
    await one.failed('dave', taken, 60_000);
    const next = (await other.take('dave', 5000))!;
    expect(LockoutGuard.admits(next, 3, 60_000)).toEqual({ allowed: true, failures: 2 });
    // The process holding it dies after its bind: the account is free again once the lease runs out, and the
    // bind it may have made is counted.
    clock.now += 5001;
    const after = (await one.take('dave', 5000))!;
    expect(LockoutGuard.admits(after, 3, 60_000)).toEqual({ allowed: true, failures: 3 });
  });

  it('admits exactly the allowed attempts when four openers race 25 attempts each', async () => {
    const { engine, connect } = await usersDatabase();
    const openers = [engine, ...(await Promise.all([connect(), connect(), connect()]))];
    const results = await Promise.all(
      openers.flatMap((e) =>
        Array.from({ length: 25 }, () => check(new LockoutGuard(e, () => 1_000_000), e, 'dave', 'wrong', 7)),
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
    expect(await check(guard, engine, 'dave', 'wrong', 1)).toEqual({ allowed: true, failures: 1 });
    const refused = await check(guard, engine, 'dave', 'wrong', 1);
    expect(refused.allowed).toBe(false);
    // The failure was stamped by the server (on this machine, within the test's own time, give or take a second).
    const retryAt = (refused as { retryAtMs: number }).retryAtMs - 60_000;
    expect(retryAt).toBeGreaterThanOrEqual(before - 1000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
