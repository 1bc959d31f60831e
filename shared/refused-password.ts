/**
 * A service-account password that a domain controller refused: no process binds with it again until the
 * password changes (the users database keeps a salted hash of it, never the password). The CLI, the status
 * bar, the integration dialog and the failure every blocked bind raises say it with these words.
 */
import type { ErrorCode } from './error-codes.ts';
import { utcText } from './utc-text.ts';

export interface RefusedPassword {
  /** The login ID it was refused for, as configured. */
  login: string;
  /** The domain controller that refused it. */
  dc: string;
  /** When (ISO 8601, UTC). */
  at: string;
  /** The DC's reason, as a sentence ("The login ID or password is wrong (AD code 52e)."). */
  reason: string;
}

/**
 * Refusals after which sending the same password again can only count towards a lockout (or extend one):
 * AD's 52e wrong password, 775 locked out, 532 expired password, 533 disabled, 701 expired account.
 */
export const REFUSING_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid-credentials',
  'account-locked',
  'password-expired',
  'account-disabled',
  'account-expired',
]);

const clause = (sentence: string) => sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.\s*$/, '');

/** "The password for CORP\svc was refused by dc1 at 2026-12-05 14:02 UTC (…); no process sends it again…" */
export function refusedPasswordText(r: RefusedPassword, when: (iso: string) => string = utcText): string {
  return (
    `The password for ${r.login} was refused by ${r.dc} at ${when(r.at)} (${clause(r.reason)}); no process sends ` +
    `it again until the password changes, so that the account is not locked out.`
  );
}

export const REFUSED_PASSWORD_HINT =
  'Type the right password in Tools → Active Directory (LDAP) integration… (bcscmd: ADCONSOLE_LDAP_PASSWORD or ' +
  '/PASSWORDFILE), or fix the account in Active Directory and press Test connection, which tries it once more.';
