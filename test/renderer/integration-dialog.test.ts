/**
 * The console in real Chromium through the browser transport, against the real DC: what an administrator
 * does with Tools → Active Directory (LDAP) integration…. Screenshots land in test-results/.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { addLocalAccount } from '../../electron/core/accounts/local-accounts.ts';
import { openUsersDatabase } from '../../electron/core/database/users-database.ts';
import { RENDERER_DIR, startBrowserConsole } from '../../electron/core/browser-console.ts';
import type { WebConsole } from '../../electron/core/transport/http-server.ts';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT } from '../support/directory-fixture.ts';
import { bcscmd } from '../support/bcscmd.ts';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { realPartsAvailable, testDc } from '../support/real-parts.ts';
import { tempDirFor } from '../support/temp-dir.ts';

const DIALOG = 'Active Directory (LDAP) integration';

describe.runIf(realPartsAvailable())('the integration dialog in Chromium', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('e2e');
  let web: WebConsole;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const bodies: string[] = [];
  const pageErrors: string[] = [];
  const eventSockets: string[] = [];

  const startConsole = async (port?: number) => {
    web = await startBrowserConsole({ dataDir, log: () => undefined, ...(port ? { port } : {}) });
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html')))
      throw new Error('The renderer is not built: run "npm run build" (npm test does).');
    await startConsole();
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    // Every byte the console sends to the page, to prove the password is never among them.
    page.on('response', (response: Response) => {
      void response.text().then(
        (t) => bodies.push(t),
        () => undefined,
      );
    });
    page.on('websocket', (ws) => {
      eventSockets.push(ws.url());
      ws.on('framereceived', (frame) => bodies.push(String(frame.payload)));
    });
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  // Each test starts from a freshly loaded console, so one failure cannot leave a dialog open for the next.
  beforeEach(async () => {
    await page.goto(web.url);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await web?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const openFromMenu = async () => {
    await page.getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: `${DIALOG}…` }).click();
    const dialog = page.getByRole('dialog', { name: DIALOG });
    await dialog.waitFor();
    return dialog;
  };

  it('shows the main window with its menu bar', async () => {
    await expect(
      page.getByRole('menubar', { name: 'Main menu' }).getByRole('menuitem').allTextContents(),
    ).resolves.toEqual(['File', 'Tools', 'Help']);
    // A new data folder: nothing to sync yet, so the schedule is off, without warning colours.
    const pane = page.getByRole('status', { name: 'Scheduled sync' });
    await expect.poll(() => pane.textContent()).toMatch(/^Scheduled sync is off until an import source is chosen/);
    expect(await pane.getAttribute('class')).not.toMatch(/warn/);
    await page.screenshot({ path: screenshotPath('01-main-window') });
  });

  it(
    'opens the dialog from the keyboard (Alt, arrows, Enter), moves focus into it, and Esc returns ' + 'focus',
    async () => {
      await page.getByRole('menuitem', { name: 'File' }).waitFor();
      await page.keyboard.press('Alt');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('File');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`${DIALOG}…`);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: DIALOG });
      await dialog.waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest('[role="dialog"]')?.getAttribute('aria-modal')))
        .toBe('true');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Tools');
    },
  );

  it('enables Login ID and Password only for Specified account', async () => {
    const dialog = await openFromMenu();
    await dialog.getByRole('radio', { name: 'Current account' }).check();
    await expect(dialog.getByLabel('Login ID').isDisabled()).resolves.toBe(true);
    await expect(dialog.getByLabel('Password').isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('02-integration-current-account') });
    await dialog.getByRole('radio', { name: 'Specified account' }).check();
    await expect(dialog.getByLabel('Login ID').isEnabled()).resolves.toBe(true);
    await expect(dialog.getByLabel('Password').isEnabled()).resolves.toBe(true);
    await expect(dialog.getByLabel('Login ID').getAttribute('placeholder')).resolves.toMatch(
      /DOMAIN\\user, user@domain\.com/,
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('parses the OU path as it is typed and says exactly what is wrong', async () => {
    const dialog = await openFromMenu();
    await dialog.getByRole('button', { name: 'Advanced settings…' }).click();
    const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
    const path = advanced.getByLabel('OU container path');
    await path.fill('LDAP://OU=sales,OU=la');
    await path.pressSequentially(',DC=domain,DC=com');
    await expect(advanced.getByText(/Container: OU=sales,OU=la,DC=domain,DC=com/).isVisible()).resolves.toBe(true);
    await path.fill('LDAP://dc1.domain.com:636/OU=Research\\, Development,DC=domain,DC=com');
    await expect(advanced.locator('.path-preview').textContent()).resolves.toMatch(
      /Server: dc1\.domain\.com · Port: 636 · Container: OU=Research\\, Development,DC=domain,DC=com/,
    );
    await path.fill('LDAP://OU=a"b,DC=domain');
    await expect(advanced.getByRole('alert').textContent()).resolves.toBe(
      'The character " at position 12 must be escaped as \\".',
    );
    await page.screenshot({ path: screenshotPath('03-advanced-invalid-path') });
    await path.fill('LDAP://cn=foo/bar,DC=domain');
    await expect(advanced.getByRole('alert').textContent()).resolves.toBe(
      'The "/" at character 14 is read as a separator: inside a distinguished name write it as "\\/" ' +
        '(cn=foo\\/bar,DC=domain).',
    );
    await path.fill('OU=sales,DC=domain');
    await expect(advanced.getByRole('alert').textContent()).resolves.toMatch(/must start with LDAP:\/\//);
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(advanced.isVisible()).resolves.toBe(true); // an invalid path is not applied
    await advanced.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it("checks the IM server's API address on OK, and Test IM server says why it cannot reach it", async () => {
    const dialog = await openFromMenu();
    await dialog.getByRole('button', { name: 'Advanced settings…' }).click();
    const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
    const address = advanced.getByLabel('ejabberd web API');
    await address.fill('http://im.corp.example.test:5285/api');
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await expect
      .poll(() => advanced.getByRole('alert').first().textContent())
      .toMatch(/im\.corp\.example\.test is not this machine: its API \(and the token\) would cross the network/);
    // Nothing listens on this loopback port: the test names the step and the reason.
    const unused = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await address.fill(`http://127.0.0.1:${unused}/api`);
    await advanced.getByLabel('Company name').fill('Example Corp');
    await advanced.getByRole('button', { name: 'Test IM server' }).click();
    const box = page.getByRole('alertdialog', { name: 'Test IM server' });
    await expect.poll(() => box.textContent()).toMatch(/Reach the API \(failed\)/);
    expect(await box.textContent()).toMatch(/does not answer \(connection refused: nothing listens there\)/);
    await page.screenshot({ path: screenshotPath('advanced-test-im-server') });
    await box.getByRole('button', { name: 'OK' }).click();
    await advanced.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it.runIf(inject('postgres') !== null)(
    'checks a PostgreSQL users database in Advanced settings, and shows its accounts once the folder uses it',
    async () => {
      const url = await createTestDatabase(inject('postgres')!);
      const shared = openUsersDatabase({ file: path.join(dataDir, 'unused.sqlite'), url, passwordFile: '' });
      await addLocalAccount(
        shared.engine,
        { logon: 'pg.kiosk', ou: 'Lobby', displayName: 'PG Kiosk', email: '' },
        'console',
      );
      shared.close();
      const dialog = await openFromMenu();
      await dialog.getByRole('button', { name: 'Advanced settings…' }).click();
      const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
      const database = advanced.getByLabel('Users database');
      await database.fill('postgresql://adconsole@db.corp.example.test/users?sslmode=disable');
      await advanced.getByRole('button', { name: 'Check users database' }).click();
      await expect
        .poll(() => advanced.getByRole('alert').first().textContent())
        .toMatch(/db\.corp\.example\.test is not this machine: the users database would cross the network unencrypted/);
      await database.fill(url);
      await advanced.getByRole('button', { name: 'Check users database' }).click();
      const box = page.getByRole('alertdialog', { name: 'Check users database' });
      await expect.poll(() => box.textContent()).toMatch(/Test database succeeded/);
      expect(await box.textContent()).toMatch(/PostgreSQL 1\d.* answers at .*AD Console's schema \d+/);
      await page.screenshot({ path: screenshotPath('advanced-check-users-database') });
      await box.getByRole('button', { name: 'OK' }).click();
      await advanced.getByRole('button', { name: 'Cancel' }).click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      // The data folder pointed there (as bcscmd /SET does it): the console shows that database's accounts.
      expect(bcscmd([`/DATA:${dataDir}`, `/SET:database=${url}`]).code).toBe(0);
      try {
        await page.goto(web.url);
        await expect.poll(() => page.getByText('pg.kiosk').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      } finally {
        expect(bcscmd([`/DATA:${dataDir}`, '/SET:database=']).code).toBe(0);
      }
    },
  );

  const fillConnection = async (dialog: ReturnType<Page['getByRole']>, password: string) => {
    await dialog.getByRole('radio', { name: 'Specified account' }).check();
    await dialog.getByLabel('Login ID').fill(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`);
    await dialog.getByLabel('Password').fill(password);
    await dialog.getByRole('button', { name: 'Advanced settings…' }).click();
    const advanced = page.getByRole('dialog', { name: 'Advanced settings' });
    await advanced.getByLabel('Server').fill(dc.address);
    await advanced.getByLabel('CA certificate file').fill(dc.caFile);
    await advanced.getByLabel('OU container path').fill(`LDAP://${BASE_DN}`);
    return advanced;
  };

  it('picks an OU with Browse…', async () => {
    const dialog = await openFromMenu();
    const advanced = await fillConnection(dialog, SERVICE_ACCOUNT.password);
    await advanced.getByRole('button', { name: 'Browse…' }).click();
    const browse = page.getByRole('dialog', { name: 'Browse for container' });
    await browse.getByRole('treeitem', { name: 'Sales' }).waitFor();
    await browse.getByRole('button', { name: 'Expand Sales' }).click();
    await browse.getByRole('treeitem', { name: 'LA' }).getByRole('button', { name: 'LA', exact: true }).click();
    await page.screenshot({ path: screenshotPath('04-browse') });
    await browse.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(advanced.getByLabel('OU container path').inputValue()).resolves.toBe(
      `LDAP://OU=LA,OU=Sales,${BASE_DN}`,
    );
    await advanced.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a success message box naming the account, DC and count', async () => {
    const dialog = await openFromMenu();
    const advanced = await fillConnection(dialog, SERVICE_ACCOUNT.password);
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const box = page.getByRole('alertdialog', { name: 'Test connection' });
    await box.waitFor();
    await expect(box.textContent()).resolves.toMatch(
      /Test connection succeeded\. Logged on to dc1\.corp\.example\.test .* as CORP\\svc-adconsole over LDAPS/,
    );
    await expect(box.getByRole('list', { name: 'Steps' }).getByRole('listitem').count()).resolves.toBe(8);
    // The server's time and the certificate's expiry in the viewer's zone and format (bcscmd /TEST keeps UTC).
    const steps = (await box.getByRole('list', { name: 'Steps' }).textContent()) ?? '';
    expect(steps).toMatch(/server time [A-Z][a-z]{2} \d{1,2}, \d{4}, /);
    expect(steps).not.toMatch(/ UTC\b| GMT\b/);
    await page.screenshot({ path: screenshotPath('05-test-success') });
    await box.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it(
    'shows with Test lookup what on-the-fly import would import, importing nothing, and why a name is ' + 'refused',
    async () => {
      const dialog = await openFromMenu();
      const advanced = await fillConnection(dialog, SERVICE_ACCOUNT.password);
      await advanced.getByRole('button', { name: 'OK', exact: true }).click();
      const lookup = dialog.getByRole('group', { name: 'Test lookup' });
      await lookup.getByLabel('Logon name').fill(`${NETBIOS}\\alice`);
      await lookup.getByRole('button', { name: 'Test lookup' }).click();
      await expect
        .poll(() => lookup.getByRole('status').textContent(), { timeout: 10_000 })
        .toMatch(
          /^Found CN=Alice Archer,OU=Sales,DC=corp,DC=example,DC=test\. With the checkbox above on, it would be imported as alice \(Alice Archer, alice@corp\.example\.test\) into Sales, enabled\. Nothing was imported\.$/,
        );
      await page.screenshot({ path: screenshotPath('07a-test-lookup') });
      await lookup.getByLabel('Logon name').fill('*)(objectClass=*');
      await lookup.getByLabel('Logon name').press('Enter'); // looks up; does not press OK
      await expect
        .poll(() => lookup.getByRole('status').textContent())
        .toMatch(/^Not found: .*does not allow in a logon name.*Nothing was looked up or imported\.$/);
      await expect(dialog.isVisible()).resolves.toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    },
  );

  it('shows a failure message box naming the step, the reason and what to do', async () => {
    const dialog = await openFromMenu();
    const advanced = await fillConnection(dialog, 'not-the-password');
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const box = page.getByRole('alertdialog', { name: 'Test connection' });
    await box.waitFor();
    await expect(box.textContent()).resolves.toMatch(
      /failed at the "bind" step\. The login ID or password is wrong \(AD code 52e\)\. Retype the password/,
    );
    await page.screenshot({ path: screenshotPath('06-test-failure') });
    await box.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('asks before saving a password the DC just refused (No by default), and the status bar then says so', async () => {
    const dialog = await openFromMenu();
    const advanced = await fillConnection(dialog, 'not-the-password');
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('alertdialog', { name: 'Test connection' }).getByRole('button', { name: 'OK' }).click();
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: DIALOG });
    await expect(question.textContent()).resolves.toMatch(
      /The domain controller refused this password when you tested it: The login ID or password is wrong \(AD code 52e\)\..*Save it anyway\?/,
    );
    await page.screenshot({ path: screenshotPath('06b-save-refused-password') });
    await page.keyboard.press('Enter'); // No is the default: nothing is saved
    await question.waitFor({ state: 'detached' });
    await expect(dialog.isVisible()).resolves.toBe(true);
    const settingsFile = path.join(dataDir, 'settings.json');
    const before = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : '';
    expect(before).not.toContain(`"server": "${dc.address}"`);
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await question.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('alertdialog', { name: DIALOG }).getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const pane = page.getByRole('status', { name: 'Scheduled sync' });
    await expect
      .poll(() => pane.textContent(), { timeout: 10_000 })
      .toMatch(/^The service account's password was refused by 127\.0\.0\.1 at \d\d:\d\d: no sync or lookup uses it/);
    await expect(pane.getAttribute('class')).resolves.toMatch(/warn/);
    const again = await openFromMenu();
    await expect(
      again.getByText(/^The password for CORP\\svc-adconsole was refused by 127\.0\.0\.1 at /).count(),
    ).resolves.toBe(1);
    // A new password: the refusal no longer applies to what is stored.
    await again.getByLabel('Password').fill(SERVICE_ACCOUNT.password);
    await again.getByRole('button', { name: 'OK', exact: true }).click();
    await page.getByRole('alertdialog', { name: DIALOG }).getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => pane.textContent(), { timeout: 10_000 }).not.toMatch(/refused/);
  });

  it('keeps what OK saved across a restart of the console, and never sends the password back', async () => {
    const dialog = await openFromMenu();
    await dialog.getByLabel(/Search and import user accounts/).check();
    const advanced = await fillConnection(dialog, SERVICE_ACCOUNT.password);
    await advanced.getByLabel('Page size').fill('250');
    await advanced.getByLabel('IM domains').fill('im.example.test, bad_domain!');
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(
      advanced.getByText(/^The settings were not applied\. IM domains: "bad_domain!" is not a domain name/).count(),
    ).resolves.toBe(1);
    await advanced.getByLabel('IM domains').fill('im.example.test, chat.example.test');
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    // The browser console has no OS key store: it says the password is kept in memory only.
    const notice = page.getByRole('alertdialog', { name: DIALOG });
    await expect(notice.textContent()).resolves.toMatch(/kept in memory only/);
    await notice.getByRole('button', { name: 'OK', exact: true }).click();

    const port = web.port;
    await web.close();
    await startConsole(port);
    await page.goto(web.url);
    const reopened = await openFromMenu();
    await expect(reopened.getByLabel(/Search and import user accounts/).isChecked()).resolves.toBe(true);
    await expect(reopened.getByLabel('Login ID').inputValue()).resolves.toBe(`${NETBIOS}\\${SERVICE_ACCOUNT.sam}`);
    await expect(reopened.getByLabel('Password').inputValue()).resolves.toBe('');
    await reopened.getByRole('button', { name: 'Advanced settings…' }).click();
    const adv = page.getByRole('dialog', { name: 'Advanced settings' });
    await expect(adv.getByLabel('Server').inputValue()).resolves.toBe(dc.address);
    await expect(adv.getByLabel('Page size').inputValue()).resolves.toBe('250');
    await expect(adv.getByLabel('IM domains').inputValue()).resolves.toBe('im.example.test, chat.example.test');
    await page.screenshot({ path: screenshotPath('07-after-restart-advanced') });
    await adv.getByRole('button', { name: 'Cancel' }).click();
    await reopened.getByRole('button', { name: 'Cancel' }).click();

    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.some((b) => b.includes(SERVICE_ACCOUNT.password))).toBe(false);
  });

  it('forgets the stored password when asked, and says so', async () => {
    const dialog = await openFromMenu();
    const advanced = await fillConnection(dialog, SERVICE_ACCOUNT.password);
    await advanced.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await page.getByRole('alertdialog', { name: DIALOG }).getByRole('button', { name: 'OK', exact: true }).click();

    const again = await openFromMenu();
    await expect(
      again.getByText('A password is stored for this login ID; leave the field blank to keep it.').isVisible(),
    ).resolves.toBe(true);
    await again.getByRole('button', { name: 'Forget the stored password' }).click();
    await expect(again.getByText('The stored password will be removed when you press OK.').isVisible()).resolves.toBe(
      true,
    );
    await again.getByRole('button', { name: 'OK', exact: true }).click();
    await again.waitFor({ state: 'detached' });

    const third = await openFromMenu();
    await expect(third.getByText('No password is stored.').isVisible()).resolves.toBe(true);
    await third.getByRole('button', { name: 'Cancel' }).click();
  });

  it('ran without script errors or CSP violations, with its event channel open', async () => {
    // Saving pushes settings.changed over the WebSocket; the strict CSP must allow that socket.
    await page
      .waitForEvent('websocket', { predicate: (ws) => ws.url().endsWith('/api/events'), timeout: 10_000 })
      .catch(() => undefined);
    expect(eventSockets.some((url) => url === `ws://127.0.0.1:${web.port}/api/events`)).toBe(true);
    expect(bodies.some((b) => b.includes('"event":"settings.changed"'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
