/**
 * Keeps the IM server from ever being the reason an AD account is locked out. Every password check is
 * counted in the users database (shared by all of ejabberd's extauth processes and IM nodes) before it is sent
 * to the DC; once an account has `allowed` failed checks within the observation window that applies to it, the
 * next ones are answered false without a bind until the window has passed since the last failure — the same
 * window after which AD resets badPwdCount.
 *
 * A check holds the account for its duration (`take` … `failed`, `release` or `succeeded`): between reading the
 * account's own badPwdCount on the DC and binding, no other process checks a password of that account, so the
 * count read is the count the bind adds to, and concurrent checks cannot together go past the limit. Two writes
 * per check: the take, and its end (which the IM server's answer need not wait for).
 */
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { type LockoutPolicy, NO_POLICY_WINDOW_MS } from '../directory/password-policy.ts';

/** Checks that may fail before the guard stops binding: two below AD's threshold (other logons count too). */
export function allowedFailures(policy: LockoutPolicy, capWithoutPolicy: number): number {
  return policy.threshold > 0 ? Math.max(1, policy.threshold - 2) : Math.max(1, capWithoutPolicy);
}

export const windowOf = (policy: LockoutPolicy) => (policy.windowMs > 0 ? policy.windowMs : NO_POLICY_WINDOW_MS);

export type Reservation = { allowed: true; failures: number } | { allowed: false; failures: number; retryAtMs: number };

/** What a check found when it took the account: the clock, and the failures counted before it (raw). */
export interface Taken {
  now: number;
  failures: number;
  lastFailedAt: number;
}

interface Row {
  failures: number;
  last_failed_at: number;
  checking_until: number | null;
}

/** The guard's writes touch one account's row: on PostgreSQL they wait only for that account's other writes. */
export const scoped = (key: string) => ({ scope: `logon:${key}` });

export class LockoutGuard {
  private readonly engine: SqlEngine;
  private readonly clock: (() => number) | undefined;
  /**
   * `now`: a clock for tests that move time on; without it every window is timed by the database server's clock,
   * which all nodes sharing the database read alike.
   */
  constructor(engine: SqlEngine, now?: () => number) {
    this.engine = engine;
    this.clock = now;
  }

  private async now(tx: SqlQueryable): Promise<number> {
    if (this.clock) return this.clock();
    return (await tx.get<{ now: number }>(`SELECT ${this.engine.dialect.nowMs} AS now`))!.now;
  }

  private row(tx: SqlQueryable, key: string): Promise<Row | undefined> {
    return tx.get<Row>(
      'SELECT failures, last_failed_at, checking_until FROM logon_failures WHERE account_key = ?',
      key,
    );
  }

  /**
   * One write before a check: holds the account for it, for at most `leaseMs` (a process that dies holding it loses
   * it then), and counts the check as a failure until its end says otherwise — so that a process that dies
   * between the bind and its end leaves the bind counted. Null while another check of the account holds it.
   */
  take(key: string, leaseMs: number): Promise<Taken | null> {
    return this.engine.write(async (tx) => {
      const now = await this.now(tx);
      const row = await this.row(tx, key);
      if (row?.checking_until && row.checking_until > now) return null;
      await tx.run(
        'INSERT INTO logon_failures (account_key, failures, last_failed_at, checking_until) VALUES (?, 1, ?, ?) ' +
          'ON CONFLICT (account_key) DO UPDATE SET failures = logon_failures.failures + 1, ' +
          'last_failed_at = excluded.last_failed_at, checking_until = excluded.checking_until',
        key,
        now,
        now + leaseMs,
      );
      return { now, failures: row?.failures ?? 0, lastFailedAt: row?.last_failed_at ?? 0 };
    }, scoped(key));
  }

  /**
   * Whether a check taken may bind: the failures counted within `windowMs` before it must stay below `allowed`.
   * (The account is held, so no other check counts meanwhile.)
   */
  static admits(taken: Taken, allowed: number, windowMs: number): Reservation {
    const failures = taken.now - taken.lastFailedAt < windowMs ? taken.failures : 0;
    if (failures >= allowed) return { allowed: false, failures, retryAtMs: taken.lastFailedAt + windowMs };
    return { allowed: true, failures: failures + 1 };
  }

  /** The check bound with a wrong password: counted as the window says (a stale count starts again), released. */
  async failed(key: string, taken: Taken, windowMs: number): Promise<void> {
    const counted = LockoutGuard.admits(taken, Number.MAX_SAFE_INTEGER, windowMs).failures;
    await this.engine.write(async (tx) => {
      await tx.run(
        'UPDATE logon_failures SET failures = ?, last_failed_at = ?, checking_until = NULL WHERE account_key = ?',
        counted,
        taken.now,
        key,
      );
    }, scoped(key));
  }

  /** The check compared no password (refused before the bind, DC down, account locked): as it was, released. */
  async release(key: string, taken: Taken): Promise<void> {
    await this.engine.write(async (tx) => {
      if (taken.failures === 0) await tx.run('DELETE FROM logon_failures WHERE account_key = ?', key);
      else
        await tx.run(
          'UPDATE logon_failures SET failures = ?, last_failed_at = ?, checking_until = NULL WHERE account_key = ?',
          taken.failures,
          taken.lastFailedAt,
          key,
        );
    }, scoped(key));
  }

  /**
   * The password was right: AD resets badPwdCount on a successful logon, and so does the guard (which also
   * releases the account) — in the caller's write transaction (the one that records the logon).
   */
  static async succeeded(tx: SqlQueryable, key: string): Promise<void> {
    await tx.run('DELETE FROM logon_failures WHERE account_key = ?', key);
  }
}
