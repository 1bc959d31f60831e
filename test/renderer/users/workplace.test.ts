/**
 * The users view as a workplace, in real Chromium over the browser transport on a real users database:
 * it fills the window at 1024×768 and 1920×1080, splitters and column widths move and are remembered,
 * truncated cells have infotips, the account context menu and multi-select act on local accounts and
 * refuse AD ones with the reason, Find… narrows the whole database, Add/Remove Columns…, F1 help and
 * dialogs moved by their title bar.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../electron/core/app-services.ts';
import { openUsersDatabase } from '../../../electron/core/database/users-database.ts';
import { type BrowserConsole, openBrowserConsole, screenshotPath } from '../../support/browser.ts';
import { testServices } from '../../support/console-services.ts';
import { parseCsv } from '../../support/csv.ts';
import { realPartsAvailable } from '../../support/real-parts.ts';
import { tempDirFor } from '../../support/temp-dir.ts';
import { DERIVED_COLUMNS, derived, sql } from '../../support/users-db.ts';

const AD_ACCOUNTS = 120;
const LOCAL = ['loc01', 'loc02', 'loc03', 'loc04', 'loc05'];
const LONG_NAME = 'Maximiliana Theodora Wilhelmina von Hohenzollern-Sigmaringen the Younger';

describe.runIf(realPartsAvailable())('the users view as a workplace', () => {
  const dataDir = tempDirFor('workplace');
  const file = path.join(dataDir, 'users.sqlite');
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;
  const row = (logon: string) => page.getByRole('row', { name: logon, exact: true });
  const accounts = () => page.getByRole('grid', { name: 'Accounts' });
  const status = () => page.getByRole('region', { name: 'Accounts' }).getByRole('status').first().textContent();
  const menu = () => page.getByRole('menu', { name: 'Account' });
  /** The local accounts sort last: End in the table scrolls them into view. */
  const showEnd = async () => {
    await accounts().getByRole('row').nth(1).click();
    await page.keyboard.press('End');
    await row('loc05').waitFor();
  };
  const reopen = async () => {
    await page.reload();
    await row('ad000').waitFor();
  };

  /** Rows wholly inside the table body's visible box. */
  const visibleRows = () =>
    page.evaluate(() => {
      const body = document.querySelector<HTMLElement>('[aria-label="Accounts rows"]')!.getBoundingClientRect();
      return [...document.querySelectorAll('[aria-label="Accounts rows"] [role="row"]')].filter((r) => {
        const box = r.getBoundingClientRect();
        return box.top >= body.top - 1 && box.bottom <= body.bottom + 1;
      }).length;
    });

  beforeAll(async () => {
    openUsersDatabase(file).close();
    sql(file, "INSERT INTO ous (parent_id, name, name_key, created_at) VALUES (NULL, 'Sales', 'sales', 't')");
    for (let n = 0; n < AD_ACCOUNTS; n++)
      sql(
        file,
        'INSERT INTO accounts (logon, display_name, department, title, enabled, kind, ou_id, origin, ad_guid, ' +
          `ad_dn, created_at, updated_at, ${DERIVED_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, 1, 'user', (SELECT ` +
          "id FROM ous WHERE name = 'Sales'), 'ad', ?, ?, 't', 't', ?, ?, ?, ?)",
        `ad${String(n).padStart(3, '0')}`,
        n === 0 ? LONG_NAME : `Ann Lee ${n}`,
        n % 2 ? 'Sales' : 'Support',
        'Clerk',
        `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
        `CN=Ann Lee ${n},OU=Sales,DC=corp,DC=example,DC=test`,
        ...derived({
          logon: `ad${String(n).padStart(3, '0')}`,
          displayName: n === 0 ? LONG_NAME : `Ann Lee ${n}`,
          department: n % 2 ? 'Sales' : 'Support',
        }),
      );
    for (const logon of LOCAL)
      sql(
        file,
        'INSERT INTO accounts (logon, display_name, department, enabled, kind, ou_id, origin, created_at, ' +
          `updated_at, ${DERIVED_COLUMNS.join(', ')}) VALUES (?, ?, 'Front desk', 1, 'user', 1, 'local', 't', 't', ` +
          '?, ?, ?, ?)',
        logon,
        `Kiosk ${logon}`,
        ...derived({ logon, displayName: `Kiosk ${logon}`, department: 'Front desk' }),
      );
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    page = opened.page;
    await page.goto(opened.web.url);
    await row('ad000').waitFor();
  });

  afterAll(async () => {
    await opened?.close();
    await services?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills 1024×768 and 1920×1080 without clipping sideways, and shows more rows in the larger window', async () => {
    const shown: Record<string, number> = {};
    for (const [width, height] of [
      [1024, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect.poll(visibleRows, { timeout: 5000 }).toBeGreaterThan(5);
      shown[width] = await visibleRows();
      await page.screenshot({ path: screenshotPath(`users-window-${width}x${height}`) });
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
        rightmost: Math.max(
          ...[...document.querySelectorAll('button, input, [role="status"]')].map(
            (e) => e.getBoundingClientRect().right,
          ),
        ),
        statusBottom: document.querySelector('.statusbar')!.getBoundingClientRect().bottom,
        statusHeight: document.querySelector('.statusbar')!.getBoundingClientRect().height,
      }));
      // The status bar is one line (about 20 px), whatever the width: cut-off panes end in "…".
      expect(layout.statusHeight).toBeLessThan(26);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.scrollHeight).toBeLessThanOrEqual(height);
      expect(layout.rightmost).toBeLessThanOrEqual(width);
      expect(layout.statusBottom).toBeLessThanOrEqual(height);
      // The biggest dialogs fit too, buttons included.
      for (const [item, title] of [
        ['Active Directory (LDAP) integration…', 'Active Directory (LDAP) integration'],
        ['Active Directory Import Wizard…', 'Active Directory Import Wizard'],
        ['Synchronization schedule…', 'Synchronization schedule'],
      ]) {
        await page.getByRole('menuitem', { name: 'Tools' }).click();
        // Menu items stay on one line.
        const entry = page.getByRole('menuitem', { name: item });
        expect((await entry.boundingBox())!.height).toBeLessThan(30);
        await entry.click();
        const dialog = page.getByRole('dialog', { name: title });
        await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
        const box = (await dialog.boundingBox())!;
        const cancel = (await dialog.getByRole('button', { name: 'Cancel' }).boundingBox())!;
        expect(box.x, title).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, title).toBeLessThanOrEqual(width);
        expect(cancel.y + cancel.height, title).toBeLessThanOrEqual(height);
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.count()).toBe(0);
      }
    }
    expect(shown[1920]).toBeGreaterThan(shown[1024]! + 5);
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  it('moves the splitter and a column edge, and remembers both after the console is opened again', async () => {
    const tree = page.getByRole('navigation', { name: 'Organizational units' });
    const treeBefore = (await tree.boundingBox())!.width;
    const splitter = (await page.getByRole('separator', { name: 'OU tree width' }).boundingBox())!;
    await page.mouse.move(splitter.x + 2, splitter.y + 200);
    await page.mouse.down();
    await page.mouse.move(splitter.x + 102, splitter.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await tree.boundingBox())!.width).toBeCloseTo(treeBefore + 100, -1);
    const heading = page.getByRole('columnheader', { name: 'Display name' });
    const edge = (await page.getByRole('separator', { name: 'Resize Display name' }).boundingBox())!;
    const before = (await heading.boundingBox())!.width;
    await page.mouse.move(edge.x + 3, edge.y + 5);
    await page.mouse.down();
    await page.mouse.move(edge.x + 83, edge.y + 5, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await heading.boundingBox())!.width).toBeCloseTo(before + 80, -1);
    // A double-click on the edge fits the column to its widest text in view: the long name shows whole.
    await page.getByRole('separator', { name: 'Resize Display name' }).dblclick();
    const long = row('ad000').getByRole('gridcell', { name: LONG_NAME });
    await expect
      .poll(() => long.evaluate((cell) => cell.scrollWidth <= cell.clientWidth && cell.clientWidth > 300))
      .toBe(true);
    const after = (await heading.boundingBox())!.width;
    await reopen();
    expect((await tree.boundingBox())!.width).toBeCloseTo(treeBefore + 100, -1);
    expect((await heading.boundingBox())!.width).toBeCloseTo(after, 0);
    expect(after).toBeGreaterThan(before + 80);
    await page.evaluate(() => localStorage.clear());
    await reopen();
  });

  it('shows the whole text of a cut-off cell as a tooltip, and none on a cell that fits', async () => {
    const long = row('ad000').getByRole('gridcell', { name: LONG_NAME });
    await long.hover();
    await expect.poll(() => long.getAttribute('title')).toBe(LONG_NAME);
    const short = row('ad001').getByRole('gridcell', { name: 'Ann Lee 1', exact: true });
    await short.hover();
    expect(await short.getAttribute('title')).toBeNull();
    // Ctrl+Plus in the table fits every column to its widest text in view, as Windows list views do.
    await row('ad001').click();
    await page.keyboard.press('Control+NumpadAdd');
    await expect.poll(() => long.evaluate((cell) => cell.scrollWidth <= cell.clientWidth)).toBe(true);
    await page.evaluate(() => localStorage.clear());
    await reopen();
  });

  it('offers the account actions on right-click and Shift+F10, unavailable with a reason for AD ones', async () => {
    // Right-clicked near the window's right edge, the menu opens to the left of the pointer, inside the window.
    const edge = (await row('ad005').boundingBox())!;
    await page.mouse.click(edge.x + edge.width - 4, edge.y + 4, { button: 'right' });
    const box = (await menu().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    expect(box.x + box.width).toBeLessThanOrEqual(edge.x + edge.width);
    const disable = menu().getByRole('menuitem', { name: 'Disable' });
    expect(await disable.getAttribute('aria-disabled')).toBe('true');
    expect(await disable.getAttribute('title')).toMatch(/Managed in Active Directory: change it there/);
    expect(await menu().getByRole('menuitem', { name: 'Properties' }).getAttribute('aria-disabled')).toBeNull();
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);
    await showEnd();
    await row('loc02').click();
    await page.keyboard.press('Shift+F10');
    await menu().waitFor();
    expect(await menu().getByRole('menuitem', { name: 'Disable' }).getAttribute('aria-disabled')).toBeNull();
    await page.keyboard.press('b'); // the underlined letter chooses: Disa&ble
    await expect.poll(() => sql(file, "SELECT enabled FROM accounts WHERE logon = 'loc02'")).toEqual([{ enabled: 0 }]);
    await row('loc02').click({ button: 'right' });
    await menu().getByRole('menuitem', { name: 'Enable' }).click();
    await expect.poll(() => sql(file, "SELECT enabled FROM accounts WHERE logon = 'loc02'")).toEqual([{ enabled: 1 }]);
  });

  it('answers the Windows keys: Delete and Alt+Enter on accounts, F2 and Delete on OUs, or says why not', async () => {
    await accounts().getByRole('row').nth(1).click();
    await page.keyboard.press('Home');
    await row('ad003').click();
    await page.keyboard.press('Delete');
    await expect
      .poll(() => page.getByRole('toolbar', { name: 'Account actions' }).getByRole('alert').textContent())
      .toMatch(/^Managed in Active Directory/);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.keyboard.press('Alt+Enter');
    const properties = page.getByRole('dialog', { name: 'ad003 Properties' });
    await properties.waitFor();
    await page.keyboard.press('Escape');
    await showEnd();
    await row('loc03').click();
    await page.keyboard.press('Delete');
    const question = page.getByRole('alertdialog', { name: 'Delete account' });
    await expect.poll(() => question.textContent()).toMatch(/Delete the local account loc03/);
    await page.keyboard.press('Enter'); // the default is Keep it
    await expect.poll(() => question.count()).toBe(0);
    expect(sql(file, "SELECT count(*) AS n FROM accounts WHERE logon = 'loc03'")).toEqual([{ n: 1 }]);
    const tree = page.getByRole('tree', { name: 'Server organizational units' });
    await tree.getByRole('button', { name: /^_Default/ }).click();
    await page.keyboard.press('F2');
    const refused = page.getByRole('alertdialog', { name: 'Rename OU' });
    await expect.poll(() => refused.textContent()).toMatch(/The built-in OU _Default cannot be renamed/);
    await page.keyboard.press('Enter');
    await tree.getByRole('button', { name: /^Sales/ }).click();
    await page.keyboard.press('Delete');
    await expect
      .poll(() => page.getByRole('alertdialog', { name: 'Delete OU' }).textContent())
      .toMatch(new RegExp(`Only an empty OU can be deleted: it holds ${AD_ACCOUNTS} accounts`));
    await page.keyboard.press('Enter');
    await tree.getByRole('button', { name: /^All organizational units/ }).click();
  });

  it('acts on every account selected with Shift and Ctrl, and refuses a selection with an AD account', async () => {
    await showEnd();
    await row('loc01').click();
    await row('loc04').click({ modifiers: ['Shift'] });
    await expect.poll(status).toMatch(/· 4 selected/);
    await row('loc04').click({ button: 'right' });
    await menu().getByRole('menuitem', { name: 'Disable' }).click();
    await expect
      .poll(() => sql(file, 'SELECT logon FROM accounts WHERE enabled = 0 ORDER BY logon'))
      .toEqual(['loc01', 'loc02', 'loc03', 'loc04'].map((logon) => ({ logon })));
    expect(sql(file, "SELECT source FROM import_runs WHERE mode = 'account' ORDER BY id DESC LIMIT 1")).toEqual([
      { source: 'local accounts loc01, loc02, loc03 and 1 more: disabled' },
    ]);
    await row('ad119').click({ modifiers: ['Control'] });
    await expect.poll(status).toMatch(/· 5 selected/);
    const toolbar = page.getByRole('toolbar', { name: 'Account actions' });
    const change = toolbar.getByRole('button', { name: 'Disable' }); // not all of them are disabled
    expect(await change.isDisabled()).toBe(true);
    expect(await change.getAttribute('title')).toBe(
      '1 of the 5 selected accounts are managed in Active Directory: change them there; the next sync brings the ' +
        'change in.',
    );
    await row('ad119').click({ modifiers: ['Control'] }); // Ctrl+click again leaves it out
    await expect.poll(status).toMatch(/· 4 selected/);
    await toolbar.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => sql(file, 'SELECT count(*) AS n FROM accounts WHERE enabled = 0')).toEqual([{ n: 0 }]);
    // The keyboard selects the same way: Shift+arrows extend from the anchor, Ctrl+A takes every row.
    await row('loc01').click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(status).toMatch(/· 3 selected/);
    await page.keyboard.press('Control+a');
    await expect.poll(status).toMatch(new RegExp(`· ${AD_ACCOUNTS + LOCAL.length} selected`));
    expect(await change.getAttribute('title')).toBe(
      `${AD_ACCOUNTS} of the ${AD_ACCOUNTS + LOCAL.length} selected accounts are managed in Active Directory: ` +
        'change them there; the next sync brings the change in.',
    );
  });

  it('finds accounts by several fields with Ctrl+F over the whole database, and shows all again', async () => {
    await accounts().getByRole('row').nth(1).click();
    await page.keyboard.press('Control+f');
    const find = page.getByRole('dialog', { name: 'Find Accounts' });
    await find.getByLabel('Department').fill('sales');
    await find.getByLabel('Origin').selectOption('ad');
    await find.getByRole('button', { name: 'Find Now' }).click();
    const expected = sql<{ n: number }>(
      file,
      "SELECT count(*) AS n FROM accounts WHERE origin = 'ad' AND department LIKE '%sales%'",
    )[0]!.n;
    expect(expected).toBe(AD_ACCOUNTS / 2);
    await expect
      .poll(status)
      .toMatch(new RegExp(`^${expected} accounts in .* found by department contains "sales", from Active Directory`));
    // Export List… saves what Find found, every row of it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export List…' }).click(),
    ]);
    const [header, ...lines] = parseCsv(fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, ''));
    const department = header!.indexOf('department');
    expect(lines).toHaveLength(expected);
    expect(new Set(lines.map((l) => l[department]))).toEqual(new Set(['Sales']));
    await page.getByRole('button', { name: 'Show all accounts' }).click();
    await expect
      .poll(status)
      .toMatch(new RegExp(`^${AD_ACCOUNTS + LOCAL.length} accounts in All organizational units$`));
  });

  it('adds and removes columns with Add/Remove Columns…, remembered when the console is opened again', async () => {
    await page.getByRole('button', { name: 'Add/Remove Columns…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add/Remove Columns' });
    expect(await dialog.getByRole('checkbox', { name: 'Logon name' }).isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'Title' }).check();
    await dialog.getByRole('checkbox', { name: 'Distinguished name' }).check();
    await dialog.getByRole('checkbox', { name: 'E-mail' }).uncheck();
    await dialog.getByRole('button', { name: 'OK' }).click();
    const headings = () => accounts().getByRole('columnheader').allTextContents();
    const wanted = [
      'Logon name',
      'Display name',
      'Department',
      'Enabled',
      'Origin',
      'Kind',
      'Title',
      'Distinguished name',
    ];
    await expect.poll(async () => (await headings()).map((h) => h.replace(/ [▲▼]$/, ''))).toEqual(wanted);
    expect(
      await row('ad007').getByRole('gridcell', { name: 'CN=Ann Lee 7,OU=Sales,DC=corp,DC=example,DC=test' }).count(),
    ).toBe(1);
    await reopen();
    expect((await headings()).map((h) => h.replace(/ [▲▼]$/, ''))).toEqual(wanted);
    // Restore defaults: the default columns at their default widths (a dragged width is forgotten too).
    const logonHeading = accounts().getByRole('columnheader').first();
    const before = (await logonHeading.boundingBox())!.width;
    await page.evaluate(() => localStorage.setItem('adconsole.layout.columns.accounts', '{"logon":300}'));
    await reopen();
    await expect.poll(async () => Math.round((await logonHeading.boundingBox())!.width)).toBe(300);
    await page.getByRole('button', { name: 'Add/Remove Columns…' }).click();
    await dialog.getByRole('button', { name: 'Restore defaults' }).click();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(async () => (await logonHeading.boundingBox())!.width).toBe(before);
    expect(await page.evaluate(() => localStorage.getItem('adconsole.layout.columns.accounts'))).toBe('{}');
    await page.evaluate(() => localStorage.clear());
    await reopen();
  });

  it('opens help on the dialog in front with F1, and the contents from Help → Contents', async () => {
    await page.keyboard.press('Control+f');
    const find = page.getByRole('dialog', { name: 'Find Accounts' });
    await find.waitFor();
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'AD Console Help' });
    await expect.poll(() => help.getByRole('article').getAttribute('aria-label')).toBe('Find accounts');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(await find.count()).toBe(1); // back in Find, which is still open
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: 'Help' }).click();
    await page.getByRole('menuitem', { name: 'Contents' }).click();
    await expect.poll(() => help.getByRole('article').getAttribute('aria-label')).toBe('Contents');
    await help.getByRole('button', { name: 'The users window' }).click();
    await expect.poll(() => help.getByRole('article').textContent()).toMatch(/Right-click an account/);
    await help.getByRole('button', { name: 'Close', exact: true }).last().click(); // not the title bar's ✕
    await page.keyboard.press('F1'); // no dialog in front: the main window's topic
    await expect.poll(() => help.getByRole('article').getAttribute('aria-label')).toBe('The users window');
    await page.keyboard.press('Escape');
  });

  it('gives focus back to the accounts after dialogs opened from the menu bar and from context menus', async () => {
    const focused = () =>
      page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a === document.body ? 'the page' : (a?.getAttribute('aria-label') ?? a?.textContent ?? '');
      });
    await page.getByLabel('Search accounts').fill('loc0');
    await row('loc01').click();
    expect(await focused()).toBe('Accounts rows');
    await page.getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: 'Active Directory (LDAP) integration…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('Accounts rows');
    await row('loc01').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Properties' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('Accounts rows');
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Set password…' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('Accounts rows');
    await page.getByLabel('Search accounts').fill('');
  });

  it('moves a dialog by its title bar and keeps it within the window', async () => {
    await page.getByRole('button', { name: 'Find…' }).click();
    const find = page.getByRole('dialog', { name: 'Find Accounts' });
    const start = (await find.boundingBox())!;
    const title = (await find.getByText('Find Accounts', { exact: true }).boundingBox())!;
    await page.mouse.move(title.x + 10, title.y + 5);
    await page.mouse.down();
    await page.mouse.move(title.x - 140, title.y - 95, { steps: 5 });
    await page.mouse.up();
    const moved = (await find.boundingBox())!;
    expect(moved.x).toBeCloseTo(start.x - 150, -1);
    expect(moved.y).toBeCloseTo(start.y - 100, -1);
    await page.mouse.move(title.x - 140, title.y - 95);
    await page.mouse.down();
    await page.mouse.move(title.x - 140, -500, { steps: 5 }); // far above the window: the title bar stays inside
    await page.mouse.up();
    expect((await find.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Escape');
    expect(opened.pageErrors).toEqual([]);
  });
});
