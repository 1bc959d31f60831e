/**
 * Faults during an import: the DC's connection cut or hanging mid-search, and cancel during the search
 * and during the apply. Each must leave the users database's content exactly as before the run.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { type ImportContext, type ImportRequest, runImport } from '../../../../electron/core/import/import-engine.ts';
import type { Settings } from '../../../../shared/settings.ts';
import { BASE_DN, STAFF_OU } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

describe.runIf(realPartsAvailable())('an import that cannot finish', () => {
  const dc = testDc()!;
  let proxy: TcpProxy | null = null;
  afterEach(async () => {
    await proxy?.close();
    proxy = null;
  });

  const request = (r: Partial<ImportRequest>): ImportRequest => ({
    mode: 'sync',
    dryRun: false,
    full: true,
    confirmed: false,
    startedBy: 'command-line',
    source: null,
    ...r,
  });
  const context = (
    file: string,
    settings: Partial<Settings> = {},
    extra: Partial<ImportContext> = {},
  ): ImportContext => ({
    settings: dcSettings(dc, { ouPath: `LDAP://${STAFF_OU},${BASE_DN}`, ...settings }),
    password: SERVICE_PASSWORD,
    resolver: createResolver(),
    database: file,
    ...extra,
  });

  /** A database already holding the Sales accounts, and a sync of Staff that would add 1 600 more. */
  async function populated(): Promise<string> {
    const file = path.join(tempDir(), 'users.sqlite');
    const seeded = await runImport(request({ mode: 'new' }), context(file, { ouPath: `LDAP://OU=Sales,${BASE_DN}` }));
    expect(seeded.ok).toBe(true);
    return file;
  }

  it('fails with a reason and changes nothing when the DC connection drops in the middle of the search', async () => {
    const file = await populated();
    const before = databaseContent(file);
    proxy = await startTcpProxy(dc.address, 636);
    proxy.cutAfter(150_000);
    const outcome = await runImport(request({}), context(file, { server: '127.0.0.1', port: proxy.port }));
    expect(proxy.fromServer()).toBeGreaterThanOrEqual(150_000);
    expect(outcome).toMatchObject({
      ok: false,
      status: 'failed',
      error: {
        code: 'connection-lost',
        message: expect.stringMatching(
          /closed the connection during the search of OU=Staff.*Nothing was changed in the users database/,
        ),
      },
    });
    expect(databaseContent(file)).toBe(before);
    expect(sql(file, 'SELECT status, error FROM import_runs ORDER BY id DESC LIMIT 1')).toEqual([
      { status: 'failed', error: outcome.error!.message },
    ]);
  });

  it('fails after the operation timeout, not never, when the DC stops answering mid-search', async () => {
    const file = await populated();
    const before = databaseContent(file);
    proxy = await startTcpProxy(dc.address, 636);
    proxy.stallAfter(150_000);
    const outcome = await runImport(request({}), context(file, { server: '127.0.0.1', port: proxy.port, timeout: 2 }));
    expect(outcome).toMatchObject({
      ok: false,
      status: 'failed',
      error: {
        code: 'operation-timeout',
        message: expect.stringMatching(/did not answer the search of OU=Staff.* within 2 s/),
      },
    });
    expect(databaseContent(file)).toBe(before);
  });

  it('stops promptly when cancelled during the search, and says the database is as it was', async () => {
    const file = await populated();
    const before = databaseContent(file);
    const abort = new AbortController();
    const outcome = await runImport(
      request({}),
      context(
        file,
        { pageSize: 100 },
        { signal: abort.signal, onProgress: (p) => p.phase === 'search' && p.done > 0 && abort.abort() },
      ),
    );
    expect(outcome).toMatchObject({
      ok: false,
      status: 'cancelled',
      error: { code: 'cancelled', message: expect.stringMatching(/cancelled\. Nothing was changed/) },
    });
    expect(databaseContent(file)).toBe(before);
  });

  it('rolls back everything when cancelled in the middle of applying', async () => {
    const file = await populated();
    const before = databaseContent(file);
    const abort = new AbortController();
    const outcome = await runImport(
      request({ mode: 'new' }),
      context(
        file,
        {},
        { signal: abort.signal, onProgress: (p) => p.phase === 'apply' && p.done > 0 && abort.abort() },
      ),
    );
    expect(outcome.status).toBe('cancelled');
    expect(databaseContent(file)).toBe(before);
  });

  it('refuses to read an empty answer as "every account is gone"', async () => {
    const file = await populated();
    const before = databaseContent(file);
    const outcome = await runImport(request({}), context(file, { ouPath: `LDAP://OU=Empty,${BASE_DN}` }));
    expect(outcome).toMatchObject({
      ok: false,
      status: 'failed',
      error: {
        code: 'empty-result',
        message: expect.stringMatching(/returned no accounts .* while the database holds 5 imported accounts/),
      },
    });
    expect(databaseContent(file)).toBe(before);
  });
});
