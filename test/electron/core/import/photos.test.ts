/**
 * Account photos from AD's thumbnailPhoto, on the real DC: read at the first import, scaled down to a JPEG of
 * at most 96×96, and read again only for accounts that changed since (a full sync reads none), on an OU of the
 * suite's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Attribute, Change, type Client } from 'ldapts';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportRequest } from '../../../../electron/core/import/import-engine.ts';
import { censusWithin, downscalePhoto, markWithoutPhoto } from '../../../../electron/core/import/photos.ts';
import { insertAccount } from '../../../support/account-rows.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';
import { BASE_DN } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { addStaffUser, adminClient } from '../../../support/seed-directory.ts';
import { importFromOu } from '../../../support/settings-for-dc.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { sql } from '../../../support/users-db.ts';

/** A photo as people put them in AD: a camera-sized JPEG (here 400×300), or a PNG. */
const picture = (width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    [format]()
    .toBuffer();

describeOnEngines("the census's no-photo marks, on $name", (engineCase) => {
  it(
    'marks the accounts a run wrote that the census found without a photo, within the caller’s transaction, ' +
      'counting a removed photo as a change',
    async () => {
      const d = (await engineCase.usersDatabase()).engine;
      const readAt = '2026-12-05T10:00:00.000Z';
      for (let n = 1; n <= 4; n++) await insertAccount(d, { logon: `p${n}`, ouId: 1, origin: 'ad', guid: `g${n}` });
      // p1 holds a photo in AD; p2 had one here that AD no longer has; p4 was not written by this run.
      await d.run("UPDATE accounts SET ad_usn = 7, synced_at = ? WHERE logon <> 'p4'", readAt);
      await d.run("UPDATE accounts SET photo = 'old' WHERE logon = 'p2'");
      const census = { read: new Set(['g1', 'g2', 'g3', 'g4']), holders: new Set(['g1']) };
      const state = () =>
        d.all<{ logon: string; photo: string; photo_usn: number | null }>(
          'SELECT logon, photo, photo_usn FROM accounts ORDER BY logon',
        );
      const before = await state();
      // Rolled back with the transaction it ran in: nothing of it stays.
      await expect(
        d.write(async (tx) => {
          await markWithoutPhoto(tx, d.dialect.text, census, readAt);
          throw new Error('the run failed');
        }),
      ).rejects.toThrow('the run failed');
      expect(await state()).toEqual(before);
      const marks = await d.write((tx) => markWithoutPhoto(tx, d.dialect.text, census, readAt));
      expect(marks).toEqual({ marked: 2, removed: 1 });
      expect((await state()).map((r) => [r.logon, r.photo, r.photo_usn === null ? null : Number(r.photo_usn)])).toEqual(
        [
          ['p1', '', null],
          ['p2', '', 7],
          ['p3', '', 7],
          ['p4', '', null],
        ],
      );
    },
  );
});

describe('waiting for the census before the commit', () => {
  const answer = { read: new Set(['g1']), holders: new Set<string>() };
  const answeredAfter = (ms: number) => new Promise<typeof answer>((resolve) => setTimeout(() => resolve(answer), ms));

  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes a census that has answered at once, and one that answers within the grace', async () => {
    vi.useFakeTimers();
    expect(await censusWithin(Promise.resolve(answer), 250)).toBe(answer);
    const soon = censusWithin(answeredAfter(100), 250);
    await vi.advanceTimersByTimeAsync(100);
    expect(await soon).toBe(answer);
  });

  it('goes on without a census that answers after the grace, or failed', async () => {
    vi.useFakeTimers();
    let answered = false;
    const late = answeredAfter(400).then((a) => ((answered = true), a));
    const waited = censusWithin(late, 250);
    await vi.advanceTimersByTimeAsync(250);
    expect(await waited).toBeNull();
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(150);
    expect(answered).toBe(true);
    expect(await censusWithin(Promise.reject(new Error('size limit')), 250)).toBeNull();
  });

  it('stops waiting when the run is cancelled', async () => {
    vi.useFakeTimers();
    const cancel = new AbortController();
    const waited = censusWithin(answeredAfter(200), 250, cancel.signal);
    await vi.advanceTimersByTimeAsync(50);
    cancel.abort();
    expect(await waited).toBeNull();
  });
});

describe('downscaling a photo', () => {
  it('makes a JPEG of at most 96×96 that keeps the proportions, from JPEG and PNG alike', async () => {
    for (const [bytes, expected] of [
      [await picture(400, 300), { width: 96, height: 72 }],
      [await picture(90, 200, 'png'), { width: 43, height: 96 }],
      [await picture(48, 48), { width: 48, height: 48 }],
    ] as const) {
      const meta = await sharp(Buffer.from(await downscalePhoto(bytes), 'base64')).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'jpeg', ...expected });
    }
  });

  it('refuses bytes that are no image', async () => {
    await expect(downscalePhoto(Buffer.from('not a picture'))).rejects.toThrow();
  });
});

