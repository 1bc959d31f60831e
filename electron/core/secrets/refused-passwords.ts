/**
 * The service-account passwords domain controllers refused, kept in the users database so that every process
 * on it — the console, bcscmd, the scheduled sync, each of ejabberd's extauth programs — knows them: a salted
 * scrypt hash per login ID (never the password), the DC, the moment and the reason. The guard every service
 * bind goes through (directory/bind-guard.ts).
 */
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import {
  type RefusedPassword,
  REFUSED_PASSWORD_HINT,
  REFUSING_CODES,
  refusedPasswordText,
} from '../../../shared/refused-password.ts';
import type { BindGuard } from '../directory/bind-guard.ts';
import { Failure } from '../failure.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

/** Runs work on a connection to the users database (the console's shared one, or a process's own). */
/** The users database's connection, lent for one piece of work (opened on first use by whoever owns it). */
export type UseDatabase = <T>(work: (q: SqlQueryable) => T) => T;

interface Row {
  login: string;
  hash: string;
  dc: string;
  refused_at: string;
  reason: string;
}

const loginKey = (login: string) => login.trim().normalize('NFC').toLowerCase();

/** scrypt costs ~50 ms: a process asks about the same password again and again (every extauth bind). */
const verified = new Map<string, boolean>();
async function sameAs(password: string, hash: string): Promise<boolean> {
  const key = `${hash}\u0000${password}`;
  let same = verified.get(key);
  if (same === undefined) {
    same = await verifyPassword(password, hash);
    if (verified.size > 64) verified.clear();
    verified.set(key, same);
  }
  return same;
}

/** The refusal on record for a login ID (whatever password is configured now), or null. */
export async function refusalOnRecord(q: SqlQueryable, login: string): Promise<RefusedPassword | null> {
  const row = await q.get<Omit<Row, 'hash'>>(
    'SELECT login, dc, refused_at, reason FROM refused_passwords WHERE login_key = ?',
    loginKey(login),
  );
  return row ? { login: row.login, dc: row.dc, at: row.refused_at, reason: row.reason } : null;
}

export class RefusedPasswords implements BindGuard {
  private readonly use: UseDatabase;
  constructor(use: UseDatabase) {
    this.use = use;
  }

  private row(login: string): Promise<Row | undefined> {
    return this.use((q) =>
      q.get<Row>(
        'SELECT login, hash, dc, refused_at, reason FROM refused_passwords WHERE login_key = ?',
        loginKey(login),
      ),
    );
  }

  /**
   * The refusal on record for this login ID; with a password, only if it is that very password (null when
   * another one is given: it has not been refused).
   */
  async find(login: string, password?: string | null): Promise<RefusedPassword | null> {
    const row = await this.row(login);
    if (!row) return null;
    if (password && !(await sameAs(password, row.hash))) return null;
    return { login: row.login, dc: row.dc, at: row.refused_at, reason: row.reason };
  }

  async check(login: string, password: string): Promise<void> {
    const refused = await this.find(login, password);
    if (refused)
      throw new Failure('password-refused-before', refusedPasswordText(refused), REFUSED_PASSWORD_HINT, {
        nothingChanged: true,
      });
  }

  async refused(login: string, password: string, dc: string, failure: Failure): Promise<void> {
    if (!REFUSING_CODES.has(failure.code)) return;
    const hash = await hashPassword(password);
    await this.use((q) =>
      q.run(
        'INSERT INTO refused_passwords (login_key, login, hash, dc, refused_at, code, reason) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login_key) DO UPDATE SET login = excluded.login, ' +
          'hash = excluded.hash, dc = excluded.dc, refused_at = excluded.refused_at, code = excluded.code, ' +
          'reason = excluded.reason',
        loginKey(login),
        login.trim(),
        hash,
        dc,
        new Date().toISOString(),
        failure.code,
        failure.message,
      ),
    );
  }

  async accepted(login: string): Promise<void> {
    // Read first: a delete takes the write lock even when there is nothing to delete, and binds happen while
    // imports hold it.
    if (await this.row(login))
      await this.use((q) => q.run('DELETE FROM refused_passwords WHERE login_key = ?', loginKey(login)));
  }
}
