/**
 * Passwords of local accounts (AD accounts never get one: their password lives in AD): the rules a new one
 * must meet. They are stored as salted scrypt hashes (secrets/password-hash.ts).
 */

/** Longer than any password a person types; stops a megabyte "password" from costing a megabyte of hashing. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Why a new password is refused, or null. The rules are few on purpose: length, and no control characters. */
export function passwordProblem(password: string): string | null {
  if (password.length === 0) return 'The password is empty.';
  if (password.length < 8) return 'The password is shorter than 8 characters.';
  if (password.length > MAX_PASSWORD_LENGTH) return `The password is longer than ${MAX_PASSWORD_LENGTH} characters.`;
  if (/[\u0000-\u001f\u007f]/.test(password))
    return 'The password contains a control character (such as a line break).';
  return null;
}