describe.runIf(realPartsAvailable())('Photos from Active Directory', () => {
  const dc = testDc()!;
  const lab = `OU=Photo Lab ${process.pid},${BASE_DN}`;
  const dir = tempDirFor('photos');
  const file = path.join(dir, 'users.sqlite');
  let admin: Client;
  const dnOf = (n: number) => `CN=photo${n},${lab}`;
  const replace = (dn: string, type: string, value: string | Buffer) =>
    admin.modify(
      dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type, values: typeof value === 'string' ? [value] : [value] }),
      }),
    );
  const sync = (request: Partial<ImportRequest> = {}) => importFromOu(dc, lab, file, request);
  const photoOf = (logon: string) =>
    (sql(file, `SELECT photo FROM accounts WHERE logon = '${logon}'`)[0] as { photo: string }).photo;

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
    await admin.add(lab, { objectClass: ['top', 'organizationalUnit'], ou: `Photo Lab ${process.pid}` });
    for (let n = 1; n <= 3; n++)
      await addStaffUser(
        admin,
        {
          sam: `photo${n}`,
          given: 'Photo',
          sn: `User ${n}`,
          displayName: `Photo User ${n}`,
          mail: '',
          department: 'Lab',
          title: 'Tester',
          phone: '',
          enabled: true,
          ou: '',
        },
        dnOf(n),
      );
    await replace(dnOf(1), 'thumbnailPhoto', await picture(400, 300));
  });

  afterAll(async () => {
    for (let n = 1; n <= 3; n++) await admin.del(dnOf(n)).catch(() => undefined);
    await admin.del(lab).catch(() => undefined);
    await admin.unbind();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads each photo once, again only for accounts that changed, and keeps it scaled down', async () => {
    const first = await sync();
    expect(first.status).toBe('succeeded');
    expect(first.warning).toBeNull();
    expect(first.photosRead).toBe(3);
    const meta = await sharp(Buffer.from(photoOf('photo1'), 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 96, 72]);
    expect([photoOf('photo2'), photoOf('photo3')]).toEqual(['', '']);

    // A full pass reads every account, but no photo: none changed.
    const full = await sync({ full: true });
    expect(full.incremental).toBe(false);
    expect(full.photosRead).toBe(0);

    // A new photo for photo2, and a title for photo3: the two photos are read again, nobody else's.
    await replace(dnOf(2), 'thumbnailPhoto', await picture(90, 200, 'png'));
    await replace(dnOf(3), 'title', 'Senior Tester');
    const revision = sql(file, "SELECT value FROM meta WHERE key = 'revision'");
    const next = await sync({ full: true });
    expect(next.photosRead).toBe(2);
    const second = await sharp(Buffer.from(photoOf('photo2'), 'base64')).metadata();
    expect([second.format, second.width, second.height]).toEqual(['jpeg', 43, 96]);
    expect(photoOf('photo3')).toBe('');
    expect(sql(file, "SELECT value FROM meta WHERE key = 'revision'")).not.toEqual(revision);

    // A photo removed in AD is removed here too.
    await admin.modify(
      dnOf(1),
      new Change({ operation: 'delete', modification: new Attribute({ type: 'thumbnailPhoto', values: [] }) }),
    );
    const removed = await sync();
    expect(removed.photosRead).toBe(1);
    expect(photoOf('photo1')).toBe('');

    // Removed again, found by a full pass's census: marked without asking for the photo, and published.
    await replace(dnOf(1), 'thumbnailPhoto', await picture(60, 60));
    expect((await sync()).photosRead).toBe(1);
    expect(photoOf('photo1')).not.toBe('');
    await admin.modify(
      dnOf(1),
      new Change({ operation: 'delete', modification: new Attribute({ type: 'thumbnailPhoto', values: [] }) }),
    );
    const before = sql(file, "SELECT value FROM meta WHERE key = 'revision'");
    const census = await sync({ full: true });
    expect([census.incremental, census.photosRead]).toEqual([false, 1]);
    expect(photoOf('photo1')).toBe('');
    expect(sql(file, "SELECT value FROM meta WHERE key = 'revision'")).not.toEqual(before);
    expect(sql(file, 'SELECT count(*) AS n FROM accounts WHERE photo_usn IS NOT ad_usn')).toEqual([{ n: 0 }]);
  });

  it('reads no photo in a dry run', async () => {
    await replace(dnOf(3), 'thumbnailPhoto', await picture(120, 120));
    const dry = await sync({ dryRun: true });
    expect(dry.photosRead).toBe(0);
    expect(photoOf('photo3')).toBe('');
    const real = await sync();
    expect(real.photosRead).toBe(1);
    expect(photoOf('photo3')).not.toBe('');
  });
});
