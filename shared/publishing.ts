/**
 * Publishing the directory to the IM server, as `bcscmd /PUBLISH /JSON`, `/STATUS` and the console's status bar
 * show it: what one publish did, and how publishing is doing (the last publish, changes waiting, the last error).
 */
import { utcText } from './utc-text.ts';

export interface PublishCounts {
  /** A full publish (reconcile): what the IM server holds was read back and repaired. */
  full: boolean;
  host: string;
  groupsCreated: number;
  groupsUpdated: number;
  groupsDeleted: number;
  membersAdded: number;
  membersRemoved: number;
  vcardsSet: number;
  unregistered: number;
  /** Per-item refusals (a vCard ejabberd did not store…), each in words; the rest went out. */
  problems: string[];
  durationMs: number;
}

export type PublishingHealth = 'off' | 'ok' | 'pending' | 'failing';

export interface PublishingStatus {
  /** imApi is set: the directory is published. */
  configured: boolean;
  api: string | null;
  /** The IM host it is published to (the first of imDomains), null when not known yet. */
  host: string | null;
  lastAt: string | null;
  lastFullAt: string | null;
  lastCounts: PublishCounts | null;
  /** Why the last publish stopped (cleared by the next one that succeeds). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Changes made since the last publish (or a repair owed): the next publish sends them. */
  pending: boolean;
  /** A process is publishing now. */
  running: boolean;
  health: PublishingHealth;
}

export function publishCountsText(c: PublishCounts): string {
  const parts = [
    `${c.groupsCreated} group${c.groupsCreated === 1 ? '' : 's'} created`,
    `${c.groupsUpdated} updated`,
    `${c.groupsDeleted} deleted`,
    `${c.membersAdded} member${c.membersAdded === 1 ? '' : 's'} added`,
    `${c.membersRemoved} removed`,
    `${c.vcardsSet} vCard${c.vcardsSet === 1 ? '' : 's'} set`,
    `${c.unregistered} account${c.unregistered === 1 ? '' : 's'} unregistered`,
  ];
  return `${parts.join(', ')} (${(c.durationMs / 1000).toFixed(1)} s)`;
}

/** Local time of day, HH:MM (the viewer's clock). */
const hhmm = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** One line for the status bar and /STATUS. */
export function publishingSummary(p: PublishingStatus): string {
  switch (p.health) {
    case 'off':
      return 'IM directory: not published (no imApi)';
    case 'failing':
      return `IM directory: publishing failed at ${hhmm(p.lastErrorAt!)}: ${p.lastError}`;
    case 'pending':
      return p.running
        ? `IM directory: publishing to ${p.host} now`
        : `IM directory: changes wait to be published to ${p.host ?? 'the IM server'}`;
    default:
      return `IM directory: published to ${p.host} at ${hhmm(p.lastAt!)}`;
  }
}

/** The longer lines of /STATUS. */
export function publishingLines(p: PublishingStatus): string[] {
  if (!p.configured) return ['IM:         not published (set imApi to publish the directory to ejabberd)'];
  const lines = [
    `IM:         ${p.api} → ${p.host ?? '(host unknown: set imDomains)'}; ` +
      `${p.running ? 'publishing now' : p.pending ? 'changes waiting' : 'up to date'}`,
  ];
  if (p.lastAt && p.lastCounts)
    lines.push(
      `            last publish ${utcText(p.lastAt, 'second')}${p.lastCounts.full ? ' (full)' : ''}: ` +
        publishCountsText(p.lastCounts),
    );
  if (p.lastFullAt) lines.push(`            last full publish ${utcText(p.lastFullAt, 'second')}`);
  for (const problem of p.lastCounts?.problems ?? []) lines.push(`            problem: ${problem}`);
  if (p.lastError) lines.push(`            failed ${utcText(p.lastErrorAt!, 'second')}: ${p.lastError}`);
  return lines;
}
