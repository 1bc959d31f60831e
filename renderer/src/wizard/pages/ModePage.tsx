/** Page 2: what happens to the existing database. */
import { Ak } from '../../controls/Ak.tsx';
import type { ImportMode } from '../../../../shared/import-run.ts';

const MODES: { mode: ImportMode; label: string; note: string }[] = [
  {
    mode: 'new',
    label: '&Create a new database',
    note:
      'The current database is backed up first (the file name is shown at the end), then replaced by the ' +
      'imported accounts. Local accounts are in the backup only.',
  },
  {
    mode: 'add',
    label: '&Add new accounts to the existing database',
    note: 'Accounts that are not in the database yet are added; existing accounts are left exactly as they are.',
  },
  {
    mode: 'sync',
    label: '&Synchronize the existing database with the Active Directory',
    note:
      'Creates new accounts, updates changed ones, disables accounts that left the source and re-enables ' +
      'returning ones. Never deletes; never touches local accounts.',
  },
];

export function ModePage({
  mode,
  onMode,
  accounts,
}: {
  mode: ImportMode;
  onMode: (m: ImportMode) => void;
  accounts: number | null;
}) {
  return (
    <fieldset>
      <legend>Select how user accounts should be imported from the Active Directory</legend>
      <div className="radios vertical">
        {MODES.map((m) => (
          <label key={m.mode} className="check">
            <input type="radio" name="import-mode" checked={mode === m.mode} onChange={() => onMode(m.mode)} />{' '}
            <Ak text={m.label} />
            <span className="note indent block">{m.note}</span>
          </label>
        ))}
      </div>
      {accounts !== null && <p className="note">The database holds {accounts.toLocaleString('en-US')} accounts now.</p>}
    </fieldset>
  );
}
