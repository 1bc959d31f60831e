/**
 * The Active Directory Import Wizard and the users view in real Chromium through the browser transport,
 * against the real DC's 1 604 staff accounts, with a real SQLite file checked by `bcscmd /USERS /JSON`.
 * Screenshots of every page land in test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserConsole } from '../../electron/core/browser-console.ts';
import type { WebConsole } from '../../electron/core/transport/http-server.ts';
import { USER_FILTER } from '../../electron/core/directory/account-filter.ts';
import type { Settings } from '../../shared/settings.ts';
import { bcscmd } from '../support/bcscmd.ts';
import { launchChromium, saveSettingsFromPage, screenshotPath } from '../support/browser.ts';
import {
  ADMIN_PASSWORD,
  ALL_STAFF_GROUP,
  BASE_DN,
  DOMAIN,
  ENGINEERING_OU,
  MANAGERS_GROUP,
  STAFF,
  staffDn,
  STAFF_OU,
} from '../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../support/settings-for-dc.ts';
import { parseCsv } from '../support/csv.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { tempDirFor } from '../support/temp-dir.ts';
import { databaseContent } from '../support/users-db.ts';

const WIZARD = 'Active Directory Import Wizard';
const STAFF_DN = `${STAFF_OU},${BASE_DN}`;
const number = (text: string) => Number(text.replace(/[^\d]/g, ''));

interface PlanLine {
  included: string;
  action: string;
  logon: string;
  guid: string;
}

describe.runIf(realPartsAvailable())('the Import Wizard and the users view in Chromium', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('wizard-e2e');
  const file = path.join(dataDir, 'users.sqlite');
  let web: WebConsole;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let proxy: TcpProxy;
  const pageErrors: string[] = [];

  const save = (settings: Settings, password = SERVICE_PASSWORD) => saveSettingsFromPage(page, settings, password);

  beforeAll(async () => {
    proxy = await startTcpProxy(dc.address, 636);
    web = await startBrowserConsole({ dataDir, log: () => undefined });
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1200, height: 860 }, acceptDownloads: true });
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(web.url);
    await expect(save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` }))).resolves.toBe(true);
  });

  beforeEach(async () => {
    await page.goto(web.url);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await web?.close();
    await proxy?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const openWizard = async () => {
    await page.getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: `${WIZARD}…` }).click();
    const wizard = page.getByRole('dialog', { name: WIZARD });
    await wizard.waitFor();
    return wizard;
  };
  const heading = (wizard: Locator) => wizard.locator('.wizard-heading').textContent();
  const next = (wizard: Locator) => wizard.getByRole('button', { name: 'Next >' }).click();

  /** Welcome → Database Creation → Source (ticks) → Placement; leaves the wizard on the preview, shown. */
  async function throughToPreview(
    wizard: Locator,
    choice: { mode: string; tick: string[]; groups?: string[]; placeInto?: string; shots?: string },
  ) {
    await expect(heading(wizard)).resolves.toMatch(/^Welcome/);
    if (choice.shots) await page.screenshot({ path: screenshotPath(`${choice.shots}-1-welcome`) });
    await next(wizard);
    await expect(heading(wizard)).resolves.toMatch(/^Database Creation/);
    await wizard.getByRole('radio', { name: choice.mode }).check();
    if (choice.shots) await page.screenshot({ path: screenshotPath(`${choice.shots}-2-database-creation`) });
    await next(wizard);
    await expect(heading(wizard)).resolves.toMatch(/^Source/);
    // The saved source comes ticked (the last import's): each test chooses its own.
    const clear = wizard.getByRole('button', { name: 'Clear selection' });
    if (await clear.isEnabled()) await clear.click();
    for (const name of choice.tick) await wizard.getByRole('checkbox', { name, exact: true }).check();
    for (const name of choice.groups ?? []) {
      await wizard.getByLabel('Search groups').fill(name);
      await wizard.getByRole('checkbox', { name: new RegExp(`^${name}`) }).check();
    }
    await wizard.getByText(/^The selection holds/).waitFor();
    if (choice.shots) await page.screenshot({ path: screenshotPath(`${choice.shots}-3-source`) });
    const holds = number((await wizard.getByText(/^The selection holds/).textContent())!);
    await next(wizard);
    await expect(heading(wizard)).resolves.toMatch(/^Placement/);
    if (choice.placeInto !== undefined) {
      await wizard.getByRole('radio', { name: 'Place all imported accounts into:' }).check();
      await wizard.getByRole('textbox', { name: 'Place all imported accounts into:' }).fill(choice.placeInto);
    }
    if (choice.shots) await page.screenshot({ path: screenshotPath(`${choice.shots}-4-placement`) });
    await next(wizard);
    await wizard.getByRole('grid', { name: 'Planned changes' }).waitFor({ timeout: 60_000 });
    if (choice.shots) await page.screenshot({ path: screenshotPath(`${choice.shots}-5-preview`) });
    return holds;
  }

  const previewCounts = async (wizard: Locator) => {
    const items = await wizard.getByRole('list', { name: 'Planned actions' }).getByRole('listitem').allTextContents();
    return Object.fromEntries(items.map((t) => [t.split(':')[0]!.toLowerCase(), number(t)]));
  };

  const exportPlan = async (wizard: Locator): Promise<PlanLine[]> => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      wizard.getByRole('button', { name: 'Export plan…' }).click(),
    ]);
    const text = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['included', 'action', 'logon', 'dn', 'objectGUID', 'changes', 'reason']);
    return rows.map((r) => ({ included: r[0]!, action: r[1]!, logon: r[2]!, guid: r[4]!.replace(/[{}]/g, '') }));
  };

  /** Applies the preview and returns the Finish page's counts by action. */
  const finish = async (wizard: Locator, shots?: string) => {
    await next(wizard); // Next on the preview applies it
    await expect(heading(wizard)).resolves.toMatch(/^(Progress|Finish)/);
    await wizard.getByText(/^The import finished/).waitFor({ timeout: 60_000 });
    if (shots) await page.screenshot({ path: screenshotPath(`${shots}-7-finish`) });
    const rows = await wizard.getByRole('table', { name: 'Import summary' }).getByRole('row').allTextContents();
    return Object.fromEntries(rows.map((t) => [t.replace(/[\d,]+$/, '').toLowerCase(), number(t)]));
  };

  const usersJson = () => {
    const run = bcscmd([`/DATA:${dataDir}`, '/USERS', '/JSON']);
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as {
      logon: string;
      origin: string;
      enabled: boolean;
      adGuid: string | null;
      department: string;
      ou: string;
    }[];
  };

  it(
    'creates a new database from OU=Staff: the preview equals what is applied, in the users view and in ' +
      'bcscmd /USERS /JSON',
    async () => {
      const wizard = await openWizard();
      const holds = await throughToPreview(wizard, {
        mode: 'Create a new database',
        tick: ['Staff'],
        shots: 'wizard-new',
      });
      const expected = ldapsearchAccounts(dc, STAFF_DN, USER_FILTER);
      expect(holds).toBe(expected.size);
      const counts = await previewCounts(wizard);
      expect(counts.create).toBe(expected.size);
      // A preview you can check: each created account's display name and server OU, sortable by any column.
      const shown = () =>
        wizard.getByRole('grid', { name: 'Planned changes' }).evaluate((grid) => ({
          headings: [...grid.querySelectorAll('[role="columnheader"]')].map((h) =>
            h.textContent!.replace(/ [▲▼]$/, ''),
          ),
          rows: [...grid.querySelectorAll('[role="row"]:not([aria-rowindex="1"])')].map((r) =>
            [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? ''),
          ),
        }));
      const before = await shown();
      expect(before.headings).toEqual([
        'Apply',
        'Action',
        'Logon name',
        'Display name',
        'Server OU',
        'Changes (old → new) or reason',
        'Distinguished name',
      ]);
      const placedIn = new Map(before.rows.map((r) => [r[2]!, r[4]!]));
      expect(before.rows.length).toBeGreaterThan(3);
      for (const r of before.rows) expect(r[4], r[2]).toMatch(/^Staff/);
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      const logonsSorted = async (sign: 1 | -1) => {
        const logons = (await shown()).rows.map((r) => r[2]!);
        return (
          logons.length > 3 &&
          !logons.includes('') &&
          logons.every((l, i) => i === 0 || sign * collator.compare(logons[i - 1]!, l) <= 0)
        );
      };
      await wizard.getByRole('button', { name: 'Logon name' }).click();
      await expect.poll(() => logonsSorted(1), { timeout: 5000 }).toBe(true);
      await wizard.getByRole('button', { name: 'Logon name ▲' }).click();
      await expect.poll(() => logonsSorted(-1), { timeout: 5000 }).toBe(true);
      expect(await wizard.getByRole('columnheader', { name: /Logon name/ }).getAttribute('aria-sort')).toBe(
        'descending',
      );
      const plan = await exportPlan(wizard);
      expect(new Set(plan.filter((p) => p.action === 'create').map((p) => p.guid))).toEqual(new Set(expected.keys()));
      expect(await finish(wizard, 'wizard-new')).toEqual({ ...counts, failed: 0 });
      await wizard.getByRole('button', { name: 'Finish' }).click();
      await wizard.waitFor({ state: 'detached' });

      const users = usersJson();
      // Each account went to the server OU its preview row named.
      for (const [logon, ou] of placedIn) expect(users.find((u) => u.logon === logon)?.ou, logon).toBe(ou);
      expect(new Set(users.map((u) => u.adGuid!.replace(/[{}]/g, '')))).toEqual(
        new Set(plan.filter((p) => p.action === 'create').map((p) => p.guid)),
      );
      // The users view behind it was refreshed: the tree counts and the list's total.
      await page.getByRole('treeitem', { name: `Staff (${expected.size})` }).waitFor();
      await expect(page.getByRole('status', { name: 'Status' }).textContent()).resolves.toMatch(
        new RegExp(
          `^${expected.size.toLocaleString('en-US')} accounts .* Last import: run \\d+ \\(new, wizard\\) succeeded`,
        ),
      );
      await page.screenshot({ path: screenshotPath('users-view-after-import') });
      expect(pageErrors).toEqual([]);
    },
  );

  it("shows the users view: OU counts, recursive toggle, sorting, search and an AD account's details", async () => {
    const engineering = STAFF.filter((u) => u.ou === ENGINEERING_OU).length;
    const grid = page.getByRole('grid', { name: 'Accounts' });
    await page.getByRole('treeitem', { name: `Engineering (${engineering})` }).click();
    await page.getByText(`${engineering} accounts in Engineering`).waitFor();
    await page.getByRole('treeitem', { name: /^Staff/ }).click();
    await page.getByText(`${STAFF.length.toLocaleString('en-US')} accounts in Staff`).waitFor();
    await page.getByLabel('Include sub-OUs').uncheck();
    await page.getByText(`${(STAFF.length - engineering).toLocaleString('en-US')} accounts in Staff`).waitFor();
    await page.getByLabel('Include sub-OUs').check();
    await page.getByRole('button', { name: 'Logon name' }).click(); // descending
    const logons = [...STAFF.map((u) => u.sam)].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1));
    await expect.poll(() => grid.getByRole('row').nth(1).getAttribute('aria-label')).toBe(logons[0]);
    await page.getByLabel('Search accounts').fill('björn');
    await page.getByText(/^1 account in Staff matching "björn"/).waitFor();
    await grid.getByRole('row', { name: 'björn.åberg' }).click();
    const details = page.getByRole('region', { name: 'Account details' });
    await expect(details.textContent()).resolves.toMatch(
      /Distinguished name.*OU=Staff,DC=corp,DC=example,DC=test.*objectGUID\{[0-9a-f-]{36}\}.*Last sync[A-Z][a-z]{2} \d{1,2}, 20\d\d, /,
    );
    await page.screenshot({ path: screenshotPath('users-view-details') });
  });

  it(
    'counts a selection exactly as ldapsearch does: one OU level, a nested group, and an OU plus a group ' +
      'counted once',
    async () => {
      const wizard = await openWizard();
      await next(wizard);
      await next(wizard);
      // The first test's import is the saved source now (Staff, ticked): this test chooses its own.
      await wizard.getByRole('button', { name: 'Clear selection' }).click();
      await wizard.getByLabel('Include sub-OUs').uncheck();
      await wizard.getByRole('checkbox', { name: 'Staff', exact: true }).check();
      const counted = async () => {
        const text = (await wizard.locator('.source-count').textContent()) ?? '';
        return text.startsWith('The selection holds') ? number(text) : null;
      };
      const oneLevel =
        ldapsearchAccounts(dc, STAFF_DN, USER_FILTER).size -
        ldapsearchAccounts(dc, `${ENGINEERING_OU},${BASE_DN}`, USER_FILTER).size;
      await expect.poll(counted, { timeout: 30_000 }).toBe(oneLevel);
      await wizard.getByRole('checkbox', { name: 'Staff', exact: true }).uncheck();
      await wizard.getByLabel('Search groups').fill('Managers');
      await wizard.getByRole('checkbox', { name: /^Managers/ }).check();
      const managers = ldapsearchAccounts(
        dc,
        BASE_DN,
        `(&${USER_FILTER}(memberOf:1.2.840.113556.1.4.1941:=${MANAGERS_GROUP.dn},${BASE_DN}))`,
      );
      await expect.poll(counted, { timeout: 30_000 }).toBe(managers.size);
      await wizard.getByLabel('Include sub-OUs').check();
      await wizard.getByRole('checkbox', { name: 'Staff', exact: true }).check();
      await wizard.getByLabel('Search groups').fill('All Staff');
      await wizard.getByRole('checkbox', { name: /^All Staff/ }).check();
      const union = new Set([
        ...ldapsearchAccounts(dc, STAFF_DN, USER_FILTER).keys(),
        ...managers.keys(),
        ...ldapsearchAccounts(
          dc,
          BASE_DN,
          `(&${USER_FILTER}(memberOf:1.2.840.113556.1.4.1941:=${ALL_STAFF_GROUP},${BASE_DN}))`,
        ).keys(),
      ]);
      await expect.poll(counted, { timeout: 30_000 }).toBe(union.size);
      await wizard.getByRole('button', { name: 'Cancel' }).click();
      await wizard.waitFor({ state: 'detached' });
    },
  );

  it('adds accounts of another OU and leaves out the rows unticked in the preview', async () => {
    const before = usersJson().length;
    const wizard = await openWizard();
    await throughToPreview(wizard, {
      mode: 'Add new accounts',
      tick: ['Sales'],
      placeInto: 'From AD/Sales',
      shots: 'wizard-add',
    });
    const counts = await previewCounts(wizard);
    expect(counts.create).toBeGreaterThanOrEqual(2);
    const grid = wizard.getByRole('grid', { name: 'Planned changes' });
    const first = grid.getByRole('row', { name: /^create / }).first();
    const leftOut = (await first.getAttribute('aria-label'))!.replace('create ', '');
    await first.getByRole('checkbox').uncheck();
    await expect(wizard.getByText(/^1 row left out/).isVisible()).resolves.toBe(true);
    const plan = await exportPlan(wizard);
    expect(plan.find((p) => p.logon === leftOut)?.included).toBe('no');
    expect(await finish(wizard, 'wizard-add')).toEqual({
      ...counts,
      create: counts.create! - 1,
      skip: counts.skip! + 1,
      failed: 0,
    });
    await expect(wizard.getByText(/1 account\(s\) left out in the preview were not applied/).isVisible()).resolves.toBe(
      true,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      wizard.getByRole('button', { name: 'Save report…' }).click(),
    ]);
    const report = parseCsv(fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, ''));
    expect(report.find((r) => r[3] === leftOut)?.slice(2, 3)).toEqual(['skip']);
    expect(report.find((r) => r[3] === leftOut)?.[7]).toBe('left out by the administrator in the preview');
    await wizard.getByRole('button', { name: 'Finish' }).click();
    const users = usersJson();
    expect(users.length).toBe(before + counts.create! - 1);
    expect(users.some((u) => u.logon === leftOut)).toBe(false);
    const created = plan.filter((p) => p.action === 'create' && p.included === 'yes').map((p) => p.logon);
    for (const logon of created) expect(users.find((u) => u.logon === logon)?.ou).toBe('From AD/Sales');
    // The choices are kept for the scheduled bcscmd /LDAP; the next tests go back to the defaults.
    const kept = await page.evaluate(
      async () =>
        (await (
          await fetch('/api/invoke/settings.get', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{}',
          })
        ).json()) as { value: { settings: { placement: string; placementOu: string; importSource: string } } },
    );
    expect(kept.value.settings).toMatchObject({ placement: 'single', placementOu: 'From AD/Sales' });
    expect(kept.value.settings.importSource).toBe(`OU=Sales,${BASE_DN}`);
    // The next time the wizard starts from that source: Sales ticked on the Source page.
    const again = await openWizard();
    await next(again);
    await next(again);
    await expect.poll(() => again.getByRole('checkbox', { name: 'Sales', exact: true }).isChecked()).toBe(true);
    expect(await again.getByRole('checkbox', { name: 'Staff', exact: true }).isChecked()).toBe(false);
    await again.getByText(/^The selection holds/).waitFor();
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'detached' });
    await save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` }));
  });

  it(
    'synchronizes a change made in AD, showing old → new in the preview, and the users view shows the new ' + 'value',
    async () => {
      const who = STAFF.find((u) => u.ou === STAFF_OU && u.enabled)!;
      const admin = new Client({ url: `ldaps://${dc.address}`, tlsOptions: { ca: fs.readFileSync(dc.caFile) } });
      await admin.bind(`Administrator@${DOMAIN}`, ADMIN_PASSWORD);
      const original = who.department;
      try {
        await admin.modify(
          staffDn(who),
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'department', values: ['Wizard Test Department'] }),
          }),
        );
        const wizard = await openWizard();
        await throughToPreview(wizard, { mode: 'Synchronize', tick: ['Staff'], shots: 'wizard-sync' });
        const counts = await previewCounts(wizard);
        expect(counts.update).toBe(1);
        await wizard.getByLabel('Show:').selectOption('update');
        await expect(
          wizard
            .getByRole('grid', { name: 'Planned changes' })
            .getByRole('row', { name: `update ${who.sam}` })
            .textContent(),
        ).resolves.toContain(`department: "${original}" → "Wizard Test Department"`);
        expect(await finish(wizard, 'wizard-sync')).toEqual({ ...counts, failed: 0 });
        await wizard.getByRole('button', { name: 'Finish' }).click();
        expect(usersJson().find((u) => u.logon === who.sam)?.department).toBe('Wizard Test Department');
        await page.getByLabel('Search accounts').fill(who.sam);
        await expect(
          page.getByRole('grid', { name: 'Accounts' }).getByRole('row', { name: who.sam }).textContent(),
        ).resolves.toContain('Wizard Test Department');
      } finally {
        await admin.modify(
          staffDn(who),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'department', values: [original] }) }),
        );
        await admin.unbind();
      }
    },
  );

  it('shows a refused bind on the Source page in words, with Back working, and imports nothing', async () => {
    const before = databaseContent(file);
    await save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` }), 'not-the-password');
    try {
      const wizard = await openWizard();
      await next(wizard);
      await next(wizard);
      const alert = wizard.getByRole('alert').first();
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toMatch(/password .*(wrong|incorrect|invalid)|invalid credentials/i);
      await expect(wizard.getByRole('button', { name: 'Next >' }).isDisabled()).resolves.toBe(true);
      await page.screenshot({ path: screenshotPath('wizard-3-source-bind-refused') });
      await wizard.getByRole('button', { name: '< Back' }).click();
      await expect(heading(wizard)).resolves.toMatch(/^Database Creation/);
      await wizard.getByRole('button', { name: 'Cancel' }).click();
      expect(databaseContent(file)).toBe(before);
    } finally {
      await save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` }));
    }
  });

  describe('through a relay that can make the DC hang or vanish mid-run', () => {
    beforeAll(async () => {
      await expect(save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}`, port: proxy.port }))).resolves.toBe(true);
    });
    afterEach(() => {
      proxy.stallAfter(Infinity);
      proxy.cutAfter(Infinity);
    });
    afterAll(async () => {
      await save(dcSettings(dc, { ouPath: `LDAP://${STAFF_DN}` }));
    });

    /** The bytes a whole Staff read takes, measured on the preview; the run is stopped a little way in. */
    const midRun = async (wizard: Locator, mode: string) => {
      const start = proxy.fromServer();
      await throughToPreview(wizard, { mode, tick: ['Staff'] });
      return proxy.fromServer() + Math.round((proxy.fromServer() - start) * 0.6);
    };

    it('Cancel during Progress asks, stops, says the database is as it was, and it is', async () => {
      const before = databaseContent(file);
      const wizard = await openWizard();
      proxy.stallAfter(await midRun(wizard, 'Synchronize'));
      await next(wizard);
      await wizard.getByText(/^Reading accounts from the directory: [1-9]/).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: screenshotPath('wizard-6-progress') });
      // Closing the wizard (Esc, or the title bar's ✕) asks the same question; "Continue" keeps it running.
      await page.keyboard.press('Escape');
      const ask = page.getByRole('alertdialog', { name: 'Cancel the import?' });
      await ask.getByRole('button', { name: 'Continue' }).click();
      await ask.waitFor({ state: 'detached' });
      await expect(heading(wizard)).resolves.toMatch(/^Progress/);
      await wizard.getByRole('button', { name: 'Cancel' }).click();
      await page.screenshot({ path: screenshotPath('wizard-6-cancel-question') });
      await ask.getByRole('button', { name: 'Stop the import' }).click();
      await expect(wizard.getByRole('alert').textContent()).resolves.toMatch(
        /The import was cancelled\. Nothing was changed in the users database\./,
      );
      expect(databaseContent(file)).toBe(before);
      await wizard.locator('.dialog-buttons').getByRole('button', { name: 'Close' }).click();
    });

    it('"Cancel the import?" says nothing was stopped when the import finished while it was open', async () => {
      const wizard = await openWizard();
      await throughToPreview(wizard, { mode: 'Add new accounts', tick: ['Staff'] });
      proxy.hold(); // the run waits for the DC while the question is open
      await next(wizard);
      await expect(heading(wizard)).resolves.toMatch(/^Progress/);
      await page.keyboard.press('Escape');
      const ask = page.getByRole('alertdialog', { name: 'Cancel the import?' });
      await ask.getByRole('button', { name: 'Stop the import' }).waitFor();
      proxy.release();
      await expect
        .poll(() => ask.textContent(), { timeout: 60_000 })
        .toMatch(/The import had already finished; nothing was stopped\. The Finish page shows what it did\./);
      await expect(ask.getByRole('button', { name: 'Stop the import' }).count()).resolves.toBe(0);
      await ask.getByRole('button', { name: 'OK' }).click();
      await expect(heading(wizard)).resolves.toMatch(/^Finish/);
      await expect(wizard.getByText(/^The import finished/).isVisible()).resolves.toBe(true);
      await wizard.getByRole('button', { name: 'Finish' }).click();
    });

    it(
      'a DC that goes away mid-run gives a clear error on the Progress page, Back still works, and the ' +
        'database is unchanged',
      async () => {
        const before = databaseContent(file);
        const wizard = await openWizard();
        proxy.cutAfter(await midRun(wizard, 'Synchronize'));
        await next(wizard);
        const alert = wizard.getByRole('alert');
        await alert.waitFor({ timeout: 30_000 });
        await expect(alert.textContent()).resolves.toMatch(/connection .*(closed|lost|reset)|closed the connection/i);
        await expect(alert.textContent()).resolves.toMatch(/Nothing was changed in the users database/);
        await page.screenshot({ path: screenshotPath('wizard-6-dc-gone') });
        expect(databaseContent(file)).toBe(before);
        await wizard.getByRole('button', { name: '< Back' }).click();
        await expect(heading(wizard)).resolves.toMatch(/^Preview/);
        // A preview is not thrown away without a question (No keeps it).
        await wizard.getByRole('button', { name: 'Cancel' }).click();
        const discard = page.getByRole('alertdialog', { name: WIZARD });
        await expect(discard.textContent()).resolves.toMatch(/^.*Close the wizard\? The preview is discarded/);
        await page.keyboard.press('Enter');
        await discard.waitFor({ state: 'detached' });
        await expect(heading(wizard)).resolves.toMatch(/^Preview/);
        await page.keyboard.press('Escape');
        await discard.getByRole('button', { name: 'Close the wizard' }).click();
        await wizard.waitFor({ state: 'detached' });
      },
    );
  });

  it(
    'runs from start to finish with the keyboard alone: one Tab stop per tree, type-ahead, and a question ' +
      'before replacing the database',
    async () => {
      // Whatever ran before, the database holds accounts (Sales, added by the scheduled task's command).
      expect(
        bcscmd([`/DATA:${dataDir}`, '/LDAP', '/MODE:add', `/OU:OU=Sales,${BASE_DN}`], {
          ADCONSOLE_LDAP_PASSWORD: SERVICE_PASSWORD,
        }).code,
      ).toBe(0);
      const before = databaseContent(file);
      const accountsBefore = (JSON.parse(bcscmd([`/DATA:${dataDir}`, '/USERS', '/JSON']).out) as unknown[]).length;
      expect(accountsBefore).toBeGreaterThan(0);
      await page.getByRole('menuitem', { name: 'File' }).waitFor();
      await page.keyboard.press('Alt');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('File');
      await page.keyboard.press('ArrowRight'); // Tools
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`${WIZARD}…`);
      await page.keyboard.press('Enter');
      const wizard = page.getByRole('dialog', { name: WIZARD });
      await wizard.waitFor();
      const focused = () =>
        page.evaluate(
          () =>
            (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ??
            document.activeElement?.textContent ??
            '',
        );
      const tabTo = async (name: string) => {
        for (let i = 0; i < 40 && (await focused()) !== name; i++) await page.keyboard.press('Tab');
        expect(await focused()).toBe(name);
      };
      await expect.poll(focused).toBe('Next >');
      await page.keyboard.press('Enter'); // → Database Creation
      await expect(heading(wizard)).resolves.toMatch(/^Database Creation/);
      // Synchronize is chosen (the database has accounts): Tab into the radios, Up to "Create a new database".
      for (
        let i = 0;
        i < 10 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio'));
        i++
      )
        await page.keyboard.press('Tab');
      const newMode = wizard.getByRole('radio', { name: /Create a new database/ });
      for (let i = 0; i < 3 && !(await newMode.isChecked()); i++) await page.keyboard.press('ArrowUp');
      expect(await wizard.getByRole('radio', { name: /Create a new database/ }).isChecked()).toBe(true);
      await tabTo('Next >');
      await page.keyboard.press('Enter'); // → Source
      await expect(heading(wizard)).resolves.toMatch(/^Source/);
      // The OU tree is one Tab stop: Tab reaches the domain, the next Tab leaves the tree.
      await tabTo(DOMAIN);
      await page.keyboard.press('Tab');
      expect(await focused()).not.toMatch(/^(Sales|Staff|Groups|Workstations|Empty)$/);
      await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe(DOMAIN);
      // Down moves into the open domain; typing "st" jumps to Staff; Right expands it, Left goes back up.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.type('st');
      await expect.poll(focused).toBe('Staff');
      await page.keyboard.press('ArrowRight');
      await wizard.getByRole('treeitem', { name: 'Engineering' }).waitFor();
      await page.keyboard.press('ArrowRight');
      await expect.poll(focused).toBe('Engineering');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(focused).toBe('Staff');
      await page.keyboard.press('Space');
      expect(await wizard.getByRole('checkbox', { name: 'Staff' }).isChecked()).toBe(true);
      await wizard.getByText(/^The selection holds/).waitFor();
      await tabTo('Next >');
      await page.keyboard.press('Enter'); // → Placement
      await expect(heading(wizard)).resolves.toMatch(/^Placement/);
      await page.keyboard.press('Enter'); // → Preview
      await wizard.getByRole('grid', { name: 'Planned changes' }).waitFor({ timeout: 60_000 });
      await expect.poll(focused).toBe('Next >');
      // Replacing a database that holds accounts asks first; No is the default, so Enter changes nothing.
      await page.keyboard.press('Enter');
      const question = page.getByRole('alertdialog', { name: WIZARD });
      await question.waitFor();
      await question
        .getByText(
          new RegExp(
            `replaces the ${accountsBefore.toLocaleString('en-US')} accounts .*backed up first to ` +
              `.*users\\.backup-<date and time>\\.sqlite`,
            's',
          ),
        )
        .waitFor();
      await expect.poll(focused).toBe('No');
      await page.screenshot({ path: screenshotPath('wizard-90-replace-question') });
      await page.keyboard.press('Enter');
      await question.waitFor({ state: 'detached' });
      await expect.poll(focused).toBe('Next >');
      await expect(heading(wizard)).resolves.toMatch(/^Preview/);
      expect(databaseContent(file)).toBe(before);
      // Asked again, Shift+Tab reaches Yes.
      await page.keyboard.press('Enter');
      await question.waitFor();
      await page.keyboard.press('Shift+Tab');
      await expect.poll(focused).toBe('Yes, apply it');
      await page.keyboard.press('Enter');
      await wizard.getByText(/^The import finished/).waitFor({ timeout: 60_000 });
      await expect.poll(focused).toBe('Finish');
      await page.keyboard.press('Enter');
      await wizard.waitFor({ state: 'detached' });
      expect(databaseContent(file)).not.toBe(before);
      expect(fs.readdirSync(dataDir).some((f) => /^users\.backup-.*\.sqlite$/.test(f))).toBe(true);
      expect(pageErrors).toEqual([]);
    },
  );
});
