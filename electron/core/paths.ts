/** Where the console keeps its files. The desktop app and `bcscmd` must agree, so both ask here. */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'AD Console';

/**
 * The installation's root folder (package.json, bin/, dist/). This file sits two folders below it in the
 * sources (electron/core/) and so do the bundles it is built into (dist/electron/), so one relative path
 * serves both; every file of the installation is found from here, never from the calling module's place.
 */
export const INSTALL_ROOT = path.resolve(import.meta.dirname, '../..');

/** Electron's userData folder for this product, computed without Electron (the CLI has none). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.ADCONSOLE_DATA_DIR) return path.resolve(env.ADCONSOLE_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}
