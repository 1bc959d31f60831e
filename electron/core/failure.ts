/**
 * A failure an administrator can act on, anywhere in the core: a code from the one list
 * (shared/error-codes.ts) for programs, a sentence saying what failed and why, a hint saying what to
 * do, and — for work that writes — whether the users database is known to be as it was.
 */
import type { ErrorCode } from '../../shared/error-codes.ts';

export class Failure extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  /** Set when nothing was written: the reporting side says "Nothing was changed…" once, in its own words. */
  readonly nothingChanged: boolean;
  constructor(
    code: ErrorCode,
    message: string,
    hint: string,
    options: { nothingChanged?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
    this.nothingChanged = options.nothingChanged ?? false;
  }
}
