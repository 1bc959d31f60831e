/**
 * Turns LDAP result codes and AD's "data XXX" sub-codes into sentences an administrator can act on.
 * Pure tables: used by the core (to build errors) and by tests.
 */
import type { ErrorCode } from './error-codes.ts';

export interface Explained {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** AD puts a Win32 error in the diagnostic text of result 49: "…AcceptSecurityContext error, data 52e, v1db1". */
export const BIND_SUBCODES: Record<string, Explained> = {
  '525': {
    code: 'user-not-found',
    message: 'Active Directory has no account with this login ID (AD code 525).',
    hint: 'Check the Login ID: DOMAIN\\user, user@domain.com or the full DN of the account.',
  },
  '52e': {
    code: 'invalid-credentials',
    message: 'The login ID or password is wrong (AD code 52e).',
    hint: 'Retype the password; check the login ID. Repeated failures can lock the account out.',
  },
  '530': {
    code: 'logon-hours',
    message: 'The account may not log on at this time of day (AD code 530).',
    hint:
      "Ask a domain administrator to widen the account's logon hours, or use a service account without " +
      'hour limits.',
  },
  '531': {
    code: 'workstation-restricted',
    message: 'The account may not log on from this computer (AD code 531).',
    hint: 'Add this computer to the account\'s "Log On To" list, or use another account.',
  },
  '532': {
    code: 'password-expired',
    message: "The account's password has expired (AD code 532).",
    hint: 'Set a new password for the account in Active Directory, then type it here.',
  },
  '533': {
    code: 'account-disabled',
    message: 'The account is disabled in Active Directory (AD code 533).',
    hint: 'Enable the account in Active Directory Users and Computers, or use another account.',
  },
  '568': {
    code: 'too-many-sids',
    message: 'The account is a member of too many groups to log on (AD code 568).',
    hint: 'Use a service account with fewer group memberships.',
  },
  '701': {
    code: 'account-expired',
    message: 'The account has expired (AD code 701).',
    hint: "Extend the account's expiry date in Active Directory, or use another account.",
  },
  '773': {
    code: 'must-change-password',
    message: 'The account must change its password before it can log on (AD code 773).',
    hint:
      'Log on once with this account and change the password (or clear "User must change password at next ' +
      'logon"), then type the new one here.',
  },
  '775': {
    code: 'account-locked',
    message: 'The account is locked out (AD code 775).',
    hint:
      'Wait for the lockout to expire or ask a domain administrator to unlock it. Do not retry until then: ' +
      'each try extends the lockout.',
  },
};

/** LDAP result codes (RFC 4511 §A.2) that a console can meet, in words. */
export const RESULT_CODES: Record<number, Explained> = {
  1: {
    code: 'operations-error',
    message: 'The server refused the operation (LDAP result 1, operationsError).',
    hint: 'This usually means the bind did not succeed; check the account.',
  },
  2: {
    code: 'protocol-error',
    message: 'The server did not understand the request (LDAP result 2, protocolError).',
    hint: 'Check that the port is an LDAP port (389 or 636), not the Global Catalog or another service.',
  },
  3: {
    code: 'time-limit',
    message: 'The server stopped the search because it took too long (LDAP result 3).',
    hint: 'Raise the operation timeout in Advanced settings, or choose a smaller OU.',
  },
  4: {
    code: 'size-limit',
    message: 'The server returned fewer entries than exist (LDAP result 4, sizeLimitExceeded).',
    hint: 'The server ignored paging; lower the page size in Advanced settings.',
  },
  7: {
    code: 'auth-method-not-supported',
    message: 'The server does not support this way of logging on (LDAP result 7).',
    hint: 'Use Specified account with a password.',
  },
  8: {
    code: 'encryption-required',
    message: 'The server requires an encrypted connection for simple binds (LDAP result 8, strongerAuthRequired).',
    hint: 'Choose LDAPS or StartTLS in Advanced settings.',
  },
  10: {
    code: 'referral',
    message:
      "The server referred the request to another directory (LDAP result 10): the path is not in this server's domain.",
    hint: 'Check the DC= parts of the OU path, or name a domain controller of that domain.',
  },
  13: {
    code: 'confidentiality-required',
    message: 'The server requires an encrypted connection (LDAP result 13, confidentialityRequired).',
    hint: 'Choose LDAPS or StartTLS in Advanced settings.',
  },
  32: {
    code: 'no-such-object',
    message: 'The container does not exist in the directory (LDAP result 32, noSuchObject).',
    hint: 'Check the OU path, or pick the container with Browse….',
  },
  34: {
    code: 'invalid-dn',
    message: 'The server rejected the DN as malformed (LDAP result 34).',
    hint: 'Check the OU path for unescaped commas or quotes.',
  },
  48: {
    code: 'inappropriate-auth',
    message: 'The server refused this kind of logon (LDAP result 48, inappropriateAuthentication).',
    hint: 'Type a password: AD refuses binds with an empty password.',
  },
  49: {
    code: 'invalid-credentials',
    message: 'The login ID or password is wrong (LDAP result 49).',
    hint: 'Retype the password and check the login ID.',
  },
  50: {
    code: 'insufficient-access',
    message: 'The account is not allowed to read this part of the directory (LDAP result 50).',
    hint: 'Use an account with read access to the OU, or choose another OU.',
  },
  51: {
    code: 'busy',
    message: 'The domain controller is too busy to answer (LDAP result 51).',
    hint: 'Try again in a few minutes, or name another domain controller.',
  },
  52: {
    code: 'unavailable',
    message: 'The domain controller is not available for LDAP right now (LDAP result 52).',
    hint: 'Try again later, or name another domain controller.',
  },
  53: {
    code: 'unwilling',
    message: 'The domain controller refused the request (LDAP result 53, unwillingToPerform).',
    hint: 'Check that the account may log on and that the path is correct.',
  },
  80: {
    code: 'other',
    message: 'The domain controller reported an internal error (LDAP result 80).',
    hint: "Try again; if it persists, check the domain controller's event log.",
  },
};

/** Finds AD's "data XXX" code in a diagnostic message. */
export function adSubcode(diagnostic: string): string | null {
  const match = /\bdata ([0-9a-f]{1,8})\b/i.exec(diagnostic);
  return match ? match[1]!.toLowerCase() : null;
}

/** Explains an LDAP result; `diagnostic` is the server's text (AD puts its sub-code there). */
export function explainLdapResult(resultCode: number, diagnostic = ''): Explained {
  if (resultCode === 49) {
    const sub = adSubcode(diagnostic);
    if (sub && BIND_SUBCODES[sub]) return BIND_SUBCODES[sub];
  }
  const known = RESULT_CODES[resultCode];
  if (known) return known;
  const detail = diagnostic.trim() ? ` The server said: ${diagnostic.trim()}` : '';
  return {
    code: 'ldap-failed',
    message: `The server returned LDAP result ${resultCode}.${detail}`,
    hint: "Check the settings; if the problem persists, look up the result code in your directory's documentation.",
  };
}
