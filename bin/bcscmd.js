#!/usr/bin/env node
// Starts bcscmd: its bundle, or the TypeScript sources with Node's type stripping (Node >= 22.18 / 23.6).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `bcscmd needs Node.js 22.18 or later (this is ${process.version}). Run bin/bcscmd (beside this file), ` +
      `which uses the Node.js 24 that npm installed with AD Console, or "npx bcscmd" inside the project.`,
  );
  process.exit(2);
}
// Type stripping announces itself as experimental on some Node versions; that is noise for a CLI user.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : (warning?.message ?? '');
  if (/Type Stripping|strip-types/i.test(text)) return;
  return emitWarning.call(process, warning, ...rest);
};
// Cache compiled modules on disk: halves start-up for scheduled runs, here and in the import's worker thread
// (which reads NODE_COMPILE_CACHE when it starts). A folder per user: Node's default one belongs to whoever
// made it first (root, running a test or the console), and ejabberd's extauth processes could not use it.
const { enableCompileCache } = await import('node:module');
const { tmpdir } = await import('node:os');
const cache = enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE || `${tmpdir()}/adconsole-compile-cache-${process.getuid?.() ?? 'user'}`,
);
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
// The bundle the build and npm install make (scripts/build-cli.mjs: an entry and its chunks) starts in half the time of
// the sources; ADCONSOLE_FROM_SOURCES=1 runs the TypeScript sources instead (after editing them, unbuilt).
const { existsSync } = await import('node:fs');
const bundle = new URL('../dist/electron/bcscmd.js', import.meta.url);
const fromSources = process.env.ADCONSOLE_FROM_SOURCES === '1' || !existsSync(bundle);
await import(fromSources ? '../electron/core/cli/main.ts' : bundle.href);
