import { describe, expect, it } from 'vitest';
import { dcMarkFor, fullPassReason, type MarksRow, sourceKey } from '../../../../electron/core/import/sync-marks.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';

const marks = {
  dnsHostName: 'dc1.corp.example.test',
  invocationId: '11111111-2222-3333-4444-555555555555',
  highestCommittedUsn: 9000,
  defaultNamingContext: 'DC=corp',
};
const saved: MarksRow = {
  dc_host: 'DC1.corp.example.test',
  invocation_id: marks.invocationId,
  usn: 8000,
  since_full: 0,
  last_seen: 100,
  dcs: [{ dc_host: 'DC1.corp.example.test', invocation_id: marks.invocationId, usn: 8000 }],
};
const dc2 = {
  dnsHostName: 'dc2.corp.example.test',
  invocationId: '99999999-2222-3333-4444-555555555555',
  highestCommittedUsn: 12000,
  defaultNamingContext: 'DC=corp',
};
const ous = { ous: ['OU=Staff,DC=corp'], groups: [] };
const sync = { mode: 'sync' as const, full: false };

describe('when a sync may read only the changes', () => {
  it('reads incrementally on the same DC with the same invocationID (host names compared case-insensitively)', () => {
    expect(fullPassReason(sync, ous, marks, saved, DEFAULT_SETTINGS)).toBeNull();
  });

  it.each([
    ['the first sync', sync, ous, marks, undefined, /first sync/],
    ['/FULL', { ...sync, full: true }, ous, marks, saved, /\/FULL/],
    [
      'a DC this source was never read from',
      sync,
      ous,
      dc2,
      saved,
      /first sync from dc2\.corp\.example\.test: USNs are per domain controller \(the last sync read DC1/,
    ],
    [
      'a restored DC (same name, new invocationID)',
      sync,
      ous,
      { ...marks, invocationId: 'aaaaaaaa-2222-3333-4444-555555555555' },
      saved,
      /invocationID changed \(dc1\.corp\.example\.test restored from backup\?\)/,
    ],
    ['a group source', sync, { ous: [], groups: ['CN=g,DC=corp'] }, marks, saved, /group sources/],
    ['the 24th sync', sync, ous, marks, { ...saved, since_full: 23 }, /every 24th sync/],
    ['another mode', { mode: 'add' as const, full: false }, ous, marks, saved, /only Synchronize/],
  ])('reads everything for %s', (_, request, source, dcMarks, last, reason) => {
    expect(fullPassReason(request, source, dcMarks, last, DEFAULT_SETTINGS)).toMatch(reason);
  });

  it("reads incrementally from another DC's own mark when that DC was read before, never from the last DC's", () => {
    const both: MarksRow = {
      ...saved,
      dcs: [...saved.dcs, { dc_host: dc2.dnsHostName, invocation_id: dc2.invocationId, usn: 11000 }],
    };
    expect(fullPassReason(sync, ous, dc2, both, DEFAULT_SETTINGS)).toBeNull();
    expect(dcMarkFor(both, dc2)).toMatchObject({ usn: 11000 });
    expect(dcMarkFor(both, marks)).toMatchObject({ usn: 8000 });
  });

  it('keeps marks apart for different sources and for settings that change what an import produces', () => {
    const key = sourceKey(ous, DEFAULT_SETTINGS);
    // DNs are case-insensitive.
    expect(sourceKey({ ous: ['ou=staff,dc=corp'], groups: [] }, DEFAULT_SETTINGS)).toBe(key);
    expect(sourceKey({ ous: ['OU=Sales,DC=corp'], groups: [] }, DEFAULT_SETTINGS)).not.toBe(key);
    expect(sourceKey(ous, { ...DEFAULT_SETTINGS, parseMiddleName: true })).not.toBe(key);
    expect(sourceKey(ous, { ...DEFAULT_SETTINGS, placementOu: 'AD' })).not.toBe(key);
    expect(sourceKey(ous, { ...DEFAULT_SETTINGS, pageSize: 100 })).toBe(key);
  });
});
