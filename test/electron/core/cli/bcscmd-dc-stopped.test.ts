/**
 * The domain controller really stops in the middle of `bcscmd /LDAP`: a second Samba DC of its own on
 * 127.0.0.2 (so that the shared one keeps serving the other suites), killed while the search runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { realPartsAvailable } from '../../../support/real-parts.ts';
import { startTestDc, stopTestDc, type TestDc } from '../../../support/samba-dc.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

const BIN = path.resolve('bin/bcscmd.js');
const ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password,
};
const bcscmd = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV, timeout: 120_000 });

describe.runIf(realPartsAvailable())('bcscmd /LDAP when the domain controller stops mid-run', () => {
  let dc: TestDc | null = null;
  const data = tempDirFor('dc-stopped');
  const file = path.join(data, 'users.sqlite');

  beforeAll(async () => {
    dc = await startTestDc(
      path.join(os.tmpdir(), `adconsole-second-dc-${process.pid}`),
      (l) => console.log(`[second DC] ${l}`),
      '127.0.0.2',
    );
  }, 180_000);

  afterAll(() => {
    if (dc) stopTestDc(dc);
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('exits 1 with the reason and leaves the database content exactly as it was', async () => {
    const configure = (ou: string) =>
      bcscmd([
        `/DATA:${data}`,
        `/SET:server=${dc!.address}`,
        `/SET:caFile=${dc!.caFile}`,
        `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
        `/SET:ouPath=LDAP://${ou}`,
        '/SET:pageSize=50',
        '/SET:timeout=10',
      ]);
    expect(configure(`OU=Sales,${BASE_DN}`).status).toBe(0);
    expect(bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new']).status).toBe(0);
    expect(configure(`${STAFF_OU},${BASE_DN}`).status).toBe(0);
    const before = databaseContent(file);

    const child = spawn(process.execPath, [BIN, `/DATA:${data}`, '/LDAP'], { env: ENV });
    let stderr = '';
    let stopped = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!stopped && stderr.includes('[search] started')) {
        stopped = true;
        stopTestDc({ pid: dc!.pid }); // SIGTERM to samba's process group: its sockets close
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stopped).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /domain controller closed the connection during the search of OU=Staff|did not answer the search of OU=Staff/,
    );
    expect(stderr).toMatch(/Nothing was changed in the users database/);
    expect(databaseContent(file)).toBe(before);
    expect(sql(file, 'SELECT status FROM import_runs ORDER BY id DESC LIMIT 1')).toEqual([{ status: 'failed' }]);
  });
});
