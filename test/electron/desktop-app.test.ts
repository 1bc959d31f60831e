/**
 * The desktop app itself, through Playwright's Electron support: runs where the Electron binary is
 * installed (npm downloads it on first use with internet access), and says why it is skipped elsewhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirFor } from '../support/temp-dir.ts';

/** The installed binary, looked up without require('electron'), which would try to download it. */
function electronBinary(): { path: string } | { missing: string } {
  const pathFile = path.resolve('node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile))
    return {
      missing:
        'the Electron binary is not installed (node_modules/electron/path.txt is absent; this machine cannot ' +
        'download it)',
    };
  const binary = path.resolve('node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(binary)) return { missing: `the Electron binary ${binary} is missing` };
  return { path: binary };
}

const found = electronBinary();
if ('missing' in found)
  console.log(
    `SKIPPING the Electron end-to-end suite: ${found.missing}. It runs where "npx install-electron" (or the ` +
      `first "npm start" with internet access) has fetched the binary.`,
  );

describe.runIf('path' in found)('the desktop app in Electron', () => {
  const binary = 'path' in found ? found.path : '';
  const dataDir = tempDirFor('electron-e2e');
  const env = { ...process.env, ADCONSOLE_DATA_DIR: dataDir };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    'opens one sandboxed, context-isolated window that has the console API and no Node, and stays on its ' + 'page',
    async () => {
      const app = await _electron.launch({ executablePath: binary, args: ['.'], env });
      try {
        const page = await app.firstWindow();
        await page.getByRole('menubar', { name: 'Main menu' }).waitFor();
        expect(await page.title()).toBe('AD Console');
        // No Node in the page, and the preload's ipcRenderer stays in its isolated world.
        expect(
          await page.evaluate(() =>
            ['require', 'process', 'ipcRenderer', 'electron'].map(
              (name) => typeof (globalThis as Record<string, unknown>)[name],
            ),
          ),
        ).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
        expect(await page.evaluate(() => window.adConsole!.invoke('app.info', {}))).toMatchObject({
          ok: true,
          value: { transport: 'electron' },
        });
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
        const ours = page.url();
        await page.evaluate(() => {
          location.href = 'https://example.com/';
        });
        expect(page.url()).toBe(ours);
        expect(await page.evaluate(() => window.open('https://example.com/'))).toBeNull();
      } finally {
        await app.close();
      }
    },
  );

  it('runs bcscmd switches headless and exits with their codes', () => {
    const show = spawnSync(binary, ['.', '/SHOW', '/JSON'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(show.status, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ show: { settings: { security: 'ldaps' } } });
    expect(spawnSync(binary, ['.', '/NOSUCHSWITCH'], { env, encoding: 'utf8', timeout: 60_000 }).status).toBe(2);
  });
});
