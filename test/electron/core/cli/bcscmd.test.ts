/** bcscmd as an administrator runs it: a real process, real settings file, the real DC. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcscmd, dcSetArgs } from '../../../support/bcscmd.ts';
import { TEST_STEPS } from '../../../../shared/contract.ts';
import { BASE_DN, SERVICE_ACCOUNT } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { tempDir } from '../../../support/temp-dir.ts';

describe('bcscmd without a directory', () => {
  it('prints help for /? and exits 0', () => {
    const run = bcscmd(['/?']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Usage: bcscmd/);
    expect(run.out).toMatch(/Exit codes/);
  });

  it('exits 2 with a reason for an unknown switch', () => {
    const run = bcscmd(['/FROB']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Unknown switch "\/FROB"/);
  });

  it('applies all /SET values or none: one invalid value changes nothing and exits 2', () => {
    const data = tempDir();
    expect(bcscmd([`/DATA:${data}`, '/SET:server=dc1.corp.example.test', '/SET:login=CORP\\svc']).code).toBe(0);
    const before = fs.readFileSync(path.join(data, 'settings.json'), 'utf8');
    const run = bcscmd([`/DATA:${data}`, '/SET:server=dc2.corp.example.test', '/SET:pageSize=5000']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Nothing was changed\. pageSize: must be at most 1000/);
    expect(fs.readFileSync(path.join(data, 'settings.json'), 'utf8')).toBe(before);
  });

  it('refuses an unknown key and a meaningless combination with exit 2', () => {
    const data = tempDir();
    expect(bcscmd([`/DATA:${data}`, '/SET:colour=blue']).err).toMatch(/"colour" is not a setting/);
    const run = bcscmd([`/DATA:${data}`, '/SET:ouPath=OU=sales']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/must start with LDAP:\/\//);
  });

  it('explains a settings file that is not valid JSON, exits 1 and leaves it untouched', () => {
    const data = tempDir();
    const file = path.join(data, 'settings.json');
    fs.writeFileSync(file, '{"integration": {');
    const run = bcscmd([`/DATA:${data}`, '/SHOW']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/settings\.json is not valid JSON .*\nCorrect the file, or move it aside/s);
    expect(run.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(fs.readFileSync(file, 'utf8')).toBe('{"integration": {');
  });

  it('explains a password file that cannot be read or is empty, with exit 2', () => {
    const data = tempDir();
    expect(bcscmd([`/DATA:${data}`, '/TEST', `/PASSWORDFILE:${path.join(data, 'missing.txt')}`])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/missing\.txt cannot be read \(ENOENT\)/),
    });
    fs.writeFileSync(path.join(data, 'empty.txt'), '\n');
    expect(bcscmd([`/DATA:${data}`, '/TEST', `/PASSWORDFILE:${path.join(data, 'empty.txt')}`])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is empty; put the password on its first line/),
    });
  });

  it('shows the settings as JSON, honouring ADCONSOLE_DATA_DIR', () => {
    const data = tempDir();
    bcscmd(['--set', 'server=dc1.corp.example.test', '--set', 'security=StartTLS'], { ADCONSOLE_DATA_DIR: data });
    const run = bcscmd(['/SHOW', '/JSON'], { ADCONSOLE_DATA_DIR: data });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).show).toMatchObject({
      settings: { server: 'dc1.corp.example.test', security: 'starttls' },
      password: { stored: false },
    });
  });
});

describe.runIf(realPartsAvailable())('bcscmd /TEST against the real DC', () => {
  const dc = testDc()!;
  const configure = (data: string, extra: string[] = []) =>
    bcscmd([`/DATA:${data}`, ...dcSetArgs(dc, `OU=Sales,${BASE_DN}`), ...extra]);

  it('reports every step as JSON and exits 0', () => {
    const data = tempDir();
    expect(configure(data).code).toBe(0);
    const run = bcscmd([`/DATA:${data}`, '/TEST', '/JSON'], { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s: { name: string }) => s.name)).toEqual([...TEST_STEPS]);
    for (const step of report.steps)
      expect(Object.keys(step)).toEqual(expect.arrayContaining(['name', 'ok', 'ms', 'detail']));
  });

  it('reads the password from /PASSWORDFILE and prints readable steps', () => {
    const data = tempDir();
    configure(data);
    const file = path.join(data, 'pw.txt');
    fs.writeFileSync(file, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
    const run = bcscmd([`/DATA:${data}`, '/TEST', `/PASSWORDFILE:${file}`]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/\[ OK \] bind/);
    expect(run.out).toMatch(/Test connection succeeded/);
  });

  it('exits 1 and names the failed step and what to do for a wrong password', () => {
    const data = tempDir();
    configure(data);
    const run = bcscmd([`/DATA:${data}`, '/TEST'], { ADCONSOLE_LDAP_PASSWORD: 'wrong' });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/\[FAIL\] bind/);
    expect(run.out).toMatch(/What to do: Retype the password/);
  });

  it('exits 1 when no password is available, without binding', () => {
    const data = tempDir();
    configure(data);
    const run = bcscmd([`/DATA:${data}`, '/TEST', '/JSON']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report.steps.at(-1)).toMatchObject({
      name: 'bind',
      ok: false,
      detail: 'No password is available for this login ID.',
    });
    expect(run.err).toMatch(
      /bcscmd has no password: give it in the ADCONSOLE_LDAP_PASSWORD environment variable or with \/PASSWORDFILE/,
    );
  });

  it('never prints the password', () => {
    const data = tempDir();
    configure(data);
    const run = bcscmd([`/DATA:${data}`, '/TEST', '/SHOW', '/JSON'], {
      ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password,
    });
    expect(run.out + run.err).not.toContain(SERVICE_ACCOUNT.password);
    expect(fs.readFileSync(path.join(data, 'settings.json'), 'utf8')).not.toContain(SERVICE_ACCOUNT.password);
  });
});
