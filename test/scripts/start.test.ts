/** `npm start` where Electron cannot start: one sentence, then the browser console, reachable. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../../electron/core/browser-console.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('npm start without a working Electron binary', () => {
  it('says why in one sentence and serves the browser console instead', async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html')))
      throw new Error('The renderer is not built: run "npm run build" (npm test does).');
    const data = tempDir();
    // Points Electron at a folder without a binary: the "cannot start" path, whatever this machine has.
    const child = spawn(process.execPath, ['scripts/start.ts', '--data', data], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(data, 'no-electron-here') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${out}`)));
      });
      const sentence = out.split('\n')[0]!;
      expect(sentence).toMatch(
        /^The desktop window cannot open because the Electron binary at .* does not start .*, so the console is served in your browser instead\.$/,
      );
      const status = await new Promise<number>((resolve, reject) =>
        http.get(url, (res) => resolve(res.statusCode!)).on('error', reject),
      );
      expect(status).toBe(303); // the token is traded for a cookie
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
