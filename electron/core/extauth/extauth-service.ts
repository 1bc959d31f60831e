/**
 * What `bcscmd /EXTAUTH` answers to each of ejabberd's requests. `isuser`: the account is in the users
 * database (or is imported on the fly) and enabled. `auth`: that, and the password is right — for an AD
 * account by a simple bind as that account on a connection of its own over TLS, guarded so that the IM
 * server never locks the account out; for a local account against its scrypt hash. Accounts are managed
 * in AD and the console, so `setpass`, `tryregister` and `removeuser*` are refused, changing nothing.
 */
import { parseAdsPath } from '../../../shared/adspath.ts';
import { dnsDomainOfDn, domainKey, parseImDomains } from '../../../shared/im-domains.ts';
import type { Settings } from '../../../shared/settings.ts';
import { verifyPassword } from '../secrets/password-hash.ts';
import { type AccountRow, logonKey } from '../database/accounts.ts';
import { openUsersDatabase, type UsersDatabase } from '../database/users-database.ts';
import { securityOf } from '../directory/target.ts';
import type { NameResolver } from '../directory/resolver.ts';
import { readRootDse } from '../directory/rootdse.ts';
import { Failure } from '../failure.ts';
import { LogonResolver } from '../onthefly/logon-resolver.ts';
import type { Request } from './frames.ts';
import { PasswordChecker } from './password-check.ts';
import { adIntervalMs, allowedFailures, LockoutGuard, type LockoutPolicy, windowOf } from './lockout-guard.ts';

export interface Decision {
  ok: boolean;
  reason: string;
}

export interface ExtauthOptions {
  settings: Settings;
  /** The service account's password (for on-the-fly import and the lockout policy); null with Kerberos. */
  password: string | null;
  resolver: NameResolver;
  databaseFile: string;
  now?: () => number;
  log?: (line: string) => void;
}

const POLICY_TTL_MS = 5 * 60 * 1000;
/** Bind failures that say the password was right or never compared: they do not count against the account. */
const NOT_A_BAD_PASSWORD = new Set([
  'account-disabled',
  'account-expired',
  'password-expired',
  'must-change-password',
  'account-locked',
  'logon-hours',
  'workstation-restricted',
]);
/** The directory could not be asked at all. */
const UNREACHABLE = new Set([
  'name-not-found',
  'no-dc-in-dns',
  'no-address',
  'no-dc',
  'no-dc-reachable',
  'connection-refused',
  'connect-timeout',
  'unreachable',
  'connect-failed',
  'connection-lost',
  'operation-timeout',
  'tls-timeout',
  'busy',
  'unavailable',
  'directory-unavailable',
]);

const disabledInDatabase = (row: AccountRow): Decision => ({
  ok: false,
  reason: `${row.logon} is disabled in the users database`,
});

export class ExtauthService {
  private readonly options: ExtauthOptions & { now: () => number };
  private readonly lookups: LogonResolver;
  private database: UsersDatabase | null = null;
  private policy: { value: LockoutPolicy; until: number } | null = null;
  private adDomain: string | null = null;
  private directoryDownUntil = 0;
  private readonly passwords: PasswordChecker;

  constructor(options: ExtauthOptions) {
    this.options = { now: Date.now, ...options };
    this.lookups = new LogonResolver({ ...options, poolSize: 1 });
    this.passwords = new PasswordChecker(options.settings, options.resolver);
  }

  private db() {
    this.database ??= openUsersDatabase(this.options.databaseFile);
    return this.database.db;
  }

  async handle(request: Request): Promise<Decision> {
    if (!request.ok) return { ok: false, reason: `malformed request: ${request.reason}` };
    const { op, user, server } = request;
    if (op !== 'auth' && op !== 'isuser')
      return {
        ok: false,
        reason:
          `${op} refused: accounts are managed in Active Directory and the console ` +
          `(bcscmd /ADDUSER, /SETPASSWORD), not by the IM server; nothing was changed`,
      };
    const domain = await this.servedDomain(server);
    if (!domain.ok) return domain;
    if (op === 'auth' && request.password === '')
      return { ok: false, reason: 'empty password refused without asking the directory' };
    const known = this.row(user);
    // A first logon imports the account only once AD has accepted its password: guesses import nothing.
    if (!known && op === 'auth') return this.firstLogon(user, request.password!);
    const found = known
      ? { ok: true as const, row: known, reason: `${known.logon} is in the users database` }
      : await this.imported(user);
    if (!found.ok) return found;
    if (op === 'auth') return this.authKnown(found.row, request.password!);
    return found.row.enabled === 1 ? { ok: true, reason: found.reason } : disabledInDatabase(found.row);
  }

