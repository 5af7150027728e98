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
