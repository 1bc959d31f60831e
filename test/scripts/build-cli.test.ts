/**
 * The command line's bundle (scripts/build-cli.mjs, rebuilt by the test setup): bin/bcscmd.js runs it, it
 * needs none of the TypeScript sources, and it answers exactly as the sources do.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = path.resolve('.');

function bcscmdAt(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const done = spawnSync(process.execPath, [path.join(root, 'bin/bcscmd.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ADCONSOLE_FROM_SOURCES: '', ...env },
  });
  return { status: done.status, out: done.stdout, err: done.stderr };
}

/** An installation without sources: bin/, dist/electron/ and package.json copied, the packages linked. */
function installationWithoutSources(): string {
  const root = tempDir();
  fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dist'));
  fs.cpSync(path.join(ROOT, 'dist/electron'), path.join(root, 'dist/electron'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

describe('the bundled command line', () => {
  it('runs without the TypeScript sources: settings saved, shown, and the ejabberd lines name its bin/bcscmd', () => {
    const root = installationWithoutSources();
    const data = tempDir();
    const env = { ADCONSOLE_DATA_DIR: data };
    expect(fs.existsSync(path.join(root, 'electron'))).toBe(false);
    expect(
      bcscmdAt(root, ['/SET:server=dc1.corp.example.com', '/SET:imApi=http://127.0.0.1:5281/api'], env),
    ).toMatchObject({ status: 0 });
    const shown = bcscmdAt(root, ['/SHOW'], env);
    expect(shown.status).toBe(0);
    expect(shown.out).toMatch(/server\s+dc1\.corp\.example\.com/);
    const config = bcscmdAt(root, ['/IMCONFIG'], env);
    expect(config.err).toBe('');
    expect(config.out).toContain(`extauth_program: "${path.join(root, 'bin/bcscmd')} /EXTAUTH`);
  });

  it('answers /?, /SHOW, a refused setting and /STATUS exactly as the sources do', () => {
    const data = tempDir();
    const env = { ADCONSOLE_DATA_DIR: data };
    expect(bcscmdAt(ROOT, ['/SET:server=dc1.corp.example.com'], env).status).toBe(0);
    for (const args of [['/?'], ['/SHOW'], ['/SET:port=99999'], ['/STATUS'], ['/NOSUCH']]) {
      const bundled = bcscmdAt(ROOT, args, env);
      const sources = bcscmdAt(ROOT, args, { ...env, ADCONSOLE_FROM_SOURCES: '1' });
      expect(bundled, args.join(' ')).toEqual(sources);
    }
    // Both really ran: a refused setting exits 2 with the reason.
    const refused = bcscmdAt(ROOT, ['/SET:port=99999'], env);
    expect(refused.status).toBe(2);
    expect(refused.err).toMatch(/port/i);
  });

  it("starts /LDAP's import thread first: the entry is a small file that imports the rest after it", () => {
    const entry = fs.readFileSync(path.join(ROOT, 'dist/electron/bcscmd.js'), 'utf8');
    // The command line itself (runBcscmd and all it imports) is a chunk of its own, loaded by a dynamic import.
    expect(entry.length).toBeLessThan(5_000);
    expect(entry).not.toContain('runBcscmd');
    const started = entry.indexOf('startImportThreadAhead()');
    const loaded = entry.search(/await import\("\.\/bcscmd-[\w-]+\.js"\)/);
    expect(started).toBeGreaterThan(0);
    expect(loaded).toBeGreaterThan(started);
  });

  it('falls back to the sources where the bundle is missing (an installation never built)', () => {
    const root = installationWithoutSources();
    fs.rmSync(path.join(root, 'dist/electron/bcscmd.js'));
    const done = bcscmdAt(root, ['/?']);
    // Without sources either, the import of the sources fails: proof that the bundle was what ran above.
    expect(done.status).not.toBe(0);
    expect(done.err).toMatch(/electron\/core\/cli\/main\.ts/);
  });
});
