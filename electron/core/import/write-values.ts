/**
 * What a planned create or update writes into an account, worked out when it is planned (while the directory is
 * still being read) and kept in the run's stage, so that the apply under the write lock only moves rows. The
 * account's server OU (created at apply time if missing) and the times are added by the apply.
 */
import { type AccountRow, DERIVED_COLUMNS, derivedValues } from '../database/accounts.ts';
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import type { Action } from '../../../shared/import-run.ts';
import type { SqlValue } from '../database/engine/sql-engine.ts';
import type { AdAccount } from './ad-account.ts';

/** The person fields' columns come from the field table; the columns derived from them go with them. */
export const PERSON_COLUMNS = [...DERIVED_COLUMNS, ...PERSON_FIELDS.map((f) => f.column)];
/** The columns whose values are worked out when planned, in `writeValues` order (kind last: an update keeps it). */
export const WRITTEN_COLUMNS = [
  ...PERSON_COLUMNS,
  'enabled',
  'disabled_by',
  'ad_guid',
  'ad_dn',
  'ad_usn',
  'ad_when_changed',
  'kind',
] as const;
export const INT_WRITTEN = new Set<string>(['enabled', 'ad_usn']);

/** What an account was before (an update keeps an administrator's disable). */
export type Before = Pick<AccountRow, 'enabled' | 'disabled_by'>;

/**
 * A disable that carries the entry is AD's (one without it is the gone-from-the-source disable); an account that
 * left the source and comes back disabled in AD is now disabled in AD.
 */
function enabledAfter(action: Action, a: AdAccount, was: Before | null): [number, string | null] {
  if (action === 'create' || !was) return a.enabled ? [1, null] : [0, 'ad'];
  if (action === 'disable') return [0, 'ad'];
  if (action === 'enable') return [1, null];
  return !a.enabled && was.enabled === 0 && was.disabled_by === 'sync' ? [0, 'ad'] : [was.enabled, was.disabled_by];
}

/** The values of WRITTEN_COLUMNS for an entry planned to be created (`was` null) or written over `was`. */
export function writeValues(action: Action, a: AdAccount, was: Before | null): SqlValue[] {
  const [enabled, disabledBy] = enabledAfter(action, a, was);
  const fields = [...derivedValues(a), ...PERSON_FIELDS.map((f) => a[f.key])];
  return [...fields, enabled, disabledBy, a.guid, a.dn, a.usn, a.whenChanged, a.kind];
}
