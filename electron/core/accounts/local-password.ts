/**
 * Passwords of local accounts (AD accounts never get one: their password lives in AD). Stored as
 * `scrypt$N$r$p$salt$hash` (base64), so that the cost can be raised later without breaking old hashes;
 * compared in constant time.
 */
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
/** Longer than any password a person types; stops a megabyte "password" from costing a megabyte of hashing. */
export const MAX_PASSWORD_LENGTH = 1024;

const derive = (password: string, salt: Buffer, cost: ScryptOptions, length: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST, KEY_LENGTH);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!(N > 1 && r > 0 && p > 0) || expected.length === 0) return false;
  const key = await derive(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(key, expected);
}

/** Why a new password is refused, or null. The rules are few on purpose: length, and no control characters. */
export function passwordProblem(password: string): string | null {
  if (password.length === 0) return 'The password is empty.';
  if (password.length < 8) return 'The password is shorter than 8 characters.';
  if (password.length > MAX_PASSWORD_LENGTH) return `The password is longer than ${MAX_PASSWORD_LENGTH} characters.`;
  if (/[\u0000-\u001f\u007f]/.test(password))
    return 'The password contains a control character (such as a line break).';
  return null;
}
