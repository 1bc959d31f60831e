/**
 * Another process that holds a lock on the shared PostgreSQL users database, for tests that kill or freeze it:
 *   node test/support/pg-lock-holder.ts <database URL> <lock name> <silence ms>
 * Prints "held" once it holds the lock (or "refused"), then stays until it is killed.
 */
import { parseDatabaseSetting } from '../../shared/database-setting.ts';
import { PostgresEngine, type PostgresTarget } from '../../electron/core/database/engine/postgres-engine.ts';

const [url, name, silence] = process.argv.slice(2);
const parsed = parseDatabaseSetting(url!);
if (!parsed.ok) throw new Error(parsed.error);
const engine = new PostgresEngine(parsed.target as PostgresTarget);
const held = await engine.holdLock(name!, { heartbeatMs: 200, silenceMs: Number(silence) });
console.log(held ? 'held' : 'refused');
setInterval(() => undefined, 60_000);
