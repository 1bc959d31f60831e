/**
 * One sync at a time across the IM nodes that share a PostgreSQL users database: the refused node is told who
 * runs, and the lock passes on as soon as the running node is killed — no clock compared across machines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, it, onTestFinished } from 'vitest';
import { PostgresEngine, type PostgresTarget } from '../../../../electron/core/database/engine/postgres-engine.ts';
import { ensurePostgresSchema } from '../../../../electron/core/database/postgres-schema.ts';
import { acquireSharedSyncLock, SyncRunning } from '../../../../electron/core/sync/sync-lock.ts';
import { parseDatabaseSetting } from '../../../../shared/database-setting.ts';
import { createTestDatabase } from '../../../support/postgres.ts';
import { describeOnPostgres } from '../../../support/sql-engines.ts';

async function sharedDatabase() {
  const url = await createTestDatabase(inject('postgres')!);
  const parsed = parseDatabaseSetting(url);
  if (!parsed.ok) throw new Error(parsed.error);
  const node = () => {
    const engine = new PostgresEngine(parsed.target as PostgresTarget);
    onTestFinished(() => engine.close());
    return engine;
  };
  await ensurePostgresSchema(node());
  return { url, node };
}

function otherNode(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.resolve('test/support/pg-lock-holder.ts'), url, 'sync', '60000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) =>
      chunk.toString().startsWith('held') ? resolve(child) : reject(new Error(`other node: ${chunk}`)),
    );
    child.on('exit', (code) => reject(new Error(`the other node exited (${code}) before holding the lock`)));
  });
}

describeOnPostgres('the sync lock on a shared PostgreSQL users database', () => {
  it("lets one node's sync in, refuses the next naming who runs, and lets it in once released", async () => {
    const { node } = await sharedDatabase();
    const one = node();
    const other = node();
    const held = await acquireSharedSyncLock(one, 'service');
    const refused = await acquireSharedSyncLock(other, 'command-line').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SyncRunning);
    expect((refused as SyncRunning).message).toMatch(
      new RegExp(`the scheduled sync service, pid ${process.pid} on ${os.hostname()}`),
    );
    // What it writes through the lock's connection commits under the lock.
    await held.write((tx) => tx.run("UPDATE meta SET value = '1' WHERE key = 'revision'"));
    expect(await other.get("SELECT value FROM meta WHERE key = 'revision'")).toEqual({ value: '1' });
    await held.release();
    expect(await other.get('SELECT count(*) AS n FROM sync_lock')).toEqual({ n: 0 });
    const next = await acquireSharedSyncLock(other, 'command-line');
    expect(await one.get('SELECT holder FROM sync_lock')).toEqual({ holder: 'command-line' });
    await next.release();
  });

  it('passes to another node at once when the node running the sync is killed, its stale name replaced', async () => {
    const { url, node } = await sharedDatabase();
    const child = await otherNode(url);
    const here = node();
    await expect(acquireSharedSyncLock(here, 'command-line')).rejects.toThrow(`pid ${child.pid} on`);
    child.kill('SIGKILL');
    let taken: Awaited<ReturnType<typeof acquireSharedSyncLock>> | null = null;
    await expect
      .poll(async () => (taken = await acquireSharedSyncLock(here, 'command-line').catch(() => null)), {
        timeout: 10_000,
        interval: 100,
      })
      .not.toBeNull();
    expect(await here.get('SELECT holder, pid FROM sync_lock')).toEqual({ holder: 'command-line', pid: process.pid });
    await taken!.release();
  });
});
