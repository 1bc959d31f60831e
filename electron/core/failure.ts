/** A failure the admin can act on: a code for programs, a sentence saying what failed, a hint saying what to do. */
export class StepFailure extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(code: string, message: string, hint: string) {
    super(message);
    this.code = code;
    this.hint = hint;
  }
}
