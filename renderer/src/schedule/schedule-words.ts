/** The schedule's words in the console: the status bar line, and whether it needs the administrator. */
import { countsText } from '../../../shared/import-run.ts';
import { scheduleSummary, type SyncStatus } from '../../../shared/sync-status.ts';
import type { RunSummary } from '../../../shared/users-view.ts';

export const runCounts = (r: RunSummary) => countsText(r.counts, { unchanged: false });

export const scheduleLine = (s: SyncStatus): string => scheduleSummary(s, runCounts);

/**
 * Shown in warning colours: something keeps the schedule from doing its job — a stopped service too (the
 * schedule is on, and nothing runs it).
 */
export const needsAttention = (s: SyncStatus): boolean =>
  (s.health === 'ok' && s.service !== null && !s.service.running) ||
  s.health === 'failing' ||
  s.health === 'waiting' ||
  s.health === 'paused' ||
  s.health === 'missing' ||
  s.health === 'refused';
