/** A cheap "did these files change" check for long-running processes: their modification times. */
import fs from 'node:fs';

export const fileStamp = (files: string[]): string =>
  files.map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(',');
