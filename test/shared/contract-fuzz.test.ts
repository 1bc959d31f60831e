/**
 * Every contract operation fed random and malformed input over both transports — Electron IPC (ipcMain
 * stubbed, the real registration and handlers) and the browser transport (real HTTP) — answers a
 * validation error and changes nothing: the settings file and the users database stay byte for byte.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OperationName, OPERATION_NAMES, operations } from '../../shared/contract.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { startWebConsole, type WebConsole } from '../../electron/core/transport/http-server.ts';
import { tempDirFor } from '../support/temp-dir.ts';
import { postInvoke } from '../support/http-invoke.ts';
import { testServices } from '../support/console-services.ts';

const ipcHandlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => ipcHandlers.set(channel, fn),
  },
}));
const { registerIpc } = await import('../../electron/ipc.ts');

const RENDERER = 'file:///app/dist/renderer/index.html';
const DN = 'OU=Staff,DC=corp,DC=example,DC=test';
const SETTINGS = { ...DEFAULT_SETTINGS, login: 'CORP\\svc', server: 'dc1.corp.example.test', ouPath: `LDAP://${DN}` };
const SELECTION = { ous: [DN], levels: [], groups: [] };
const OPTIONS = {
  importComputers: false,
  parseMiddleName: false,
  placement: 'recreate',
  placementOu: '',
  importDisabled: true,
};

/** One valid input per operation: the mutations below start from it. */
const VALID: Record<OperationName, Record<string, unknown>> = {
  'app.info': {},
  'settings.get': {},
  'settings.save': { settings: SETTINGS, password: { action: 'keep' } },
  'connection.test': { settings: SETTINGS },
  'im.test': { settings: SETTINGS },
  'database.test': { settings: SETTINGS },
  'directory.browse': { settings: SETTINGS, dn: null },
  'directory.lookup': { settings: SETTINGS, name: 'alice' },
  'directory.groups': { search: '' },
  'import.count': { source: SELECTION, importComputers: false },
  'import.start': { mode: 'sync', dryRun: true, source: SELECTION, options: OPTIONS, exclude: [], expectPlan: null },
  'import.cancel': { jobId: 1 },
  'import.plan': { jobId: 1, filter: 'all', sort: 'action', descending: false, offset: 0, limit: 10 },
  'import.planCsv': { jobId: 1, exclude: [] },
  'import.reportCsv': { runId: 1 },
  'users.overview': {},
  'schedule.status': {},
  'schedule.runNow': { confirmed: false },
  'schedule.resume': {},
  'users.exportCsv': { ouId: null, recursive: true, search: '', sort: 'logon', descending: false },
  'users.list': { ouId: null, recursive: true, search: '', sort: 'logon', descending: false, offset: 0, limit: 10 },
  'users.position': { ouId: null, recursive: true, search: '', sort: 'logon', descending: false, prefix: 'ann' },
  'accounts.add': { logon: 'kiosk', ou: '', displayName: 'Front Desk', email: '' },
  'accounts.setPassword': { logon: 'kiosk', password: 'Kiosk-Passw0rd' },
  'ous.permissions': { path: 'Staff' },
  'ous.setPermissions': { path: 'Staff', sees: ['Staff', 'HR'] },
  'accounts.contacts': { logon: 'kiosk' },
  'accounts.photo': { logon: 'kiosk' },
  'accounts.edit': { logon: 'kiosk', fields: { email: 'desk@corp.example.test' }, rename: 'desk' },
  'accounts.setEnabled': { logons: ['kiosk'], enabled: false },
  'accounts.delete': { logons: ['kiosk'] },
  'accounts.move': { logons: ['kiosk'], ou: 'Lobby' },
  'accounts.history': { logon: 'kiosk' },
  'ous.add': { path: 'Lobby' },
  'ous.rename': { path: 'Lobby', name: 'Front desk' },
  'ous.delete': { path: 'Lobby' },
};

