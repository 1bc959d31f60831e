/**
 * What a stored password belongs to: the login ID and the server as configured (or the domain, when
 * domain controllers are found by DNS). A password is only ever sent to the target it was typed for.
 */
import { parseAdsPath } from './adspath.ts';
import { normalServerList } from './server-list.ts';
import type { Settings } from './settings.ts';

export interface PasswordTarget {
  login: string;
  server: string;
}

export function passwordTargetOf(settings: Settings): PasswordTarget {
  const path = parseAdsPath(settings.ouPath);
  // A list of servers is one target: adding a server to it means typing the password again.
  const server =
    normalServerList(settings.server) || (path.ok ? (path.server ?? (path.domain ? `domain:${path.domain}` : '')) : '');
  return { login: settings.login.trim(), server };
}

export function sameTarget(a: PasswordTarget, b: PasswordTarget): boolean {
  return (
    a.login.trim().toLowerCase() === b.login.trim().toLowerCase() &&
    a.server.trim().toLowerCase() === b.server.trim().toLowerCase()
  );
}
