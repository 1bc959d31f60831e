/** Reads how the scheduled sync is doing from the users database and the settings (see shared/sync-status.ts). */
import type { SqlEngine } from '../database/engine/sql-engine.ts';
import { importSourceChosen, type Settings } from '../../../shared/settings.ts';
import type { ScheduleHealth, SyncStatus } from '../../../shared/sync-status.ts';
import { describeSource, chosenSource } from '../import/source.ts';
import { type RunRow, runRecordOf } from '../import/run-history.ts';
import { readService, serviceNodes } from './service-registry.ts';
import { describeHolder, lockHolder } from './sync-lock.ts';
import { pauseReason, readSyncState } from './sync-state.ts';
import { toRunSummary } from '../database/users-view.ts';
import type { RefusedPassword } from '../../../shared/refused-password.ts';
import { refusalOnRecord } from '../secrets/refused-passwords.ts';
import { readPublishState } from '../publish/publisher.ts';

function sourceWords(settings: Settings): string {
  try {
    const source = chosenSource(null, settings);
    if (source) return describeSource(source, settings.importComputers);
  } catch (err) {
    return (err as Error).message;
  }
  return settings.ouPath ? `the OU container path ${settings.ouPath}` : 'the whole domain (no OU container path)';
}

/**
 * `refused`: the refusal that applies to the password the caller has (RefusedPasswords.find); by default the
 * one on record for the configured login ID, whatever the password.
 */
export async function readSyncStatus(
  q: SqlEngine,
  settings: Settings,
  now = new Date(),
  given?: RefusedPassword | null,
): Promise<SyncStatus> {
  const refused =
    given !== undefined ? given : settings.account === 'specified' ? await refusalOnRecord(q, settings.login) : null;
  const state = await readSyncState(q);
  const service = await readService(q, now);
  const holder = await lockHolder(q, now);
  const last = await q.get<RunRow>(
    "SELECT * FROM import_runs WHERE id = (SELECT max(id) FROM import_runs WHERE started_by = 'service')",
  );
  const lastRecord = last ? runRecordOf(last) : null;
  const paused = pauseReason(state, settings);
  const everyMs = settings.syncEveryMinutes * 60_000;
  const silent = !service?.running && (!service || now.getTime() - Date.parse(service.heartbeatAt) > 2 * everyMs);
  const health: ScheduleHealth = refused
    ? 'refused'
    : settings.syncEveryMinutes === 0 || !importSourceChosen(settings)
      ? 'off'
      : silent
        ? 'missing'
        : state.waiting
          ? 'waiting'
          : paused
            ? 'paused'
            : state.failures > 0
              ? 'failing'
              : 'ok';
  return {
    schedule: {
      everyMinutes: settings.syncEveryMinutes,
      fullSyncAt: settings.fullSyncAt,
      fullSyncEvery: settings.fullSyncEvery,
      source: sourceWords(settings),
      chosen: importSourceChosen(settings),
    },
    service: service && {
      running: service.running,
      pid: service.pid,
      host: service.host,
      since: service.since,
      nextRunAt: service.nextRunAt,
      lastHeartbeat: service.heartbeatAt,
      stoppedAt: service.stoppedAt,
    },
    nodes: await serviceNodes(q),
    runningNow: holder && {
      by: describeHolder(holder),
      pid: holder.pid,
      host: holder.host,
      startedAt: holder.startedAt,
    },
    lastRun: lastRecord && toRunSummary(lastRecord),
    waitingForConfirmation: state.waiting !== null,
    waiting: state.waiting,
    paused,
    failures: state.failures,
    lastError: state.lastError,
    runNowPending: state.runNow !== null,
    refusedPassword: refused,
    health,
    publishing: await readPublishState(q, settings),
    checkedAt: now.toISOString(),
  };
}

/**
 * bcscmd /STATUS's exit code: 0 healthy (or off), 1 failing, waiting, paused, the password refused or the last
 * publish to the IM server failed, 3 no service checks in.
 */
export function statusExitCode(status: SyncStatus): number {
  if (status.health === 'missing') return 3;
  if (status.publishing.health === 'failing') return 1;
  return status.health === 'ok' || status.health === 'off' ? 0 : 1;
}
