/** The bcscmd process: arguments and environment in, an exit code out (main.ts loads it). */
import { runBcscmd } from './bcscmd.ts';

try {
  process.exitCode = await runBcscmd(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    stdout: process.stdout,
  });
} catch (err) {
  // A bug, not a user error: one line for the admin, the stack only on request.
  const error = err as Error | undefined;
  const details = process.env.ADCONSOLE_DEBUG ? `\n${error?.stack}` : ' (set ADCONSOLE_DEBUG=1 for details)';
  console.error(`bcscmd failed unexpectedly: ${error?.message ?? String(err)}${details}`);
  process.exitCode = 1;
}
