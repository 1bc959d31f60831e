/**
 * Keeps the IM server from ever being the reason an AD account is locked out. Every password check is
 * counted in the users database (shared by all of ejabberd's extauth processes) before it is sent to the
 * DC; once an account has `allowed` failed checks within the observation window that applies to it, the next
 * ones are answered false without a bind until the window has passed since the last failure — the same
 * window after which AD resets badPwdCount. Reserving the attempt first means concurrent processes cannot
 * together go past the limit.
 *
 * A check also holds the account for its duration (`begin` … `end`): between reading the account's own
 * badPwdCount on the DC and binding, no other process checks a password of that account, so the count read
 * is the count the bind adds to.
 */
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { type LockoutPolicy, NO_POLICY_WINDOW_MS } from '../directory/password-policy.ts';

/** Checks that may fail before the guard stops binding: two below AD's threshold (other logons count too). */
export function allowedFailures(policy: LockoutPolicy, capWithoutPolicy: number): number {
  return policy.threshold > 0 ? Math.max(1, policy.threshold - 2) : Math.max(1, capWithoutPolicy);
}

export const windowOf = (policy: LockoutPolicy) => (policy.windowMs > 0 ? policy.windowMs : NO_POLICY_WINDOW_MS);

export type Reservation = { allowed: true; failures: number } | { allowed: false; failures: number; retryAtMs: number };

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
   * Holds the account for one check, for at most `leaseMs` (a process that dies holding it loses it then).
   * False while another check of the account holds it.
   */
  begin(key: string, leaseMs: number): Promise<boolean> {
    return this.engine.write(async (tx) => {
      const now = await this.now(tx);
      const row = await this.row(tx, key);
      if (row?.checking_until && row.checking_until > now) return false;
      await tx.run(
        'INSERT INTO logon_failures (account_key, failures, last_failed_at, checking_until) VALUES (?, 0, 0, ?) ' +
          'ON CONFLICT (account_key) DO UPDATE SET checking_until = excluded.checking_until',
        key,
        now + leaseMs,
      );
      return true;
    }, scoped(key));
  }

  /** Lets the next check of the account go ahead (the failures counted stay). */
  async end(key: string): Promise<void> {
    await this.engine.write(async (tx) => {
      await tx.run('UPDATE logon_failures SET checking_until = NULL WHERE account_key = ?', key);
      await tx.run('DELETE FROM logon_failures WHERE account_key = ? AND failures = 0', key);
    }, scoped(key));
  }

  /** Counts an attempt for `key` if the account may still be tried; in one write transaction. */
  reserve(key: string, allowed: number, windowMs: number): Promise<Reservation> {
    return this.engine.write(async (tx): Promise<Reservation> => {
      const now = await this.now(tx);
      const row = await this.row(tx, key);
      const failures = row && now - row.last_failed_at < windowMs ? row.failures : 0;
      if (failures >= allowed) return { allowed: false, failures, retryAtMs: row!.last_failed_at + windowMs };
      await tx.run(
        'INSERT INTO logon_failures (account_key, failures, last_failed_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (account_key) DO UPDATE SET failures = excluded.failures, last_failed_at = ' +
          'excluded.last_failed_at',
        key,
        failures + 1,
        now,
      );
      return { allowed: true, failures: failures + 1 };
    }, scoped(key));
  }

  /**
   * The password was right: AD resets badPwdCount on a successful logon, and so does the guard — in the caller's
   * write transaction (the one that records the logon).
   */
  static async succeeded(tx: SqlQueryable, key: string): Promise<void> {
    await tx.run('DELETE FROM logon_failures WHERE account_key = ?', key);
  }

  /** The check never reached a password comparison (DC down, account locked or disabled): not a failure. */
  async notCounted(key: string): Promise<void> {
    await this.engine.write(async (tx) => {
      await tx.run('UPDATE logon_failures SET failures = failures - 1 WHERE account_key = ? AND failures > 0', key);
      await tx.run('DELETE FROM logon_failures WHERE account_key = ? AND failures = 0 AND checking_until IS NULL', key);
    }, scoped(key));
  }
}