  private async authKnown(row: AccountRow, password: string): Promise<Decision> {
    if (row.enabled !== 1) return disabledInDatabase(row);
    const checked =
      row.origin === 'local'
        ? await this.checkLocal(row, password)
        : await this.checkAd(row.logon, row.ad_dn, password);
    if (checked.ok) this.loggedOn(row);
    return checked;
  }

  /** One write for a successful logon: its time, and the guard forgets the account's failures. */
  private loggedOn(row: AccountRow): void {
    const db = this.db();
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('UPDATE accounts SET last_logon_at = ? WHERE id = ?').run(new Date().toISOString(), row.id);
      new LockoutGuard(db).succeeded(logonKey(row.logon));
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Not in the database yet: found in AD (same rules as on-the-fly import), password checked, then imported. */
  private async firstLogon(user: string, password: string): Promise<Decision> {
    if (!this.options.settings.autoImport) {
      const refused = await this.lookups.resolveLogon(user);
      return { ok: false, reason: refused.result === 'not-found' ? refused.reason : `${user} is not in the database` };
    }
    const planned = await this.lookups.resolveLogon(user, { dryRun: true });
    if (planned.result === 'local') {
      // Imported by another logon meanwhile (ejabberd runs a pool of these processes).
      const row = this.row(planned.account.logon);
      if (row) return this.authKnown(row, password);
    }
    if (planned.result !== 'imported')
      return { ok: false, reason: 'reason' in planned ? planned.reason : `${user} is not in the users database` };
    if (!planned.account.enabled)
      return { ok: false, reason: `${planned.account.logon} is disabled in Active Directory; nothing was imported` };
    const checked = await this.checkAd(planned.account.logon, planned.dn, password);
    if (!checked.ok) return { ...checked, reason: `${checked.reason.replace(/\.$/, '')}; nothing was imported` };
    const found = await this.imported(user);
    if (!found.ok) return found;
    this.loggedOn(found.row);
    return { ok: true, reason: `${checked.reason}; ${found.reason}` };
  }

  /** The server part must be one of this database's IM domains (by default the AD's DNS domain). */
  private async servedDomain(server: string): Promise<Decision> {
    const configured = parseImDomains(this.options.settings.imDomains);
    let domains = configured.ok ? configured.domains : [];
    if (domains.length === 0) {
      const ad = await this.adDnsDomain();
      if (!ad)
        return {
          ok: false,
          reason: "the IM domains are not set and the AD's DNS domain cannot be read: set imDomains",
        };
      domains = [ad];
    }
    return domains.includes(domainKey(server))
      ? { ok: true, reason: '' }
      : { ok: false, reason: `${server} is not an IM domain of this users database (${domains.join(', ')})` };
  }

  /**
   * From the OU path's DC= parts, else from an imported account's DN, without asking the directory (so
   * that local accounts log on while it is down); else from the directory's naming context.
   */
  private async adDnsDomain(): Promise<string | null> {
    if (this.adDomain) return this.adDomain;
    const path = parseAdsPath(this.options.settings.ouPath);
    let found = path.ok && path.dn ? dnsDomainOfDn(path.dn) : null;
    if (!found && path.ok && path.domain) found = path.domain.toLowerCase();
    if (!found) {
      const imported = this.db().prepare('SELECT ad_dn FROM accounts WHERE ad_dn IS NOT NULL LIMIT 1').get() as
        { ad_dn: string } | undefined;
      found = imported ? dnsDomainOfDn(imported.ad_dn) : null;
    }
    if (!found) {
      try {
        found = dnsDomainOfDn(
          await this.lookups.useSession(async (s) => (await readRootDse(s.client)).defaultNamingContext),
        );
      } catch {
        return null;
      }
    }
    this.adDomain = found;
    return found;
  }

  /** On-the-fly import (when the setting allows it) of an account that is not in the database. */
  private async imported(
    user: string,
  ): Promise<({ ok: true; row: AccountRow } & Decision) | ({ ok: false } & Decision)> {
    const result = await this.lookups.resolveLogon(user);
    if (result.result === 'not-found' || result.result === 'unavailable') return { ok: false, reason: result.reason };
    const imported = this.row(result.account.logon);
    if (!imported) return { ok: false, reason: `${user} is not in the users database` };
    return {
      ok: true,
      row: imported,
      reason: result.result === 'imported' ? `imported on the fly (run ${result.runId})` : 'in the users database',
    };
  }

  private row(logon: string): AccountRow | null {
    return (this.db().prepare('SELECT * FROM accounts WHERE logon_key = ?').get(logonKey(logon)) as AccountRow) ?? null;
  }

  private async checkLocal(row: AccountRow, password: string): Promise<Decision> {
    if (!row.password_hash)
      return { ok: false, reason: `${row.logon} is a local account without a password (bcscmd /SETPASSWORD)` };
    return (await verifyPassword(password, row.password_hash))
      ? { ok: true, reason: 'local password accepted' }
      : { ok: false, reason: 'wrong password for the local account' };
  }

  private async lockoutPolicy(): Promise<LockoutPolicy> {
    if (this.policy && this.options.now() < this.policy.until) return this.policy.value;
    const value = await this.lookups.useSession(async (s) => {
      const dse = await readRootDse(s.client);
      const { searchEntries } = await s.client.search(dse.defaultNamingContext, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['lockoutThreshold', 'lockOutObservationWindow'],
        timeLimit: this.options.settings.timeout,
      });
      const entry: Record<string, unknown> = searchEntries[0] ?? {};
      return {
        threshold: Number(entry.lockoutThreshold ?? 0) || 0,
        windowMs: adIntervalMs(entry.lockOutObservationWindow),
      };
    });
    this.policy = { value, until: this.options.now() + POLICY_TTL_MS };
    return value;
  }

