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
import { openUsersDatabase, type UsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { securityOf } from '../directory/target.ts';
import type { NameResolver } from '../directory/resolver.ts';
import { readRootDse } from '../directory/rootdse.ts';
import { Failure } from '../failure.ts';
import { LogonResolver } from '../onthefly/logon-resolver.ts';
import type { Request } from './frames.ts';
import { PasswordChecker } from './password-check.ts';
import {
  type AccountPolicy,
  effectiveBadCount,
  type LockoutPolicy,
  psoName,
  readAccountLockState,
  readDomainPolicy,
  readPso,
  strictestReading,
} from '../directory/password-policy.ts';
import type { DirectorySession } from '../directory/session.ts';
import { allowedFailures, LockoutGuard, scoped, type Taken, windowOf } from './lockout-guard.ts';

export interface Decision {
  ok: boolean;
  reason: string;
  /** The account was imported on the fly: the IM server's directory is to be published (after the answer). */
  imported?: boolean;
  /**
   * A check's last write (the logon's time, the lockout guard's count and release), which the answer need not wait
   * for: the caller runs it once the answer is out, before the next request. Until it has run the account stays
   * held (another check of it waits).
   */
  after?: () => Promise<void>;
}

/** A password check's decision and the write that ends it (see Decision.after), always present. */
type Checked = Decision & { after: () => Promise<void> };

export interface ExtauthOptions {
  settings: Settings;
  /** The service account's password (for on-the-fly import and the lockout policy); null with Kerberos. */
  password: string | null;
  resolver: NameResolver;
  database: DatabaseAt;
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

interface DomainFacts {
  domainDn: string;
  policy: LockoutPolicy;
  /** The DC's clock minus this one's: AD's failure times are compared on the DC's clock. */
  skewMs: number;
  until: number;
}

/** "; under password policy Strict (locks after 3)" — or, for one the service account cannot read, that too. */
function policyWords(logon: string, policy: AccountPolicy): string {
  if (!policy.pso) return '';
  const name = psoName(policy.pso);
  return policy.readable
    ? `; password policy ${name}: locks after ${policy.threshold || 'no number of'} failures`
    : `; ${logon} is under the password policy ${name}, which the service account cannot read: taken as locking ` +
        `after ${policy.threshold} failures within ${Math.round(policy.windowMs / 60_000)} min (Test connection's ` +
        `Password policy step says how to let it read the policy)`;
}

const disabledInDatabase = (row: AccountRow): Decision => ({
  ok: false,
  reason: `${row.logon} is disabled in the users database`,
});

export class ExtauthService {
  private readonly options: ExtauthOptions & { now: () => number };
  private readonly lookups: LogonResolver;
  private database: UsersDatabase | null = null;
  private domain: DomainFacts | null = null;
  private readonly psos = new Map<string, { policy: LockoutPolicy | null; until: number }>();
  private adDomain: string | null = null;
  private directoryDownUntil = 0;
  private readonly passwords: PasswordChecker;
  /** A clock a test moves on; without one the lockout guard reads the database server's clock. */
  private readonly givenClock: (() => number) | undefined;

  constructor(options: ExtauthOptions) {
    this.options = { now: Date.now, ...options };
    this.givenClock = options.now;
    this.lookups = new LogonResolver({ ...options, poolSize: 1 });
    this.passwords = new PasswordChecker(options.settings, options.resolver);
  }

  private engine() {
    this.database ??= openUsersDatabase(this.options.database);
    return this.database.engine;
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
    const known = await this.row(user);
    // A first logon imports the account only once AD has accepted its password: guesses import nothing.
    if (!known && op === 'auth') return this.firstLogon(user, request.password!);
    const found = known
      ? { ok: true as const, row: known, reason: `${known.logon} is in the users database` }
      : await this.imported(user);
    if (!found.ok) return found;
    if (op === 'auth') return this.authKnown(found.row, request.password!);
    const imported = found.imported ? { imported: true } : {};
    return found.row.enabled === 1
      ? { ok: true, reason: found.reason, ...imported }
      : { ...disabledInDatabase(found.row), ...imported };
  }

  private async authKnown(row: AccountRow, password: string): Promise<Decision> {
    if (row.enabled !== 1) return disabledInDatabase(row);
    if (row.origin === 'local') {
      const checked = await this.checkLocal(row, password);
      return checked.ok ? { ...checked, after: () => this.loggedOn(row.logon, row.id) } : checked;
    }
    const checked = await this.checkAd(row.logon, row.ad_dn, password);
    return checked.ok ? { ...checked, after: () => this.loggedOn(row.logon, row.id) } : checked;
  }

  /**
   * One write for a successful logon: its time (of the account `id`, when it is in the database), and the guard
   * forgets the account's failures and releases it.
   */
  private async loggedOn(logon: string, id: number | null): Promise<void> {
    const key = logonKey(logon);
    await this.engine().write(async (tx) => {
      if (id !== null) await tx.run('UPDATE accounts SET last_logon_at = ? WHERE id = ?', new Date().toISOString(), id);
      await LockoutGuard.succeeded(tx, key);
    }, scoped(key));
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
      const row = await this.row(planned.account.logon);
      if (row) return this.authKnown(row, password);
    }
    if (planned.result !== 'imported')
      return { ok: false, reason: 'reason' in planned ? planned.reason : `${user} is not in the users database` };
    if (!planned.account.enabled)
      return { ok: false, reason: `${planned.account.logon} is disabled in Active Directory; nothing was imported` };
    const checked = await this.checkAd(planned.account.logon, planned.dn, password);
    if (!checked.ok) return { ...checked, reason: `${checked.reason.replace(/\.$/, '')}; nothing was imported` };
    // The entry the search above found is imported (no second search); its photo is read after the answer. The
    // check's end is written whatever the import does: a failure here must not leave the account held.
    const found = await this.imported(user, { photo: false }).catch(
      (err: Error) => ({ ok: false, reason: `the import failed: ${err.message}` }) as const,
    );
    // The password was right either way: the guard forgets the failures (and the logon is recorded if imported).
    const after = async () => {
      await this.loggedOn(planned.account.logon, found.ok ? found.row.id : null);
      if (found.ok && found.imported && found.row.ad_guid) await this.lookups.readPhoto(found.row.ad_guid);
    };
    if (!found.ok) return { ...found, after };
    return { ok: true, reason: `${checked.reason}; ${found.reason}`, imported: found.imported ?? false, after };
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
      const imported = await this.engine().get<{ ad_dn: string }>(
        'SELECT ad_dn FROM accounts WHERE ad_dn IS NOT NULL LIMIT 1',
      );
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
    { photo = true }: { photo?: boolean } = {},
  ): Promise<({ ok: true; row: AccountRow } & Decision) | ({ ok: false } & Decision)> {
    const result = await this.lookups.resolveLogon(user, { photo });
    if (result.result === 'not-found' || result.result === 'unavailable') return { ok: false, reason: result.reason };
    const imported = await this.row(result.account.logon);
    if (!imported) return { ok: false, reason: `${user} is not in the users database` };
    return {
      ok: true,
      row: imported,
      reason: result.result === 'imported' ? `imported on the fly (run ${result.runId})` : 'in the users database',
      imported: result.result === 'imported',
    };
  }

  private async row(logon: string): Promise<AccountRow | null> {
    return (await this.engine().get<AccountRow>('SELECT * FROM accounts WHERE logon_key = ?', logonKey(logon))) ?? null;
  }

  private async checkLocal(row: AccountRow, password: string): Promise<Decision> {
    if (!row.password_hash)
      return { ok: false, reason: `${row.logon} is a local account without a password (bcscmd /SETPASSWORD)` };
    return (await verifyPassword(password, row.password_hash))
      ? { ok: true, reason: 'local password accepted' }
      : { ok: false, reason: 'wrong password for the local account' };
  }

  /** The domain's naming context, lockout policy and the DC's clock (cached for a few minutes). */
  private async domainFacts(session: DirectorySession): Promise<DomainFacts> {
    if (this.domain && this.options.now() < this.domain.until) return this.domain;
    const timeLimit = this.options.settings.timeout;
    const dse = await readRootDse(session.client);
    const policy = await readDomainPolicy(session.client, dse.defaultNamingContext, timeLimit);
    const skewMs = dse.currentTime ? dse.currentTime.getTime() - this.options.now() : 0;
    this.domain = { domainDn: dse.defaultNamingContext, policy, skewMs, until: this.options.now() + POLICY_TTL_MS };
    return this.domain;
  }

  /** The policy of the PSO the account is under (cached), or the strictest reading of one that cannot be read. */
  private async accountPolicy(session: DirectorySession, pso: string | null, domain: DomainFacts) {
    if (!pso) return { ...domain.policy, pso: null, readable: true } satisfies AccountPolicy;
    let cached = this.psos.get(pso.toLowerCase());
    if (!cached || this.options.now() >= cached.until) {
      cached = {
        policy: await readPso(session.client, pso, this.options.settings.timeout),
        until: this.options.now() + POLICY_TTL_MS,
      };
      this.psos.set(pso.toLowerCase(), cached);
    }
    if (cached.policy) return { ...cached.policy, pso, readable: true } satisfies AccountPolicy;
    const known = [domain.policy, ...[...this.psos.values()].flatMap((p) => (p.policy ? [p.policy] : []))];
    return strictestReading(known, pso);
  }

  /**
   * What the DC that will check the password says of the account first: the policy it is under, its own
   * failed logons (Windows logons included) and whether it is locked out now.
   */
  private lockState(dn: string) {
    return this.lookups.useSession(async (session) => {
      const domain = await this.domainFacts(session);
      const state = await readAccountLockState(session.client, dn, this.options.settings.timeout);
      const policy = await this.accountPolicy(session, state.pso, domain);
      return { domain, state, policy, dc: session.host };
    });
  }

  /** Takes the account, waiting for another check of it to end (one check per account at a time, across processes). */
  private async hold(guard: LockoutGuard, key: string, leaseMs: number): Promise<Taken | null> {
    const deadline = Date.now() + leaseMs;
    for (;;) {
      const taken = await guard.take(key, leaseMs);
      if (taken || Date.now() > deadline) return taken;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
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
    const key = logonKey(logon);
    const guard = new LockoutGuard(this.engine(), this.givenClock);
    // Long enough for the read and the bind; a process that dies holding the account loses it then.
    const leaseMs = (settings.connectTimeout + 2 * settings.timeout) * 1000;
    const taken = await this.hold(guard, key, leaseMs);
    if (!taken) return { ok: false, reason: `another check of ${logon}'s password did not end in time; not asked` };
    let checked: Checked | null = null;
    try {
      checked = await this.checkHeld(guard, key, taken, logon, dn, password);
      return checked;
    } finally {
      // A check that threw still ends: as if it compared no password.
      if (!checked) await guard.release(key, taken);
    }
  }

  private async checkHeld(
    guard: LockoutGuard,
    key: string,
    taken: Taken,
    logon: string,
    dn: string,
    password: string,
  ): Promise<Checked> {
    const { settings } = this.options;
    const release = () => guard.release(key, taken);
    let read;
    try {
      read = await this.lockState(dn);
    } catch (err) {
      return { ...this.unreachable(err, "reading the account's lockout state"), after: release };
    }
    const { domain, state, policy, dc } = read;
    const under = policyWords(logon, policy);
    if (state.lockedOut)
      return {
        ok: false,
        reason: `${logon} is locked out in Active Directory (${dc}); the password was not sent`,
        after: release,
      };
    const window = windowOf(policy);
    const counted = effectiveBadCount(state, window, this.options.now() + domain.skewMs);
    // AD's own count (Windows logons included), read on the DC that will check: the IM server never makes the
    // bind that would take it past two below the threshold (at least one failure), as its own count never does.
    const allowed = allowedFailures(policy, settings.logonFailureCap);
    if (policy.threshold > 0 && counted >= allowed) {
      const retryAt = (state.badPasswordTimeMs ?? this.options.now() + domain.skewMs) + window - domain.skewMs;
      return {
        ok: false,
        reason:
          `protected from lockout: ${dc} counts ${counted} failed logon${counted === 1 ? '' : 's'} for ${logon} ` +
          `(Windows logons included) and AD locks it at ${policy.threshold}${under}; the password was not sent; ` +
          `not asked until ${new Date(retryAt).toISOString()}`,
        after: release,
      };
    }
    const reserved = LockoutGuard.admits(taken, allowed, window);
    if (!reserved.allowed)
      return {
        ok: false,
        reason:
          `protected from lockout: ${reserved.failures} failed checks within ` +
          `${Math.round(window / 1000)} s (` +
          `${policy.threshold ? `AD locks after ${policy.threshold}` : 'no lockout policy'}` +
          `${under}); not asked until ${new Date(reserved.retryAtMs).toISOString()}`,
        after: release,
      };
    try {
      const host = await this.passwords.check(dn, password, dc);
      // The caller replaces this with the write that also records the logon (loggedOn).
      return { ok: true, reason: `password accepted by ${host}${under}`, after: () => this.loggedOn(logon, null) };
    } catch (err) {
      const failure = err instanceof Failure ? err : null;
      if (failure?.code === 'invalid-credentials')
        return {
          ok: false,
          reason:
            `wrong password (data 52e; ${reserved.failures} of ${allowed} allowed` +
            `${policy.threshold ? `; ${dc} now counts ${counted + 1} of ${policy.threshold}` : ''}${under})`,
          after: () => guard.failed(key, taken, window),
        };
      if (failure && NOT_A_BAD_PASSWORD.has(failure.code))
        return { ok: false, reason: failure.message, after: release };
      if (failure?.code === 'password-needs-tls') return { ok: false, reason: failure.message, after: release };
      return { ...this.unreachable(err, 'checking the password'), after: release };
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
