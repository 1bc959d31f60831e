/** What the desktop app loads from dist/: the import worker must run as a bundle, without the TypeScript sources. */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { JobCommand, JobMessage, JobStart } from '../../electron/core/import/import-job.ts';
import type { ImportOutcome } from '../../shared/import-run.ts';
import { BASE_DN } from '../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../support/settings-for-dc.ts';
import { tempDir } from '../support/temp-dir.ts';

const WORKER = path.resolve('dist/electron/import-worker.js');

function runBundledWorker(start: JobStart): Promise<ImportOutcome> {
  if (!fs.existsSync(WORKER))
    throw new Error('dist/electron/import-worker.js is missing: run "npm run build" (npm test does).');
  const worker = new Worker(WORKER);
  // The job is the thread's first message, as import-job.ts sends it.
  worker.postMessage({ type: 'start', start } satisfies JobCommand);
  return new Promise((resolve, reject) => {
    worker.on('message', (m: JobMessage) => m.type === 'done' && resolve(m.outcome));
    worker.on('error', reject);
  });
}

describe.runIf(realPartsAvailable())('the bundled import worker', () => {
  it('plans an import from the DC on its own (a dry run of OU=Sales)', async () => {
    const file = path.join(tempDir(), 'users.sqlite');
    const outcome = await runBundledWorker({
      request: { mode: 'new', dryRun: true, full: false, confirmed: false, startedBy: 'wizard', source: null },
      settings: dcSettings(testDc()!, { ouPath: `LDAP://OU=Sales,${BASE_DN}` }),
      password: SERVICE_PASSWORD,
      database: file,
    });
    expect(outcome).toMatchObject({ ok: true, dryRun: true, counts: { created: 5 } });
    expect(outcome.plan!.map((p) => p.logon).sort()).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  });
});

describe('the renderer the desktop app loads from dist/', () => {
  it(
    'carries a strict Content-Security-Policy: its own scripts and styles only, no inline or eval, no network ' +
      'but itself',
    () => {
      const html = fs.readFileSync(path.resolve('dist/renderer/index.html'), 'utf8');
      const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values.join(' ')]),
      );
      expect(directives).toMatchObject({
        'default-src': "'none'",
        'script-src': "'self'",
        'style-src': "'self'",
        'connect-src': "'self'",
        'base-uri': "'none'",
        'form-action': "'none'",
      });
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      // Every script the page loads is a file of its own (inline scripts would be blocked anyway).
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    },
  );
});
