/**
 * A bounded pool of bound directory sessions for on-the-fly lookups. Each session is bound before it is
 * handed out (so no two first operations race on one unconnected client); a session whose connection
 * dropped is discarded and the next request binds a new one. When the directory cannot be reached, the
 * pool answers "unavailable" at once for a short while instead of letting requests pile up behind
 * connect timeouts; a refused bind is remembered the same way (binding again only counts towards a
 * lockout).
 */
import type { Settings } from '../../../shared/settings.ts';
import type { NameResolver } from '../directory/resolver.ts';
import type { BindGuard } from '../directory/bind-guard.ts';
import { failoverNote, openSession, type DirectorySession } from '../directory/session.ts';
import { Failure } from '../failure.ts';

export interface PoolOptions {
  size: number;
  /** How long a failure to reach or bind is answered from memory. */
  retryAfterMs: number;
  now?: () => number;
  /** Told when a session had to pass over domain controllers that did not answer (failover). */
  onFailover?: (note: string) => void;
  /** Every bind goes through it: a password a DC refused is not sent again. */
  guard: BindGuard;
}

export class SessionPool {
  private readonly idle: DirectorySession[] = [];
  private busy = 0;
  private readonly waiting: { resolve: (s: DirectorySession) => void; reject: (e: unknown) => void }[] = [];
  private failure: { error: Failure; until: number } | null = null;
  private closed = false;
  /** Sessions opened (binds) so far: for tests and the benchmark. */
  opened = 0;

  private readonly settings: Settings;
  private readonly password: string | null;
  private readonly resolver: NameResolver;
  private readonly options: Required<PoolOptions>;

  constructor(settings: Settings, password: string | null, resolver: NameResolver, options: PoolOptions) {
    this.settings = settings;
    this.password = password;
    this.resolver = resolver;
    this.options = { now: Date.now, onFailover: () => undefined, ...options };
  }

  async use<T>(work: (session: DirectorySession) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    let healthy = true;
    try {
      return await work(session);
    } catch (err) {
      healthy = session.client.isConnected;
      throw err;
    } finally {
      this.release(session, healthy && session.client.isConnected);
    }
  }

  private recentFailure(): Failure | null {
    if (this.failure && this.options.now() < this.failure.until) return this.failure.error;
    this.failure = null;
    return null;
  }

  private async acquire(): Promise<DirectorySession> {
    if (this.closed)
      throw new Failure(
        'pool-closed',
        'The directory connections are closed (the service is stopping).',
        'Try again when it runs.',
      );
    const remembered = this.recentFailure();
    if (remembered) throw remembered;
    const idle = this.idle.pop();
    if (idle) {
      this.busy++;
      return idle;
    }
    if (this.busy >= this.options.size) return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.busy++;
    try {
      const session = await openSession(this.settings, this.password, this.resolver, this.options.guard);
      this.opened++;
      const note = failoverNote(session);
      if (note) this.options.onFailover?.(note);
      return session;
    } catch (err) {
      this.busy--;
      const error =
        err instanceof Failure
          ? err
          : new Failure('directory-unavailable', (err as Error).message, 'Check the connection with Test connection.');
      this.failure = { error, until: this.options.now() + this.options.retryAfterMs };
      // Everyone queued behind this attempt gets the same answer now rather than after their own timeouts.
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
      throw error;
    }
  }

  private release(session: DirectorySession, healthy: boolean): void {
    const next = this.waiting.shift();
    if (healthy && next) {
      next.resolve(session);
      return;
    }
    this.busy--;
    if (healthy && !this.closed) this.idle.push(session);
    else void session.close();
    if (next) {
      // The dropped session's place goes to the first waiter, who binds a new one.
      this.acquire().then(next.resolve, next.reject);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0))
      waiter.reject(new Failure('pool-closed', 'The directory connections were closed.', ''));
    await Promise.all(this.idle.splice(0).map((s) => s.close()));
  }
}
