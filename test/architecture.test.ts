/**
 * The layers stay apart: shared code is pure, the core runs under plain Node (no Electron),
 * the renderer talks only through the contract, and only the preload touches ipcRenderer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

const offenders = (files: string[], forbidden: (spec: string) => boolean) =>
  files.flatMap((f) =>
    imports(f)
      .filter(forbidden)
      .map((spec) => `${f} imports ${spec}`),
  );

describe('layering', () => {
  it('keeps shared/ free of Node, Electron and React', () => {
    expect(
      offenders(
        sources('shared'),
        (s) =>
          s.startsWith('node:') ||
          s === 'electron' ||
          s.startsWith('react') ||
          s.startsWith('../electron') ||
          s.startsWith('../renderer'),
      ),
    ).toEqual([]);
  });

  it('keeps the core runnable under plain Node (no electron import)', () => {
    expect(
      offenders(
        sources('electron/core'),
        (s) => s === 'electron' || s.startsWith('electron/') || s === 'electron-store' || s.includes('/renderer/'),
      ),
    ).toEqual([]);
  });

  it('lets the renderer reach the main process only through the contract', () => {
    expect(
      offenders(sources('renderer/src'), (s) => s.startsWith('node:') || s === 'electron' || s.includes('/electron/')),
    ).toEqual([]);
  });

  it('keeps the database drivers inside the database layer (type imports too): one seam for both engines', () => {
    const driver = /^\s*import\s[^'"]*['"](node:sqlite|pg|pg-copy-streams)['"]/m;
    const users = [...sources('electron'), ...sources('shared'), ...sources('renderer/src')].filter(
      (f) => driver.test(fs.readFileSync(f, 'utf8')) && !f.startsWith(path.join('electron', 'core', 'database')),
    );
    expect(users).toEqual([]);
    // …and the layer does use them (the check would pass on a misspelt pattern otherwise).
    expect(
      sources(path.join('electron', 'core', 'database')).some((f) => driver.test(fs.readFileSync(f, 'utf8'))),
    ).toBe(true);
  });

  it('uses ipcRenderer only in the preload', () => {
    const users = [...sources('electron'), ...sources('renderer/src'), ...sources('shared')].filter((f) =>
      /\bipcRenderer\b/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(users).toEqual([path.join('electron', 'preload.ts')]);
  });

  it('creates windows with isolation, sandbox and no Node integration', () => {
    const main = fs.readFileSync('electron/main.ts', 'utf8');
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/nodeIntegration: false/);
    expect(main).not.toMatch(/webSecurity: false|allowRunningInsecureContent: true/);
  });
});
