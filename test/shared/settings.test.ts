import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  effectivePort,
  parseSettingValue,
  settingsProblems,
  settingsSchema,
} from '../../shared/settings.ts';

const valid = { ...DEFAULT_SETTINGS, login: 'CORP\\svc', server: 'dc1.corp.example.test' };

describe('settings schema', () => {
  it('accepts the defaults and defaults LDAPS with page size 500', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.security).toBe('ldaps');
    expect(DEFAULT_SETTINGS.pageSize).toBe(500);
  });

  it('refuses unknown keys, wrong types and out-of-range numbers', () => {
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, extra: 1 }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, pageSize: 1001 }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, port: 0 }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, security: 'ssl' }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, autoImport: 'yes' }).success).toBe(false);
  });
});

describe('settingsProblems', () => {
  it('finds nothing wrong in a complete configuration', () => {
    expect(settingsProblems(valid)).toEqual([]);
  });

  it('names the field and the reason for each problem', () => {
    const problems = settingsProblems({ ...valid, login: 'svc', ouPath: 'OU=x', server: 'bad_host!' });
    expect(problems.map((p) => p.field).sort()).toEqual(['login', 'ouPath', 'server']);
  });

  it('checks the server OU that imported accounts go to, and defaults to a safe sync', () => {
    expect(settingsProblems({ ...valid, placementOu: 'Staff//AD' })).toEqual([
      { field: 'placementOu', message: expect.stringMatching(/^Server OU for imported accounts: an OU name is empty/) },
    ]);
    expect(settingsProblems({ ...valid, placementOu: 'Staff/AD' })).toEqual([]);
    expect(DEFAULT_SETTINGS).toMatchObject({
      placement: 'recreate',
      importDisabled: true,
      fullSyncEvery: 24,
      disableLimitPercent: 10,
      disableLimitCount: 50,
    });
    expect(parseSettingValue('placement', 'Single')).toEqual({ ok: true, value: 'single' });
    expect(parseSettingValue('disableLimitPercent', '150')).toEqual({
      ok: false,
      error: 'disableLimitPercent: must be at most 100',
    });
  });

  it('needs no login ID for the current account', () => {
    expect(settingsProblems({ ...valid, account: 'current', login: '' })).toEqual([]);
  });

  it('accepts a configuration still being built up when asked to', () => {
    expect(settingsProblems({ ...DEFAULT_SETTINGS }, { complete: false })).toEqual([]);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, login: 'svc' }, { complete: false }).map((p) => p.field)).toEqual([
      'login',
    ]);
  });

  it('needs a server or a path with DC= parts to find one', () => {
    expect(settingsProblems({ ...valid, server: '' }).map((p) => p.field)).toEqual(['server']);
    expect(settingsProblems({ ...valid, server: '', ouPath: 'LDAP://OU=a,DC=corp,DC=com' })).toEqual([]);
  });
});

describe('parseSettingValue (bcscmd /SET)', () => {
  it('reads booleans, numbers, enums and the default port', () => {
    expect(parseSettingValue('autoImport', 'Yes')).toEqual({ ok: true, value: true });
    expect(parseSettingValue('pageSize', '250')).toEqual({ ok: true, value: 250 });
    expect(parseSettingValue('security', 'StartTLS')).toEqual({ ok: true, value: 'starttls' });
    expect(parseSettingValue('port', 'default')).toEqual({ ok: true, value: null });
  });

  it('explains invalid values', () => {
    expect(parseSettingValue('pageSize', '5000')).toEqual({ ok: false, error: 'pageSize: must be at most 1000' });
    expect(parseSettingValue('security', 'ssl')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/one of ldaps, starttls, none/),
    });
    expect(parseSettingValue('autoImport', 'maybe')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/yes or no/),
    });
    expect(parseSettingValue('port', '-1')).toMatchObject({ ok: false });
  });
});

describe('effectivePort', () => {
  it("prefers the explicit port, then the path's, then the security default", () => {
    expect(effectivePort({ ...valid, port: 3269 }, 636)).toBe(3269);
    expect(effectivePort({ ...valid, port: null }, 1636)).toBe(1636);
    expect(effectivePort({ ...valid, port: null, security: 'starttls' }, null)).toBe(389);
    expect(effectivePort({ ...valid, port: null, security: 'ldaps' }, null)).toBe(636);
  });
});

describe('the schedule settings', () => {
  it('takes a time of day for the daily full pass and minutes for the interval, 0 meaning off', () => {
    expect(parseSettingValue('fullSyncAt', '04:30')).toEqual({ ok: true, value: '04:30' });
    expect(parseSettingValue('fullSyncAt', '4.30')).toEqual({
      ok: false,
      error: 'fullSyncAt: must be a time of day such as 03:00',
    });
    expect(parseSettingValue('fullSyncAt', '24:00').ok).toBe(false);
    expect(parseSettingValue('syncEveryMinutes', '0')).toEqual({ ok: true, value: 0 });
    expect(parseSettingValue('syncEveryMinutes', '10081')).toEqual({
      ok: false,
      error: 'syncEveryMinutes: must be at most 10080',
    });
  });

  it('names an import source that does not parse', () => {
    const problems = settingsProblems({ ...DEFAULT_SETTINGS, importSource: 'Sales' }, { complete: false });
    expect(problems).toEqual([
      { field: 'importSource', message: expect.stringMatching(/^Import source: "Sales" is not a distinguished name/) },
    ]);
  });
});
