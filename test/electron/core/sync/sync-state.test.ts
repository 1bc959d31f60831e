import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankOutcome } from '../../../../shared/import-run.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings.ts';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { sqliteEngineOf } from '../../../../electron/core/database/engine/sqlite-engine.ts';
import {
  approveScope,
  noteFinishedRun,
  noteServiceRun,
  pauseReason,
  previewsSchedule,
  readSyncState,
  requestRunNow,
  scheduledScope,
  takeRunNow,
} from '../../../../electron/core/sync/sync-state.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { importRequest } from '../../../support/users-db.ts';

const SETTINGS: Settings = { ...DEFAULT_SETTINGS, ouPath: 'LDAP://OU=Staff,DC=corp,DC=example,DC=com' };
const succeeded = () => blankOutcome('sync', false, 'succeeded');

function database() {
  const db = openUsersDatabase(path.join(tempDir(), 'users.sqlite')).db;
  approveScope(db, scheduledScope(SETTINGS));
  return db;
}

describe('the schedule pauses when the settings change what a sync imports', () => {
  it('is not paused while the settings import what was approved', async () => {
    expect(pauseReason(await readSyncState(sqliteEngineOf(database())), SETTINGS)).toBe(null);
  });

  it('names what changed: the OUs read, the placement, the options', async () => {
    const db = database();
    const state = await readSyncState(sqliteEngineOf(db));
    expect(pauseReason(state, { ...SETTINGS, ouPath: 'LDAP://OU=Sales,DC=corp,DC=example,DC=com' })).toMatch(
      /the settings changed what a sync imports \(the OUs it reads\)/,
    );
    expect(pauseReason(state, { ...SETTINGS, importSource: 'group:CN=Staff,DC=corp,DC=example,DC=com' })).toMatch(
      /\(the OUs it reads, the groups it reads\)/,
    );
    expect(pauseReason(state, { ...SETTINGS, placement: 'single', importDisabled: false })).toMatch(
      /\(where accounts are placed, whether disabled accounts are imported\)/,
    );
    // Case and order of the DNs do not matter; a setting that does not shape the import does not pause.
    expect(pauseReason(state, { ...SETTINGS, ouPath: 'LDAP://ou=staff,dc=corp,dc=example,dc=com' })).toBe(null);
    expect(pauseReason(state, { ...SETTINGS, server: 'dc2.corp.example.com', syncEveryMinutes: 5 })).toBe(null);
  });

  it("lifts with an administrator's preview of the scheduled scope, not with a one-off source", async () => {
    const db = database();
    const changed = { ...SETTINGS, ouPath: 'LDAP://OU=Sales,DC=corp,DC=example,DC=com' };
    const oneOff = importRequest({ dryRun: true, source: { ous: ['OU=Other,DC=corp,DC=example,DC=com'], groups: [] } });
    noteFinishedRun(db, oneOff, changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(sqliteEngineOf(db)), changed)).not.toBe(null);
    // A failed preview is no preview.
    noteFinishedRun(db, importRequest({ dryRun: true }), changed, blankOutcome('sync', true, 'failed'));
    expect(pauseReason(await readSyncState(sqliteEngineOf(db)), changed)).not.toBe(null);
    noteFinishedRun(db, importRequest({ dryRun: true }), changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(sqliteEngineOf(db)), changed)).toBe(null);
  });

  it("lifts with the wizard's preview only when it previews what the schedule would do", async () => {
    const db = database();
    const changed = { ...SETTINGS, placement: 'single' as const, placementOu: 'AD' };
    const staff = { ous: ['OU=Staff,DC=corp,DC=example,DC=com'], groups: [], levels: [] };
    // The wizard's options differ from the saved ones: not the schedule's preview.
    expect(previewsSchedule(staff, SETTINGS, changed)).toBe(false);
    expect(previewsSchedule({ ...staff, ous: ['OU=Sales,DC=corp,DC=example,DC=com'] }, changed, changed)).toBe(false);
    expect(previewsSchedule(staff, changed, changed)).toBe(true);
    const preview = importRequest({ startedBy: 'wizard', dryRun: true, source: staff, previewsSchedule: true });
    noteFinishedRun(db, preview, changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(sqliteEngineOf(db)), changed)).toBe(null);
  });

  it("lifts with a wizard import, whose source becomes the schedule's", async () => {
    const db = database();
    const source = { ous: ['OU=Sales,DC=corp,DC=example,DC=com'], groups: [], levels: [] };
    const saved = { ...SETTINGS, importSource: 'OU=Sales,DC=corp,DC=example,DC=com' };
    noteFinishedRun(db, importRequest({ startedBy: 'wizard', mode: 'add', source }), saved, succeeded());
    expect(pauseReason(await readSyncState(sqliteEngineOf(db)), saved)).toBe(null);
  });
});

describe('failures and the wait for confirmation', () => {
  it('counts failed service runs, waits after a safety stop, and a confirmed sync releases both', async () => {
    const db = database();
    noteServiceRun(db, { ...blankOutcome('sync', false, 'failed'), error: failure('The DC refused the password.') });
    noteServiceRun(db, { ...blankOutcome('sync', false, 'failed'), error: failure('The DC refused the password.') });
    expect(await readSyncState(sqliteEngineOf(db))).toMatchObject({
      failures: 2,
      lastError: 'The DC refused the password.',
    });
    noteServiceRun(db, {
      ...blankOutcome('sync', false, 'stopped'),
      runId: 7,
      wouldDisable: 212,
      error: failure('This sync would disable 212 of 230 imported accounts…'),
    });
    expect((await readSyncState(sqliteEngineOf(db))).waiting).toEqual({
      runId: 7,
      reason: 'This sync would disable 212 of 230 imported accounts…',
      disables: 212,
    });
    // A dry run does not release it; a real /LDAP /YES of the scheduled source does.
    noteFinishedRun(
      db,
      importRequest({ dryRun: true, confirmed: true }),
      SETTINGS,
      blankOutcome('sync', true, 'succeeded'),
    );
    expect((await readSyncState(sqliteEngineOf(db))).waiting).not.toBe(null);
    noteFinishedRun(db, importRequest({ confirmed: true }), SETTINGS, succeeded());
    expect(await readSyncState(sqliteEngineOf(db))).toMatchObject({ failures: 0, lastError: null, waiting: null });
  });

  it('hands a Run now request to the service once', async () => {
    const db = database();
    expect(takeRunNow(db)).toBe(null);
    requestRunNow(db, true);
    expect((await readSyncState(sqliteEngineOf(db))).runNow?.confirmed).toBe(true);
    expect(takeRunNow(db)).toEqual({ confirmed: true });
    expect(takeRunNow(db)).toBe(null);
  });
});

function failure(message: string) {
  return { code: 'failed' as const, message, hint: '', nothingChanged: true };
}
