/**
 * The service account's password, used for real against the DC through the browser transport and bcscmd,
 * is searched for everywhere it must never be: every HTTP response and WebSocket event, the console's log,
 * the settings file, the users database files, and bcscmd's output (/SHOW, /TEST, /LDAP, /LOOKUP, errors).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserConsole } from '../../../../electron/core/browser-console.ts';
import type { WebConsole } from '../../../../electron/core/transport/http-server.ts';
import { bcscmd } from '../../../support/bcscmd.ts';
import { BASE_DN, STAFF_OU } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { postInvoke } from '../../../support/http-invoke.ts';

const STAFF_DN = `${STAFF_OU},${BASE_DN}`;

describe.runIf(realPartsAvailable())('the password is nowhere it should not be', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('password-sweep');
  const seen: string[] = [];
  const logs: string[] = [];
  let web: WebConsole;
  let events: WebSocket;

  const invoke = async (name: string, input: unknown) => {
    const { body } = await postInvoke(web, name, JSON.stringify(input));
    seen.push(body);
    return JSON.parse(body) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
  };
  const finished = (jobId: number) =>
    new Promise<void>((resolve) => {
      const listener = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { event: string; payload: { jobId?: number } };
        if (message.event === 'import.finished' && message.payload.jobId === jobId) {
          events.off('message', listener);
          resolve();
        }
      };
      events.on('message', listener);
    });

  beforeAll(async () => {
    web = await startBrowserConsole({ dataDir, log: (l) => logs.push(l) });
    events = new WebSocket(`ws://127.0.0.1:${web.port}/api/events`, {
      headers: {
        Host: `127.0.0.1:${web.port}`,
        Origin: `http://127.0.0.1:${web.port}`,
        Authorization: `Bearer ${web.token}`,
      },
    });
    events.on('message', (data) => seen.push(String(data)));
    await new Promise((resolve, reject) => events.once('open', resolve).once('error', reject));
  });
  afterAll(async () => {
    events?.close();
    await web?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('through the console: save, test, browse, groups, count, lookup, preview and import', async () => {
    const settings = dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` });
    expect(
      await invoke('settings.save', { settings, password: { action: 'set', value: SERVICE_PASSWORD } }),
    ).toMatchObject({ ok: true });
    expect(await invoke('settings.get', {})).toMatchObject({ ok: true, value: { password: { stored: true } } });
    expect(await invoke('connection.test', { settings })).toMatchObject({ ok: true, value: { ok: true } });
    // A wrong password that contains the right one: refused, and not echoed either.
    expect(await invoke('connection.test', { settings, password: `${SERVICE_PASSWORD}x` })).toMatchObject({
      ok: true,
      value: { ok: false },
    });
    expect(await invoke('directory.browse', { settings, dn: null })).toMatchObject({ ok: true });
    expect(await invoke('directory.groups', { search: 'Staff' })).toMatchObject({ ok: true });
    expect(
      await invoke('import.count', { source: { ous: [STAFF_DN], levels: [], groups: [] }, importComputers: false }),
    ).toMatchObject({ ok: true });
    expect(await invoke('directory.lookup', { settings, name: 'staff0050' })).toMatchObject({
      ok: true,
      value: { result: 'imported' },
    });
    const start = {
      mode: 'new',
      source: { ous: [`OU=Engineering,${STAFF_DN}`], levels: [], groups: [] },
      options: {
        importComputers: false,
        parseMiddleName: false,
        placement: 'recreate',
        placementOu: '',
        importDisabled: true,
      },
      exclude: [],
    };
    const preview = await invoke('import.start', { ...start, dryRun: true, expectPlan: null });
    const jobId = (preview.value as { jobId: number }).jobId;
    await finished(jobId);
    const page = await invoke('import.plan', {
      jobId,
      filter: 'all',
      sort: 'action',
      descending: false,
      offset: 0,
      limit: 1000,
    });
    expect(page).toMatchObject({ ok: true });
    const csv = await invoke('import.planCsv', { jobId, exclude: [] });
    expect(csv).toMatchObject({ ok: true });
  });

  it('through bcscmd: /SHOW, /TEST, /LDAP, /LOOKUP and a refused bind', () => {
    const env = { ADCONSOLE_LDAP_PASSWORD: SERVICE_PASSWORD };
    const data = path.join(dataDir, 'cli');
    const runs = [
      bcscmd([
        `/DATA:${data}`,
        `/SET:server=${dc.address}`,
        `/SET:caFile=${dc.caFile}`,
        `/SET:login=${dcSettings(dc).login}`,
        `/SET:ouPath=LDAP://OU=Engineering,${STAFF_DN}`,
        '/SET:autoImport=yes',
        '/SHOW',
        '/JSON',
      ]),
      bcscmd([`/DATA:${data}`, '/TEST', '/JSON'], env),
      bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new', '/JSON'], env),
      bcscmd([`/DATA:${data}`, '/LOOKUP:staff1590', '/JSON'], env),
      bcscmd([`/DATA:${data}`, '/TEST'], { ADCONSOLE_LDAP_PASSWORD: `${SERVICE_PASSWORD}x` }),
      bcscmd([`/DATA:${data}`, '/SHOW']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 1, 0]);
    for (const r of runs) seen.push(r.out, r.err);
  });

  it('appears in none of what was sent, logged or written', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(dataDir);
    expect(files.some((f) => f.endsWith('settings.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('users.sqlite'))).toBe(true);
    const haystacks = [
      ...seen,
      ...logs,
      ...files.map((f) => fs.readFileSync(f).toString('latin1')),
      ...files.map((f) => fs.readFileSync(f).toString('utf16le')),
    ];
    expect(seen.length).toBeGreaterThan(15);
    const leaks = haystacks.filter((text) => text.includes(SERVICE_PASSWORD));
    expect(leaks.map((t) => t.slice(0, 200))).toEqual([]);
  });
});
