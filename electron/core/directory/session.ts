/** Sessions for work that does not report steps: the connection pipeline with no step hook. */
import type { Settings } from '../../../shared/settings.ts';
import type { BindGuard } from './bind-guard.ts';
import { type BoundSession, openBoundSession } from './pipeline.ts';
import type { NameResolver } from './resolver.ts';

/** A bound directory session (Browse, imports, on-the-fly lookups). */
export type DirectorySession = BoundSession;

/** "dc1.corp.example.com did not answer (…); used dc2.corp.example.com." — for logs, CLI and wizard. */
export function failoverNote(session: DirectorySession): string | null {
  return session.passedOver.length ? `${session.passedOver.join(' ')} Used ${session.host} instead.` : null;
}

/**
 * A session as the service account. `guard`: every such bind goes through it (a refused password is never
 * sent again); `preferredDc`: a domain controller to try first among those listed (incremental sync's last DC).
 */
export function openSession(
  settings: Settings,
  password: string | null,
  resolver: NameResolver,
  guard: BindGuard,
  preferredDc: string | null = null,
): Promise<DirectorySession> {
  return openBoundSession(settings, password, resolver, { preferredDc, guard });
}
