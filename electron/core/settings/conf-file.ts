/** Opens the settings file with `conf` for plain-Node processes (CLI, browser console, tests). */
import path from 'node:path';
import Conf from 'conf';
import { Failure } from '../failure.ts';
import { SETTINGS_FILE_NAME, type KeyValueFile } from './settings-store.ts';

export function openSettingsFile(dataDir: string): KeyValueFile {
  try {
    return new Conf({ cwd: dataDir, configName: SETTINGS_FILE_NAME, projectName: 'ad-console', projectSuffix: '' });
  } catch (err) {
    throw unreadableSettings(path.join(dataDir, `${SETTINGS_FILE_NAME}.json`), err);
  }
}

/** A settings file that cannot be read is never overwritten: the admin decides what to keep. */
export function unreadableSettings(file: string, err: unknown): Failure {
  const why =
    err instanceof SyntaxError
      ? 'is not valid JSON (was it edited by hand?)'
      : `cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  return new Failure(
    'settings-unreadable',
    `The settings file ${file} ${why}.`,
    'Correct the file, or move it aside to start from the default settings. Nothing was changed.',
  );
}
