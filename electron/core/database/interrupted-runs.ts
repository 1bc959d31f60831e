/**
 * Runs left as "running" by a process that died (killed, crashed, the machine lost power): the next
 * process that opens the database marks them interrupted. A run's changes are one transaction that also
 * records its end, so a run that never recorded its end changed nothing.
 */
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import type { SqlQueryable } from './engine/sql-engine.ts';

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
export async function markInterruptedRuns(
  q: SqlQueryable,
  alive: (pid: number) => boolean = processAlive,
): Promise<number> {
  const host = os.hostname();
  let marked = 0;
  for (const row of dead(await q.all<RunningRow>(RUNNING, host), alive))
    marked += (await q.run(MARK, new Date().toISOString(), interruptedWords(host, row.pid), row.id)).changes;
  return marked;
}

/**
 * The same on a SQLite file's connection while it is being opened: done before the opener returns, so that even a
 * command that opens and closes at once (bcscmd /STATUS) leaves the history right.
 */
export function markInterruptedRunsNow(db: DatabaseSync, alive: (pid: number) => boolean = processAlive): number {
  const host = os.hostname();
  let marked = 0;
  for (const row of dead(db.prepare(RUNNING).all(host) as unknown as RunningRow[], alive))
    marked += Number(db.prepare(MARK).run(new Date().toISOString(), interruptedWords(host, row.pid), row.id).changes);
  return marked;
}

interface RunningRow {
  id: number;
  pid: number;
}
const RUNNING = "SELECT id, pid FROM import_runs WHERE status = 'running' AND host = ?";
const dead = (rows: RunningRow[], alive: (pid: number) => boolean) =>
  rows.filter((row) => row.pid !== process.pid && !alive(row.pid));

const MARK =
  "UPDATE import_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'";

/** A run whose worker died while its process lives on (the console): marked at once, with the reason. */
export async function markRunInterrupted(q: SqlQueryable, runId: number, why: string): Promise<void> {
  await q.run(MARK, new Date().toISOString(), `Interrupted: ${why}. Nothing was changed in the users database.`, runId);
}
