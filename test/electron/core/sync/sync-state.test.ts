import { expect, it } from 'vitest';
import { blankOutcome } from '../../../../shared/import-run.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings.ts';
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
import { describeOnEngines, type EngineCase } from '../../../support/sql-engines.ts';
import { importRequest } from '../../../support/users-db.ts';

const SETTINGS: Settings = { ...DEFAULT_SETTINGS, ouPath: 'LDAP://OU=Staff,DC=corp,DC=example,DC=com' };
const succeeded = () => blankOutcome('sync', false, 'succeeded');

async function scheduled(e: EngineCase) {
  const db = (await e.usersDatabase()).engine;
  await approveScope(db, scheduledScope(SETTINGS));
  return db;
}

describeOnEngines('the schedule pauses when the settings change what a sync imports, on $name', (e) => {
  const database = () => scheduled(e);
  it('is not paused while the settings import what was approved', async () => {
    expect(pauseReason(await readSyncState(await database()), SETTINGS)).toBe(null);
  });

  it('names what changed: the OUs read, the placement, the options', async () => {
    const db = await database();
    const state = await readSyncState(db);
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
    const db = await database();
    const changed = { ...SETTINGS, ouPath: 'LDAP://OU=Sales,DC=corp,DC=example,DC=com' };
    const oneOff = importRequest({ dryRun: true, source: { ous: ['OU=Other,DC=corp,DC=example,DC=com'], groups: [] } });
    await noteFinishedRun(db, oneOff, changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(db), changed)).not.toBe(null);
    // A failed preview is no preview.
    await noteFinishedRun(db, importRequest({ dryRun: true }), changed, blankOutcome('sync', true, 'failed'));
    expect(pauseReason(await readSyncState(db), changed)).not.toBe(null);
    await noteFinishedRun(db, importRequest({ dryRun: true }), changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(db), changed)).toBe(null);
  });

  it("lifts with the wizard's preview only when it previews what the schedule would do", async () => {
    const db = await database();
    const changed = { ...SETTINGS, placement: 'single' as const, placementOu: 'AD' };
    const staff = { ous: ['OU=Staff,DC=corp,DC=example,DC=com'], groups: [], levels: [] };
    // The wizard's options differ from the saved ones: not the schedule's preview.
    expect(previewsSchedule(staff, SETTINGS, changed)).toBe(false);
    expect(previewsSchedule({ ...staff, ous: ['OU=Sales,DC=corp,DC=example,DC=com'] }, changed, changed)).toBe(false);
    expect(previewsSchedule(staff, changed, changed)).toBe(true);
    const preview = importRequest({ startedBy: 'wizard', dryRun: true, source: staff, previewsSchedule: true });
    await noteFinishedRun(db, preview, changed, blankOutcome('sync', true, 'succeeded'));
    expect(pauseReason(await readSyncState(db), changed)).toBe(null);
  });

  it("lifts with a wizard import, whose source becomes the schedule's", async () => {
    const db = await database();
    const source = { ous: ['OU=Sales,DC=corp,DC=example,DC=com'], groups: [], levels: [] };
    const saved = { ...SETTINGS, importSource: 'OU=Sales,DC=corp,DC=example,DC=com' };
    await noteFinishedRun(db, importRequest({ startedBy: 'wizard', mode: 'add', source }), saved, succeeded());
    expect(pauseReason(await readSyncState(db), saved)).toBe(null);
  });
});

describeOnEngines('failures and the wait for confirmation, on $name', (e) => {
  const database = () => scheduled(e);
  it('counts failed service runs, waits after a safety stop, and a confirmed sync releases both', async () => {
    const db = await database();
    await noteServiceRun(db, {
      ...blankOutcome('sync', false, 'failed'),
      error: failure('The DC refused the password.'),
    });
    await noteServiceRun(db, {
      ...blankOutcome('sync', false, 'failed'),
      error: failure('The DC refused the password.'),
    });
    expect(await readSyncState(db)).toMatchObject({
      failures: 2,
      lastError: 'The DC refused the password.',
    });
    await noteServiceRun(db, {
      ...blankOutcome('sync', false, 'stopped'),
      runId: 7,
      wouldDisable: 212,
      error: failure('This sync would disable 212 of 230 imported accounts…'),
    });
    expect((await readSyncState(db)).waiting).toEqual({
      runId: 7,
      reason: 'This sync would disable 212 of 230 imported accounts…',
      disables: 212,
    });
    // A dry run does not release it; a real /LDAP /YES of the scheduled source does.
    await noteFinishedRun(
      db,
      importRequest({ dryRun: true, confirmed: true }),
      SETTINGS,
      blankOutcome('sync', true, 'succeeded'),
    );
    expect((await readSyncState(db)).waiting).not.toBe(null);
    await noteFinishedRun(db, importRequest({ confirmed: true }), SETTINGS, succeeded());
    expect(await readSyncState(db)).toMatchObject({ failures: 0, lastError: null, waiting: null });
  });

  it('hands a Run now request to the service once', async () => {
    const db = await database();
    expect(await takeRunNow(db)).toBe(null);
    await requestRunNow(db, true);
    expect((await readSyncState(db)).runNow?.confirmed).toBe(true);
    expect(await takeRunNow(db)).toEqual({ confirmed: true });
    expect(await takeRunNow(db)).toBe(null);
  });
});

function failure(message: string) {
  return { code: 'failed' as const, message, hint: '', nothingChanged: true };
}
