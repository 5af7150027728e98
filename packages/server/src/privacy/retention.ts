import { ConfigError, type Logger } from '../options.js';
import type { Store } from '../store/store.js';

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  store: Store;
  logger: Logger;
  /** Events received more than this many days ago are deleted; a whole number ≥ 1. */
  days: number;
  intervalMs: number;
  now: () => number;
}

// Under a day, "older than the period" is every event received before the run, seconds-old ones too.
function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1) {
    throw new ConfigError(
      `[lotse] LOTSE_RETENTION_DAYS=${days}: must be a whole number ≥ 1; fewer days would delete every event, even one seconds old`,
    );
  }
}

/** Deletes events older than the retention period (≥ 1 day) once; returns how many. */
export async function applyRetention(store: Store, days: number, now: number): Promise<number> {
  checkDays(days);
  return store.deleteEventsBefore(now - days * 86_400_000);
}

/**
 * Runs {@link applyRetention} shortly after start and then every `intervalMs`; returns a stop
 * function that waits for a run in progress (so the store is not closed under it). Throws at once
 * for fewer than 1 day, rather than failing at every run.
 */
export function startRetention(options: RetentionOptions): () => Promise<void> {
  checkDays(options.days);
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= applyRetention(options.store, options.days, options.now())
      .then((n) => {
        if (n > 0)
          options.logger.info(`retention: deleted ${n} events older than ${options.days} days`);
      })
      .catch((error: unknown) => options.logger.error('retention failed', error))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, 1000);
  const timer = setInterval(run, options.intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
