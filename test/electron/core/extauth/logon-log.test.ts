/** logon.log: one line per decision, rotated by size, names made harmless (real files, no DC). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogonLog } from '../../../../electron/core/extauth/logon-log.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const entry = { op: 'auth', user: 'alice', server: 'corp.example.test', ok: true, reason: 'password accepted', ms: 12 };

describe('logon.log', () => {
  it('writes one line per decision: time, operation, user@server, answer, milliseconds, reason', () => {
    const dir = tempDir();
    const echoed: string[] = [];
    new LogonLog(dir, { echo: (l) => echoed.push(l) }).write(entry);
    const text = fs.readFileSync(path.join(dir, 'logon.log'), 'utf8');
    expect(text).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z auth alice@corp\.example\.test true 12 ms: password accepted\n$/,
    );
    expect(echoed).toEqual([text.trimEnd()]);
  });

  it('keeps a line break in a name from starting a forged line', () => {
    const dir = tempDir();
    new LogonLog(dir).write({ ...entry, user: 'eve\n2026-01-01T00:00:00.000Z auth admin@x true' });
    expect(fs.readFileSync(path.join(dir, 'logon.log'), 'utf8').split('\n')).toHaveLength(2);
  });

  it('rotates at the size limit and keeps three old files', () => {
    const dir = tempDir();
    const log = new LogonLog(dir, { maxBytes: 200 });
    for (let i = 0; i < 40; i++) log.write({ ...entry, reason: `decision ${i}` });
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['logon.log', 'logon.log.1', 'logon.log.2', 'logon.log.3']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThan(400);
    expect(fs.readFileSync(path.join(dir, 'logon.log'), 'utf8')).toMatch(/decision 39\n$/);
  });

  it('rotates once when two processes find the file full at the same moment, losing no rotated file', () => {
    const dir = tempDir();
    const other = new LogonLog(dir, { maxBytes: 200 });
    // The moment between one process's size check and its renames: the other one writes then.
    const one = new LogonLog(dir, {
      maxBytes: 200,
      beforeRotate: () => other.write({ ...entry, reason: 'meanwhile' }),
    });
    // A full logon.log and three full rotated files (three lines make a file full).
    for (let i = 0; i < 12; i++) other.write({ ...entry, reason: `decision ${i}` });
    const linesOf = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean);
    const lines = () => fs.readdirSync(dir).flatMap(linesOf);
    const before = lines().length;
    const oldest = linesOf('logon.log.3').length;
    one.write({ ...entry, reason: 'after' });
    // One rotation drops the oldest file, as rotation does; a second one at the same moment would drop another.
    expect(lines().length).toBe(before - oldest + 2);
    expect(linesOf('logon.log.1').at(-1)).toMatch(/meanwhile$/);
    expect(fs.readdirSync(dir).some((f) => f.endsWith('.rotating'))).toBe(false);
  });

  it('loses no line when four processes write and rotate at once', async () => {
    const dir = tempDir();
    const script = `
      import { LogonLog } from ${JSON.stringify(path.resolve('electron/core/extauth/logon-log.ts'))};
      const log = new LogonLog(process.argv[1], { maxBytes: 4000 });
      const user = 'p' + process.argv[2];
      for (let i = 0; i < 60; i++) log.write({ op: 'auth', user, server: 's', ok: true, reason: 'line ' + i, ms: 1 });
    `;
    await Promise.all(
      [1, 2, 3, 4].map(
        (n) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, String(n)]);
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${n} exited ${code}`))));
          }),
      ),
    );
    const all = fs
      .readdirSync(dir)
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
    // 240 lines of about 70 bytes fit in the file and its three rotations: every one is still there.
    expect(all).toHaveLength(240);
    for (const n of [1, 2, 3, 4]) expect(all.filter((l) => l.includes(` p${n}@s `))).toHaveLength(60);
  });
});
