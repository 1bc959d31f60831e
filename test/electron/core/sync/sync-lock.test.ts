import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openUsersDatabase } from '../../../../electron/core/database/users-database.ts';
import { acquireSyncLock, lockHolder, STALE_AFTER_MS, SyncRunning } from '../../../../electron/core/sync/sync-lock.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { sql } from '../../../support/users-db.ts';

const open = (file: string) => openUsersDatabase(file);

/** A pid that certainly ended: a child that already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('the sync lock', () => {
  it('lets one sync in and refuses the next, naming who runs', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const a = open(file);
    const b = open(file);
    const held = await acquireSyncLock(a, 'service');
    let refused: unknown;
    try {
      await acquireSyncLock(b, 'command-line');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(SyncRunning);
    expect((refused as SyncRunning).message).toMatch(
      new RegExp(`the scheduled sync service, pid ${process.pid} on ${os.hostname()}, started \\d{4}-\\d\\d-\\d\\d`),
    );
    expect((refused as SyncRunning).code).toBe('sync-running');
    await held.release();
    expect(await lockHolder(b.engine)).toBe(null);
    await (await acquireSyncLock(b, 'command-line')).release();
    a.close();
    b.close();
  });

  it('takes over a lock whose holder on this machine has ended (a killed process)', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const db = open(file);
    await acquireSyncLock(db, 'service');
    sql(file, 'UPDATE sync_lock SET pid = ?', deadPid());
    expect(await lockHolder(db.engine)).toBe(null);
    const mine = await acquireSyncLock(db, 'wizard');
    expect(sql(file, 'SELECT holder, pid FROM sync_lock')).toEqual([{ holder: 'wizard', pid: process.pid }]);
    await mine.release();
    db.close();
  });

  it("takes over another machine's lock only once its heartbeat is older than the limit", async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const db = open(file);
    const start = new Date('2026-12-01T10:00:00Z');
    const other = await acquireSyncLock(db, 'service', start);
    sql(file, "UPDATE sync_lock SET host = 'dc-side-server', pid = 4242");
    const justBefore = new Date(start.getTime() + STALE_AFTER_MS - 1000);
    await expect(acquireSyncLock(db, 'command-line', justBefore)).rejects.toThrow(/pid 4242 on dc-side-server/);
    // The holder beats: still held later on.
    expect(await other.beat(justBefore)).toBe(true);
    await expect(acquireSyncLock(db, 'command-line', new Date(justBefore.getTime() + 60_000))).rejects.toThrow(
      SyncRunning,
    );
    // Silent for longer than the limit: taken over, and the old holder learns it lost the lock.
    const later = new Date(justBefore.getTime() + STALE_AFTER_MS + 1000);
    const mine = await acquireSyncLock(db, 'command-line', later);
    expect(await other.beat(later)).toBe(false);
    await other.release(); // releases nothing of the new holder's
    expect((await lockHolder(db.engine, later))?.holder).toBe('command-line');
    await mine.release();
    db.close();
  });
});
