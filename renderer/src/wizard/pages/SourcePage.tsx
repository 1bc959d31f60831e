/** Page 3: by Organizational Units or/and Groups, with the number of accounts the selection holds. */
import { Ak } from '../../controls/Ak.tsx';
import type { GroupNode } from '../../../../shared/contract.ts';
import type { Settings } from '../../../../shared/settings.ts';
import { GroupPicker } from '../GroupPicker.tsx';
import type { OuSelection } from '../ou-selection.ts';
import { SourceTree } from '../SourceTree.tsx';
import { ErrorText } from '../../controls/ErrorText.tsx';
import type { CountState } from '../wizard-state.ts';

export interface SourceProps {
  settings: Settings;
  ous: OuSelection;
  includeSub: boolean;
  groups: GroupNode[];
  count: CountState;
  kind: string;
  onOus: (s: OuSelection) => void;
  onIncludeSub: (on: boolean) => void;
  onGroups: (g: GroupNode[]) => void;
}

export function SourcePage({
  settings,
  ous,
  includeSub,
  groups,
  count,
  kind,
  onOus,
  onIncludeSub,
  onGroups,
}: SourceProps) {
  return (
    <>
      <div className="row">
        <p className="grow">
          Select the {kind} to import by Organizational Units or/and Groups (members of nested groups included).
          {settings.importSource.trim() &&
            ' The source the scheduled sync imports (saved by the last import) is ticked to begin with.'}
        </p>
        <button
          type="button"
          disabled={ous.subtrees.length + ous.levels.length + groups.length === 0}
          onClick={() => {
            onOus({ subtrees: [], levels: [] });
            onGroups([]);
          }}
        >
          <Ak text="C&lear selection" />
        </button>
      </div>
      <div className="source-columns">
        <fieldset>
          <legend>Organizational Units</legend>
          <label className="check">
            <input type="checkbox" checked={includeSub} onChange={(e) => onIncludeSub(e.target.checked)} />{' '}
            <Ak text="Include &sub-OUs" />
          </label>
          <SourceTree settings={settings} selection={ous} includeSub={includeSub} onChange={onOus} />
        </fieldset>
        <fieldset>
          <legend>Groups</legend>
          <GroupPicker selected={groups} onChange={onGroups} />
        </fieldset>
      </div>
      <p role="status" className="source-count">
        {count.state === 'none' && 'Tick at least one OU or group.'}
        {count.state === 'counting' && 'Counting the accounts in the selection…'}
        {count.state === 'done' && `The selection holds ${count.value.total.toLocaleString('en-US')} ${kind}.`}
      </p>
      {count.state === 'done' && count.value.parts.length > 1 && (
        <ul className="note count-parts">
          {count.value.parts.map((p) => (
            <li key={p.label}>
              {p.label}: {p.count.toLocaleString('en-US')}
            </li>
          ))}
        </ul>
      )}
      {count.state === 'failed' && <ErrorText error={count.error} />}
    </>
  );
}
