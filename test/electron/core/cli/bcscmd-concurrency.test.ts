/**
 * Several processes on one data folder at once, against the real DC: two bcscmd runs on a new folder,
 * /LDAP while /LOOKUP imports, /MODE:new while another process holds the database open, and the
 * wizard's job beside bcscmd. Whatever the interleaving, nobody is told the file is damaged, every
 * run ends in the history, and the file is whole.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcscmd, bcscmdAsync, dcSetArgs } from '../../../support/bcscmd.ts';
import { consoleServices } from '../../../support/console-services.ts';
import { BASE_DN, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { sql } from '../../../support/users-db.ts';

const PASSWORD_ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };
const USERS = '(&(objectCategory=person)(objectClass=user))';
const DAMAGED = /damaged|restore it from a backup|already exists/i;

type Run = Awaited<ReturnType<typeof bcscmdAsync>>;

/** bcscmd as its own process, started now; settles when it exits. */
const start = bcscmdAsync;

function expectSucceeded(run: Run, what: string): void {
  expect(run.out + run.err, what).not.toMatch(DAMAGED);
  expect(run.code, `${what}: ${run.err}`).toBe(0);
}

describe.runIf(realPartsAvailable())('several processes on one data folder', () => {
  const dc = testDc()!;
  const staffDn = `${STAFF_OU},${BASE_DN}`;
  const configure = (data: string, ouPath = staffDn) =>
    bcscmd([`/DATA:${data}`, ...dcSetArgs(dc, ouPath), '/SET:autoImport=yes']);
  const staffCount = () => ldapsearchAccounts(dc, staffDn, USERS).size;
  const historyStatuses = (file: string) =>
    sql<{ status: string }>(file, 'SELECT status FROM import_runs ORDER BY id').map((r) => r.status);

  it(
    'runs /LDAP /MODE:new and /LDAP started 0.3 s apart on an empty data folder without calling the file ' + 'damaged',
    async () => {
      const data = tempDir();
      // The settings file exists; the users database does not, as on a new install.
      expect(configure(data).code).toBe(0);
      const first = start([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV);
      await new Promise((r) => setTimeout(r, 300)); // the field report's gap between the two scheduled tasks
      // One sync at a time: the second queues behind the first (without /WAIT it would exit 4).
      const second = start([`/DATA:${data}`, '/LDAP', '/WAIT:120'], PASSWORD_ENV);
      const runs = await Promise.all([first, second]);
      runs.forEach((run, i) => expectSucceeded(run, `run ${i + 1}`));
      const file = path.join(data, 'users.sqlite');
      expect(sql(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(sql(file, 'SELECT count(*) AS n FROM accounts')).toEqual([{ n: staffCount() }]);
      const statuses = historyStatuses(file);
      expect(statuses).toHaveLength(2);
      expect(statuses).toEqual(['succeeded', 'succeeded']);
    },
  );

  it('runs /LDAP while /LOOKUP imports on the fly, each ending cleanly and recorded', async () => {
    const data = tempDir();
    expect(configure(data).code).toBe(0);
    const [sync, lookup] = await Promise.all([
      start([`/DATA:${data}`, '/LDAP', '/MODE:add'], PASSWORD_ENV),
      start([`/DATA:${data}`, '/LOOKUP:staff0100', '/JSON'], PASSWORD_ENV),
    ]);
    expectSucceeded(sync, '/LDAP');
    expect(lookup.code, lookup.err).toBe(0);
    expect(lookup.out + lookup.err).not.toMatch(DAMAGED);
    expect(['imported', 'local']).toContain((JSON.parse(lookup.out) as { result: string }).result);
    const file = path.join(data, 'users.sqlite');
    expect(sql(file, "SELECT count(*) AS n FROM accounts WHERE logon = 'staff0100'")).toEqual([{ n: 1 }]);
    expect(historyStatuses(file).every((s) => s === 'succeeded')).toBe(true);
  });

  it('runs /MODE:new while another process holds the database open with a read in progress', async () => {
    const data = tempDir();
    expect(configure(data).code).toBe(0);
    expect(bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV).code).toBe(0);
    const file = path.join(data, 'users.sqlite');
    // A reader as the console keeps one: open connection, a read transaction in progress.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(${JSON.stringify(file)});
      db.exec('BEGIN'); db.prepare('SELECT count(*) FROM accounts').get();
      console.log('holding'); setTimeout(() => {}, 120000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) =>
        holder.stdout.on('data', (c: Buffer) => c.toString().includes('holding') && resolve()),
      );
      const run = await start([`/DATA:${data}`, '/LDAP', '/MODE:new', '/JSON'], PASSWORD_ENV);
      expect(run.code, run.err).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({
        ok: true,
        created: staffCount(),
        backup: expect.stringMatching(/users\.backup-.*\.sqlite$/),
      });
    } finally {
      holder.kill();
    }
    expect(sql(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it("runs the wizard's import job and bcscmd /LDAP at once without harm", async () => {
    const data = tempDir();
    expect(configure(data).code).toBe(0);
    const console_ = consoleServices(data);
    try {
      const settings = (await console_.call('settings.get', {})) as { ok: true; value: { settings: object } };
      expect(
        await console_.call('settings.save', {
          settings: settings.value.settings,
          password: { action: 'set', value: SERVICE_ACCOUNT.password },
        }),
      ).toMatchObject({ ok: true });
      const preview = await console_.startImport('add', [staffDn]);
      expect(preview.planDigest).toEqual(expect.any(String));
      // The wizard's Next and the scheduled task, at the same moment.
      const cli = start([`/DATA:${data}`, '/LDAP', '/MODE:add'], PASSWORD_ENV);
      const [wizard, command] = await Promise.all([console_.startImport('add', [staffDn], preview.planDigest), cli]);
      expect(command.out + command.err).not.toMatch(DAMAGED);
      expect(JSON.stringify(wizard)).not.toMatch(DAMAGED);
      // One sync at a time: whichever came second is refused and told who runs, or (had the first finished
      // already) ran after it. The wizard applies only what was previewed: after bcscmd, its plan changed.
      if (command.code === 4)
        expect(command.err).toMatch(/A sync of this users database is running \(the console's Import Wizard, pid/);
      else expectSucceeded(command, 'bcscmd /LDAP');
      if (!wizard.ok)
        expect(wizard.error!.message).toMatch(
          /A sync of this users database is running \(bcscmd \/LDAP, pid|changed since the preview, so this run would not do exactly what was previewed\. Nothing was changed/,
        );
      expect(command.code === 0 || wizard.ok).toBe(true);
    } finally {
      await console_.close();
    }
    const file = path.join(data, 'users.sqlite');
    expect(sql(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(sql(file, 'SELECT count(*) AS n FROM accounts')).toEqual([{ n: staffCount() }]);
    expect(historyStatuses(file).every((s) => s === 'succeeded' || s === 'failed')).toBe(true);
  });
});
