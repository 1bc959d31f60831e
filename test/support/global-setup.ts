/**
 * Starts the real Samba AD DC and a private PostgreSQL cluster once for the whole run (installing the Debian
 * packages first as root), hands their facts to the tests with provide/inject, and stops them at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildCommandLine } from '../../scripts/build-cli.mjs';
import { startTestPostgres, stopTestPostgres, type TestPostgres } from './postgres.ts';
import { startTestDc, stopTestDc, type TestDc } from './samba-dc.ts';
import { ensureSystemPackages } from './system-packages.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dc: TestDc | null;
    postgres: TestPostgres | null;
    realPartsMissing: string | null;
  }
}

let dc: TestDc | null = null;
let postgres: TestPostgres | null = null;

export async function setup(project: TestProject): Promise<void> {
  // The tests run bcscmd as users do, from its bundle: rebuilt here (≈ 0.3 s) so that it is never older
  // than the sources under test.
  await buildCommandLine();
  const log = (line: string) => console.log(`[test DC] ${line}`);
  const missing = ensureSystemPackages(log);
  if (missing) {
    console.log(`SKIPPING the Samba AD DC and Chromium suites: ${missing}`);
    project.provide('dc', null);
    project.provide('postgres', null);
    project.provide('realPartsMissing', missing);
    return;
  }
  // A private PostgreSQL cluster (≈ 3 s), started beside the DC; each suite makes databases of its own in it.
  const pgStarted = startTestPostgres(path.join(os.tmpdir(), `adconsole-test-pg-${process.pid}`), (line) =>
    console.log(`[test PostgreSQL] ${line}`),
  ).then((pg) => (postgres = pg));
  // Awaited below; until then a failure must not count as unhandled (it is reported where it is awaited).
  pgStarted.catch(() => undefined);
  // A DC started by hand (`node test/support/samba-dc.ts start DIR`) can serve repeated runs while developing.
  if (process.env.ADCONSOLE_TEST_DC) {
    const reused = JSON.parse(fs.readFileSync(process.env.ADCONSOLE_TEST_DC, 'utf8')) as TestDc;
    log(`reusing the DC described in ${process.env.ADCONSOLE_TEST_DC} (pid ${reused.pid}); it is left running`);
    project.provide('dc', reused);
    project.provide('postgres', await pgStarted);
    project.provide('realPartsMissing', null);
    return;
  }
  dc = await startTestDc(path.join(os.tmpdir(), `adconsole-test-dc-${process.pid}`), log);
  log(`ready on ${dc.address} (pid ${dc.pid})`);
  project.provide('dc', dc);
  project.provide('postgres', await pgStarted);
  project.provide('realPartsMissing', null);
}

export async function teardown(): Promise<void> {
  if (dc) stopTestDc(dc);
  if (postgres) stopTestPostgres(postgres);
}
