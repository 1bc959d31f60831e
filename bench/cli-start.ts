/**
 * How long a bcscmd start costs: `bcscmd /?` and `bcscmd /STATUS` (a data folder with settings and a users
 * database) from the bundle (what bin/bcscmd.js runs after a build or npm install) and from the TypeScript
 * sources, against a bare `node -e 0` in the same run. Rounds alternate; medians of 15. Asserts nothing.
 *   npm run bench:cli          (builds the bundle first: npm run build, or node scripts/build-cli.mjs)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { alternate, medianOf, runBench } from './bench-kit.ts';

const ROUNDS = 15;
const BIN = path.resolve(import.meta.dirname, '../bin/bcscmd.js');

await runBench(async () => {
  if (!fs.existsSync(path.resolve(import.meta.dirname, '../dist/electron/bcscmd.js')))
    throw new Error('dist/electron/bcscmd.js is missing: run npm run build (or node scripts/build-cli.mjs) first.');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
  try {
    const env = { ...process.env, ADCONSOLE_DATA_DIR: data };
    const run =
      (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      () => {
        const started = performance.now();
        const done = spawnSync(process.execPath, args, { env: { ...env, ...extra }, encoding: 'utf8' });
        const ms = performance.now() - started;
        // /STATUS exits 3 when no service has checked in: a warning, and a whole start like any other.
        if (done.status !== 0 && !(done.status === 3 && args.includes('/STATUS')))
          throw new Error(`${args.join(' ')} exited ${done.status}: ${done.stderr || done.stdout}`);
        return ms;
      };
    // A folder like a server's: settings saved, a users database made (the first /STATUS makes it).
    run([BIN, '/SET:server=dc1.example.com', '/SET:ouPath=LDAP://OU=Staff,DC=example,DC=com'])();
    run([BIN, '/STATUS'])();
    const sources = { ADCONSOLE_FROM_SOURCES: '1' };
    const runs = await alternate(ROUNDS, {
      'node -e 0': run(['-e', '0']),
      'bcscmd /? (bundle)': run([BIN, '/?']),
      'bcscmd /STATUS (bundle)': run([BIN, '/STATUS']),
      'bcscmd /? (sources)': run([BIN, '/?'], sources),
      'bcscmd /STATUS (sources)': run([BIN, '/STATUS'], sources),
    });
    const bare = medianOf(runs['node -e 0']!);
    console.log(
      `\n${process.version} on ${os.cpus()[0]?.model ?? 'this machine'}; medians of ${ROUNDS}, rounds alternating`,
    );
    for (const [name, times] of Object.entries(runs)) {
      const ms = medianOf(times);
      const over = name === 'node -e 0' ? '' : `  = node + ${(ms - bare).toFixed(0)} ms`;
      const spread = `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`;
      console.log(`${name.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms${over}  ${spread}`);
    }
    console.log('target: /? and /STATUS from the bundle ≤ node + 100 ms');
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});
