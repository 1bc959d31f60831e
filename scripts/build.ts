/**
 * Builds everything the app runs from: the renderer (Vite), the main process (ESM) and the sandboxed
 * preload (one CommonJS file: sandboxed preloads cannot load modules or other files).
 */
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as vite } from 'vite';
import { buildCommandLine } from './build-cli.mjs';

await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  external: ['electron'],
  logLevel: 'warning',
};
await esbuild({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.js',
  format: 'esm',
  packages: 'external',
});
// The command line and the import's worker thread (import-job.ts looks for it next to main.js).
await buildCommandLine();
await esbuild({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  minify: true,
});
console.log('Built dist/renderer, dist/electron/main.js, bcscmd.js, import-worker.js and preload.cjs.');
