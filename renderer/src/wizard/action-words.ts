/** How actions and phases read in the wizard. */
import type { Action, Counts, Phase } from '../../../shared/import-run.ts';
import { COUNT_OF } from '../../../shared/import-run.ts';

export const ACTION_LABEL: Record<Action, string> = {
  create: 'Create',
  update: 'Update',
  disable: 'Disable',
  enable: 'Enable',
  delete: 'Delete',
  unchanged: 'Unchanged',
  skip: 'Skip',
  conflict: 'Conflict',
  failed: 'Failed',
};

export const PREVIEW_ACTIONS: Action[] = ['create', 'update', 'disable', 'enable', 'unchanged', 'skip', 'conflict'];

/** Actions that write, and so can be left out of a run. */
export const WRITING_ACTIONS: Action[] = ['create', 'update', 'disable', 'enable'];

export const countOf = (counts: Counts, action: Action) => counts[COUNT_OF[action]];

export const PHASE_LABEL: Record<Phase, string> = {
  connect: 'Connecting to the directory',
  search: 'Reading accounts from the directory',
  plan: 'Planning the changes',
  apply: 'Writing to the users database',
};
