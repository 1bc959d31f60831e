/**
 * Who publishes: the process that made a change, right after it (the console and bcscmd after their changes,
 * /EXTAUTH after answering a first logon), and the sync service whenever changes wait (from any process, or
 * left by a publish that failed). One publish at a time per users database: a process that finds another one
 * publishing waits for it to end and then publishes what is still pending, so no change is left behind by the
 * moment the other one looked for the last time.
 */
import type { ApiError } from '../../../shared/result.ts';
import type { PublishCounts } from '../../../shared/publishing.ts';
import type { Settings } from '../../../shared/settings.ts';
import { explainDatabaseError } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import { ImApi } from './im-api.ts';
import type { SqlEngine } from '../database/engine/sql-engine.ts';
import { publishDirectory, readPublishState } from './publisher.ts';

export type PublishOutcome =
  /** imApi is empty: the directory is not published. */
  | { status: 'off' }
  | { status: 'nothing' }
  | { status: 'published'; counts: PublishCounts }
  /** Another process kept publishing for longer than this one waited; it sends these changes too. */
  | { status: 'busy' }
  | { status: 'failed'; error: ApiError };

/** How often a process waiting for another one's publish looks again. */
const LOOK_AGAIN_MS = 250;

export interface PublishRequest {
  engine: SqlEngine;
  settings: Settings;
  /** Read back what the IM server holds and repair it, even when nothing is pending. */
  full?: boolean;
  /** How long to wait for another process's publish before leaving the changes to it. */
  waitMs?: number;
  log?: (line: string) => void;
  /** The API to use (tests and the benchmark count its calls); by default the one the settings name. */
  api?: ImApi;
}

/** Publishes what is pending (or everything, `full`). Never throws: the outcome says what happened. */
export async function publishPending(request: PublishRequest): Promise<PublishOutcome> {
  const { engine, settings } = request;
  let api: ImApi | null;
  try {
    api = request.api ?? ImApi.fromSettings(settings);
  } catch (err) {
    return failed(err);
  }
  if (!api) return { status: 'off' };
  const deadline = Date.now() + (request.waitMs ?? 60_000);
  for (;;) {
    try {
      if (!request.full && !(await readPublishState(engine, settings)).pending) return { status: 'nothing' };
      const counts = await publishDirectory({
        engine,
        settings,
        api,
        ...(request.full ? { full: true } : {}),
        ...(request.log ? { log: request.log } : {}),
      });
      if (counts) return { status: 'published', counts };
    } catch (err) {
      return failed(explainDatabaseError(err, engine.location));
    }
    if (Date.now() >= deadline) return { status: 'busy' };
    await new Promise((resolve) => setTimeout(resolve, LOOK_AGAIN_MS));
  }
}

function failed(err: unknown): PublishOutcome {
  if (!(err instanceof Failure)) throw err;
  return { status: 'failed', error: { code: err.code, message: err.message, hint: err.hint } };
}

/** What a publish after a change says to the person who made the change (null: nothing worth saying). */
export function outcomeNotice(outcome: PublishOutcome): string | null {
  if (outcome.status === 'failed')
    return (
      `The change is saved, but publishing it to the IM server failed: ${outcome.error.message} ` +
      `${outcome.error.hint ?? ''}`.trim()
    );
  if (outcome.status === 'published' && outcome.counts.problems.length)
    return `Published to the IM server, with problems: ${outcome.counts.problems.join('; ')}`;
  return null;
}

/**
 * A long-running process's publisher (the console, /EXTAUTH): `nudge()` after a change publishes it in the
 * background, without making anyone wait; nudges during a publish make one more. `idle()` resolves when done.
 */
export class BackgroundPublisher {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly options: {
    use: <T>(work: (engine: SqlEngine) => T) => T;
    settings: () => Settings;
    log: (line: string) => void;
    onOutcome?: (outcome: PublishOutcome) => void;
  };

  constructor(options: BackgroundPublisher['options']) {
    this.options = options;
  }

  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let outcome: PublishOutcome;
      try {
        const settings = this.options.settings();
        outcome = await this.options.use((engine) =>
          publishPending({ engine, settings, log: this.options.log, waitMs: 10 * 60_000 }),
        );
      } catch (err) {
        this.options.log(`Publishing to the IM server failed unexpectedly: ${(err as Error).message}`);
        return;
      }
      if (outcome.status === 'failed')
        this.options.log(`Publishing to the IM server failed: ${outcome.error.message} ${outcome.error.hint ?? ''}`);
      this.options.onOutcome?.(outcome);
    } while (this.again);
  }

  /** Resolves once no publish runs (for an orderly exit). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