/** A small deterministic PRNG (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  ' ',
  '\u0000',
  'x'.repeat(70_000),
  '../../etc/passwd',
  '*)(objectClass=*',
  [],
  [null],
  {},
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 6 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor((next() - 0.5) * 2 ** 40);
    case 3:
      return next() * 1e6;
    case 4:
      return Array.from({ length: Math.floor(next() * 40) }, () =>
        String.fromCharCode(Math.floor(next() * 0x2fff)),
      ).join('');
    case 5:
      return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, i) => [
          ['settings', 'password', 'dn', 'name', 'source', 'jobId', 'mode', `k${i}`][Math.floor(next() * 8)]!,
          randomValue(next, depth + 1),
        ]),
      );
  }
}

/** Malformed variants of a valid input: each key removed, replaced by odd values, or one key too many. */
function mutations(valid: Record<string, unknown>, next: () => number): unknown[] {
  const out: unknown[] = [undefined, null, 'text', 42, [], [valid], { ...valid, extra: 1 }];
  for (const key of Object.keys(valid)) {
    const { [key]: _dropped, ...rest } = valid;
    out.push(rest);
    for (const odd of ODD_VALUES) out.push({ ...valid, [key]: odd });
    out.push({ ...valid, [key]: randomValue(next) });
  }
  for (let i = 0; i < 40; i++) out.push(randomValue(next));
  return out;
}

const sha = (file: string) =>
  fs.existsSync(file) ? crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'absent';

describe('contract fuzzing over both transports', () => {
  const dataDir = tempDirFor('fuzz');
  const services = testServices(dataDir);
  registerIpc(services, RENDERER);
  let web: WebConsole;
  const files = [path.join(dataDir, 'settings.json'), path.join(dataDir, 'users.sqlite')];
  let before: string[];

  beforeAll(async () => {
    fs.mkdirSync(path.join(dataDir, 'static'));
    web = await startWebConsole({ services, staticDir: path.join(dataDir, 'static') });
    // A saved configuration and an existing database, so that "changes nothing" is about real files.
    await ipcHandlers.get('adconsole:settings.save')!(
      { senderFrame: { url: RENDERER, parent: null } },
      { settings: SETTINGS, password: { action: 'keep' } },
    );
    await ipcHandlers.get('adconsole:users.overview')!({ senderFrame: { url: RENDERER, parent: null } }, {});
    before = files.map(sha);
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const overHttp = (name: string, body: string) => postInvoke(web, name, body);

  it.each(OPERATION_NAMES)(
    '%s answers every malformed input with a validation error, over IPC and over HTTP',
    async (name) => {
      const next = random(name.length * 7919);
      const schema = operations[name].input;
      expect(schema.safeParse(VALID[name]).success, 'the valid sample must be valid').toBe(true);
      let tried = 0;
      for (const input of mutations(VALID[name], next)) {
        if (schema.safeParse(input).success) continue; // a mutation that happens to be valid is not malformed
        tried++;
        const viaIpc = (await ipcHandlers.get(`adconsole:${name}`)!(
          { senderFrame: { url: RENDERER, parent: null } },
          input,
        )) as { ok: boolean; error?: { code: string; message: string } };
        expect(viaIpc, JSON.stringify(input)?.slice(0, 200)).toMatchObject({
          ok: false,
          error: { code: 'invalid-input', message: expect.stringContaining(`"${name}"`) },
        });
        // JSON has no undefined; an empty body is how HTTP sends "no input", which is {} (checked below).
        if (input === undefined) continue;
        const body = JSON.stringify(input);
        // JSON drops what it cannot carry (inherited keys, for one): what arrives may be valid after all.
        if (schema.safeParse(JSON.parse(body)).success) continue;
        const viaHttp = await overHttp(name, body);
        expect(viaHttp.status).toBe(200);
        expect(JSON.parse(viaHttp.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      }
      expect(tried).toBeGreaterThan(20);
      expect(files.map(sha)).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses bodies that are not JSON, and unknown operations, changing nothing', async () => {
    for (const body of ['{', 'null null', '\u0000', '<xml/>'])
      expect((await overHttp('settings.save', body)).status).toBe(400);
    expect(JSON.parse((await overHttp('settings.save', '')).body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect((await overHttp('settings.save', `{"settings":"${'x'.repeat(1_100_000)}"}`)).status).toBe(400);
    expect(JSON.parse((await overHttp('settings.delete', '{}')).body)).toMatchObject({
      ok: false,
      error: { code: 'unknown-operation' },
    });
    expect(JSON.parse((await overHttp('__proto__', '{}')).body)).toMatchObject({
      ok: false,
      error: { code: 'unknown-operation' },
    });
    expect(files.map(sha)).toEqual(before);
  });
});
