/**
 * Noticing what other processes and nodes write to the users database (the scheduled service, bcscmd,
 * ejabberd's logons, another IM node's console): the views reload when the accounts' revision or the history
 * moved, so that a service's heartbeat or a logon time does not make every view reload. On SQLite,
 * data_version changes on this connection only when another connection has committed: until it does, the
 * database is not even asked. A PostgreSQL database shared by nodes is asked every time (one small query).
 */
import type { SharedDatabase } from './users-database.ts';

export const WATCH_MS = 2000;

const SHOWN =
  "SELECT (SELECT value FROM meta WHERE key = 'revision') AS revision, (SELECT coalesce(max(id), 0) FROM " +
  "import_runs) AS run, (SELECT count(*) FROM import_runs WHERE status = 'running') AS running";

export function watchForeignChanges(database: SharedDatabase, onChange: () => void, everyMs = WATCH_MS): () => void {
  let last: { version: number | null; shown: string } | null = null;
  let looking = false;
  const look = async () => {
    const engine = database.use((e) => e);
    const version =
      engine.name === 'sqlite'
        ? Number((await engine.get<{ data_version: number }>('PRAGMA data_version'))!.data_version)
        : null;
    if (last && version !== null && version === last.version) return;
    const seen = JSON.stringify(await engine.get(SHOWN));
    if (last && seen !== last.shown) onChange();
    last = { version, shown: seen };
  };
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    look()
      .catch(() => {
        last = null; // the database cannot be opened now; the views say so when they load
      })
      .finally(() => {
        looking = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
