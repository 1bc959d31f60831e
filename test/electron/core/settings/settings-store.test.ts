import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';
import { openSettingsFile } from '../../../../electron/core/settings/conf-file.ts';
import { SettingsStore } from '../../../../electron/core/settings/settings-store.ts';
import { tempDir } from '../../../support/temp-dir.ts';

describe('SettingsStore on a real settings file', () => {
  it('starts from the defaults and keeps what was saved across reopening', () => {
    const dir = tempDir();
    expect(new SettingsStore(openSettingsFile(dir)).load()).toEqual(DEFAULT_SETTINGS);
    new SettingsStore(openSettingsFile(dir)).save({ ...DEFAULT_SETTINGS, server: 'dc1', pageSize: 250 });
    expect(new SettingsStore(openSettingsFile(dir)).load()).toMatchObject({ server: 'dc1', pageSize: 250 });
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(true);
  });

  it('falls back field by field when the file was edited by hand into nonsense', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({ integration: { server: 'dc1', pageSize: 99999, security: 'ssl', unknown: 1 } }),
    );
    expect(new SettingsStore(openSettingsFile(dir)).load()).toEqual({ ...DEFAULT_SETTINGS, server: 'dc1' });
  });

  it('refuses to save values outside the schema and leaves the file as it was', () => {
    const dir = tempDir();
    const store = new SettingsStore(openSettingsFile(dir));
    store.save({ ...DEFAULT_SETTINGS, server: 'dc1' });
    const before = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(() => store.save({ ...DEFAULT_SETTINGS, pageSize: 0 })).toThrow();
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
  });
});
