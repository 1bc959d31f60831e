/**
 * Find… (Ctrl+F): narrows the users view to the accounts that match every field filled in, as Active
 * Directory Users and Computers' Find does; the core runs it as SQL over the whole database, not over the
 * rows fetched so far.
 */
import { useId, useState } from 'react';
import { type AccountFind, EMPTY_FIND } from '../../../shared/users-view.ts';
import { plainText } from '../controls/access-key-text.ts';
import { Ak } from '../controls/Ak.tsx';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';

const TEXT_FIELDS: [keyof AccountFind, string][] = [
  ['logon', '&Logon name'],
  ['name', '&Name'],
  ['email', '&E-mail'],
  ['department', '&Department'],
  ['ou', 'Server &OU'],
];

/** The fields chosen from a list, with their choices (value, words); 'any' matches every account. */
const CHOICE_FIELDS: ['origin' | 'enabled', string, [string, string][]][] = [
  [
    'origin',
    'O&rigin',
    [
      ['any', 'Any'],
      ['ad', 'Active Directory'],
      ['local', 'Local'],
    ],
  ],
  [
    'enabled',
    'Ena&bled',
    [
      ['any', 'Any'],
      ['yes', 'Enabled'],
      ['no', 'Disabled'],
    ],
  ],
];

export function FindDialog({
  initial,
  onFind,
  onCancel,
}: {
  initial: AccountFind;
  onFind: (find: AccountFind) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<AccountFind>(initial);
  const base = useId();
  return (
    <Dialog
      title="Find Accounts"
      help="find"
      width={420}
      onCancel={onCancel}
      onSubmit={() => onFind(draft)}
      buttons={
        <>
          <button type="button" className="left" onClick={() => setDraft(EMPTY_FIND)}>
            <Ak text="Clear &all" />
          </button>
          <OkCancel onCancel={onCancel} ok="F&ind Now" />
        </>
      }
    >
      <div className="grid">
        {TEXT_FIELDS.map(([key, label], i) => (
          <div key={key} className="contents">
            <label htmlFor={`${base}-${key}`}>
              <Ak text={label} />
            </label>
            <input
              id={`${base}-${key}`}
              value={draft[key]}
              data-autofocus={i === 0 ? true : undefined}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            />
          </div>
        ))}
        {CHOICE_FIELDS.map(([key, label, choices]) => (
          <div key={key} className="contents">
            <label htmlFor={`${base}-${key}`}>
              <Ak text={label} />
            </label>
            <select
              id={`${base}-${key}`}
              value={draft[key]}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            >
              {choices.map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <p className="note">Every filled-in field must match; text matches anywhere in the field, in any case.</p>
    </Dialog>
  );
}

/** "logon contains ann, origin local": what a Find narrows the view to, for the status line. */
export function findText(find: AccountFind): string {
  const parts = TEXT_FIELDS.filter(([key]) => (find[key] as string).trim()).map(
    ([key, label]) => `${plainText(label).toLowerCase()} contains "${(find[key] as string).trim()}"`,
  );
  if (find.origin !== 'any') parts.push(find.origin === 'ad' ? 'from Active Directory' : 'local');
  if (find.enabled !== 'any') parts.push(find.enabled === 'yes' ? 'enabled' : 'disabled');
  return parts.join(', ');
}
