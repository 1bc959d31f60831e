/** bcscmd /EXTAUTH fed ejabberd's frames straight on stdin: a real process and a real database file, no DC. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BCSCMD, bcscmd } from '../../../support/bcscmd.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { databaseContent, sql } from '../../../support/users-db.ts';

const frame = (text: string | Buffer) => {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
};

function extauth(dir: string, input: Buffer) {
  const run = spawnSync(process.execPath, [BCSCMD, '/EXTAUTH', `/DATA:${dir}`], {
    input,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 60_000,
  });
  const answers = [];
  for (let i = 0; i + 4 <= run.stdout.length; i += 4) answers.push(run.stdout.readUInt16BE(i + 2) === 1);
  return { code: run.status, stdoutBytes: run.stdout.length, answers, err: run.stderr.toString() };
}

/** A data folder whose directory cannot be reached (nothing listens there), with one local account. */
function folder(): string {
  const dir = tempDir();
  const set = bcscmd([
    `/DATA:${dir}`,
    '/SET:server=127.0.0.9',
    '/SET:ouPath=LDAP://DC=corp,DC=example,DC=test',
    '/SET:imDomains=im.example.test, chat.example.test',
    '/SET:connectTimeout=1',
  ]);
  expect(set.code, set.err).toBe(0);
  expect(bcscmd([`/DATA:${dir}`, '/ADDUSER:kiosk', '/NAME:Front Desk']).code).toBe(0);
  const pw = path.join(dir, 'pw.txt');
  fs.writeFileSync(pw, 'Kiosk:Passw0rd\n');
  const setPassword = bcscmd([`/DATA:${dir}`, '/SETPASSWORD:kiosk', `/PASSWORDFILE:${pw}`]);
  expect(setPassword.code, setPassword.err).toBe(0);
  fs.rmSync(pw);
  return dir;
}

describe('bcscmd /EXTAUTH', () => {
  it("answers a local account's logons by its password, on every IM domain of the database and no other", () => {
    const dir = folder();
    const run = extauth(
      dir,
      Buffer.concat(
        [
          'isuser:kiosk:im.example.test',
          'auth:kiosk:im.example.test:Kiosk:Passw0rd',
          'auth:KIOSK:chat.example.test:Kiosk:Passw0rd',
          'auth:kiosk:im.example.test:Kiosk:Passw0rd-wrong',
          'auth:kiosk:other.example.test:Kiosk:Passw0rd',
          'auth:kiosk:im.example.test:',
          'isuser:nobody:im.example.test',
        ].map(frame),
      ),
    );
    expect(run).toMatchObject({ code: 0, answers: [true, true, true, false, false, false, false] });
    const log = fs.readFileSync(path.join(dir, 'logon.log'), 'utf8');
    expect(log).toMatch(/auth kiosk@other\.example\.test false \d+ ms: other\.example\.test is not an IM domain/);
    expect(log).toMatch(
      /auth kiosk@im\.example\.test false \d+ ms: empty password refused without asking the directory/,
    );
    expect(log).not.toContain('Passw0rd');
    expect(sql(path.join(dir, 'users.sqlite'), 'SELECT last_logon_at IS NOT NULL AS seen FROM accounts')).toEqual([
      { seen: 1 },
    ]);
  });

  it('refuses setpass, tryregister, removeuser and removeuser3, changing nothing', () => {
    const dir = folder();
    const before = databaseContent(path.join(dir, 'users.sqlite'));
    const run = extauth(
      dir,
      Buffer.concat(
        [
          'setpass:kiosk:im.example.test:New-Passw0rd',
          'tryregister:newbie:im.example.test:New-Passw0rd',
          'removeuser:kiosk:im.example.test',
          'removeuser3:kiosk:im.example.test:Kiosk:Passw0rd',
        ].map(frame),
      ),
    );
    expect(run).toMatchObject({ code: 0, answers: [false, false, false, false] });
    expect(databaseContent(path.join(dir, 'users.sqlite'))).toBe(before);
    expect(fs.readFileSync(path.join(dir, 'logon.log'), 'utf8')).toMatch(
      /setpass refused: accounts are managed in Active Directory/,
    );
  });

  it('answers false to malformed frames and ends cleanly at a truncated one, writing only answers to stdout', () => {
    const dir = folder();
    const run = extauth(
      dir,
      Buffer.concat([
        frame('hello'),
        frame(Buffer.from([0x61, 0x75, 0x74, 0x68, 0x3a, 0xc3, 0x28])),
        frame('auth:kiosk'),
        frame(''),
        frame('isuser:kiosk:im.example.test'),
        Buffer.from([0xff, 0xff, 0x41, 0x42]),
      ]),
    );
    expect(run).toMatchObject({ code: 0, stdoutBytes: 20, answers: [false, false, false, false, true] });
    expect(run.err).toMatch(/the stream ended 65533 bytes short of a 65535-byte frame; it was not answered/);
  });

  it('refuses an AD account within the connect timeout when no domain controller answers', () => {
    const dir = folder();
    sql(
      path.join(dir, 'users.sqlite'),
      'INSERT INTO accounts (logon, logon_key, enabled, kind, ou_id, origin, ad_guid, ad_dn, created_at, ' +
        "updated_at) VALUES ('alice', 'alice', 1, 'user', 1, 'ad', 'g1', 'CN=Alice " +
        "Archer,OU=Sales,DC=corp,DC=example,DC=test', 't', 't')",
    );
    const run = extauth(
      dir,
      Buffer.concat(
        ['auth:alice:im.example.test:Alice-Passw0rd', 'auth:kiosk:im.example.test:Kiosk:Passw0rd'].map(frame),
      ),
    );
    expect(run).toMatchObject({ code: 0, answers: [false, true] });
    expect(fs.readFileSync(path.join(dir, 'logon.log'), 'utf8')).toMatch(
      /auth alice@im\.example\.test false \d+ ms: directory unavailable/,
    );

    // With Security None the password is never sent at all.
    expect(bcscmd([`/DATA:${dir}`, '/SET:security=none']).code).toBe(0);
    expect(extauth(dir, frame('auth:alice:im.example.test:Alice-Passw0rd'))).toMatchObject({
      code: 0,
      answers: [false],
    });
    expect(fs.readFileSync(path.join(dir, 'logon.log'), 'utf8')).toMatch(
      /auth alice@im\.example\.test false \d+ ms: refused: a user's password is checked only over LDAPS or StartTLS/,
    );
  });

  it('applies changed settings from the next request on, without a restart by ejabberd', async () => {
    const dir = folder();
    const child = spawn(process.execPath, [BCSCMD, '/EXTAUTH', `/DATA:${dir}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    const answers: boolean[] = [];
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = 0; i + 4 <= chunk.length; i += 4) {
        answers.push(chunk.readUInt16BE(i + 2) === 1);
        waiters.shift()?.();
      }
    });
    const ask = (text: string) =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        child.stdin.write(frame(text));
      });
    await ask('isuser:kiosk:new.example.test');
    expect(bcscmd([`/DATA:${dir}`, '/SET:imDomains=new.example.test']).code).toBe(0);
    await ask('isuser:kiosk:new.example.test');
    await ask('isuser:kiosk:im.example.test');
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(answers).toEqual([false, true, false]);
  });
});
