import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh folder removed when the test ends. */
export function tempDir(prefix = 'adconsole-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh folder for a whole suite; the suite removes it in afterAll. */
export function tempDirFor(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `adconsole-${name}-`));
}
