/**
 * Incremental sync's memory: per source (and the settings that shape the import), the DC read last, its
 * invocationID and the highest USN committed before that read; and the rules for when a pass must be full.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Settings } from '../../../shared/settings.ts';
import type { DcMarks } from '../directory/dc-marks.ts';
import type { ImportRequest } from './import-engine.ts';
import { type ImportSource, isGroupSource } from './source.ts';

export interface MarksRow {
  dc_host: string;
  invocation_id: string;
  usn: number;
  since_full: number;
  last_seen: number;
}

/** Incremental marks belong to one source read one way: any change to either means a full pass. */
export function sourceKey(source: ImportSource, settings: Settings): string {
  const norm = (list: string[]) => list.map((dn) => dn.toLowerCase()).sort();
  const shape = { ous: norm(source.ous), groups: norm(source.groups), ...(source.levels?.length ? { levels: norm(source.levels) } : {}), computers: settings.importComputers, middle: settings.parseMiddleName, placement: settings.placement, under: settings.placementOu, disabled: settings.importDisabled };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

export function fullPassReason(request: Pick<ImportRequest, 'mode' | 'full'>, source: ImportSource, marks: DcMarks, saved: MarksRow | undefined, settings: Settings): string | null {
  if (request.mode !== 'sync') return 'only Synchronize runs incrementally';
  if (request.full) return 'a full pass was asked for (/FULL)';
  if (isGroupSource(source)) return 'group sources are read in full (membership changes do not change the members\' uSNChanged)';
  if (!saved) return 'first sync of this source with these settings';
  if (!marks.invocationId) return 'the domain controller did not report its invocationID';
  if (saved.dc_host.toLowerCase() !== marks.dnsHostName.toLowerCase()) return `another domain controller answered (${marks.dnsHostName}; the last sync read ${saved.dc_host})`;
  if (saved.invocation_id !== marks.invocationId) return 'the domain controller\'s invocationID changed (restored from backup?)';
  if (saved.since_full + 1 >= settings.fullSyncEvery) return `every ${settings.fullSyncEvery}th sync is a full pass, to notice deleted accounts`;
  return null;
}

export function loadMarks(db: DatabaseSync, key: string): MarksRow | undefined {
  return db.prepare('SELECT * FROM sync_marks WHERE source_key = ?').get(key) as MarksRow | undefined;
}

/** `sinceFull` 0 = this was a full pass: it also becomes the estimate of how many entries the source holds. */
export function saveMarks(db: DatabaseSync, key: string, marks: DcMarks, sinceFull: number, now: string, seen: number): void {
  db.prepare(`INSERT INTO sync_marks (source_key, dc_host, invocation_id, usn, since_full, last_full_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_key) DO UPDATE SET dc_host = excluded.dc_host, invocation_id = excluded.invocation_id, usn = excluded.usn, since_full = excluded.since_full,
    last_full_at = CASE WHEN excluded.since_full = 0 THEN excluded.last_full_at ELSE last_full_at END,
    last_seen = CASE WHEN excluded.since_full = 0 THEN excluded.last_seen ELSE last_seen END`).run(key, marks.dnsHostName, marks.invocationId, marks.highestCommittedUsn, sinceFull, now, seen);
}

/** The next sync of this source reads everything again. */
export function forgetMarks(db: DatabaseSync, key: string): void {
  db.prepare('DELETE FROM sync_marks WHERE source_key = ?').run(key);
}
