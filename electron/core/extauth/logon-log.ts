/**
 * logon.log in the data folder: one line per extauth decision (time, operation, name, result, reason,
 * milliseconds), never a password. Rotated by size (logon.log → logon.log.1 …) so that a busy server
 * cannot fill the disk. Several extauth processes append to it at once; each line is one append, and one
 * rotation at a time: whoever takes the rotation lock (a file created exclusively) rotates, after checking the
 * size again; the others append meanwhile. Two processes rotating at once would shift the files twice and
 * drop one.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOGON_LOG = 'logon.log';
const KEEP = 3;
/** A lock this old belongs to a process that died while rotating. */
const STALE_LOCK_MS = 10_000;

export class LogonLog {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly echo: ((line: string) => void) | null;
  private readonly beforeRotate: () => void;

  constructor(
    dataDir: string,
    options: {
      maxBytes?: number;
      echo?: (line: string) => void;
      /** Tests: runs while this process holds the rotation lock, before it renames anything. */
      beforeRotate?: () => void;
    } = {},
  ) {
    this.file = path.join(dataDir, LOGON_LOG);
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.echo = options.echo ?? null;
    this.beforeRotate = options.beforeRotate ?? (() => undefined);
  }

  private full(): boolean {
    return (fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0) >= this.maxBytes;
  }

  write(entry: { op: string; user: string; server: string; ok: boolean; reason: string; ms: number }): void {
    // Names come from the network: no line breaks may reach the file.
    const clean = (t: string) => t.replace(/[\u0000-\u001f\u007f]/g, '?');
    const line =
      `${new Date().toISOString()} ${entry.op} ${clean(entry.user)}@${clean(entry.server)} ` +
      `${entry.ok ? 'true' : 'false'} ${entry.ms} ms: ${clean(entry.reason)}\n`;
    try {
      if (this.full()) this.rotateOnce();
      fs.appendFileSync(this.file, line, { mode: 0o640 });
    } catch {
      // A full disk must not turn into a refused logon: the answer matters more than its log line.
    }
    this.echo?.(line.trimEnd());
  }

  /** Rotates unless another process is rotating now (this line then goes to the file as it is). */
  private rotateOnce(): void {
    const lock = `${this.file}.rotating`;
    let fd: number;
    try {
      fd = fs.openSync(lock, 'wx', 0o640);
    } catch {
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
      return;
    }
    try {
      // Rotated by another process between the size check and the lock: nothing to do.
      if (!this.full()) return;
      this.beforeRotate();
      for (let i = KEEP - 1; i >= 1; i--) {
        try {
          fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
        } catch {
          // Not there yet.
        }
      }
      fs.renameSync(this.file, `${this.file}.1`);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }
}
