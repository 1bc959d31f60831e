/**
 * Keeps the IM server from ever being the reason an AD account is locked out. Every password check is
 * counted in the users database (shared by all of ejabberd's extauth processes) before it is sent to the
 * DC; once an account has `allowed` failed checks within the domain's observation window, the next ones
 * are answered false without a bind until the window has passed since the last failure — the same
 * window after which AD resets badPwdCount. Reserving the attempt first means concurrent processes cannot
 * together go past the limit.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface LockoutPolicy {
  /** lockoutThreshold: failed logons before AD locks the account; 0 = the domain never locks. */
  threshold: number;
  /** lockOutObservationWindow in milliseconds: how long AD remembers a failed logon. */
  windowMs: number;
}

/** Without a domain policy, failures are still slowed down: this many per window. */
export const NO_POLICY_WINDOW_MS = 30 * 60 * 1000;

/** Checks that may fail before the guard stops binding: two below AD's threshold (other logons count too). */
export function allowedFailures(policy: LockoutPolicy, capWithoutPolicy: number): number {
  return policy.threshold > 0 ? Math.max(1, policy.threshold - 2) : Math.max(1, capWithoutPolicy);
}

export const windowOf = (policy: LockoutPolicy) => (policy.windowMs > 0 ? policy.windowMs : NO_POLICY_WINDOW_MS);

/** AD stores intervals as negative counts of 100 ns ("-600000000" is one minute); never means 0 here. */
export function adIntervalMs(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  if (!Number.isFinite(n) || n >= 0 || n <= -9.2e18) return 0;
  return Math.round(-n / 10_000);
}

export type Reservation = { allowed: true; failures: number } | { allowed: false; failures: number; retryAtMs: number };

export class LockoutGuard {
  private readonly db: DatabaseSync;
  private readonly now: () => number;
  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** Counts an attempt for `key` if the account may still be tried; in one write transaction. */
  reserve(key: string, allowed: number, windowMs: number): Reservation {
    const now = this.now();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const row = this.db
        .prepare('SELECT failures, last_failed_at FROM logon_failures WHERE account_key = ?')
        .get(key) as { failures: number; last_failed_at: number } | undefined;
      const failures = row && now - row.last_failed_at < windowMs ? row.failures : 0;
      if (failures >= allowed) {
        this.db.exec('COMMIT');
        return { allowed: false, failures, retryAtMs: row!.last_failed_at + windowMs };
      }
      this.db
        .prepare(
          'INSERT INTO logon_failures (account_key, failures, last_failed_at) VALUES (?, ?, ?) ' +
            'ON CONFLICT (account_key) DO UPDATE SET failures = excluded.failures, last_failed_at = ' +
            'excluded.last_failed_at',
        )
        .run(key, failures + 1, now);
      this.db.exec('COMMIT');
      return { allowed: true, failures: failures + 1 };
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The password was right: AD resets badPwdCount on a successful logon, and so does the guard. */
  succeeded(key: string): void {
    this.db.prepare('DELETE FROM logon_failures WHERE account_key = ?').run(key);
  }

  /** The check never reached a password comparison (DC down, account locked or disabled): not a failure. */
  notCounted(key: string): void {
    this.db
      .prepare('UPDATE logon_failures SET failures = failures - 1 WHERE account_key = ? AND failures > 0')
      .run(key);
    this.db.prepare('DELETE FROM logon_failures WHERE account_key = ? AND failures = 0').run(key);
  }
}
