/**
 * The schedule in the console, in real Chromium over the browser transport: the status bar's states and
 * Tools → Synchronization schedule…, against a real `bcscmd /SERVICE` process on the same data folder and
 * the real DC (an OU of this suite's own).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'ldapts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../electron/core/app-services.ts';
import { bcscmd } from '../../support/bcscmd.ts';
import { type BrowserConsole, openBrowserConsole, screenshotPath } from '../../support/browser.ts';
import { testServices } from '../../support/console-services.ts';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT } from '../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../support/real-parts.ts';
import { addStaffUser, adminClient, labUser } from '../../support/seed-directory.ts';
import { type ServiceProcess, startService } from '../../support/sync-service.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';
import { tempDirFor } from '../../support/temp-dir.ts';
import { sql } from '../../support/users-db.ts';

const ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };
/** The dialog and the status bar look again every few seconds (the service is another process). */
const SEEN = { timeout: 15_000 };

describe.runIf(realPartsAvailable())('the synchronization schedule in the console', () => {
  const dc = testDc()!;
  const dataDir = tempDirFor('schedule-console');
  const file = path.join(dataDir, 'users.sqlite');
  const ou = `OU=Schedule Console ${process.pid},${BASE_DN}`;
  const otherOu = `OU=Schedule Console Other ${process.pid},${BASE_DN}`;
  const sam = (n: number) => `svk${process.pid % 100000}-${n}`;
  let admin: Client;
  let services: Services;
  let opened: BrowserConsole;
  let page: Page;
  let service: ServiceProcess | null = null;
  let proxy: TcpProxy;
  const pane = () => page.getByRole('status', { name: 'Scheduled sync' });
  const paneText = () => pane().textContent();
  const warned = async () => (await pane().getAttribute('class'))?.includes('warn') ?? false;
  const openDialog = async () => {
    await page.getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: 'Synchronization schedule…' }).click();
    return page.getByRole('dialog', { name: 'Synchronization schedule' });
  };
  const addUser = (n: number, base = ou) => addStaffUser(admin, labUser(sam(n), n, 'Console'), `CN=${sam(n)},${base}`);

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
    for (const [dn, name] of [
      [ou, `Schedule Console ${process.pid}`],
      [otherOu, `Schedule Console Other ${process.pid}`],
    ])
      await admin.add(dn!, { objectClass: ['top', 'organizationalUnit'], ou: name! });
    for (let n = 1; n <= 3; n++) await addUser(n);
    await addUser(9, otherOu);
    // The DC through a relay of this suite's own, which a test can make stop answering.
    proxy = await startTcpProxy(dc.address, 636, dc.address);
    const configured = bcscmd([
      `/DATA:${dataDir}`,
      `/SET:server=${dc.address}`,
      `/SET:port=${proxy.port}`,
      '/SET:timeout=30',
      `/SET:caFile=${dc.caFile}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:ouPath=LDAP://${ou}`,
      '/SET:syncEveryMinutes=1',
      '/SET:fullSyncEvery=1',
    ]);
    expect(configured.code, configured.err).toBe(0);
    services = testServices(dataDir);
    opened = await openBrowserConsole(services);
    page = opened.page;
    await page.goto(opened.web.url);
  });

  afterAll(async () => {
    proxy?.release();
    await service?.stop();
    await proxy?.close();
    await opened?.close();
    await services?.close();
    for (const base of [ou, otherOu]) {
      const { searchEntries } = await admin.search(base, { scope: 'one' }).catch(() => ({ searchEntries: [] }));
      for (const e of searchEntries) await admin.del(e.dn).catch(() => undefined);
      await admin.del(base).catch(() => undefined);
    }
    await admin.unbind();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns that no service has checked in, and Run now then synchronizes in the console itself', async () => {
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync every 1 min: no sync service has checked in yet/);
    expect(await warned()).toBe(true);
    // The console needs the service account's password to sync by itself.
    const saved = await page.evaluate(async (password) => {
      const post = async (name: string, body: unknown) =>
        (
          await fetch(`/api/invoke/${name}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json();
      const get = await post('settings.get', {});
      return post('settings.save', { settings: get.value.settings, password: { action: 'set', value: password } });
    }, SERVICE_ACCOUNT.password);
    expect(saved.ok).toBe(true);
    const dialog = await openDialog();
    await expect.poll(() => dialog.getByText(/No sync service has checked in: install one/).count(), SEEN).toBe(1);
    await dialog.getByRole('button', { name: 'Run now' }).click();
    // Run now is unavailable while it runs: focus moves on to the default button, not off the dialog.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null))
      .toBe(true);
    await expect.poll(() => dialog.getByText(/^Synchronized: 3 created\.$/).count(), { timeout: 30_000 }).toBe(1);
    const runs = dialog.getByRole('table', { name: 'Latest sync runs' });
    await expect.poll(() => runs.getByRole('row').nth(1).textContent(), SEEN).toMatch(/console\s*succeeded: 3 created/);
    await page.screenshot({ path: screenshotPath('schedule-no-service') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a running service at a glance, and Run now asks the service', async () => {
    service = startService(dataDir, ENV);
    await service.waitFor(/run \d+ succeeded/);
    await expect
      .poll(paneText, SEEN)
      .toMatch(/^Scheduled sync every 1 min · next \d\d:\d\d · last \d\d:\d\d succeeded \(no changes\)$/);
    expect(await warned()).toBe(false);
    await addUser(4);
    const dialog = await openDialog();
    await expect.poll(() => dialog.getByText(/^The sync service runs on .* \(pid \d+\) since/).count(), SEEN).toBe(1);
    const from = service.lineCount();
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => dialog.getByText(/The service was asked to synchronize now/).count(), SEEN).toBe(1);
    await service.waitFor(/Run now was asked for\./, 10_000, from);
    await service.waitFor(/run \d+ succeeded .*: 1 created/, 30_000, from);
    const runs = dialog.getByRole('table', { name: 'Latest sync runs' });
    await expect
      .poll(() => runs.getByRole('row').nth(1).textContent(), SEEN)
      .toMatch(/scheduled sync\s*succeeded: 1 created/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(paneText, SEEN).toMatch(/last \d\d:\d\d succeeded \(1 created\)$/);
    // The users view follows what the service wrote, without being told by this console.
    await page.getByRole('row', { name: sam(4), exact: true }).waitFor(SEEN);
  });

  it('turns to warning colours while a safety stop waits, and confirming in the dialog runs it', async () => {
    expect(bcscmd([`/DATA:${dataDir}`, '/SET:disableLimitCount=1', '/SET:disableLimitPercent=0']).code).toBe(0);
    await admin.del(`CN=${sam(1)},${ou}`);
    await admin.del(`CN=${sam(2)},${ou}`);
    let dialog = await openDialog();
    const from = service!.lineCount();
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await service!.waitFor(/run \d+ stopped: This sync would disable 2 of 4/, 30_000, from);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(paneText, SEEN).toBe('Scheduled sync is waiting for confirmation (would disable 2 accounts)');
    expect(await warned()).toBe(true);
    await page.screenshot({ path: screenshotPath('schedule-waiting') });

    dialog = await openDialog();
    await dialog.getByRole('button', { name: 'Run now and disable them…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Synchronization schedule' });
    await expect.poll(() => confirm.textContent(), SEEN).toMatch(/Run the sync now and disable 2 accounts\?/);
    await confirm.getByRole('button', { name: 'Run and disable' }).click();
    await service!.waitFor(/Run now was asked for, past the safety limit\./, 10_000, from);
    await service!.waitFor(/run \d+ succeeded .*: 2 disabled/, 30_000, from);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync every 1 min · .*succeeded \(2 disabled\)/);
    expect(await warned()).toBe(false);
    expect(sql(file, 'SELECT count(*) AS n FROM accounts WHERE enabled = 0')).toEqual([{ n: 2 }]);
  });

  it('pauses after a change of what it imports, and Resume in the dialog lifts the pause', async () => {
    // (Moving to the other OU disables this one's two accounts: allowed from here on.)
    const moved = bcscmd([
      `/DATA:${dataDir}`,
      '/SET:disableLimitCount=50',
      '/SET:disableLimitPercent=100',
      `/SET:ouPath=LDAP://${otherOu}`,
    ]);
    expect(moved.code).toBe(0);
    await expect
      .poll(paneText, SEEN)
      .toBe(
        'Scheduled sync is paused: the settings changed what a sync imports (the OUs it reads) since the last sync',
      );
    expect(await warned()).toBe(true);
    const dialog = await openDialog();
    await expect.poll(() => dialog.getByText(/^Paused: the settings changed/).count(), SEEN).toBe(1);
    await dialog.getByRole('button', { name: 'Resume the schedule' }).click();
    await expect.poll(() => dialog.getByText(/^Paused:/).count(), SEEN).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync every 1 min · /);
    expect(await warned()).toBe(false);
  });

  it('says in warning colours that the sync failed and why, until it succeeds again', async () => {
    await proxy.down();
    const from = service!.lineCount();
    const runNow = () =>
      page.evaluate(async () =>
        (
          await fetch('/api/invoke/schedule.runNow', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{"confirmed":false}',
          })
        ).json(),
      );
    await runNow();
    await service!.waitFor(/run \d+ failed: /, 30_000, from);
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync failed 1 time: .*Nothing accepts connections/);
    expect(await warned()).toBe(true);
    await page.screenshot({ path: screenshotPath('schedule-failed') });
    await proxy.up();
    await runNow();
    await service!.waitFor(/run \d+ succeeded/, 30_000, from);
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync every 1 min · /);
    expect(await warned()).toBe(false);
  });

  it("says on the wizard's Preview page that the service is syncing, and who it is", async () => {
    await page.getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: 'Active Directory Import Wizard…' }).click();
    const wizard = page.getByRole('dialog', { name: 'Active Directory Import Wizard' });
    const next = () => wizard.getByRole('button', { name: 'Next >' }).click();
    await next();
    await wizard.getByRole('radio', { name: 'Synchronize' }).check();
    await next();
    await wizard.getByRole('checkbox', { name: `Schedule Console ${process.pid}`, exact: true }).check();
    await wizard.getByText(/^The selection holds/).waitFor(SEEN);
    await next();
    // Meanwhile the service starts a sync, and the DC stops answering it.
    proxy.hold();
    const from = service!.lineCount();
    const asked = await page.evaluate(async () =>
      (
        await fetch('/api/invoke/schedule.runNow', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"confirmed":false}',
        })
      ).json(),
    );
    expect(asked.value.by).toBe('service');
    await service!.waitFor(/Scheduled sync started/, 10_000, from);
    await expect.poll(() => pane().textContent(), SEEN).toMatch(/running now \(since \d\d:\d\d\)/);
    await next();
    await expect
      .poll(() => wizard.getByRole('alert').textContent(), SEEN)
      .toMatch(
        new RegExp(
          `^A sync of this users database is running \\(the scheduled sync service, pid ${service!.pid} on .+, ` +
            'started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)\\. Wait for it to finish',
        ),
      );
    await page.screenshot({ path: screenshotPath('schedule-wizard-sync-running') });
    proxy.release();
    await service!.waitFor(/run \d+ succeeded/, 30_000, from);
    await wizard.getByRole('button', { name: 'Cancel' }).click();
  });

  it('turns to warning colours when the service has stopped', async () => {
    await expect.poll(paneText, SEEN).not.toMatch(/not running/);
    await service!.stop();
    service = null;
    await expect.poll(paneText, SEEN).toMatch(/the service is not running \(last check-in \d\d:\d\d\)/);
    expect(await warned()).toBe(true);
  });

  it('saves the schedule from the dialog, refusing a bad interval without saving anything', async () => {
    let dialog = await openDialog();
    await dialog.getByLabel('Every (minutes)').fill('0');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('Every: a whole number of minutes from 1 to 10080.');
    expect(bcscmd([`/DATA:${dataDir}`, '/SHOW']).out).toMatch(/syncEveryMinutes +1\n/);
    await dialog.getByLabel('Every (minutes)').fill('15');
    await dialog.getByLabel('Daily full pass at').fill('04:30');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => dialog.count(), SEEN).toBe(0);
    const shown = bcscmd([`/DATA:${dataDir}`, '/SHOW']).out;
    expect(shown).toMatch(/syncEveryMinutes +15\n/);
    expect(shown).toMatch(/fullSyncAt +04:30\n/);
    await expect.poll(paneText, SEEN).toMatch(/^Scheduled sync every 15 min/);

    dialog = await openDialog();
    await dialog.getByLabel('Synchronize the users database with Active Directory automatically').uncheck();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(paneText, SEEN).toBe('Scheduled sync is off');
    expect(opened.pageErrors).toEqual([]);
  });
});
