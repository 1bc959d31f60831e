/**
 * The command line's bundle: dist/electron/bcscmd.js and its chunks (bcscmd-*.js), so that a start
 * (ejabberd starts one per extauth process, the service and scripts one per command) reads and compiles
 * three files instead of resolving some 300 modules and packages: bcscmd /? in ≈ 0.07 s over a bare node
 * instead of ≈ 0.2 s (bench/cli-start.ts). bin/bcscmd.js runs it when it exists, else the sources.
 * The import's worker thread is built beside it (import-job.ts looks for it next to the running file).
 * Plain JavaScript: npm's postinstall runs it, possibly on an older system node than the project's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundled CommonJS packages (pg, conf's dependencies) call require(); an ES module has none of its own. */
const REQUIRE_BANNER =
  "import { createRequire as __adcRequire } from 'node:module'; const require = __adcRequire(import.meta.url);";

// Native addons (and pg's optional native driver) stay packages: they cannot be bundled.
const NATIVE = ['electron', 'sharp', 'kerberos', 'pg-native'];

/** The bundle's chunks beside bcscmd.js (the import thread's file is found next to the code that starts it). */
const CHUNK_PREFIX = 'bcscmd-';

export async function buildCommandLine() {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  // The entry is small: it starts /LDAP's import thread, then loads the rest of bcscmd, a chunk of its own
  // (electron/core/cli/main.ts). Chunks are named after the entry; those of an earlier build are removed first.
  const out = path.join(root, 'dist/electron');
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(out)) if (file.startsWith(CHUNK_PREFIX)) fs.rmSync(path.join(out, file));
  await build({
    ...common,
    entryPoints: { bcscmd: 'electron/core/cli/main.ts' },
    outdir: out,
    splitting: true,
    chunkNames: `${CHUNK_PREFIX}[name]-[hash]`,
    external: NATIVE,
    banner: { js: REQUIRE_BANNER },
  });
  // The worker too: it starts with every import, and loading its packages file by file cost a tenth of a second.
  await build({
    ...common,
    entryPoints: ['electron/core/import/import-worker.ts'],
    outfile: 'dist/electron/import-worker.js',
    external: NATIVE,
    banner: { js: REQUIRE_BANNER },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCommandLine();
    console.log('[bcscmd] built dist/electron/bcscmd.js and its chunks (the command line).');
  } catch (err) {
    // Never fatal during npm install: bin/bcscmd.js runs the sources when the bundle is missing.
    console.log(
      `[bcscmd] could not build dist/electron/bcscmd.js (${err?.message ?? err}); bcscmd runs from the sources.`,
    );
  }
}
