/** A dialog that asks for one value (a name, an OU path) and keeps it open with the refusal's reason. */
import { Ak } from './Ak.tsx';
import { useId, useState } from 'react';
import type { ApiError } from '../../../shared/result.ts';
import { Dialog, OkCancel } from './Dialog.tsx';
import { ErrorText } from './ErrorText.tsx';
import { useRefusableSubmit } from './refusable-submit.ts';

export function PromptDialog({
  title,
  label,
  initial = '',
  note,
  help,
  onSubmit,
  onCancel,
}: {
  title: string;
  label: string;
  initial?: string;
  note?: string;
  /** The help topic F1 opens. */
  help?: string;
  /** The refusal to show, or null when it was done (the dialog then closes). */
  onSubmit: (value: string) => Promise<ApiError | null>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const { busy, error, submit } = useRefusableSubmit(onSubmit, onCancel);
  const id = useId();
  return (
    <Dialog
      title={title}
      help={help}
      onCancel={onCancel}
      onSubmit={() => void submit(value)}
      buttons={<OkCancel onCancel={onCancel} disabled={busy || value.trim() === ''} />}
    >
      {note && <p>{note}</p>}
      <div className="grid">
        <label htmlFor={id}>
          <Ak text={label} />
        </label>
        <input
          id={id}
          data-autofocus
          value={value}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
      </div>
      <ErrorText error={error} />
    </Dialog>
  );
}
