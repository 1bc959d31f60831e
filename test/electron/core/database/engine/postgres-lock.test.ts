/**
 * A lock held by a connection on the shared PostgreSQL database (one sync at a time across IM nodes): released by
 * its holder, or lost with its connection when the holder's process is killed or freezes — never a clock guess.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { inject, expect, it, onTestFinished } from 'vitest';
import { PostgresEngine, type PostgresTarget } from '../../../../../electron/core/database/engine/postgres-engine.ts';
import { parseDatabaseSetting } from '../../../../../shared/database-setting.ts';
import { createTestDatabase } from '../../../../support/postgres.ts';
import { describeOnPostgres } from '../../../../support/sql-engines.ts';

const HOLDER = path.resolve('test/support/pg-lock-holder.ts');

async function database(): Promise<{ url: string; engine: () => PostgresEngine }> {
  const url = await createTestDatabase(inject('postgres')!);
  const parsed = parseDatabaseSetting(url);
  if (!parsed.ok) throw new Error(parsed.error);
  return {
    url,
    engine: () => {
      const engine = new PostgresEngine(parsed.target as PostgresTarget);
      onTestFinished(() => engine.close());
      return engine;
    },
  };
}

/** Another process holding `name`; resolves once it says it holds it. */
function otherProcess(url: string, name: string, silenceMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HOLDER, url, name, String(silenceMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) =>
      chunk.toString().includes('held') ? resolve(child) : reject(new Error(`holder: ${chunk}`)),
    );
    child.on('exit', (code) => reject(new Error(`the holder exited (${code}) before holding the lock`)));
  });
}

describeOnPostgres('a lock held on the shared PostgreSQL database', () => {
  it('lets one holder at a time have it, until that holder releases it', async () => {
    const { engine } = await database();
    const one = engine();
    const other = engine();
    const held = await one.holdLock('apply');
    expect(held).not.toBeNull();
    expect(await other.holdLock('apply')).toBeNull();
    expect(await other.holdLock('publish')).not.toBeNull();
    await held!.release();
    const next = await other.holdLock('apply');
    expect(next).not.toBeNull();
    await next!.release();
  });

  it("commits work written through the lock's own connection, for every other connection to see", async () => {
    const { engine } = await database();
    const one = engine();
    await one.exec('CREATE TABLE applied (n INTEGER NOT NULL)');
    const held = (await one.holdLock('apply'))!;
    await held.write((tx) => tx.run('INSERT INTO applied (n) VALUES (?)', 7));
    await expect(held.write(async () => Promise.reject(new Error('cut short')))).rejects.toThrow('cut short');
    expect(await engine().all('SELECT n FROM applied')).toEqual([{ n: 7 }]);
    await held.release();
  });

  it('is free for another node as soon as the process holding it is killed (SIGKILL)', async () => {
    const { url, engine } = await database();
    const holder = await otherProcess(url, 'apply', 60_000);
    const here = engine();
    expect(await here.holdLock('apply')).toBeNull();
    holder.kill('SIGKILL');
    await expect
      .poll(async () => (await here.holdLock('apply'))?.release().then(() => true) ?? false, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(true);
  });

  it('is free once a frozen holder (SIGSTOP) has been silent past its timeout, and not before', async () => {
    const { url, engine } = await database();
    const holder = await otherProcess(url, 'apply', 1_500);
    const here = engine();
    // Alive, it keeps the lock well past the timeout: its heartbeat keeps its session from falling silent.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await here.holdLock('apply')).toBeNull();
    holder.kill('SIGSTOP');
    const frozenAt = Date.now();
    await expect
      .poll(async () => (await here.holdLock('apply'))?.release().then(() => true) ?? false, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe(true);
    expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(1_000);
  });
});
