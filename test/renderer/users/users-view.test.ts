/**
 * The users view's toolbar in real Chromium over the browser transport, on a real users database:
 * Export List… saves every account of the view (what bcscmd /USERS /JSON lists), Refresh and F5 read again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../electron/core/app-services.ts';
import { openUsersDatabase } from '../../../electron/core/database/users-database.ts';
import { compareKeys, orderKey } from '../../../shared/order-key.ts';
import { bcscmd } from '../../support/bcscmd.ts';
import { type BrowserConsole, openBrowserConsole } from '../../support/browser.ts';
import { testServices } from '../../support/console-services.ts';
import { parseCsv } from '../../support/csv.ts';
import { realPartsAvailable } from '../../support/real-parts.ts';
import { tempDirFor } from '../../support/temp-dir.ts';
import { DERIVED_COLUMNS, derived, sql } from '../../support/users-db.ts';

const ACCOUNTS = 450; // more than one block of fetched rows: the export must not stop at what is on screen

describe.runIf(realPartsAvailable())('the users view toolbar', () => {
  const dataDir = tempDirFor('users-view');
  const file = path.join(dataDir, 'users.sqlite');
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;
  const toolbarButton = (name: string) => page.getByRole('region', { name: 'Accounts' }).getByRole('button', { name });
  const counted = () => page.getByRole('region', { name: 'Accounts' }).getByRole('status').textContent();

  const exported = async (): Promise<Record<string, string>[]> => {
    const [download] = await Promise.all([page.waitForEvent('download'), toolbarButton('Export List…').click()]);
    const [header, ...rows] = parseCsv(fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, ''));
    return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
  };
  /** /USERS /JSON's accounts with every value as the CSV writes it (a formula-like value starts with '). */
  const usersJson = () =>
    (JSON.parse(bcscmd([`/DATA:${dataDir}`, '/USERS', '/JSON']).out) as Record<string, unknown>[]).map((a) =>
      Object.fromEntries(
        Object.entries(a).map(([k, v]) => {
          const text = v === null ? '' : String(v);
          return [k, /^[=+\-@]/.test(text) ? `'${text}` : text];
        }),
      ),
    );

  beforeAll(async () => {
    openUsersDatabase(file).close();
    for (const [name, parent] of [
      ['Sales', null],
      ['North', 'Sales'],
    ] as const)
      sql(
        file,
        'INSERT INTO ous (parent_id, name, name_key, created_at) ' +
          "VALUES ((SELECT id FROM ous WHERE name = ?), ?, ?, 't')",
        parent,
        name,
        name.toLowerCase(),
      );
    for (let n = 0; n < ACCOUNTS; n++) {
      const ad = n % 3 === 0;
      sql(
        file,
        'INSERT INTO accounts (logon, first_name, last_name, display_name, email, department, enabled, kind, ' +
          `ou_id, origin, ad_guid, created_at, updated_at, ${DERIVED_COLUMNS.join(', ')}) VALUES (?, 'Ann', ?, ?, ` +
          "?, ?, ?, 'user', (SELECT id FROM ous WHERE name = ?), ?, ?, 't', 't', ?, ?, ?, ?)",
        `user${String(n).padStart(3, '0')}`,
        `Lee, "${n}"`,
        `Ann Lee ${n}`,
        `user${n}@corp.example.test`,
        n % 2 ? '=Sales' : 'Support',
        n % 7 ? 1 : 0,
        ['_Default', 'Sales', 'North'][n % 3]!,
        ad ? 'ad' : 'local',
        ad ? `00000000-0000-0000-0000-${String(n).padStart(12, '0')}` : null,
        ...derived({
          logon: `user${String(n).padStart(3, '0')}`,
          firstName: 'Ann',
          lastName: `Lee, "${n}"`,
          displayName: `Ann Lee ${n}`,
          email: `user${n}@corp.example.test`,
          department: n % 2 ? '=Sales' : 'Support',
        }),
      );
    }
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    page = opened.page;
    await page.goto(opened.web.url);
    await page.getByRole('row', { name: 'user000', exact: true }).waitFor();
  });

  afterAll(async () => {
    await opened?.close();
    await services?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports every account of the view, equal to bcscmd /USERS /JSON', async () => {
    expect(await exported()).toEqual(usersJson());
  });

  it('exports what a narrowed view shows: an OU with its sub-OUs, a search, an order', async () => {
    await page
      .getByRole('treeitem', { name: /^Sales/ })
      .locator('.tree-label')
      .click();
    await page.getByRole('searchbox').fill('ann lee 1');
    await page.getByRole('columnheader', { name: /Display name/ }).click();
    await page.getByRole('columnheader', { name: /Display name/ }).click(); // descending
    await expect.poll(counted).toMatch(/ accounts in Sales matching "ann lee 1"$/);
    const expected = usersJson()
      .filter((a) => (a.ou === 'Sales' || a.ou === 'Sales/North') && /ann lee 1/i.test(a.displayName!))
      // Descending, numbers in names by value (Ann Lee 188 before Ann Lee 19), as the preview orders names.
      .sort((a, b) => compareKeys(orderKey(b.displayName!), orderKey(a.displayName!)));
    const rows = await exported();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
    await page.getByRole('searchbox').fill('');
    await page
      .getByRole('treeitem', { name: /^All organizational units/ })
      .locator('.tree-label')
      .click();
  });

  it('jumps by type-ahead to an account the table has not fetched yet, asking the whole view', async () => {
    await page.reload(); // the whole database, in logon order
    await page.getByRole('row', { name: 'user000', exact: true }).click();
    await page.keyboard.type('user42');
    const target = page.getByRole('row', { name: 'user420', exact: true });
    await expect.poll(() => target.getAttribute('aria-selected'), { timeout: 5000 }).toBe('true');
    expect(await target.isVisible()).toBe(true);
    await page.keyboard.press('Home');
  });

  it('reads the accounts again with Refresh and with F5 (a change nobody announced)', async () => {
    await expect.poll(counted).toBe(`${ACCOUNTS} accounts in All organizational units`);
    // Written behind the console's back, without the revision a real change bumps: only a refresh shows it.
    const add = (logon: string) =>
      sql(
        file,
        'INSERT INTO accounts (logon, enabled, kind, ou_id, origin, created_at, updated_at, ' +
          `${DERIVED_COLUMNS.join(', ')}) VALUES (?, 1, 'user', 1, 'local', 't', 't', ?, ?, ?, ?)`,
        logon,
        ...derived({ logon }),
      );
    add('zz-first');
    await toolbarButton('Refresh').click();
    await expect.poll(counted).toBe(`${ACCOUNTS + 1} accounts in All organizational units`);
    add('zz-second');
    // F5 is the console's refresh, not the browser's reload of the page (which would also show the row).
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await page.getByRole('searchbox').focus();
    await page.keyboard.press('F5');
    await expect.poll(counted).toBe(`${ACCOUNTS + 2} accounts in All organizational units`);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(opened.pageErrors).toEqual([]);
  });
});
