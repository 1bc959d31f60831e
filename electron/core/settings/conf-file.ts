/** Opens the settings file with `conf` for plain-Node processes (CLI, browser console, tests). */
import Conf from 'conf';
import { SETTINGS_FILE_NAME, type KeyValueFile } from './settings-store.ts';

export function openSettingsFile(dataDir: string): KeyValueFile {
  return new Conf({ cwd: dataDir, configName: SETTINGS_FILE_NAME, projectName: 'ad-console', projectSuffix: '' });
}
