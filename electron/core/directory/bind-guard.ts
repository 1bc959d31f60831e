/**
 * What keeps a service account from being locked out by retries: every process binds through a guard that
 * knows the passwords a domain controller refused (secrets/refused-passwords.ts keeps them in the users
 * database, shared by every process on it). A refused password is never sent again until it changes.
 */
import type { Failure } from '../failure.ts';

export interface BindGuard {
  /** Throws the Failure that says why, when this password was refused for this login ID before. */
  check(login: string, password: string): Promise<void>;
  /** The DC refused the bind: a refusal of the password itself (shared REFUSING_CODES) is kept. */
  refused(login: string, password: string, dc: string, failure: Failure): Promise<void>;
  /** The DC accepted it: whatever was refused before for this login ID no longer applies. */
  accepted(login: string): Promise<void>;
}
