/**
 * bcscmd /LDAP, /USERS, /HISTORY and /REPORT as a scheduled task runs them: a real process, the real DC, a real
 * database file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcscmd, dcSetArgs, killDuringApply } from '../../../support/bcscmd.ts';
import { BASE_DN, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { addLocalAccount, databaseContent, sql } from '../../../support/users-db.ts';

const PASSWORD_ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };

describe('bcscmd database commands without a directory', () => {
  it('refuses a damaged users database with the reason, exit 1, and leaves the file as it was', () => {
    const data = tempDir();
    const file = path.join(data, 'users.sqlite');
    fs.writeFileSync(file, 'this is not a database, it is a text file that happens to have the name');
    const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const run = bcscmd([`/DATA:${data}`, '/USERS']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/users database .*users\.sqlite cannot be used: .*left untouched/);
    expect(run.err).toMatch(/What to do: Restore it from a backup/);
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
  });

  it('refuses a users database from a newer version, exit 1, file untouched', () => {
    const data = tempDir();
    const file = path.join(data, 'users.sqlite');
    expect(bcscmd([`/DATA:${data}`, '/HISTORY']).code).toBe(0);
    sql(file, 'PRAGMA user_version = 99');
    sql(file, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const run = bcscmd([`/DATA:${data}`, '/LDAP', '/DRYRUN'], PASSWORD_ENV);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /written by a newer AD Console \(schema 99; this version reads up to schema \d+\)\. It was left untouched\./,
    );
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
  });

  it('explains an unknown run number', () => {
    const run = bcscmd([`/DATA:${tempDir()}`, '/REPORT:42']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/There is no import run 42\.\nWhat to do: bcscmd \/HISTORY lists the runs/);
  });
});

describe.runIf(realPartsAvailable())('bcscmd /LDAP against the real DC', () => {
  const dc = testDc()!;
  const configure = (data: string, ouPath: string) => bcscmd([`/DATA:${data}`, ...dcSetArgs(dc, ouPath)]);

  it('creates the database, lists the accounts, the history and the report, all as documented', () => {
    const data = tempDir();
    expect(configure(data, `OU=Sales,${BASE_DN}`).code).toBe(0);
    const run = bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new', '/JSON'], PASSWORD_ENV);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'ok',
        'mode',
        'dryRun',
        'incremental',
        'created',
        'updated',
        'disabled',
        'enabled',
        'unchanged',
        'skipped',
        'conflicts',
        'failed',
        'durationMs',
        'runId',
        'errors',
      ]),
    );
    expect(result).toMatchObject({ ok: true, mode: 'new', dryRun: false, created: 5, errors: [] });

    const users = bcscmd([`/DATA:${data}`, '/USERS', '/JSON']);
    expect(users.code).toBe(0);
    const rows = JSON.parse(users.out) as Record<string, unknown>[];
    const inAd = ldapsearchAccounts(dc, `OU=Sales,${BASE_DN}`, '(&(objectCategory=person)(objectClass=user))');
    expect(new Map(rows.map((r) => [String(r.adGuid).slice(1, -1), r.logon]))).toEqual(inAd);
    expect(Object.keys(rows[0]!)).toEqual([
      'logon',
      'firstName',
      'middleName',
      'lastName',
      'displayName',
      'email',
      'department',
      'title',
      'phone',
      'enabled',
      'kind',
      'ou',
      'origin',
      'adGuid',
    ]);
    expect(rows.find((r) => r.logon === 'carol')).toMatchObject({
      enabled: false,
      ou: 'Sales',
      origin: 'ad',
      kind: 'user',
      adGuid: expect.stringMatching(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/),
    });

    const history = bcscmd([`/DATA:${data}`, '/HISTORY']);
    expect(history.out).toMatch(
      new RegExp(`${result.runId}  .* Create a new database by command-line: succeeded — 5 created`),
    );
    const csv = bcscmd([`/DATA:${data}`, `/REPORT:${result.runId}`, '/CSV']);
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\r\n');
    expect(lines[0]).toBe('run,seq,action,logon,dn,objectGUID,changes,reason');
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => l.includes(',carol,'))).toMatch(
      /create,carol,"CN=Carol Cooper,OU=Sales,DC=corp,DC=example,DC=test",\{.*\},,disabled in Active Directory: created disabled/,
    );
  });

  it('stops with exit 3 before disabling more than the limit, and goes ahead with /YES', () => {
    const data = tempDir();
    configure(data, `OU=Sales,${BASE_DN}`);
    expect(bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV).code).toBe(0);
    // The source shrinks to OU=LA: alice and bob (enabled, Sales only) would be disabled (2 of 5 > 10 %).
    configure(data, `OU=LA,OU=Sales,${BASE_DN}`);
    const before = databaseContent(path.join(data, 'users.sqlite'));
    const stopped = bcscmd([`/DATA:${data}`, '/LDAP'], PASSWORD_ENV);
    expect(stopped.code).toBe(3);
    expect(stopped.err).toMatch(/would disable 2 of 5 imported accounts, more than the limit .* Nothing was changed/);
    expect(stopped.err).toMatch(/What to do: Look at the plan with \/DRYRUN/);
    expect(databaseContent(path.join(data, 'users.sqlite'))).toBe(before);
    const dry = bcscmd([`/DATA:${data}`, '/LDAP', '/DRYRUN'], PASSWORD_ENV);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/DRY RUN, nothing was written/);
    expect(dry.out).toMatch(/A real run would stop here: This sync would disable 2 of 5 imported accounts/);
    expect(dry.out.match(/^ {2}disable /gm)).toHaveLength(2);
    expect(databaseContent(path.join(data, 'users.sqlite'))).toBe(before);
    const confirmed = bcscmd([`/DATA:${data}`, '/LDAP', '/YES', '/JSON'], PASSWORD_ENV);
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.out)).toMatchObject({ disabled: 2, unchanged: 2 });
  });

  it('exits 1 with the reason when the bind fails, and the database keeps its local accounts', () => {
    const data = tempDir();
    configure(data, `OU=Sales,${BASE_DN}`);
    expect(bcscmd([`/DATA:${data}`, '/USERS']).code).toBe(0);
    addLocalAccount(path.join(data, 'users.sqlite'), 'helpdesk');
    const before = databaseContent(path.join(data, 'users.sqlite'));
    const run = bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new'], { ADCONSOLE_LDAP_PASSWORD: 'wrong-password' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/52e|password/i);
    expect(run.err).toMatch(/Nothing was changed in the users database/);
    expect(run.err).not.toContain('wrong-password');
    expect(databaseContent(path.join(data, 'users.sqlite'))).toBe(before);
    expect(bcscmd([`/DATA:${data}`, '/HISTORY']).out).toMatch(/failed — /);
  });

  it('leaves the database whole when the process is killed outright during the apply', async () => {
    const data = tempDir();
    const file = path.join(data, 'users.sqlite');
    configure(data, `${STAFF_OU},${BASE_DN}`);
    expect(bcscmd([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV).code).toBe(0);
    const before = databaseContent(file);
    const child = await killDuringApply([`/DATA:${data}`, '/LDAP', '/MODE:new'], PASSWORD_ENV);
    const { signal } = child;
    expect(signal).toBe('SIGKILL');
    expect(sql(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // Either the kill landed inside the transaction (all as before) or after its commit (the whole new run,
    // recorded in the history); never anything in between.
    const runs = sql<{ id: number }>(file, "SELECT id FROM import_runs WHERE status = 'succeeded' ORDER BY id");
    if (runs.length === 1) {
      expect(databaseContent(file)).toBe(before);
      // The killed run left its trace: the next process to open the database says it was interrupted.
      const history = bcscmd([`/DATA:${data}`, '/HISTORY']);
      expect(history.out).toMatch(
        new RegExp(
          `interrupted — Interrupted: the process that ran it \\(pid ${child.pid} on ` +
            `${os.hostname().replace(/[.]/g, '\\.')}\\) ended before the run finished\\. Nothing was changed ` +
            `in the users database\\.`,
        ),
      );
      const [latest] = JSON.parse(bcscmd([`/DATA:${data}`, '/HISTORY', '/JSON']).out) as {
        status: string;
        pid: number;
        finishedAt: string;
      }[];
      expect(latest).toMatchObject({ status: 'interrupted', pid: child.pid, host: os.hostname() });
    } else {
      console.log('bcscmd-import: the kill came after the commit; checking the new run is complete instead');
      const accounts = sql<{ n: number }>(file, 'SELECT count(*) AS n FROM accounts')[0]!.n;
      expect(sql(file, 'SELECT count(*) AS n FROM run_actions WHERE run_id = ?', runs[1]!.id)).toEqual([
        { n: accounts },
      ]);
      expect(accounts).toBeGreaterThan(1500);
    }
  });
});
