/**
 * The import engine on a worker thread, so that the desktop app's main process (window, IPC) never waits
 * for a search, a plan or a 100 000-row transaction. Messages: in {cancel}; out {progress} and {done}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createResolver } from '../directory/resolver.ts';
import { runImport } from './import-engine.ts';
import type { JobMessage, JobStart } from './import-job.ts';

const start = workerData as JobStart;
const abort = new AbortController();
const post = (message: JobMessage) => parentPort!.postMessage(message);
parentPort!.on('message', (message: { type: 'cancel' }) => {
  if (message.type === 'cancel') abort.abort();
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
