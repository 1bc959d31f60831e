/**
 * Another process that holds a lock on the shared PostgreSQL users database, for tests that kill or freeze it:
 *   node test/support/pg-lock-holder.ts <database URL> <lock name | "sync"> <silence ms>
 * With "sync" it takes the sync lock as a node's sync run does (acquireSharedSyncLock, naming itself); otherwise
 * the named lock alone. Prints "held" once it holds it (or why not), then stays until it is killed.
 */
import { parseDatabaseSetting } from '../../shared/database-setting.ts';
import { PostgresEngine, type PostgresTarget } from '../../electron/core/database/engine/postgres-engine.ts';
import { acquireSharedSyncLock } from '../../electron/core/sync/sync-lock.ts';

const [url, name, silence] = process.argv.slice(2);
const parsed = parseDatabaseSetting(url!);
if (!parsed.ok) throw new Error(parsed.error);
const engine = new PostgresEngine(parsed.target as PostgresTarget);
const options = { heartbeatMs: 200, silenceMs: Number(silence) };
if (name === 'sync') {
  await acquireSharedSyncLock(engine, 'service', options).then(
    () => console.log('held'),
    (err: Error) => console.log(`refused: ${err.message}`),
  );
} else console.log((await engine.holdLock(name!, options)) ? 'held' : 'refused');
setInterval(() => undefined, 60_000);
