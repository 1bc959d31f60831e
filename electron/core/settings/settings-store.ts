/**
 * Settings on disk: one JSON file in the data folder, written atomically by `conf` (plain Node) or
 * `electron-store` (the desktop app, built on the same `conf`), validated with the shared schema.
 */
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../shared/settings.ts';

/** The part of conf / electron-store that we use; both implement it. */
export interface KeyValueFile {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}

export const SETTINGS_FILE_NAME = 'settings';

export class SettingsStore {
  readonly file: KeyValueFile;
  constructor(file: KeyValueFile) {
    this.file = file;
  }

  /** The saved settings; a file edited by hand into an invalid state falls back field by field to defaults. */
  load(): Settings {
    const raw = this.file.get('integration');
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    if (raw && typeof raw === 'object') {
      for (const [key, value] of Object.entries(raw)) {
        const field = settingsSchema.shape[key as keyof Settings];
        if (field?.safeParse(value).success) merged[key] = value;
      }
    }
    return settingsSchema.parse(merged);
  }

  save(settings: Settings): void {
    this.file.set('integration', settingsSchema.parse(settings));
  }
}
