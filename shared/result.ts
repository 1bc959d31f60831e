import type { ErrorCode } from './error-codes.ts';

/** How every operation answers across a transport: Electron keeps only `message` of a thrown Error. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  hint?: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint ? { code, message, hint } : { code, message },
});
