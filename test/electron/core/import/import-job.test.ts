/** The import as the desktop app runs it: on a worker thread, progress by message, cancel by message. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { startImportJob } from '../../../../electron/core/import/import-job.ts';
import { startImportThreadAhead } from '../../../../electron/core/import/import-thread.ts';
import type { ImportRequest } from '../../../../electron/core/import/import-engine.ts';
import type { Progress } from '../../../../shared/import-run.ts';
import { BASE_DN, STAFF_OU } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, runCount } from '../../../support/users-db.ts';

/** Every import thread made, counted. */
const threads = vi.hoisted(() => ({ made: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>();
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      threads.made++;
    }
  }
  return { ...real, Worker: CountedWorker };
});

describe('an import thread started ahead', () => {
  it('does not keep a process alive that no job took it for', () => {
    const script = path.join(tempDir(), 'ahead.mjs');
    const module = pathToFileURL(path.resolve('electron/core/import/import-thread.ts')).href;
    // Held until the thread runs (its 'online' event), then nothing but the thread could keep the process.
    writeFileSync(
      script,
      `const { startImportThreadAhead } = await import(${JSON.stringify(module)});\n` +
        'const hold = setInterval(() => undefined, 1000);\n' +
        "startImportThreadAhead().once('online', () => { console.log('online'); clearInterval(hold); });\n",
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe('online');
    expect(child.status).toBe(0);
  });
});

describe.runIf(realPartsAvailable())('an import job on a worker thread', () => {
  const dc = testDc()!;
  const request = (r: Partial<ImportRequest> = {}): ImportRequest => ({
    mode: 'new',
    dryRun: false,
    full: false,
    confirmed: false,
    startedBy: 'wizard',
    source: null,
    ...r,
  });
  const start = (file: string, r: Partial<ImportRequest>, onProgress?: (p: Progress) => void) =>
    startImportJob(
      {
        request: request(r),
        settings: dcSettings(dc, { ouPath: `LDAP://${STAFF_OU},${BASE_DN}`, pageSize: 200 }),
        password: SERVICE_PASSWORD,
        database: file,
      },
      onProgress,
    );

  it(
    'reports connect, search, plan and apply in order, with counts, rate and time left, then the ' + 'outcome',
    async () => {
      const file = path.join(tempDir(), 'users.sqlite');
      const events: Progress[] = [];
      const outcome = await (await start(file, {}, (p) => events.push(p))).done;
      expect(outcome).toMatchObject({ ok: true, status: 'succeeded' });
      expect(outcome.counts.created).toBeGreaterThan(1500);
      const phases = events.map((e) => e.phase).filter((p, i, all) => all[i - 1] !== p);
      expect(phases).toEqual(['connect', 'search', 'plan', 'apply']);
      const searched = events.filter((e) => e.phase === 'search').at(-1)!;
      expect(searched.done).toBe(outcome.read);
      const applying = events.filter((e) => e.phase === 'apply' && e.done > 0);
      expect(applying.length).toBeGreaterThan(0);
      expect(applying[0]!.total).toBe(outcome.counts.created);
      expect(applying[0]!.etaMs).not.toBeNull();
      expect(applying.every((e) => e.rate >= 0)).toBe(true);
      expect(runCount(file)).toBe(1);
    },
  );

  it('runs the first job in the thread started ahead, and each job after in a new one', async () => {
    startImportThreadAhead();
    const made = threads.made;
    const first = await (await start(path.join(tempDir(), 'users.sqlite'), {})).done;
    expect(first).toMatchObject({ ok: true, status: 'succeeded' });
    expect(threads.made).toBe(made);
    const second = await (await start(path.join(tempDir(), 'users.sqlite'), { dryRun: true })).done;
    expect(second).toMatchObject({ ok: true, status: 'succeeded' });
    expect(threads.made).toBe(made + 1);
  });

  it('cancels on request: the worker stops the search and the database is as it was', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const seeded = await (await start(file, { source: { ous: [`OU=Sales,${BASE_DN}`], groups: [] } })).done;
    expect(seeded.ok).toBe(true);
    const before = databaseContent(file);
    let job: Awaited<ReturnType<typeof start>> | null = null;
    job = await start(file, { mode: 'sync', full: true }, (p) => {
      if (p.phase === 'search' && p.done > 0) job!.cancel();
    });
    const outcome = await job.done;
    expect(outcome).toMatchObject({
      status: 'cancelled',
      error: { message: expect.stringMatching(/cancelled\. Nothing was changed/) },
    });
    expect(databaseContent(file)).toBe(before);
  });
});
