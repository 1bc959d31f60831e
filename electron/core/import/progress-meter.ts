/**
 * Turns "n done" into the progress events the UI and CLI show: rate, ETA, and not more than a few per second;
 * and keeps where the run's time went, phase by phase (the outcome's `timings`, which bench:import prints).
 */
import type { Phase, Progress } from '../../../shared/import-run.ts';

const MIN_INTERVAL_MS = 200;

export class ProgressMeter {
  private phase: Phase = 'connect';
  private started = Date.now();
  private lastSent = 0;
  private total: number | null = null;
  private readonly listener: (progress: Progress) => void;
  private readonly spent = new Map<string, number>();
  private lapName = 'prepare';
  private lapStarted = performance.now();

  constructor(listener: (progress: Progress) => void = () => undefined) {
    this.listener = listener;
  }

  /** Closes the time of what ran so far under its name, and starts timing `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.spend(this.lapName, now - this.lapStarted);
    this.lapName = name;
    this.lapStarted = now;
  }

  /** `ms` of the current lap that went to one part of it (staging within the search): counted apart. */
  within(part: string, ms: number): void {
    this.spend(part, ms);
    this.spend(this.lapName, -ms);
  }

  /** Milliseconds per phase (and part) so far, the current one included, in the order they first ran. */
  timings(): Record<string, number> {
    this.lap(this.lapName);
    return Object.fromEntries([...this.spent].map(([name, ms]) => [name, Math.round(ms)]));
  }

  private spend(name: string, ms: number): void {
    this.spent.set(name, (this.spent.get(name) ?? 0) + ms);
  }

  start(phase: Phase, total: number | null): void {
    if (phase !== this.phase || this.lapName !== phase) this.lap(phase);
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
