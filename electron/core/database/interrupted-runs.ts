/**
 * Runs left as "running" by a process that died (killed, crashed, the machine lost power): the next
 * process that opens the database marks them interrupted. A run's changes are one transaction that also
 * records its end, so a run that never recorded its end changed nothing.
 */
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';

/** A run whose process is gone can only have ended before its one transaction committed. */
export const interruptedWords = (host: string, pid: number) =>
  `Interrupted: the process that ran it (pid ${pid} on ${host}) ended before the run finished. Nothing was ` +
  `changed in the users database.`;

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but is someone else's
  }
}

/**
 * Marks runs of this machine whose process has ended as interrupted. Runs of other machines are left as
 * running: their processes cannot be checked from here. Returns how many were marked.
 */
export function markInterruptedRuns(db: DatabaseSync, alive: (pid: number) => boolean = processAlive): number {
  const host = os.hostname();
  const rows = db.prepare("SELECT id, pid FROM import_runs WHERE status = 'running' AND host = ?").all(host) as {
    id: number;
    pid: number;
  }[];
  const mark = db.prepare(
    "UPDATE import_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
  );
  let marked = 0;
  for (const row of rows) {
    if (row.pid === process.pid || alive(row.pid)) continue;
    marked += Number(mark.run(new Date().toISOString(), interruptedWords(host, row.pid), row.id).changes);
  }
  return marked;
}

/** A run whose worker died while its process lives on (the console): marked at once, with the reason. */
export function markRunInterrupted(db: DatabaseSync, runId: number, why: string): void {
  db.prepare(
    "UPDATE import_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
  ).run(new Date().toISOString(), `Interrupted: ${why}. Nothing was changed in the users database.`, runId);
}
