/**
 * logon.log in the data folder: one line per extauth decision (time, operation, name, result, reason,
 * milliseconds), never a password. Rotated by size (logon.log → logon.log.1 …) so that a busy server
 * cannot fill the disk. Several extauth processes append to it at once; each line is one append.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOGON_LOG = 'logon.log';
const KEEP = 3;

export class LogonLog {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly echo: ((line: string) => void) | null;

  constructor(dataDir: string, options: { maxBytes?: number; echo?: (line: string) => void } = {}) {
    this.file = path.join(dataDir, LOGON_LOG);
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.echo = options.echo ?? null;
  }

  write(entry: { op: string; user: string; server: string; ok: boolean; reason: string; ms: number }): void {
    // Names come from the network: no line breaks may reach the file.
    const clean = (t: string) => t.replace(/[\u0000-\u001f\u007f]/g, '?');
    const line =
      `${new Date().toISOString()} ${entry.op} ${clean(entry.user)}@${clean(entry.server)} ` +
      `${entry.ok ? 'true' : 'false'} ${entry.ms} ms: ${clean(entry.reason)}\n`;
    try {
      if ((fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0) >= this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o640 });
    } catch {
      // A full disk must not turn into a refused logon: the answer matters more than its log line.
    }
    this.echo?.(line.trimEnd());
  }

  private rotate(): void {
    for (let i = KEEP - 1; i >= 1; i--) {
      try {
        fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // Not there yet.
      }
    }
    fs.renameSync(this.file, `${this.file}.1`);
  }
}
