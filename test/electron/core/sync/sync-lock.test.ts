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
    const held = acquireSyncLock(a.db, 'service');
    let refused: unknown;
    try {
      acquireSyncLock(b.db, 'command-line');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(SyncRunning);
    expect((refused as SyncRunning).message).toMatch(
      new RegExp(`the scheduled sync service, pid ${process.pid} on ${os.hostname()}, started \\d{4}-\\d\\d-\\d\\d`),
    );
    expect((refused as SyncRunning).code).toBe('sync-running');
    held.release();
    expect(await lockHolder(b.engine)).toBe(null);
    acquireSyncLock(b.db, 'command-line').release();
    a.close();
    b.close();
  });

  it('takes over a lock whose holder on this machine has ended (a killed process)', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const db = open(file);
    acquireSyncLock(db.db, 'service');
    sql(file, 'UPDATE sync_lock SET pid = ?', deadPid());
    expect(await lockHolder(db.engine)).toBe(null);
    const mine = acquireSyncLock(db.db, 'wizard');
    expect(sql(file, 'SELECT holder, pid FROM sync_lock')).toEqual([{ holder: 'wizard', pid: process.pid }]);
    mine.release();
    db.close();
  });

  it("takes over another machine's lock only once its heartbeat is older than the limit", async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const db = open(file);
    const start = new Date('2026-12-01T10:00:00Z');
    const other = acquireSyncLock(db.db, 'service', start);
    sql(file, "UPDATE sync_lock SET host = 'dc-side-server', pid = 4242");
    const justBefore = new Date(start.getTime() + STALE_AFTER_MS - 1000);
    expect(() => acquireSyncLock(db.db, 'command-line', justBefore)).toThrow(/pid 4242 on dc-side-server/);
    // The holder beats: still held later on.
    expect(other.beat(justBefore)).toBe(true);
    expect(() => acquireSyncLock(db.db, 'command-line', new Date(justBefore.getTime() + 60_000))).toThrow(SyncRunning);
    // Silent for longer than the limit: taken over, and the old holder learns it lost the lock.
    const later = new Date(justBefore.getTime() + STALE_AFTER_MS + 1000);
    const mine = acquireSyncLock(db.db, 'command-line', later);
    expect(other.beat(later)).toBe(false);
    other.release(); // releases nothing of the new holder's
    expect((await lockHolder(db.engine, later))?.holder).toBe('command-line');
    mine.release();
    db.close();
  });
});
