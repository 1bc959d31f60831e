import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../shared/contract.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings.ts';
import { dispatch } from '../../../electron/core/handlers.ts';
import { BASE_DN, NETBIOS } from '../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../support/settings-for-dc.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { testServices } from '../../support/console-services.ts';

const good: Settings = {
  ...DEFAULT_SETTINGS,
  login: 'CORP\\svc',
  server: 'dc1.corp.example.test',
  ouPath: 'LDAP://OU=Sales,DC=corp,DC=example,DC=test',
};

function setup() {
  const dataDir = tempDir();
  const logs: string[] = [];
  const services = testServices(dataDir, { log: (l) => logs.push(l) });
  const call = (name: unknown, input: unknown) => dispatch(services.handlers, name, input, (l) => logs.push(l));
  const settingsFile = path.join(dataDir, 'settings.json');
  const snapshot = () => (fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : null);
  return { services, call, snapshot, logs };
}

const MALFORMED: unknown[] = [
  null,
  42,
  'text',
  [],
  { settings: 'x' },
  { settings: { ...good, port: 70000 } },
  { settings: { ...good, extra: true } },
  { settings: good, password: { action: 'set' } },
  { dn: 5 },
];

describe('dispatch', () => {
  it.each(OPERATION_NAMES)('rejects malformed input to %s without touching the settings', async (name) => {
    const { call, snapshot } = setup();
    await call('settings.save', { settings: good, password: { action: 'keep' } });
    const before = snapshot();
    for (const input of MALFORMED) {
      const result = await call(name, input);
      if (result.ok) {
        // Operations without input ignore nothing: only {} is valid for them.
        expect(input).toEqual({});
      } else {
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toContain(name);
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('refuses an unknown operation by name', async () => {
    const { call } = setup();
    expect(await call('settings.delete', {})).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
    expect(await call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
  });
});

describe('settings.save', () => {
  it('saves valid settings and reads them back', async () => {
    const { call } = setup();
    const saved = await call('settings.save', { settings: good, password: { action: 'set', value: 'secret-1' } });
    expect(saved.ok).toBe(true);
    const view = await call('settings.get', {});
    expect(view).toMatchObject({
      ok: true,
      value: { settings: good, password: { stored: true, login: 'CORP\\svc', server: 'dc1.corp.example.test' } },
    });
  });

  it(
    "refuses what the dialog's OK refuses, whichever transport sent it: a specified account without a login " + 'ID',
    async () => {
      const { call, snapshot } = setup();
      const before = snapshot();
      const saved = await call('settings.save', { settings: { ...good, login: '' }, password: { action: 'keep' } });
      expect(saved).toMatchObject({
        ok: false,
        error: { code: 'invalid-settings', message: expect.stringMatching(/^The settings were not saved: .*login/i) },
      });
      expect(snapshot()).toBe(before);
    },
  );

  it('never returns or writes the password', async () => {
    const { call, snapshot } = setup();
    const saved = await call('settings.save', { settings: good, password: { action: 'set', value: 'Very-Secret-Pw' } });
    expect(JSON.stringify(saved)).not.toContain('Very-Secret-Pw');
    expect(JSON.stringify(await call('settings.get', {}))).not.toContain('Very-Secret-Pw');
    expect(snapshot()).not.toContain('Very-Secret-Pw');
  });

  it('refuses invalid settings with the reasons and changes nothing', async () => {
    const { call, snapshot } = setup();
    await call('settings.save', { settings: good, password: { action: 'keep' } });
    const before = snapshot();
    const result = await call('settings.save', {
      settings: { ...good, login: 'svc', ouPath: 'OU=x' },
      password: { action: 'keep' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-settings' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/incomplete/);
      expect(result.error.message).toMatch(/OU container path/);
    }
    expect(snapshot()).toBe(before);
  });

  it('refuses a CA file that does not exist', async () => {
    const { call } = setup();
    const result = await call('settings.save', {
      settings: { ...good, caFile: '/nonexistent/ca.pem' },
      password: { action: 'keep' },
    });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/ca\.pem does not exist/) } });
  });

  it('drops the stored password when the login ID changes without a new one', async () => {
    const { call, services } = setup();
    await call('settings.save', { settings: good, password: { action: 'set', value: 'pw-for-svc' } });
    const result = await call('settings.save', {
      settings: { ...good, login: 'CORP\\other' },
      password: { action: 'keep' },
    });
    expect(result).toMatchObject({ ok: true, value: { password: { stored: false } } });
    if (result.ok)
      expect((result.value as { notices: string[] }).notices.join(' ')).toMatch(/login ID or server changed/);
    expect(services.vault.read({ login: 'CORP\\svc', server: 'dc1.corp.example.test' })).toBeNull();
  });

  it('drops the stored password when the server changes without a new one', async () => {
    const { call } = setup();
    await call('settings.save', { settings: good, password: { action: 'set', value: 'pw' } });
    const result = await call('settings.save', {
      settings: { ...good, server: 'evil.example.com' },
      password: { action: 'keep' },
    });
    expect(result).toMatchObject({ ok: true, value: { password: { stored: false } } });
  });

  it('keeps the stored password when only other fields change', async () => {
    const { call, services } = setup();
    await call('settings.save', { settings: good, password: { action: 'set', value: 'pw' } });
    await call('settings.save', {
      settings: { ...good, pageSize: 200, autoImport: true },
      password: { action: 'keep' },
    });
    expect(services.vault.read({ login: 'corp\\SVC', server: 'DC1.corp.example.test' })).toBe('pw');
  });

  it('forgets the stored password on request', async () => {
    const { call, services } = setup();
    await call('settings.save', { settings: good, password: { action: 'set', value: 'pw' } });
    const result = await call('settings.save', { settings: good, password: { action: 'clear' } });
    expect(result).toMatchObject({ ok: true, value: { password: { stored: false } } });
    expect(services.vault.read({ login: 'CORP\\svc', server: 'dc1.corp.example.test' })).toBeNull();
  });

  it('pushes settings.changed to subscribers', async () => {
    const { call, services } = setup();
    const seen: string[] = [];
    services.subscribe((event) => seen.push(event));
    await call('settings.save', { settings: good, password: { action: 'keep' } });
    expect(seen).toEqual(['settings.changed']);
  });
});

describe.runIf(realPartsAvailable())('which password Test connection sends (real DC)', () => {
  const dc = testDc()!;

  it('uses the stored password for the login and server it was saved with', async () => {
    const { call } = setup();
    await call('settings.save', { settings: dcSettings(dc), password: { action: 'set', value: SERVICE_PASSWORD } });
    const result = await call('connection.test', { settings: dcSettings(dc) });
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('never sends the stored password to a login ID typed since, even unsaved', async () => {
    const { call } = setup();
    await call('settings.save', { settings: dcSettings(dc), password: { action: 'set', value: SERVICE_PASSWORD } });
    const result = await call('connection.test', { settings: dcSettings(dc, { login: `${NETBIOS}\\Administrator` }) });
    expect(result).toMatchObject({
      ok: true,
      value: {
        ok: false,
        steps: expect.arrayContaining([
          expect.objectContaining({ name: 'bind', ok: false, detail: 'No password is available for this login ID.' }),
        ]),
      },
    });
  });

  it('never sends the stored password to a server typed since, even unsaved', async () => {
    const { call } = setup();
    // Saved for the DC's DNS name; tested against its address: a different target as far as the settings go.
    await call('settings.save', {
      settings: dcSettings(dc, { server: dc.fqdn }),
      password: { action: 'set', value: SERVICE_PASSWORD },
    });
    const result = await call('connection.test', {
      settings: dcSettings(dc, { server: '', ouPath: `LDAP://${dc.address}:636/${BASE_DN}` }),
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        ok: false,
        steps: expect.arrayContaining([
          expect.objectContaining({ name: 'bind', detail: 'No password is available for this login ID.' }),
        ]),
      },
    });
  });
});

describe("the wizard's operations refuse what they cannot do, in words, and change nothing", () => {
  const selection = { ous: [`OU=Staff,${BASE_DN}`], levels: [], groups: [] };
  const options = {
    importComputers: false,
    parseMiddleName: false,
    placement: 'recreate',
    placementOu: '',
    importDisabled: true,
  };
  const start = (over: Record<string, unknown>) => ({
    mode: 'sync',
    dryRun: true,
    source: selection,
    options,
    exclude: [],
    expectPlan: null,
    ...over,
  });

  it('needs a source and, for a real run, the previewed plan', async () => {
    const { call, snapshot } = setup();
    const before = snapshot();
    expect(await call('import.start', start({ source: { ous: [], levels: [], groups: [] } }))).toMatchObject({
      ok: false,
      error: { code: 'empty-source', message: expect.stringMatching(/nothing to import/) },
    });
    expect(await call('import.start', start({ dryRun: false }))).toMatchObject({
      ok: false,
      error: { code: 'preview-first' },
    });
    expect(snapshot()).toBe(before);
  });

  it('validates DNs, GUIDs, the plan digest and the server OU path in the input', async () => {
    const { call } = setup();
    for (const bad of [
      start({ source: { ous: ['OU=a"b,DC=x'], levels: [], groups: [] } }),
      start({ exclude: ['not-a-guid'] }),
      start({ exclude: ['0123'.repeat(8)] }),
      start({ expectPlan: 'abc' }),
      start({ options: { ...options, placementOu: 'Staff//Sales' } }),
      start({ mode: 'delete' }),
    ]) {
      expect(await call('import.start', bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(
      await call('users.list', {
        ouId: null,
        recursive: true,
        search: '',
        sort: 'logon',
        descending: false,
        offset: 0,
        limit: 100_000,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(
      await call('users.list', {
        ouId: null,
        recursive: true,
        search: '',
        sort: 'password',
        descending: false,
        offset: 0,
        limit: 10,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('says when a preview or a run is not there', async () => {
    const { call } = setup();
    expect(
      await call('import.plan', { jobId: 7, filter: 'all', sort: 'action', descending: false, offset: 0, limit: 10 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'preview-gone', hint: expect.stringMatching(/show the preview again/) },
    });
    expect(await call('import.reportCsv', { runId: 3 })).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
    expect(await call('import.cancel', { jobId: 7 })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('shows an empty users database with the built-in _Default OU when there is none yet', async () => {
    const { call, services } = setup();
    const overview = await call('users.overview', {});
    expect(overview).toMatchObject({
      ok: true,
      value: { ous: [{ name: '_Default', own: 0, total: 0 }], totals: { accounts: 0 }, lastRun: null },
    });
    await services.close();
  });
});
