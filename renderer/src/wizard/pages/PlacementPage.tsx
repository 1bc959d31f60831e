/** Page 4: where imported accounts go in the server's OU tree, and what happens to AD-disabled accounts. */
import { Ak } from '../../controls/Ak.tsx';
import { useId } from 'react';
import { placementProblem, type PlacementState } from '../wizard-state.ts';

export function PlacementPage({ value, onChange }: { value: PlacementState; onChange: (p: PlacementState) => void }) {
  const problem = placementProblem(value);
  // Each box is named by its radio's visible words.
  const ids = { recreate: useId(), single: useId() };
  return (
    <>
      <fieldset>
        <legend>Where to place the imported accounts</legend>
        <label className="check">
          <input
            type="radio"
            name="placement"
            checked={value.placement === 'recreate'}
            onChange={() => onChange({ ...value, placement: 'recreate' })}
          />{' '}
          <span id={ids.recreate}>
            <Ak text="&Recreate the Active Directory OU structure under:" />
          </span>
        </label>
        <div className="indent">
          <input
            type="text"
            aria-labelledby={ids.recreate}
            disabled={value.placement !== 'recreate'}
            value={value.recreateUnder}
            onChange={(e) => onChange({ ...value, recreateUnder: e.target.value })}
            placeholder="empty = the top of the server's tree"
          />
        </div>
        <label className="check">
          <input
            type="radio"
            name="placement"
            checked={value.placement === 'single'}
            onChange={() => onChange({ ...value, placement: 'single' })}
          />{' '}
          <span id={ids.single}>
            <Ak text="&Place all imported accounts into:" />
          </span>
        </label>
        <div className="indent">
          <input
            type="text"
            aria-labelledby={ids.single}
            disabled={value.placement !== 'single'}
            value={value.singleInto}
            onChange={(e) => onChange({ ...value, singleInto: e.target.value })}
            placeholder="empty = _Default"
          />
        </div>
        <p className="note">
          Server OU paths are written with slashes, e.g. Staff/Sales; a slash inside a name is written \/.
        </p>
        {problem && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Accounts disabled in Active Directory</legend>
        <label className="check">
          <input
            type="radio"
            name="disabled"
            checked={value.importDisabled}
            onChange={() => onChange({ ...value, importDisabled: true })}
          />{' '}
          <Ak text="&Import accounts disabled in Active Directory as disabled accounts" />
        </label>
        <label className="check">
          <input
            type="radio"
            name="disabled"
            checked={!value.importDisabled}
            onChange={() => onChange({ ...value, importDisabled: false })}
          />{' '}
          <Ak text="S&kip accounts disabled in Active Directory" />
        </label>
      </fieldset>
    </>
  );
}
