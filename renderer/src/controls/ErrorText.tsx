/** A failure as a dialog shows it: what went wrong and what to do, announced to screen readers. */
import type { ApiError } from '../../../shared/result.ts';

export function ErrorText({ error }: { error: Pick<ApiError, 'message' | 'hint'> | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error-text">
      {error.message} {error.hint}
    </p>
  );
}
