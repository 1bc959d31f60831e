/**
 * Keeps one bound session for a burst of related requests (each Browse… expand), so a click is one
 * search rather than a new connection and another bind. Reused only for identical connection settings,
 * login and password; closed after a minute idle. A lost connection is not silently re-bound: the next
 * request opens a new session. A bind refused for its credentials is remembered: requests with the same
 * credentials get the same answer without another bind, until the password or settings change.
 */
import crypto from 'node:crypto';
import { BIND_SUBCODES, RESULT_CODES } from '../../../shared/ad-errors.ts';
import type { Settings } from '../../../shared/settings.ts';
import { Failure } from '../failure.ts';
import type { NameResolver } from './resolver.ts';
import type { BindGuard } from './bind-guard.ts';
import { openSession, type DirectorySession } from './session.ts';

/** Refusals of the credentials themselves: binding again with the same ones only counts towards a lockout. */
const CREDENTIAL_REFUSALS = new Set([...Object.values(BIND_SUBCODES).map((e) => e.code), RESULT_CODES[49]!.code]);

const CONNECTION_FIELDS = [
  'account',
  'login',
  'ouPath',
  'server',
  'port',
  'security',
  'caFile',
  'connectTimeout',
  'timeout',
] as const;

function fingerprint(settings: Settings, password: string | null): string {
  const fields = CONNECTION_FIELDS.map((k) => settings[k]);
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([fields, password]))
    .digest('hex');
}

export class SessionCache {
  private entry: { key: string; session: DirectorySession; timer: NodeJS.Timeout } | null = null;
  /** The last refused bind: the same login, password and server are not tried again (lockout safety). */
  private refused: { key: string; failure: Failure } | null = null;
  private readonly idleMs: number;
  private readonly guard: BindGuard;
  /** How many sessions (binds) this cache has opened; for tests and diagnostics. */
  opened = 0;

  constructor(guard: BindGuard, idleMs = 60_000) {
    this.guard = guard;
    this.idleMs = idleMs;
  }

  async use<T>(
    settings: Settings,
    password: string | null,
    resolver: NameResolver,
    work: (session: DirectorySession) => Promise<T>,
  ): Promise<T> {
    const key = fingerprint(settings, password);
    if (this.entry && (this.entry.key !== key || !this.entry.session.client.isConnected)) await this.close();
    if (!this.entry) {
      if (this.refused?.key === key) throw this.refused.failure;
      let session: DirectorySession;
      try {
        session = await openSession(settings, password, resolver, this.guard);
      } catch (err) {
        if (err instanceof Failure && CREDENTIAL_REFUSALS.has(err.code)) this.refused = { key, failure: err };
        throw err;
      }
      this.refused = null;
      this.opened++;
      this.entry = { key, session, timer: setTimeout(() => void this.close(), this.idleMs) };
    }
    const entry = this.entry;
    entry.timer.refresh();
    entry.timer.unref(); // an idle browse session never keeps the process alive
    try {
      return await work(entry.session);
    } catch (err) {
      if (!entry.session.client.isConnected) await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    if (entry) {
      clearTimeout(entry.timer);
      await entry.session.close();
    }
  }
}
