import type { RateRule, TakeTokenResult } from './store.js';

/** State of one token bucket. */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** Refills a bucket to `now` and takes one token if there is one (pure; the SQL versions mirror it). */
export function takeFromBucket(
  state: BucketState | undefined,
  rule: RateRule,
  now: number,
): { state: BucketState; result: TakeTokenResult } {
  const elapsed = state === undefined ? 0 : Math.max(0, now - state.updatedAt);
  const available =
    state === undefined
      ? rule.capacity
      : Math.min(rule.capacity, state.tokens + (elapsed * rule.refillPerSecond) / 1000);
  const updatedAt = state === undefined ? now : Math.max(state.updatedAt, now);
  if (available >= 1) {
    return {
      state: { tokens: available - 1, updatedAt },
      result: { allowed: true, retryAfterMs: 0 },
    };
  }
  return {
    state: { tokens: available, updatedAt },
    result: { allowed: false, retryAfterMs: retryAfterMs(available, rule) },
  };
}

/** Milliseconds until a bucket holding `tokens` has one whole token again. */
export function retryAfterMs(tokens: number, rule: RateRule): number {
  if (rule.refillPerSecond <= 0) return 3_600_000;
  return Math.ceil(((1 - tokens) * 1000) / rule.refillPerSecond);
}

/** Token buckets in process memory, for the single-process SQLite setup. */
export function createMemoryBuckets(): {
  take(key: string, rule: RateRule, now: number): TakeTokenResult;
} {
  const buckets = new Map<string, BucketState>();
  // Sweep full (idle) buckets now and then so one-off client addresses do not accumulate.
  const sweepEvery = 10_000;
  let takes = 0;
  return {
    take(key, rule, now) {
      const { state, result } = takeFromBucket(buckets.get(key), rule, now);
      buckets.set(key, state);
      if (++takes % sweepEvery === 0) {
        for (const [k, s] of buckets) if (now - s.updatedAt > 3_600_000) buckets.delete(k);
      }
      return result;
    },
  };
}

/** What one statement that takes up to `count` tokens from a shared bucket reports. */
export interface BulkTake {
  /** Tokens taken: the first `granted` of the joined takes are allowed. */
  granted: number;
  /** Tokens left in the bucket. */
  tokens: number;
}

/**
 * Joins concurrent takes from one shared bucket into one statement (`take` takes up to `count`
 * tokens at once): while a key's statement runs, the takes of that key that arrive wait and go
 * together in the next, and the first of them in arrival order get the tokens. A bucket's row is
 * locked by each statement, so busy keys (a site's bucket) otherwise serialise every request.
 * A key always comes with the same rule (the key names the limit).
 */
export function coalesceTakes(
  take: (key: string, rule: RateRule, now: number, count: number) => Promise<BulkTake>,
): (key: string, rule: RateRule, now: number) => Promise<TakeTokenResult> {
  type Waiter = { now: number; settle: (r: BulkTake | Error, position: number) => void };
  const waiting = new Map<string, Waiter[]>();
  const run = (key: string, rule: RateRule, batch: Waiter[]) => {
    waiting.set(key, []);
    let now = -Infinity;
    for (const w of batch) now = Math.max(now, w.now);
    // Even a take that throws at once settles its waiters and hands the key on.
    Promise.resolve()
      .then(() => take(key, rule, now, batch.length))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .then((r) => {
        for (const [i, w] of batch.entries()) w.settle(r, i);
      })
      .finally(() => {
        const next = waiting.get(key) ?? [];
        if (next.length > 0) run(key, rule, next);
        else waiting.delete(key);
      });
  };
  return (key, rule, now) =>
    new Promise((resolve, reject) => {
      const settle = (r: BulkTake | Error, position: number) => {
        if (r instanceof Error) reject(r);
        else if (position < r.granted) resolve({ allowed: true, retryAfterMs: 0 });
        else resolve({ allowed: false, retryAfterMs: retryAfterMs(r.tokens, rule) });
      };
      const queue = waiting.get(key);
      if (queue === undefined) run(key, rule, [{ now, settle }]);
      else queue.push({ now, settle });
    });
}
