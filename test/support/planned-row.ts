import type { PlannedAction } from '../../shared/import-run.ts';

/** A preview row with only what a test names: an action, a logon name, and any other fields given. */
export const plannedRow = (
  action: PlannedAction['action'],
  logon: string,
  fields: Partial<PlannedAction> = {},
): PlannedAction => ({
  action,
  logon,
  dn: null,
  guid: null,
  changes: null,
  reason: null,
  targetOu: null,
  displayName: null,
  ...fields,
});
