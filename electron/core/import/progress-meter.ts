/** Turns "n done" into the progress events the UI and CLI show: rate, ETA, and not more than a few per second. */
import type { Phase, Progress } from '../../../shared/import-run.ts';

const MIN_INTERVAL_MS = 200;

export class ProgressMeter {
  private phase: Phase = 'connect';
  private started = Date.now();
  private lastSent = 0;
  private total: number | null = null;
  private readonly listener: (progress: Progress) => void;

  constructor(listener: (progress: Progress) => void = () => undefined) {
    this.listener = listener;
  }

  start(phase: Phase, total: number | null): void {
    this.phase = phase;
    this.total = total;
    this.started = Date.now();
    this.lastSent = 0;
    this.send(0, true);
  }

  update(done: number, force = false): void {
    this.send(done, force);
  }

  private send(done: number, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastSent < MIN_INTERVAL_MS) return;
    this.lastSent = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const total = this.total !== null ? Math.max(this.total, done) : null;
    const etaMs = total !== null && rate > 0 ? Math.round(((total - done) / rate) * 1000) : null;
    this.listener({ phase: this.phase, done, total, rate: Math.round(rate), etaMs });
  }
}
