/** `npm run web`: the console in a browser, for machines without a desktop session (and for UI tests). */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startBrowserConsole, RENDERER_DIR } from './core/browser-console.ts';
import { defaultDataDir } from './core/paths.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' } } });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port takes a port number (0–65535), not "${values.port}".`);
  process.exit(2);
}
if (!fs.existsSync(`${RENDERER_DIR}/index.html`)) {
  console.error('The console\'s user interface is not built yet: run "npm run build" (npm run web does it for you).');
  process.exit(1);
}
const dataDir = values.data ?? defaultDataDir();
try {
  const web = await startBrowserConsole({ dataDir, port });
  console.log(`AD Console is serving on ${web.url}`);
  console.log(`Settings folder: ${dataDir}. Press Ctrl+C to stop.`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  const e = err as NodeJS.ErrnoException & { hint?: string };
  console.error(
    e.code === 'EADDRINUSE'
      ? `Port ${port} is already in use: choose another with --port, or omit it for a free one.`
      : `The browser console could not start: ${e.message}${e.hint ? `\n${e.hint}` : ''}`,
  );
  process.exit(1);
}
