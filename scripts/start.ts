/**
 * `npm start`: the desktop window. Where the Electron binary is missing and cannot be fetched (offline
 * first run, locked-down machines), say so in one sentence and serve the browser console instead.
 */
import { spawn, spawnSync } from 'node:child_process';

const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
  encoding: 'utf8',
  timeout: 300_000,
});
const electronPath = probe.status === 0 ? probe.stdout.trim() : '';
const started = electronPath ? spawnSync(electronPath, ['--version'], { encoding: 'utf8', timeout: 30_000 }) : null;

if (started && started.status === 0) {
  const child = spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = electronPath
    ? `the Electron binary at ${electronPath} does not start ` +
      `(${(started?.stderr ?? '').trim().split('\n')[0] || `exit ${started?.status}`})`
    : 'the Electron binary is not installed and could not be downloaded';
  console.log(`The desktop window cannot open because ${why}, so the console is served in your browser instead.`);
  const child = spawn(process.execPath, ['electron/web.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}
