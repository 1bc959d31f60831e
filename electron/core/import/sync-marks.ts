/**
 * Incremental sync's memory: per source (and the settings that shape the import), the DC read last and
 * the full-pass counters; per source and domain controller (by invocationID), the highest USN committed
 * on that DC before it was read. And the rules for when a pass must be full.
 */
import { createHash } from 'node:crypto';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import { everyNth, type ImportMode } from '../../../shared/import-run.ts';
import type { Settings } from '../../../shared/settings.ts';
import type { DcMarks } from '../directory/dc-marks.ts';
import { type ImportSource, isGroupSource } from './source.ts';

/** One domain controller's mark: everything it had committed up to `usn` has been read. */
export interface DcMark {
  dc_host: string;
  invocation_id: string;
  usn: number;
}

export interface MarksRow {
  /** The DC the last sync read (tried first next time). */
  dc_host: string;
  invocation_id: string;
  usn: number;
  since_full: number;
  last_seen: number;
  /** Every DC this source was read from, with its own mark. */
  dcs: DcMark[];
}

/** This DC's own mark, if it was read before (a restored DC has a new invocationID, so none). */
export function dcMarkFor(saved: MarksRow | undefined, marks: DcMarks): DcMark | undefined {
  return marks.invocationId ? saved?.dcs.find((d) => d.invocation_id === marks.invocationId) : undefined;
}

/**
 * What a sync of this source does, as data: the source and the settings that shape the import. The
 * incremental marks belong to one scope (any change means a full pass), and the schedule pauses when it
 * changes (sync-state.ts).
 */
export interface SyncScope {
  ous: string[];
  groups: string[];
  levels?: string[];
  computers: boolean;
  middle: boolean;
  placement: Settings['placement'];
  under: string;
  disabled: boolean;
}

export function syncScope(source: ImportSource, settings: Settings): SyncScope {
  const norm = (list: string[]) => list.map((dn) => dn.toLowerCase()).sort();
  return {
    ous: norm(source.ous),
    groups: norm(source.groups),
    ...(source.levels?.length ? { levels: norm(source.levels) } : {}),
    computers: settings.importComputers,
    middle: settings.parseMiddleName,
    placement: settings.placement,
    under: settings.placementOu,
    disabled: settings.importDisabled,
  };
}

export function sourceKey(source: ImportSource, settings: Settings): string {
  return createHash('sha256')
    .update(JSON.stringify(syncScope(source, settings)))
    .digest('hex');
}

export function fullPassReason(
  request: { mode: ImportMode; full: boolean; fullReason?: string },
  source: ImportSource,
  marks: DcMarks,
  saved: MarksRow | undefined,
  settings: Settings,
): string | null {
  if (request.mode !== 'sync') return 'only Synchronize runs incrementally';
  if (request.full) return request.fullReason ?? 'a full pass was asked for (/FULL)';
  if (isGroupSource(source))
    return "group sources are read in full (membership changes do not change the members' uSNChanged)";
  if (!saved) return 'first sync of this source with these settings';
  if (!marks.invocationId) return 'the domain controller did not report its invocationID';
  if (!dcMarkFor(saved, marks)) {
    const host = marks.dnsHostName.toLowerCase();
    if (saved.dcs.some((d) => d.dc_host.toLowerCase() === host))
      return (
        `the domain controller's invocationID changed (${marks.dnsHostName} restored from backup?): its ` +
        `earlier USNs no longer count`
      );
    return `first sync from ${marks.dnsHostName}: USNs are per domain controller (the last sync read ${saved.dc_host})`;
  }
  if (saved.since_full + 1 >= settings.fullSyncEvery)
    return `${everyNth(settings.fullSyncEvery, 'sync')} is a full pass, to notice deleted accounts`;
  return null;
}

export async function loadMarks(q: SqlQueryable, key: string): Promise<MarksRow | undefined> {
  const row = await q.get<Omit<MarksRow, 'dcs'>>('SELECT * FROM sync_marks WHERE source_key = ?', key);
  if (!row) return undefined;
  const dcs = await q.all<DcMark>('SELECT dc_host, invocation_id, usn FROM dc_marks WHERE source_key = ?', key);
  return { ...row, dcs };
}

/** `sinceFull` 0 = this was a full pass: it also becomes the estimate of how many entries the source holds. */
export async function saveMarks(
  tx: SqlQueryable,
  key: string,
  marks: DcMarks,
  sinceFull: number,
  now: string,
  seen: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO sync_marks (source_key, dc_host, invocation_id, usn, since_full, last_full_at, last_seen)
      VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_key) DO UPDATE SET dc_host = excluded.dc_host, invocation_id = excluded.invocation_id,
      usn = excluded.usn, since_full = excluded.since_full,
    last_full_at = CASE WHEN excluded.since_full = 0 THEN excluded.last_full_at ELSE sync_marks.last_full_at END,
    last_seen = CASE WHEN excluded.since_full = 0 THEN excluded.last_seen ELSE sync_marks.last_seen END`,
    key,
    marks.dnsHostName,
    marks.invocationId,
    marks.highestCommittedUsn,
    sinceFull,
    now,
    seen,
  );
  // A DC restored from backup keeps its name but not its USNs: its old mark goes.
  await tx.run(
    'DELETE FROM dc_marks WHERE source_key = ? AND lower(dc_host) = lower(?) AND invocation_id <> ?',
    key,
    marks.dnsHostName,
    marks.invocationId,
  );
  await tx.run(
    `INSERT INTO dc_marks (source_key, invocation_id, dc_host, usn, read_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (source_key, invocation_id) DO UPDATE SET dc_host = excluded.dc_host, usn = excluded.usn,
      read_at = excluded.read_at`,
    key,
    marks.invocationId,
    marks.dnsHostName,
    marks.highestCommittedUsn,
    now,
  );
}

/** The next sync of this source reads everything again. */
export async function forgetMarks(tx: SqlQueryable, key: string): Promise<void> {
  await tx.run('DELETE FROM sync_marks WHERE source_key = ?', key);
  await tx.run('DELETE FROM dc_marks WHERE source_key = ?', key);
}
