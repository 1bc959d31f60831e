/**
 * The import engine on a worker thread, so that the desktop app's main process (window, IPC) never waits
 * for a search, a plan or a 100 000-row transaction. Messages: in {start} then perhaps {cancel}; out {run},
 * {progress} and {done}.
 */
import { parentPort } from 'node:worker_threads';
import { createResolver } from '../directory/resolver.ts';
import { runImport } from './import-engine.ts';
import type { JobCommand, JobMessage, JobStart } from './import-job.ts';

const abort = new AbortController();
const post = (message: JobMessage) => parentPort!.postMessage(message);
// The job comes as the first message: the thread may have been started before it was known.
const start = await new Promise<JobStart>((resolve) => {
  parentPort!.on('message', (message: JobCommand) => {
    if (message.type === 'start') resolve(message.start);
    else abort.abort();
  });
});
const outcome = await runImport(start.request, {
  settings: start.settings,
  password: start.password,
  resolver: createResolver(),
  database: start.database,
  signal: abort.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
  onRunStarted: (runId) => post({ type: 'run', runId }),
});
post({ type: 'done', outcome });
parentPort!.close();
