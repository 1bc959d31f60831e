/**
 * The console behaves like a Windows admin tool, keyboard only, in real Chromium against the real DC:
 * a dialog stays modal after its message boxes (focus back on the opener, Esc and Tab still work, the
 * menu and other dialogs unreachable), Browse… opens at the current path and is driven by the tree keys,
 * an invalid field on OK is named, focused and selected, and a sync over the safety limit asks first.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/core/app-services.ts';
import { bcscmd } from '../support/bcscmd.ts';
import { type BrowserConsole, openBrowserConsole, saveSettingsFromPage, screenshotPath } from '../support/browser.ts';
import { testServices } from '../support/console-services.ts';
import { BASE_DN, STAFF_OU } from '../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../support/settings-for-dc.ts';
import { tempDirFor } from '../support/temp-dir.ts';
import { databaseContent } from '../support/users-db.ts';

const DIALOG = 'Active Directory (LDAP) integration';
const WIZARD = 'Active Directory Import Wizard';

describe.runIf(realPartsAvailable())('modal dialogs and Windows keys in Chromium', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('modality');
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;
  let pageErrors: string[];
  const frames: string[] = [];

  /** What has focus, by accessible name (or text), and whether it is inside the top dialog. */
  const focused = () =>
    page.evaluate(
      () =>
        (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ??
        document.activeElement?.textContent?.trim() ??
        '',
    );
  const focusIn = () =>
    page.evaluate(
      () =>
        (document.activeElement?.closest('[role="dialog"], [role="alertdialog"]')?.getAttribute('aria-labelledby') &&
          document.activeElement?.closest('[role="dialog"], [role="alertdialog"]')?.querySelector('.dialog-title span')
            ?.textContent) ??
        null,
    );
  const tabTo = async (name: string | RegExp) => {
    const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
    for (let i = 0; i < 40 && !matches(await focused()); i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(
      typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : name,
    );
  };
  const openIntegration = async () => {
    await page.getByRole('menuitem', { name: 'File' }).waitFor();
    await page.keyboard.press('Alt');
    await page.keyboard.press('ArrowRight'); // Tools
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe(`${DIALOG}…`);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: DIALOG }).waitFor();
  };

  beforeAll(async () => {
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    ({ page, pageErrors } = opened);
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await page.goto(opened.web.url);
    const settings = dcSettings(dc, { ouPath: `LDAP://OU=LA,OU=Sales,${BASE_DN}` });
    expect(await saveSettingsFromPage(page, settings, SERVICE_PASSWORD)).toBe(true);
  });

  beforeEach(async () => {
    await page.goto(opened.web.url);
  });

  afterAll(async () => {
    await opened?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'keeps the integration dialog modal after the Test connection box: focus back on the button, Tab inside, ' +
      'Esc cancels',
    async () => {
      await openIntegration();
      const dialog = page.getByRole('dialog', { name: DIALOG });
      // An unsaved edit that must survive everything below.
      const checkbox = dialog.getByRole('checkbox', { name: /Search and import user accounts/ });
      await expect.poll(() => checkbox.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Space');
      expect(await checkbox.isChecked()).toBe(true);

      // Alt does not reach the menu bar, and a menu command (the desktop's native menu) opens nothing.
      await page.keyboard.press('Alt');
      expect(await focusIn()).toBe(DIALOG);
      services.emit('menu.command', { command: 'import-wizard' });
      // Wait until the page has received the command over its WebSocket, then give React a frame to act.
      await expect.poll(() => frames.some((f) => f.includes('import-wizard'))).toBe(true);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
      expect(await page.getByRole('dialog', { name: WIZARD }).count()).toBe(0);
      expect(await checkbox.isChecked()).toBe(true);

      await tabTo('Test connection');
      await page.keyboard.press('Enter');
      const box = page.getByRole('alertdialog', { name: 'Test connection' });
      await box.waitFor({ timeout: 30_000 });
      await expect.poll(focused).toBe('OK');
      await page.screenshot({ path: screenshotPath('modality-01-test-result') });
      // F1 on the message box opens the topic of the dialog it came from; Esc comes back to the box.
      await page.keyboard.press('F1');
      const help = page.getByRole('dialog', { name: 'AD Console Help' });
      await expect.poll(() => help.getByRole('article').getAttribute('aria-label')).toBe(DIALOG);
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
      await expect.poll(focused).toBe('OK');
      await page.keyboard.press('Enter');
      await box.waitFor({ state: 'detached' });
      // Back on the control that opened the box, inside the dialog, and still modal.
      await expect.poll(focused).toBe('Test connection');
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        expect(await focusIn()).toBe(DIALOG);
      }
      expect(await page.evaluate(() => (document.querySelector('#root') as HTMLElement).inert)).toBe(true);
      expect(await checkbox.isChecked()).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await page.evaluate(() => (document.querySelector('#root') as HTMLElement).inert)).toBe(false);
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    'names, focuses and selects an invalid field on OK, in red; Browse… opens at the current path and picks ' +
      'by keyboard',
    async () => {
      await openIntegration();
      await tabTo('Advanced settings…');
      await page.keyboard.press('Enter');
      const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
      await advanced.waitFor();
      const path = advanced.getByLabel('OU container path');
      await expect.poll(() => path.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Control+A');
      await page.keyboard.type('LDAP://OU=Sales,,DC=corp');
      await page.keyboard.press('Enter'); // OK, the default button
      const alert = advanced.getByText(/^The settings were not applied\. OU container path: /);
      await alert.waitFor();
      expect(await advanced.isVisible()).toBe(true);
      // The cursor is in the field, its text selected, so typing replaces it.
      expect(
        await path.evaluate((el: HTMLInputElement) => [
          el === document.activeElement,
          el.selectionStart,
          el.selectionEnd,
          el.value.length,
        ]),
      ).toEqual([true, 0, 'LDAP://OU=Sales,,DC=corp'.length, 'LDAP://OU=Sales,,DC=corp'.length]);
      expect(await alert.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(192, 0, 0)');
      const preview = advanced.locator('.path-preview');
      expect(await preview.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(192, 0, 0)');
      await page.screenshot({ path: screenshotPath('modality-02-invalid-path') });

      await page.keyboard.type(`LDAP://OU=LA,OU=Sales,${BASE_DN}`);
      await tabTo('Browse…');
      await page.keyboard.press('Enter');
      const browse = page.getByRole('dialog', { name: 'Browse for container' });
      await browse.waitFor();
      // Opened at the current path: LA, inside the expanded Sales, selected and focused.
      await expect.poll(focused, { timeout: 15_000 }).toBe('LA');
      expect(await browse.getByText(`Selected: OU=LA,OU=Sales,${BASE_DN}`).count()).toBe(1);
      await page.keyboard.press('ArrowLeft'); // LA has no children: to its parent
      await expect.poll(focused).toBe('Sales');
      await page.keyboard.press('Home');
      await expect.poll(focused).toBe('corp.example.test');
      await page.keyboard.type('res');
      await expect.poll(focused).toBe('Research, Development');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowDown');
      await expect.poll(focused).toBe('Research, Development');
      await page.screenshot({ path: screenshotPath('modality-03-browse-keyboard') });
      await page.keyboard.press('Enter'); // OK: picks the selected container
      await browse.waitFor({ state: 'detached' });
      await expect.poll(focused).toBe('Browse…');
      expect(await path.inputValue()).toBe(`LDAP://OU=Research\\, Development,${BASE_DN}`);
      await tabTo('OK');
      await page.keyboard.press('Enter');
      await advanced.waitFor({ state: 'detached' });
      await expect.poll(focused).toBe('Advanced settings…');
      expect(await focusIn()).toBe(DIALOG);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: DIALOG }).waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    },
  );

  it('asks before applying a sync over the safety limit; No is the default and changes nothing', async () => {
    // The database holds the 1 604 staff accounts; a sync of OU=Sales alone would disable them.
    expect(
      bcscmd([`/DATA:${dataDir}`, '/LDAP', '/MODE:new', `/OU:${STAFF_OU},${BASE_DN}`], {
        ADCONSOLE_LDAP_PASSWORD: SERVICE_PASSWORD,
      }).code,
    ).toBe(0);
    const before = databaseContent(`${dataDir}/users.sqlite`);
    await page.keyboard.press('Alt');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const wizard = page.getByRole('dialog', { name: WIZARD });
    await wizard.waitFor();
    await expect.poll(focused).toBe('Next >');
    await page.keyboard.press('Enter'); // Database Creation: Synchronize (the database has accounts)
    await page.keyboard.press('Enter'); // → Source
    await tabTo('corp.example.test');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('sa');
    await expect.poll(focused).toBe('Sales');
    await page.keyboard.press('Space');
    await wizard.getByText(/^The selection holds/).waitFor();
    await tabTo('Next >');
    await page.keyboard.press('Enter'); // → Placement
    await page.keyboard.press('Enter'); // → Preview
    await wizard
      .getByText(/A real run would stop here: This sync would disable \d+ of \d+ imported accounts/)
      .waitFor({ timeout: 60_000 });
    await expect.poll(focused).toBe('Next >');
    await page.keyboard.press('Enter');
    const question = page.getByRole('alertdialog', { name: WIZARD });
    await question.waitFor();
    await question.getByText(/Apply this plan anyway\? It disables [\d,]+ accounts/).waitFor();
    await expect.poll(focused).toBe('No');
    await page.screenshot({ path: screenshotPath('modality-04-safety-question') });
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('Next >');
    expect(await wizard.locator('.wizard-heading').textContent()).toMatch(/^Preview/);
    expect(databaseContent(`${dataDir}/users.sqlite`)).toBe(before);
    // Esc over a preview asks before throwing it away; Alt+C closes.
    await page.keyboard.press('Escape');
    await question.getByText(/^Close the wizard\? The preview is discarded/).waitFor();
    await page.keyboard.press('Alt+c');
    await wizard.waitFor({ state: 'detached' });
    expect(databaseContent(`${dataDir}/users.sqlite`)).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
