/**
 * The submit of a dialog whose work may be refused (a name taken, an OU missing): busy while it runs, the
 * refusal shown in the dialog, which stays open with what was typed; closed when the work was done.
 */
import { useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';

export function useRefusableSubmit<T>(work: (value: T) => Promise<ApiError | null>, close: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (value: T) => {
    setBusy(true);
    const refused = await work(value);
    setBusy(false);
    if (refused) setError(refused);
    else close();
  };
  return { busy, error, setError, submit };
}
