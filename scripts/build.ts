/**
 * Builds everything the app runs from: the renderer (Vite), the main process (ESM) and the sandboxed
 * preload (one CommonJS file: sandboxed preloads cannot load modules or other files).
 */
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as vite } from 'vite';

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
// Imports run on a worker thread; import-job.ts looks for this file next to main.js.
await esbuild({
  ...common,
  entryPoints: ['electron/core/import/import-worker.ts'],
  outfile: 'dist/electron/import-worker.js',
  format: 'esm',
  packages: 'external',
});
await esbuild({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  minify: true,
});
console.log(
  'Built dist/renderer, dist/electron/main.js, dist/electron/import-worker.js and dist/electron/preload.cjs.',
);
