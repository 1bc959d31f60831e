/** Starts the console for a browser: core services on the settings file, served on 127.0.0.1. */
import path from 'node:path';
import { createServices } from './app-services.ts';
import { SessionVault } from './secrets/password-vault.ts';
import { openSettingsFile } from './settings/conf-file.ts';
import { INSTALL_ROOT } from './paths.ts';
import { startWebConsole, type WebConsole } from './transport/http-server.ts';

export const RENDERER_DIR = path.join(INSTALL_ROOT, 'dist', 'renderer');

export async function startBrowserConsole(options: {
  dataDir: string;
  port?: number;
  staticDir?: string;
  log?: (line: string) => void;
}): Promise<WebConsole> {
  const services = createServices({
    file: openSettingsFile(options.dataDir),
    // Plain Node has no OS secret store (safeStorage lives in Electron): keep the password in memory only.
    vault: () => new SessionVault("This browser console runs without the operating system's secure storage."),
    transport: 'browser',
    dataDir: options.dataDir,
    ...(options.log ? { log: options.log } : {}),
  });
  return startWebConsole({
    services,
    staticDir: options.staticDir ?? RENDERER_DIR,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}
