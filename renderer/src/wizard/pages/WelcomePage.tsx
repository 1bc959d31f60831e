/** Page 1: what the wizard does, and the two hidden switches (the same settings as the Advanced dialog). */
import { Ak } from '../../controls/Ak.tsx';
import { useState } from 'react';
import type { ImportOptions } from '../../../../shared/contract.ts';

export function WelcomePage({ options, onOptions }: { options: ImportOptions; onOptions: (o: ImportOptions) => void }) {
  const [hidden, setHidden] = useState(false);
  return (
    <>
      <p>This wizard imports user accounts from Active Directory into the communication server's users database.</p>
      <p>
        You choose how to treat the existing database, which organizational units and groups to import from, and where
        the accounts go. Before anything is written you see every change the import would make; the import then runs
        with a progress bar and can be cancelled, leaving the database as it was.
      </p>
      <p>
        <button type="button" aria-expanded={hidden} onClick={() => setHidden((h) => !h)}>
          <Ak text="&Hidden settings…" />
        </button>
      </p>
      {hidden && (
        <fieldset>
          <legend>Hidden settings</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={options.importComputers}
              onChange={(e) => onOptions({ ...options, importComputers: e.target.checked })}
            />{' '}
            <Ak text="Import &computer names instead of user accounts" />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={options.parseMiddleName}
              onChange={(e) => onOptions({ ...options, parseMiddleName: e.target.checked })}
            />{' '}
            <Ak text="Parse user's &middle name from DisplayName value" />
          </label>
        </fieldset>
      )}
    </>
  );
}
