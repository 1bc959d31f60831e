/** logon.log: one line per decision, rotated by size, names made harmless (real files, no DC). */
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
});
