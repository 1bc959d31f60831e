/** View → Add/Remove Columns…: tick the columns the accounts table shows (the logon name always stays). */
import { useState } from 'react';
import type { SortColumn } from '../../../shared/users-view.ts';
import { Ak } from '../controls/Ak.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { ACCOUNT_COLUMNS, ALWAYS_SHOWN, DEFAULT_SHOWN } from './account-columns.ts';

export function ColumnsDialog({
  shown,
  onApply,
  onCancel,
}: {
  shown: readonly SortColumn[];
  /** `restored`: Restore defaults was pressed, so the dragged column widths go too. */
  onApply: (shown: SortColumn[], restored: boolean) => void;
  onCancel: () => void;
}) {
  const [ticked, setTicked] = useState<Set<SortColumn>>(() => new Set([...shown, ALWAYS_SHOWN]));
  const [restored, setRestored] = useState(false);
  const flip = (key: SortColumn) => {
    const next = new Set(ticked);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setTicked(next);
  };
  return (
    <Dialog
      title="Add/Remove Columns"
      help="columns"
      width={360}
      onCancel={onCancel}
      onSubmit={() =>
        onApply(
          ACCOUNT_COLUMNS.map((c) => c.key).filter((k) => ticked.has(k)),
          restored,
        )
      }
      buttons={
        <>
          <button
            type="button"
            className="left"
            title="The default columns, at their default widths"
            onClick={() => {
              setTicked(new Set(DEFAULT_SHOWN));
              setRestored(true);
            }}
          >
            <Ak text="&Restore defaults" />
          </button>
          <OkCancel onCancel={onCancel} />
        </>
      }
    >
      <div role="group" aria-label="Columns shown" className="radios vertical">
        {ACCOUNT_COLUMNS.map((c, i) => (
          <label key={c.key} className="check">
            <input
              type="checkbox"
              data-autofocus={i === 1 ? true : undefined}
              checked={ticked.has(c.key)}
              disabled={c.key === ALWAYS_SHOWN}
              onChange={() => flip(c.key)}
            />{' '}
            {c.title}
          </label>
        ))}
      </div>
    </Dialog>
  );
}
