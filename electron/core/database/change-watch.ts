/**
 * Noticing what other processes write to the users database (the scheduled service, bcscmd, ejabberd's
 * logons): SQLite's data_version changes on this connection whenever another connection has committed.
 * Only then is it worth reading what the views show — the accounts' revision and the history — so that a
 * service's heartbeat or a logon time does not make every view reload.
 */
import type { SharedDatabase } from './users-database.ts';

export const WATCH_MS = 2000;

export function watchForeignChanges(database: SharedDatabase, onChange: () => void, everyMs = WATCH_MS): () => void {
  const version = () =>
    database.use((db) => Number((db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version));
  const shown = () =>
    database.use((db) =>
      JSON.stringify(
        db
          .prepare(
            "SELECT (SELECT value FROM meta WHERE key = 'revision') AS revision, (SELECT ifnull(max(id), 0) FROM " +
              "import_runs) AS run, (SELECT count(*) FROM import_runs WHERE status = 'running') AS running",
          )
          .get(),
      ),
    );
  let last: { version: number; shown: string } | null = null;
  const timer = setInterval(() => {
    try {
      const now = version();
      if (last && now === last.version) return;
      const seen = shown();
      if (last && seen !== last.shown) onChange();
      last = { version: now, shown: seen };
    } catch {
      last = null; // the database cannot be opened now; the views say so when they load
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
