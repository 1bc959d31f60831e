#!/usr/bin/env node
// Runs the TypeScript sources directly with Node's type stripping (Node >= 22.18 / 23.6).
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
// Cache compiled (type-stripped) modules on disk: halves start-up for scheduled runs, here and in the
// import's worker thread (which reads NODE_COMPILE_CACHE when it starts).
const { enableCompileCache } = await import('node:module');
const cache = enableCompileCache?.();
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
const { runBcscmd } = await import('../electron/core/cli/bcscmd.ts');
try {
  process.exitCode = await runBcscmd(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    stdout: process.stdout,
  });
} catch (err) {
  // A bug, not a user error: one line for the admin, the stack only on request.
  const details = process.env.ADCONSOLE_DEBUG ? `\n${err?.stack}` : ' (set ADCONSOLE_DEBUG=1 for details)';
  console.error(`bcscmd failed unexpectedly: ${err?.message ?? err}${details}`);
  process.exitCode = 1;
}
