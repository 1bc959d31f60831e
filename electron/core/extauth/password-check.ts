/**
 * Checks an AD user's password with a simple bind as that user, on a connection of the logon service's
 * own — never the service account's session. The connection is kept after a successful check and the
 * next check binds on it again (a bind replaces the connection's identity; a failed one leaves it
 * anonymous), which saves a TCP and TLS handshake per logon; a dropped one is replaced once. Only over
 * LDAPS or StartTLS: the pipeline refuses a password check with Security None before connecting.
 */
import type { Settings } from '../../../shared/settings.ts';
import { Failure } from '../failure.ts';
import { explainLdapError } from '../directory/ldap-errors.ts';
import { type BoundSession, openBoundSession } from '../directory/pipeline.ts';
import type { NameResolver } from '../directory/resolver.ts';

/** The connection itself failed, not the credentials: worth one fresh connection. */
const CONNECTION_TROUBLE = new Set(['connection-lost', 'operation-timeout']);

export class PasswordChecker {
  private session: BoundSession | null = null;
  private readonly settings: Settings;
  private readonly resolver: NameResolver;

  constructor(settings: Settings, resolver: NameResolver) {
    this.settings = settings;
    this.resolver = resolver;
  }

  /**
   * Resolves with the DC that accepted the password; rejects with the Failure that says why not. `dc`: the
   * domain controller whose count of failed logons was just read — the check goes there (a connection to
   * another is replaced), so that the count read is the count this bind adds to.
   */
  async check(dn: string, password: string, dc: string | null = null): Promise<string> {
    if (password === '') throw new Failure('no-password', 'An empty password is never sent.', '');
    if (this.session && dc && this.session.host !== dc) await this.close();
    if (this.session) {
      try {
        await this.session.client.bind(dn, password);
        return this.session.host;
      } catch (err) {
        const failure = explainLdapError(err, 'password check (bind)', this.settings.timeout * 1000);
        if (!CONNECTION_TROUBLE.has(failure.code)) throw failure;
        await this.close();
      }
    }
    const session = await openBoundSession(
      { ...this.settings, account: 'specified', login: dn },
      password,
      this.resolver,
      { requireTls: true, preferredDc: dc },
    );
    this.session = session;
    return session.host;
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.close().catch(() => undefined);
  }
}
