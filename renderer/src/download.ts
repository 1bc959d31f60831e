/** Saves text the console produced (a CSV report) through the browser's or Electron's download. */
import type { TextFile } from '../../shared/contract.ts';

export function saveTextFile(file: TextFile, type = 'text/csv'): void {
  // A byte-order mark lets Excel open the UTF-8 CSV with the right characters (björn.åberg).
  const url = URL.createObjectURL(new Blob(['\ufeff', file.text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
