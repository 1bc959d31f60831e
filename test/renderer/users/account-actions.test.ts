/**
 * The users view's account actions in real Chromium over the browser transport, on a real users database:
 * New account…, Set password…, Disable / Enable and Delete… for local accounts, none of them for AD ones.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../electron/core/secrets/password-hash.ts';
import { openUsersDatabase } from '../../../electron/core/database/users-database.ts';
import type { Services } from '../../../electron/core/app-services.ts';
import { type BrowserConsole, openBrowserConsole, screenshotPath } from '../../support/browser.ts';
import { testServices } from '../../support/console-services.ts';
import { realPartsAvailable } from '../../support/real-parts.ts';
import { tempDirFor } from '../../support/temp-dir.ts';
import { bcscmd } from '../../support/bcscmd.ts';
import { databaseContent, sql } from '../../support/users-db.ts';
import { addLocalAccount } from '../../../electron/core/accounts/local-accounts.ts';
import { downscalePhoto } from '../../../electron/core/import/photos.ts';
import sharp from 'sharp';

describe.runIf(realPartsAvailable())('account actions in the users view', () => {
  const dataDir = tempDirFor('account-actions');
  const file = path.join(dataDir, 'users.sqlite');
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;
  const row = (logon: string) => page.getByRole('row', { name: logon, exact: true });
  const button = (name: string) => page.getByRole('toolbar', { name: 'Account actions' }).getByRole('button', { name });

  beforeAll(async () => {
    openUsersDatabase(file).close();
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, display_name, enabled, kind, ou_id, origin, ad_guid, ad_dn, ' +
        "created_at, updated_at) VALUES ('alice', 'alice', 'Alice Archer', 1, 'user', 1, 'ad', 'g1', " +
        "'CN=Alice Archer,OU=Sales,DC=corp,DC=example,DC=test', 't', 't')",
    );
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    page = opened.page;
    await page.goto(opened.web.url);
    await row('alice').waitFor();
  });

  afterAll(async () => {
    await opened?.close();
    services?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a local account from New account…, and refuses a bad logon name in the dialog, adding nothing', async () => {
    await button('New account…').click();
    const dialog = page.getByRole('dialog', { name: 'New local account' });
    await dialog.getByLabel('Logon name').fill('front desk');
    const before = databaseContent(file);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/cannot be a logon name: no spaces/);
    expect(databaseContent(file)).toBe(before);
    await dialog.getByLabel('Logon name').fill('kiosk');
    await dialog.getByLabel('Display name').fill('Front Desk');
    await dialog.getByLabel('Server OU').fill('Lobby');
    await page.keyboard.press('Enter');
    await row('kiosk').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    // The new account is the one selected.
    await expect.poll(() => row('kiosk').getAttribute('aria-selected')).toBe('true');
    expect(sql(file, "SELECT origin, enabled, display_name FROM accounts WHERE logon = 'kiosk'")).toEqual([
      { origin: 'local', enabled: 1, display_name: 'Front Desk' },
    ]);
  });

  it('sets a password only when both boxes agree, and the details then say it is set', async () => {
    await row('kiosk').click();
    await button('Set password…').click();
    const dialog = page.getByRole('dialog', { name: 'Set password for kiosk' });
    // The rule is there before anything is typed.
    expect(await dialog.textContent()).toMatch(/At least 8 characters \(at most 1 024\), without line breaks/);
    await dialog.getByLabel('New password').fill('Kiosk-Passw0rd');
    await dialog.getByLabel('Confirm password').fill('Kiosk-Passw0rX');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/The two passwords differ/);
    expect(await dialog.getByRole('button', { name: 'OK' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Confirm password').fill('Kiosk-Passw0rd');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const [stored] = sql<{ hash: string }>(file, "SELECT password_hash AS hash FROM accounts WHERE logon = 'kiosk'");
    expect(await verifyPassword('Kiosk-Passw0rd', stored!.hash)).toBe(true);
    await expect.poll(() => page.getByLabel('Account details').textContent()).toMatch(/IM passwordSet/);
    expect(await page.getByLabel('Account details').textContent()).toMatch(/Last logonnever \(through the IM server\)/);
    // A logon through ejabberd records the time (bcscmd /EXTAUTH); the details show it after a refresh.
    sql(file, "UPDATE accounts SET last_logon_at = '2026-12-01T09:30:00.000Z' WHERE logon = 'kiosk'");
    await page.reload();
    await row('kiosk').click();
    await expect
      .poll(() => page.getByLabel('Account details').textContent())
      .toMatch(/Last logonDec 1, 2026, \d{1,2}:30:00 [AP]M/); // the viewer's zone and locale (en-US here)
  });

  it('disables and enables the selected local account', async () => {
    await row('kiosk').click();
    await button('Disable').click();
    await expect.poll(() => sql(file, "SELECT enabled FROM accounts WHERE logon = 'kiosk'")).toEqual([{ enabled: 0 }]);
    await button('Enable').click();
    await expect.poll(() => sql(file, "SELECT enabled FROM accounts WHERE logon = 'kiosk'")).toEqual([{ enabled: 1 }]);
  });

  it('offers none of the changes for an AD account, and says where it is managed', async () => {
    await row('alice').click();
    for (const name of ['Set password…', 'Disable', 'Delete…']) expect(await button(name).isDisabled()).toBe(true);
    expect(await page.getByRole('toolbar', { name: 'Account actions' }).textContent()).toMatch(
      /Managed in Active Directory: change it there/,
    );
  });

  it('deletes only after a question whose default keeps the account; every change is in the history', async () => {
    await row('kiosk').click();
    await button('Delete…').click();
    const question = page.getByRole('alertdialog', { name: 'Delete account' });
    await page.keyboard.press('Enter');
    await expect.poll(() => question.count()).toBe(0);
    expect(sql(file, "SELECT count(*) AS n FROM accounts WHERE logon = 'kiosk'")).toEqual([{ n: 1 }]);
    await button('Delete…').click();
    await question.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row('kiosk').count()).toBe(0);
    expect(sql(file, "SELECT source, started_by FROM import_runs WHERE mode = 'account' ORDER BY id")).toEqual(
      ['created', 'password set', 'disabled', 'enabled', 'deleted'].map((what) => ({
        source: `local account kiosk: ${what}`,
        started_by: 'console',
      })),
    );
    expect(opened.pageErrors).toEqual([]);
  });

  it("manages server OUs from the OU tree's context menu, and moves a local account into one", async () => {
    const label = (name: string | RegExp) =>
      page
        .getByRole('tree', { name: 'Server organizational units' })
        .getByRole('treeitem', { name })
        .locator('.tree-label');
    const menu = page.getByRole('menu', { name: 'OU actions' });
    await label(/^All organizational units/).click({ button: 'right' });
    expect(await menu.getByRole('menuitem', { name: 'Rename…' }).getAttribute('aria-disabled')).toBe('true');
    expect(await menu.getByRole('menuitem', { name: 'Rename…' }).getAttribute('title')).toBe(
      'Choose an OU in the tree first.',
    );
    await menu.getByRole('menuitem', { name: 'New OU…' }).click();
    const created = page.getByRole('dialog', { name: 'New OU' });
    await created.getByLabel('OU path').fill('Reception');
    await page.keyboard.press('Enter');
    await label('Reception (0)').waitFor();

    // From the keyboard: Shift+F10 on the focused OU, Down to Rename…, Enter.
    await label('Reception (0)').click();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const rename = page.getByRole('dialog', { name: 'Rename Reception' });
    await rename.getByLabel('New name').fill('_default');
    await rename.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => rename.getByRole('alert').textContent()).toMatch(/There is already an OU "_Default"/);
    await rename.getByLabel('New name').fill('Front desk');
    await rename.getByRole('button', { name: 'OK' }).click();
    await label('Front desk (0)').waitFor();

    // New account… puts the account into the OU selected in the tree.
    await label('Front desk (0)').click();
    await button('New account…').click();
    const made = page.getByRole('dialog', { name: 'New local account' });
    expect(await made.getByLabel('Server OU').inputValue()).toBe('Front desk');
    await made.getByLabel('Server OU').fill('');
    await made.getByLabel('Logon name').fill('desk');
    await page.keyboard.press('Enter');
    await label(/^All organizational units/).click();
    await row('desk').click();
    // Move to OU… picks from the tree (as ADUC's Move), and can make a new OU under the selected one.
    await button('Move to OU…').click();
    const move = page.getByRole('dialog', { name: 'Move desk' });
    await move.getByRole('treeitem', { name: 'Front desk (0)' }).locator('.tree-label').click();
    await move.getByRole('button', { name: 'New OU…' }).click();
    const child = page.getByRole('dialog', { name: 'New OU' });
    await child.getByLabel('Name').fill('Back office');
    await page.keyboard.press('Enter');
    await expect.poll(() => move.getByRole('status').textContent()).toBe('Selected: Front desk/Back office');
    await move.getByRole('treeitem', { name: 'Front desk (0)' }).locator('.tree-label').click();
    await page.keyboard.press('Enter');
    await label('Front desk (1)').waitFor();
    expect(sql(file, "SELECT o.name FROM accounts a JOIN ous o ON o.id = a.ou_id WHERE logon = 'desk'")).toEqual([
      { name: 'Front desk' },
    ]);

    await label('Front desk (1)').click({ button: 'right' });
    const remove = menu.getByRole('menuitem', { name: 'Delete…' });
    expect(await remove.getAttribute('title')).toBe('Only an empty OU can be deleted: it holds 1 account.');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    await label(/^All organizational units/).click();
    await row('alice').click();
    expect(await button('Move to OU…').isDisabled()).toBe(true);

    await row('desk').click();
    await button('Move to OU…').click();
    await move
      .getByRole('treeitem', { name: /^_Default/ })
      .locator('.tree-label')
      .click();
    await move.getByRole('button', { name: 'OK' }).click();
    await move.waitFor({ state: 'detached' });
    await label('Back office (0)').click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete OU' }).getByRole('button', { name: 'Delete' }).click();
    await label('Front desk (0)').click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete OU' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => label('Front desk (0)').count()).toBe(0);
    expect(sql(file, "SELECT name FROM ous WHERE name LIKE 'Front%' OR name = 'Reception'")).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
  });

  it("opens an account's Properties by double-click or Enter, with what every run did to it", async () => {
    await page
      .getByRole('treeitem', { name: /^All organizational units/ })
      .locator('.tree-label')
      .click();
    await row('desk').dblclick();
    const properties = page.getByRole('dialog', { name: 'desk Properties' });
    const history = properties.getByRole('table', { name: 'History of this account' });
    await expect
      .poll(() => history.getByRole('row').allTextContents())
      .toEqual([
        'RunWhenByWhat',
        expect.stringMatching(/^\d+.+consoleupdate — moved to _Default$/),
        expect.stringMatching(/^\d+.+consoleupdate — moved to Front desk$/),
        expect.stringMatching(/^\d+.+consolecreate — local account added$/),
      ]);
    expect(await properties.textContent()).toMatch(/OriginLocal \(never touched by AD sync\)/);
    expect(await properties.getByLabel('Server OU').textContent()).toBe('_Default');
    await page.keyboard.press('Escape');
    await expect.poll(() => properties.count()).toBe(0);
    // From the keyboard: Enter on the selected row. An AD account with no runs says so.
    await row('alice').click();
    await page.keyboard.press('Enter');
    const alice = page.getByRole('dialog', { name: 'alice Properties' });
    await expect.poll(() => alice.getByRole('table').textContent()).toMatch(/No run has changed this account\./);
    expect(await alice.textContent()).toMatch(/Distinguished nameCN=Alice Archer,OU=Sales/);
    await alice.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => alice.count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
  });

  it('edits a local account in Properties (Apply, then OK), refusing a name an AD account has', async () => {
    await row('desk').dblclick();
    const properties = page.getByRole('dialog', { name: 'desk Properties' });
    const apply = properties.getByRole('button', { name: 'Apply' });
    await page.screenshot({ path: screenshotPath('account-properties-local') });
    expect(await apply.isDisabled()).toBe(true);
    await properties.getByLabel('E-mail').fill('desk@corp.example.test');
    await properties.getByLabel('Department').fill('Facilities');
    await properties.getByLabel('Logon name').fill('ALICE');
    await apply.click();
    await expect
      .poll(() => properties.getByRole('alert').textContent())
      .toMatch(/"ALICE" is the logon name of an account from Active Directory/);
    expect(await properties.getByLabel('Logon name').getAttribute('aria-invalid')).toBe('true');
    expect(sql(file, "SELECT email FROM accounts WHERE logon = 'desk'")).toEqual([{ email: '' }]);
    await properties.getByLabel('Logon name').fill('frontdesk');
    await apply.click();
    const renamed = page.getByRole('dialog', { name: 'frontdesk Properties' });
    await expect
      .poll(() => renamed.getByRole('table', { name: 'History of this account' }).getByRole('row').nth(1).textContent())
      .toMatch(
        /consoleupdate — logon: desk → frontdesk; email: \(empty\) → desk@corp\.example\.test; department: \(empty\) → Facilities — renamed from desk/,
      );
    await renamed.getByLabel('Title').fill('Receptionist');
    await renamed.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => renamed.count()).toBe(0);
    await row('frontdesk').waitFor();
    expect(sql(file, "SELECT email, department, title FROM accounts WHERE logon = 'frontdesk'")).toEqual([
      { email: 'desk@corp.example.test', department: 'Facilities', title: 'Receptionist' },
    ]);
    expect(opened.pageErrors).toEqual([]);
  });

  it('says why an AD account is disabled (in AD, or gone from the source); its Properties are read-only', async () => {
    sql(
      file,
      'INSERT INTO accounts (logon, logon_key, display_name, enabled, disabled_by, kind, ou_id, origin, ad_guid, ' +
        "created_at, updated_at) VALUES ('bob', 'bob', 'Bob', 0, 'ad', 'user', 1, 'ad', 'g2', 't', 't'), " +
        "('carol', 'carol', 'Carol', 0, 'sync', 'user', 1, 'ad', 'g3', 't', 't')",
    );
    await page.reload();
    await row('bob').click();
    await expect
      .poll(() => page.getByLabel('Account details').textContent())
      .toMatch(/EnabledNo \(disabled in Active Directory\)/);
    await row('carol').click();
    await expect
      .poll(() => page.getByLabel('Account details').textContent())
      .toMatch(/EnabledNo \(disabled by a sync: no longer in the import source\)/);
    await page.keyboard.press('Enter');
    const properties = page.getByRole('dialog', { name: 'carol Properties' });
    expect(await properties.textContent()).toMatch(
      /This account comes from Active Directory: change it in Active Directory/,
    );
    expect(await properties.getByRole('textbox').count()).toBe(0);
    await properties.getByRole('button', { name: 'OK' }).click();
  });

  it('greys disabled accounts and Rename… of OUs holding AD accounts; a deleted OU yields to its parent', async () => {
    // bob (AD, disabled) into an OU of its own.
    sql(file, "INSERT INTO ous (parent_id, name, name_key, created_at) VALUES (NULL, 'From AD', 'from ad', 't')");
    sql(file, "UPDATE accounts SET ou_id = (SELECT id FROM ous WHERE name = 'From AD') WHERE logon = 'bob'");
    await page.reload();
    const colour = (logon: string) => row(logon).evaluate((el) => getComputedStyle(el).color);
    expect(await colour('bob')).not.toBe(await colour('frontdesk'));
    const tree = page.getByRole('tree', { name: 'Server organizational units' });
    const label = (name: string | RegExp) => tree.getByRole('treeitem', { name }).locator('.tree-label');
    await label('From AD (1)').click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'OU actions' });
    const rename = menu.getByRole('menuitem', { name: /Rename…/ });
    expect(await rename.getAttribute('aria-disabled')).toBe('true');
    expect(await rename.getAttribute('title')).toMatch(/^It holds 1 account from Active Directory: the next sync/);
    expect(await rename.textContent()).toMatch(/F2$/); // shortcut keys are shown
    await page.keyboard.press('Escape');
    await label('From AD (1)').press('F2');
    const refused = page.getByRole('alertdialog', { name: 'Rename OU' });
    await expect.poll(() => refused.textContent()).toMatch(/It holds 1 account from Active Directory/);
    await refused.getByRole('button', { name: 'OK' }).click();
    // A deleted selected OU: its parent is selected, not an empty view of a vanished OU.
    await label(/^All organizational units/).click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'New OU…' }).click();
    await page.getByRole('dialog', { name: 'New OU' }).getByLabel('OU path').fill('Temporary/Inner');
    await page.keyboard.press('Enter');
    await label('Inner (0)').click();
    await expect.poll(() => page.getByText(/^0 accounts in Inner/).count()).toBe(1);
    await label('Inner (0)').press('Delete');
    await page.getByRole('alertdialog', { name: 'Delete OU' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByText(/^0 accounts in Temporary/).count()).toBe(1);
    expect(await tree.getByRole('treeitem', { name: 'Temporary (0)' }).getAttribute('aria-selected')).toBe('true');
  });

  it("sets which OUs an OU sees with Permissions…, and shows an account's contact list", async () => {
    const opened2 = openUsersDatabase(file);
    for (const [logon, ou] of [
      ['p1', 'Branch A'],
      ['p2', 'Branch B'],
      ['p3', 'HQ'],
    ] as const)
      await addLocalAccount(opened2.engine, { logon, ou, displayName: `Person ${logon}`, email: '' }, 'console');
    opened2.close();
    await page.reload();
    const tree = page.getByRole('tree', { name: 'Server organizational units' });
    await tree.getByRole('treeitem', { name: 'Branch A (1)' }).locator('.tree-label').click({ button: 'right' });
    await page.getByRole('menu', { name: 'OU actions' }).getByRole('menuitem', { name: 'Permissions…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Branch A Permissions' });
    const box = (name: string) =>
      dialog.getByRole('group', { name: 'OUs it sees' }).getByRole('checkbox', { name, exact: true });
    await expect.poll(() => box('Branch B').isChecked()).toBe(true); // every OU, to begin with
    expect(await box('Branch A').isDisabled()).toBe(true);
    expect(await dialog.textContent()).toMatch(/It works both ways: the OUs ticked also see the users of Branch A\./);
    await box('Branch B').uncheck();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(sql(file, "SELECT sees_all FROM ous WHERE name IN ('Branch A', 'Branch B') ORDER BY name")).toEqual([
      { sees_all: 0 },
      { sees_all: 0 },
    ]);
    await page.getByLabel('Search accounts').fill('p1');
    await row('p1').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Account' }).getByRole('menuitem', { name: 'Contact list…' }).click();
    const contacts = page.getByRole('dialog', { name: 'Contact list of p1' });
    const groups = contacts.getByRole('list', { name: 'Contact list' });
    await expect.poll(() => groups.textContent()).toMatch(/HQ \(1\)Person p3 \(p3\)/);
    expect(await groups.textContent()).not.toMatch(/Branch B|Person p2/);
    await page.screenshot({ path: screenshotPath('contact-list') });
    await contacts.getByRole('button', { name: 'OK' }).click();
    await page.getByLabel('Search accounts').fill('');
    expect(opened.pageErrors).toEqual([]);
  });

  it("shows the account's photo from AD in the details and in Properties", async () => {
    const photo = await downscalePhoto(
      await sharp({ create: { width: 200, height: 150, channels: 3, background: '#246' } })
        .png()
        .toBuffer(),
    );
    sql(file, `UPDATE accounts SET photo = '${photo}' WHERE logon = 'alice'`);
    await page.reload();
    await row('alice').click();
    const details = page
      .getByRole('region', { name: 'Account details' })
      .getByRole('img', { name: 'Photo of Alice Archer' });
    await details.waitFor();
    // Decoded by the browser as the JPEG it is, at its kept size.
    await expect
      .poll(() => details.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
      .toEqual([96, 72]);
    await row('alice').dblclick();
    const properties = page.getByRole('dialog', { name: 'alice Properties' });
    await expect.poll(() => properties.getByRole('img', { name: 'Photo of Alice Archer' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('account-photo') });
    await properties.getByRole('button', { name: 'OK' }).click();
    // An account without a photo shows none.
    await row('p1').click();
    await expect.poll(() => page.getByRole('region', { name: 'Account details' }).getByRole('img').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
  });

  it('says in the status bar when publishing a change to the IM server fails, and why', async () => {
    const unused = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const set = bcscmd([
      `/DATA:${dataDir}`,
      `/SET:imApi=http://127.0.0.1:${unused}/api`,
      '/SET:imDomains=corp.example.test',
    ]);
    expect(set.code, set.err).toBe(0);
    try {
      await page.reload();
      await button('New account…').click();
      const dialog = page.getByRole('dialog', { name: 'New local account' });
      await dialog.getByLabel('Logon name').fill('im-notice');
      await page.keyboard.press('Enter');
      await row('im-notice').waitFor();
      const pane = page.getByRole('status', { name: 'IM directory' });
      await expect
        .poll(() => pane.textContent(), { timeout: 15_000 })
        .toMatch(
          /^IM directory: publishing failed at \d\d:\d\d: The IM server's API at http:\/\/127\.0\.0\.1:\d+\/api does not answer \(connection refused/,
        );
      expect(await pane.getAttribute('class')).toMatch(/warn/);
      await page.screenshot({ path: screenshotPath('status-bar-publishing-failed') });
    } finally {
      bcscmd([`/DATA:${dataDir}`, '/SET:imApi=']);
    }
  });
});
