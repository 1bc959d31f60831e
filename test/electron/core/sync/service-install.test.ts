import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  installPlan,
  systemdUnit,
  taskSchedulerXml,
  UNIT_NAME,
  windowsArgument,
} from '../../../../electron/core/sync/service-install.ts';
import { BCSCMD, bcscmd } from '../../../support/bcscmd.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const hasSystemd = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasSystemd)
  console.log('systemd-analyze is missing (apt-get install systemd): the systemd unit checks are skipped');

/** systemd-analyze verify on a unit file as /INSTALLSERVICE /PRINT wrote it. */
function verify(text: string): { code: number | null; out: string } {
  const file = path.join(tempDir(), UNIT_NAME);
  fs.writeFileSync(file, text);
  const run = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('installing the service', () => {
  it.runIf(hasSystemd)('prints a systemd unit that systemd-analyze accepts, with awkward paths quoted', () => {
    const data = path.join(tempDir(), 'data 100% "odd"');
    const run = bcscmd([
      `/DATA:${data}`,
      '/INSTALLSERVICE',
      '/PRINT',
      '/RUNAS:adconsole',
      '/PASSWORDFILE:/etc/ad console/ldap.txt',
    ]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^User=adconsole$/m);
    expect(run.out).toMatch(/^\[Unit\]/);
    expect(run.out).toContain(
      `ExecStart="${process.execPath}" "${BCSCMD}" "/SERVICE" "/DATA:${data.replace('%', '%%').replace(/"/g, '\\"')}" ` +
        `"/PASSWORDFILE:/etc/ad console/ldap.txt"`,
    );
    expect(run.err).toMatch(
      /Save it as \/etc\/systemd\/system\/ad-console-sync\.service, then enable it with:\n {2}systemctl daemon-reload && systemctl enable --now ad-console-sync\.service/,
    );
    const verified = verify(run.out);
    expect(verified.out).toBe('');
    expect(verified.code).toBe(0);
  });

  it.runIf(hasSystemd)(
    'would be refused by systemd-analyze if ExecStart were not an absolute path (the check is real)',
    () => {
      const broken = systemdUnit({ argv: ['bcscmd'], dataDir: '/srv/ad', passwordFile: null, user: 'root' });
      expect(verify(broken).code).not.toBe(0);
    },
  );

  it('notes that a specified account needs a password file, and that an off schedule is off', () => {
    const run = bcscmd([`/DATA:${tempDir()}`, '/SET:syncEveryMinutes=0']);
    expect(run.code).toBe(0);
    const data = run.out.match(/saved in (.*)\./)![1]!;
    const printed = bcscmd([`/DATA:${data}`, '/INSTALLSERVICE', '/PRINT']);
    expect(printed.code).toBe(0);
    expect(printed.err).toMatch(/no \/PASSWORDFILE: it would have no password/);
    expect(printed.err).toMatch(/The schedule is off \(syncEveryMinutes 0\)/);
  });

  it('says what failed and what to do when the unit cannot be written, exit 1', () => {
    if (process.getuid?.() === 0) {
      // As root the file would really be written into /etc/systemd/system; the plan says where.
      expect(
        installPlan(
          { argv: ['/usr/bin/node', '/x/bcscmd.js'], dataDir: '/srv/ad', passwordFile: null, user: 'im' },
          'linux',
        ).file,
      ).toBe('/etc/systemd/system/ad-console-sync.service');
      console.log('run as root: not writing into /etc/systemd/system, which would change this machine');
      return;
    }
    const run = bcscmd([`/DATA:${tempDir()}`, '/INSTALLSERVICE']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /could not be written to \/etc\/systemd\/system\/ad-console-sync\.service \(EACCES\)\. What to do: run bcscmd \/INSTALLSERVICE as an administrator \(root\), or use \/PRINT/,
    );
  });

  it('writes a Task Scheduler task for Windows with its arguments quoted the Windows way', () => {
    expect(windowsArgument('C:\\Program Files\\AD Console\\AD Console.exe')).toBe(
      '"C:\\Program Files\\AD Console\\AD Console.exe"',
    );
    expect(windowsArgument('/DATA:C:\\Data dir\\')).toBe('"/DATA:C:\\Data dir\\\\"');
    expect(windowsArgument('say "hi"')).toBe('"say \\"hi\\""');
    const text = taskSchedulerXml({
      argv: ['C:\\Program Files\\AD Console\\AD Console.exe'],
      dataDir: 'C:\\ProgramData\\AD Console',
      passwordFile: null,
      user: 'CORP\\svc-im',
    });
    expect(text).toContain('<BootTrigger><Enabled>true</Enabled></BootTrigger>');
    expect(text).toContain('<Command>&quot;C:\\Program Files\\AD Console\\AD Console.exe&quot;</Command>');
    expect(text).toContain('<Arguments>/SERVICE &quot;/DATA:C:\\ProgramData\\AD Console&quot;</Arguments>');
    expect(text).toContain('<UserId>CORP\\svc-im</UserId>');
    const plan = installPlan(
      {
        argv: ['C:\\AD\\AD Console.exe'],
        dataDir: 'C:\\ProgramData\\AD Console',
        passwordFile: null,
        user: 'CORP\\svc-im',
      },
      'win32',
    );
    expect(plan.enable).toMatch(
      /^schtasks \/Create \/TN "AD Console scheduled sync" \/XML ".*ad-console-sync-task\.xml" \/RU CORP\\svc-im \/RP \*$/,
    );
  });
});
