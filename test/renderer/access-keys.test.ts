/**
 * Access keys in real Chromium over the browser transport, against the real DC: in the main window and in
 * every dialog (the wizard page by page) each underlined letter is used once, and Alt+letter reaches the
 * control it underlines — a button or menu title is pressed, a check box or option button toggled, a
 * field focused. Then a few keys do their real work: Alt+T opens Tools, I the integration dialog, Alt+D
 * Advanced settings, Alt+N and Alt+B move through the wizard.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/core/app-services.ts';
import { addLocalAccount } from '../../electron/core/accounts/local-accounts.ts';
import { openUsersDatabase } from '../../electron/core/database/users-database.ts';
import { type BrowserConsole, openBrowserConsole, saveSettingsFromPage } from '../support/browser.ts';
import { testServices } from '../support/console-services.ts';
import { BASE_DN, STAFF_OU } from '../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../support/settings-for-dc.ts';
import { tempDirFor } from '../support/temp-dir.ts';

const WIZARD = 'Active Directory Import Wizard';

describe.runIf(realPartsAvailable())('access keys in Chromium', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('access-keys');
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;

  /** The underlined letters of the dialog in front (or of the main window), in document order. */
  const letters = () =>
    page.evaluate(() => {
      const scopes = [...document.querySelectorAll<HTMLElement>('.modal-backdrop')].filter((m) => !m.inert);
      const scope = scopes.at(-1) ?? document.querySelector<HTMLElement>('.app')!;
      return [...scope.querySelectorAll<HTMLElement>('u.ak')]
        .filter((u) => u.getClientRects().length > 0)
        .map((u) => u.textContent!.toLowerCase());
    });

  /**
   * Presses Alt+letter for every underlined letter in front, with clicks stopped before they do anything,
   * and returns the letters whose control was neither focused nor clicked.
   */
  const unreached = async () => {
    const missed: string[] = [];
    for (const letter of await letters()) {
      const usable = await page.evaluate((l) => {
        const scopes = [...document.querySelectorAll<HTMLElement>('.modal-backdrop')].filter((m) => !m.inert);
        const scope = scopes.at(-1) ?? document.querySelector<HTMLElement>('.app')!;
        const mark = [...scope.querySelectorAll<HTMLElement>('u.ak')].find(
          (u) => u.textContent!.toLowerCase() === l && u.getClientRects().length > 0,
        )!;
        const owner = mark.closest<HTMLElement>('button, label, [role="menuitem"]')!;
        const control =
          owner instanceof HTMLLabelElement ? (owner.control ?? owner.querySelector('input, select')!) : owner;
        // A greyed-out control is skipped by its letter, as on Windows.
        if ((control as HTMLButtonElement).disabled) return false;
        document.querySelectorAll('[data-expected]').forEach((e) => e.removeAttribute('data-expected'));
        control.setAttribute('data-expected', '');
        const w = window as unknown as { reached?: boolean; stopClick?: (e: Event) => void };
        w.reached = false;
        w.stopClick = (e: Event) => {
          w.reached ||= (e.target as HTMLElement).closest('[data-expected]') !== null;
          e.stopPropagation();
          e.preventDefault();
        };
        window.addEventListener('click', w.stopClick, true);
        return true;
      }, letter);
      if (!usable) continue;
      await page.keyboard.press(`Alt+${letter}`);
      const reached = await page.evaluate(() => {
        const w = window as unknown as { reached: boolean; stopClick: (e: Event) => void };
        window.removeEventListener('click', w.stopClick, true);
        return w.reached || document.activeElement?.closest('[data-expected]') !== null;
      });
      if (!reached) missed.push(letter);
    }
    return missed;
  };
  const duplicates = async () => {
    const all = await letters();
    return all.filter((l, i) => all.indexOf(l) !== i);
  };
  /** Every letter in front is used once and reaches its control. */
  const checkKeys = async (where: string) => {
    expect(await letters(), where).not.toEqual([]);
    expect(await duplicates(), where).toEqual([]);
    expect(await unreached(), where).toEqual([]);
  };

  beforeAll(async () => {
    const db = openUsersDatabase(path.join(dataDir, 'users.sqlite'));
    await addLocalAccount(db.engine, { logon: 'kiosk', ou: '', displayName: 'Front Desk', email: '' }, 'console');
    db.close();
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    page = opened.page;
    await page.goto(opened.web.url);
    const saved = dcSettings(dc, { ouPath: `LDAP://${STAFF_OU},${BASE_DN}` });
    expect(await saveSettingsFromPage(page, saved, SERVICE_PASSWORD)).toBe(true);
  });

  beforeEach(async () => {
    await page.goto(opened.web.url);
    await page.getByRole('row', { name: 'kiosk', exact: true }).click();
  });

  afterAll(async () => {
    await opened?.close();
    services?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the main window unique letters that reach their controls; Alt+T then I opens integration', async () => {
    await checkKeys('main window');
    await page.keyboard.press('Alt+t');
    await page.getByRole('menu', { name: 'Tools' }).waitFor();
    await page.keyboard.press('i');
    await page.getByRole('dialog', { name: 'Active Directory (LDAP) integration' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('gives the integration dialog and Advanced settings unique letters that reach their controls', async () => {
    await page.keyboard.press('Alt+t');
    await page.keyboard.press('i');
    const dialog = page.getByRole('dialog', { name: 'Active Directory (LDAP) integration' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Specified account' }).check(); // Login ID and Password enabled
    await checkKeys('integration');
    await page.keyboard.press('Alt+d');
    const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
    await advanced.waitFor();
    await checkKeys('advanced');
    await page.keyboard.press('Alt+s');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await advanced.getByLabel('Server', { exact: true }).getAttribute('id'));
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('gives the schedule dialog, the account dialogs and Find unique letters that reach their controls', async () => {
    await page.keyboard.press('Alt+t');
    await page.keyboard.press('s');
    await page.getByRole('dialog', { name: 'Synchronization schedule' }).waitFor();
    await checkKeys('schedule');
    await page.keyboard.press('Escape');
    for (const [button, title] of [
      ['New account…', 'New local account'],
      ['Set password…', 'Set password for kiosk'],
      ['Move to OU…', 'Move kiosk'],
      ['Delete…', 'Delete account'],
    ] as const) {
      await page.getByRole('toolbar', { name: 'Account actions' }).getByRole('button', { name: button }).click();
      await page.getByRole(title === 'Delete account' ? 'alertdialog' : 'dialog', { name: title }).waitFor();
      await checkKeys(title);
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Control+f');
    await page.getByRole('dialog', { name: 'Find Accounts' }).waitFor();
    await checkKeys('find');
    await page.keyboard.press('Escape');
  });

  it('gives every wizard page unique letters that reach their controls, and moves with Alt+N and Alt+B', async () => {
    await page.keyboard.press('Alt+t');
    await page.keyboard.press('w');
    const wizard = page.getByRole('dialog', { name: WIZARD });
    const heading = () => wizard.locator('.wizard-heading').textContent();
    await wizard.waitFor();
    await wizard.getByRole('button', { name: 'Hidden settings…' }).click();
    await checkKeys('welcome');
    await page.keyboard.press('Alt+n');
    await expect.poll(heading).toMatch(/^Database Creation/);
    await checkKeys('mode');
    await page.keyboard.press('Alt+c'); // Create a new database
    await page.keyboard.press('Alt+n');
    await expect.poll(heading).toMatch(/^Source/);
    await page.keyboard.press('Alt+b');
    await expect.poll(heading).toMatch(/^Database Creation/);
    await page.keyboard.press('Alt+n');
    await wizard.getByRole('checkbox', { name: 'Staff', exact: true }).check();
    await wizard.getByText(/^The selection holds/).waitFor();
    await checkKeys('source');
    await page.keyboard.press('Alt+n');
    await expect.poll(heading).toMatch(/^Placement/);
    await checkKeys('placement');
    await page.keyboard.press('Alt+n');
    await wizard.getByRole('grid', { name: 'Planned changes' }).waitFor({ timeout: 60_000 });
    await checkKeys('preview');
    await page.keyboard.press('Escape');
    expect(opened.pageErrors).toEqual([]);
  });
});
