import { defineConfig } from 'vite';

// The renderer only: a static bundle loaded from file:// (Electron) or 127.0.0.1 (browser console).
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'chrome130' },
  oxc: { jsx: { runtime: 'automatic' } },
});