  private async checkAd(logon: string, dn: string | null, password: string): Promise<Decision> {
    const { settings } = this.options;
    if (!dn) return { ok: false, reason: `${logon} has no directory entry on record; a sync brings it` };
    if (securityOf(settings) === 'none')
      return {
        ok: false,
        reason:
          "refused: a user's password is checked only over LDAPS or StartTLS, and Security is None " +
          '(Advanced settings); the password was not sent',
      };
    if (this.options.now() < this.directoryDownUntil)
      return { ok: false, reason: 'the directory was unreachable moments ago; not asked again yet' };
    let policy: LockoutPolicy;
    try {
      policy = await this.lockoutPolicy();
    } catch (err) {
      return this.unreachable(err, 'reading the lockout policy');
    }
    const key = logonKey(logon);
    const guard = new LockoutGuard(this.db(), this.options.now);
    const allowed = allowedFailures(policy, settings.logonFailureCap);
    const window = windowOf(policy);
    const reserved = guard.reserve(key, allowed, window);
    if (!reserved.allowed)
      return {
        ok: false,
        reason:
          `protected from lockout: ${reserved.failures} failed checks within ` +
          `${Math.round(window / 1000)} s (the domain locks after ${policy.threshold || 'no'} failures); not ` +
          `asked until ${new Date(reserved.retryAtMs).toISOString()}`,
      };
    try {
      const host = await this.passwords.check(dn, password);
      // The guard forgets the failures in the same write that records the logon (loggedOn).
      return { ok: true, reason: `password accepted by ${host}` };
    } catch (err) {
      const failure = err instanceof Failure ? err : null;
      if (failure?.code === 'invalid-credentials')
        return { ok: false, reason: `wrong password (data 52e; ${reserved.failures} of ${allowed} allowed)` };
      guard.notCounted(key);
      if (failure && NOT_A_BAD_PASSWORD.has(failure.code)) return { ok: false, reason: failure.message };
      if (failure?.code === 'password-needs-tls') return { ok: false, reason: failure.message };
      return this.unreachable(err, 'checking the password');
    }
  }

  private unreachable(err: unknown, doing: string): Decision {
    const failure = err instanceof Failure ? err : null;
    if (!failure || UNREACHABLE.has(failure.code))
      this.directoryDownUntil = this.options.now() + Math.min(5000, this.options.settings.timeout * 1000);
    return { ok: false, reason: `directory unavailable while ${doing}: ${(err as Error).message}` };
  }

  async close(): Promise<void> {
    await this.passwords.close();
    await this.lookups.close();
    this.database?.close();
    this.database = null;
  }
}
