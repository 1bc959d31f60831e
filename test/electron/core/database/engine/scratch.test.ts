/** A run's scratch database: private, or a named file another connection can attach; gone when closed. */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { removeStaleScratchFiles, Scratch } from '../../../../../electron/core/database/engine/scratch.ts';
import { ENGINE_CASES } from '../../../../support/sql-engines.ts';

it('keeps a private scratch in no file, a named one in the temp folder, for this user only, until closed', () => {
  const hidden = new Scratch();
  expect(hidden.file).toBeNull();
  hidden.close();
  const named = new Scratch({ named: true });
  named.exec('CREATE TABLE t (v TEXT)');
  expect(named.file!.startsWith(tmpdir())).toBe(true);
  expect(existsSync(named.file!)).toBe(true);
  if (process.platform !== 'win32') expect(statSync(named.file!).mode & 0o777).toBe(0o600); // directory data
  named.close();
  expect(existsSync(named.file!)).toBe(false);
});

it('removes the named scratch files that processes which are gone left behind, and no other', () => {
  // A process that has ended: its pid is free (reused pids are unlikely within the test).
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const leftBehind = join(tmpdir(), `adconsole-scratch-${gone}-0a1b2c3d-0000-4000-8000-000000000000.sqlite`);
  const ofThisProcess = join(tmpdir(), `adconsole-scratch-${process.pid}-0a1b2c3d-0000-4000-8000-00000000000f.sqlite`);
  writeFileSync(leftBehind, '');
  writeFileSync(ofThisProcess, '');
  removeStaleScratchFiles();
  expect(existsSync(leftBehind)).toBe(false);
  expect(existsSync(ofThisProcess)).toBe(true);
  rmSync(ofThisProcess);
});

it('is readable from the users database connection while attached, and detached after', async () => {
  const { engine } = await ENGINE_CASES.find((e) => e.name === 'sqlite')!.usersDatabase();
  const scratch = new Scratch({ named: true });
  try {
    scratch.exec("CREATE TABLE rows (v TEXT); INSERT INTO rows VALUES ('a'), ('b')");
    const seen = await engine.withAttached!(scratch.file!, 'stage', () =>
      engine.write(async (tx) => tx.all<{ v: string }>('SELECT v FROM stage.rows ORDER BY v')),
    );
    expect(seen.map((r) => r.v)).toEqual(['a', 'b']);
    await expect(engine.all('SELECT v FROM stage.rows')).rejects.toThrow(/no such table/);
  } finally {
    scratch.close();
  }
});

it('falls back to a private scratch database where the temp folder cannot be written', () => {
  const was = process.env.TMPDIR;
  process.env.TMPDIR = join(tmpdir(), `no-such-folder-${process.pid}`, 'below');
  try {
    const scratch = new Scratch({ named: true });
    expect(scratch.file).toBeNull();
    scratch.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    expect(scratch.get<{ v: string }>('SELECT v FROM t')).toEqual({ v: 'kept' });
    scratch.close();
  } finally {
    if (was === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = was;
  }
});
