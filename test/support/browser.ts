/**
 * Debian's Chromium driven by playwright-core (without the background-networking flags it keeps trying
 * Google's hosts on a closed network), and the browser console opened in it for the UI suites.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Services } from '../../electron/core/app-services.ts';
import { RENDERER_DIR } from '../../electron/core/browser-console.ts';
import { startWebConsole, type WebConsole } from '../../electron/core/transport/http-server.ts';
import type { Settings } from '../../shared/settings.ts';

/** Playwright gives every launch a fresh temporary profile of its own. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return { browser, close: () => browser.close() };
}

export const SCREENSHOT_DIR = path.resolve('test-results');
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

export interface BrowserConsole {
  web: WebConsole;
  browser: Browser;
  page: Page;
  /** Script errors and console errors the page reported; a suite checks it stays empty. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** The production renderer served by the browser transport over these services, open in Chromium. */
export async function openBrowserConsole(services: Services): Promise<BrowserConsole> {
  if (!fs.existsSync(`${RENDERER_DIR}/index.html`))
    throw new Error('The renderer is not built: run "npm run build" (npm test does).');
  const web = await startWebConsole({ services, staticDir: RENDERER_DIR });
  const { browser, close } = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const pageErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    web,
    browser,
    page,
    pageErrors,
    close: async () => {
      await close();
      await web.close();
    },
  };
}

/**
 * Saves settings and the password from the page, through the browser transport (as the dialog's OK does),
 * and returns whether the console accepted them.
 */
export async function saveSettingsFromPage(page: Page, settings: Settings, password: string): Promise<boolean> {
  const result = await page.evaluate(
    async (body) =>
      (await (
        await fetch('/api/invoke/settings.save', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as { ok: boolean },
    { settings, password: { action: 'set', value: password } },
  );
  return result.ok;
}
