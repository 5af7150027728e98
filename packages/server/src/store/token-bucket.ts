import type { Kysely } from 'kysely';
import type { LotseTables } from './schema.js';
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
  giveBack(key: string, rule: RateRule, now: number): void;
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
    giveBack(key, rule, now) {
      const state = buckets.get(key);
      if (state === undefined) return;
      // Refilled to `now` as a take would, then one more, never past the capacity.
      const elapsed = Math.max(0, now - state.updatedAt);
      const available = state.tokens + (elapsed * rule.refillPerSecond) / 1000;
      buckets.set(key, {
        tokens: Math.min(rule.capacity, available + 1),
        updatedAt: Math.max(state.updatedAt, now),
      });
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

/** Options of {@link coalesceTakes}. */
export interface CoalesceTakesOptions {
  /**
   * A busy key takes ahead what its takes need for this long at their rate; 0 takes none ahead.
   * @default 100
   */
  leaseMs?: number;
}

// A process takes ahead at most a sixteenth of a bucket, so that a few instances sharing it leave
// most of it in the shared row, and only from buckets of 64 tokens or more: a client's holds 60 by
// default, where tokens held by one process would be felt.
const LEASE_SHARE = 16;
const MIN_LEASE_CAPACITY = 64;
// Keys idle this long are forgotten with what they hold (checked every SWEEP_EVERY takes), so
// that the state stays bounded.
const IDLE_MS = 60_000;
const SWEEP_EVERY = 10_000;

/** What this process knows of one key of a large bucket between statements. */
interface KeyState {
  /** Tokens taken ahead and not handed out yet. */
  leased: number;
  /** When the last statement began, and the key's takes since: its rate. */
  since: number;
  takes: number;
  /** The time of its last take, statement or not: what an idle key is told by. */
  lastTake: number;
}

/**
 * Joins concurrent takes from one shared bucket into one statement (`take` takes up to `count`
 * tokens at once): while a key's statement runs, the takes of that key that arrive wait and go
 * together in the next, and the first of them in arrival order get the tokens. A bucket's row is
 * locked by each statement, so busy keys (a site's bucket) otherwise serialise every request.
 * A key always comes with the same rule (the key names the limit).
 *
 * A busy key of a large bucket also takes tokens ahead: what its takes since the last statement
 * would need for `leaseMs` at their rate, at most a sixteenth of the bucket. The takes that follow
 * get them without a statement until they are used up; only then does the key meet the bucket
 * again. Every token handed out was granted by the shared bucket, and none is dropped unless its
 * key stays idle for a minute; but a process may hold its tokens while the bucket refills, so
 * at one instant a burst can pass the bucket's capacity by at most a sixteenth per process.
 */
export function coalesceTakes(
  take: (key: string, rule: RateRule, now: number, count: number) => Promise<BulkTake>,
  options: CoalesceTakesOptions = {},
): (key: string, rule: RateRule, now: number) => Promise<TakeTokenResult> {
  const leaseMs = Math.max(0, options.leaseMs ?? 100);
  type Waiter = { now: number; settle: (r: BulkTake | Error, position: number) => void };
  const waiting = new Map<string, Waiter[]>();
  const keys = new Map<string, KeyState>();
  let takes = 0;
  const fromLease = (state: KeyState | undefined): boolean => {
    if (state === undefined || !(state.leased >= 1)) return false;
    state.leased -= 1;
    return true;
  };
  const run = (key: string, rule: RateRule, batch: Waiter[]) => {
    waiting.set(key, []);
    let now = -Infinity;
    for (const w of batch) now = Math.max(now, w.now);
    let state = keys.get(key);
    let ahead = 0;
    if (state !== undefined) {
      const elapsed = now - state.since;
      const byRate = Math.floor((state.takes * leaseMs) / Math.max(1, elapsed));
      // A clock that went back (or is not a number) takes none.
      if (elapsed >= 0) ahead = Math.min(Math.floor(rule.capacity / LEASE_SHARE), byRate);
      Object.assign(state, { since: now, takes: 0 });
    } else if (leaseMs > 0 && rule.capacity >= MIN_LEASE_CAPACITY) {
      state = { leased: 0, since: now, takes: 0, lastTake: now };
      keys.set(key, state);
    }
    const own = state;
    // Even a take that throws at once settles its waiters and hands the key on.
    Promise.resolve()
      .then(() => take(key, rule, now, batch.length + ahead))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .then((r) => {
        if (own !== undefined && !(r instanceof Error)) {
          own.leased += Math.max(0, r.granted - batch.length);
        }
        for (const [i, w] of batch.entries()) w.settle(r, i);
      })
      .finally(() => {
        // The takes that waited meanwhile get the tokens taken ahead first.
        const next: Waiter[] = [];
        for (const w of waiting.get(key) ?? []) {
          if (fromLease(own)) w.settle(LEASED, 0);
          else next.push(w);
        }
        if (next.length > 0) run(key, rule, next);
        else waiting.delete(key);
      });
  };
  const sweep = (now: number) => {
    for (const [k, s] of keys) if (now - s.lastTake > IDLE_MS && !waiting.has(k)) keys.delete(k);
  };
  return (key, rule, now) =>
    new Promise((resolve, reject) => {
      const settle = (r: BulkTake | Error, position: number) => {
        if (r instanceof Error) reject(r);
        else if (position < r.granted) resolve({ allowed: true, retryAfterMs: 0 });
        else resolve({ allowed: false, retryAfterMs: retryAfterMs(r.tokens, rule) });
      };
      if (++takes % SWEEP_EVERY === 0) sweep(now);
      const state = keys.get(key);
      if (state !== undefined) {
        state.takes += 1;
        state.lastTake = now;
      }
      const queue = waiting.get(key);
      if (queue !== undefined) queue.push({ now, settle });
      else if (fromLease(state)) settle(LEASED, 0);
      else run(key, rule, [{ now, settle }]);
    });
}

/** The answer for a take served from a lease. */
const LEASED: BulkTake = { granted: 1, tokens: 0 };

/**
 * Puts a token back into a shared bucket (PostgreSQL's `rate_buckets`), up to its capacity; the
 * refill since its last take is left to that bucket's next take, which adds it.
 */
export function giveBackToShared(db: Kysely<LotseTables>) {
  return async (key: string, rule: RateRule): Promise<void> => {
    await db
      .updateTable('rate_buckets')
      .set((eb) => ({
        tokens: eb
          .case()
          .when(eb('tokens', '+', 1), '>', rule.capacity)
          .then(rule.capacity)
          .else(eb('tokens', '+', 1))
          .end(),
      }))
      .where('key', '=', key)
      .execute();
  };
}
