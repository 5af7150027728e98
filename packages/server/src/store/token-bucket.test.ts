import { describe, expect, it } from 'vitest';
import type { RateRule } from './store.js';
import { type BucketState, type BulkTake, coalesceTakes } from './token-bucket.js';

const rule = { capacity: 3, refillPerSecond: 1 };

/** A shared bucket of `tokens` behind a statement that answers when `release` is called. */
function slowBucket(tokens: number) {
  const calls: { key: string; now: number; count: number }[] = [];
  const pending: (() => void)[] = [];
  let left = tokens;
  const take = (key: string, _rule: unknown, now: number, count: number) =>
    new Promise<BulkTake>((resolve) => {
      calls.push({ key, now, count });
      pending.push(() => {
        const granted = Math.min(count, Math.floor(left));
        left -= granted;
        resolve({ granted, tokens: left });
      });
    });
  const release = () => pending.shift()?.();
  return { take, calls, release };
}

describe('coalesceTakes', () => {
  it('joins the takes of a key that arrive while its statement runs, in arrival order', async () => {
    const bucket = slowBucket(3);
    const takeToken = coalesceTakes(bucket.take);
    const results = [1, 2, 3, 4, 5].map((now) => takeToken('site:demo', rule, now));
    await expect.poll(() => bucket.calls.length).toBe(1);
    expect(bucket.calls).toEqual([{ key: 'site:demo', now: 1, count: 1 }]);
    bucket.release();
    await expect.poll(() => bucket.calls.length).toBe(2);
    // The four that waited go together, at the latest of their times.
    expect(bucket.calls[1]).toEqual({ key: 'site:demo', now: 5, count: 4 });
    bucket.release();
    expect(await Promise.all(results)).toEqual([
      { allowed: true, retryAfterMs: 0 },
      { allowed: true, retryAfterMs: 0 },
      { allowed: true, retryAfterMs: 0 },
      { allowed: false, retryAfterMs: 1000 },
      { allowed: false, retryAfterMs: 1000 },
    ]);
  });

  it('runs other keys beside it and starts afresh once a key is idle', async () => {
    const bucket = slowBucket(10);
    const takeToken = coalesceTakes(bucket.take);
    const a = takeToken('client:a', rule, 1);
    const b = takeToken('client:b', rule, 1);
    await expect.poll(() => bucket.calls.length).toBe(2);
    expect(bucket.calls.map((c) => c.key)).toEqual(['client:a', 'client:b']);
    bucket.release();
    bucket.release();
    await Promise.all([a, b]);
    const again = takeToken('client:a', rule, 2);
    await expect.poll(() => bucket.calls.length).toBe(3);
    bucket.release();
    expect(await again).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('rejects every take of a failed statement and goes on with the next', async () => {
    let fail = true;
    const takeToken = coalesceTakes(async () => {
      if (fail) {
        fail = false;
        throw new Error('connection lost');
      }
      return { granted: 1, tokens: 0 };
    });
    await expect(takeToken('site:demo', rule, 1)).rejects.toThrow('connection lost');
    expect(await takeToken('site:demo', rule, 2)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('settles the takes queued behind a failed statement with the next one', async () => {
    let statements = 0;
    const takeToken = coalesceTakes((_key, _rule, _now, count) => {
      // The first throws before it returns a promise.
      if (++statements === 1) throw new Error('bad parameter');
      return Promise.resolve({ granted: count, tokens: 0 });
    });
    const first = takeToken('site:demo', rule, 1);
    const queued = [takeToken('site:demo', rule, 2), takeToken('site:demo', rule, 3)];
    await expect(first).rejects.toThrow('bad parameter');
    expect(await Promise.all(queued)).toEqual([
      { allowed: true, retryAfterMs: 0 },
      { allowed: true, retryAfterMs: 0 },
    ]);
    expect(statements).toBe(2);
  });

  describe('taking ahead from a busy bucket', () => {
    // A sixteenth of 1 600 tokens: at most 100 taken ahead.
    const large = { capacity: 1600, refillPerSecond: 0 };

    /** A shared bucket without refill that answers at once, counting its statements. */
    function countingBucket(tokens: number) {
      const counts: number[] = [];
      let left = tokens;
      let granted = 0;
      const take = async (_key: string, _rule: unknown, _now: number, count: number) => {
        counts.push(count);
        const g = Math.min(count, left);
        left -= g;
        granted += g;
        return { granted: g, tokens: left };
      };
      return { take, counts, granted: () => granted };
    }

    /** `n` takes of one key at the same time, all before any statement answers. */
    const burst = (
      takeToken: ReturnType<typeof coalesceTakes>,
      rule: typeof large,
      n: number,
      now: number,
    ) => Promise.all(Array.from({ length: n }, () => takeToken('site:busy', rule, now)));
    const allowed = (results: { allowed: boolean }[]) => results.filter((r) => r.allowed).length;
    // A statement hands its key on once its takes are settled: let those microtasks run first, so
    // that the next takes meet the lease rather than the statement's queue.
    const handedOn = () => new Promise((resolve) => setImmediate(resolve));

    it('takes ahead what the takes seen need, extrapolating a lease used up, up to a sixteenth', async () => {
      const bucket = countingBucket(100_000);
      const takeToken = coalesceTakes(bucket.take);
      await takeToken('site:busy', large, 0);
      await handedOn();
      // Ten at once: the first takes 1 ahead (one take seen), which serves the second; the other
      // eight used that lease up within its time: 9 takes in under 1 ms, 900 in 100 ms, capped.
      await burst(takeToken, large, 10, 1);
      expect(bucket.counts).toEqual([1, 1 + 1, 8 + 100]);
      await handedOn();
      // The next hundred within 100 ms need no statement; the one after them does.
      expect(allowed(await burst(takeToken, large, 100, 2))).toBe(100);
      expect(bucket.counts).toHaveLength(3);
      await takeToken('site:busy', large, 3);
      expect(bucket.counts).toHaveLength(4);
    });

    it('drops what a lease leaves when its time ends, so the bucket is never overdrawn', async () => {
      const bucket = countingBucket(110);
      const takeToken = coalesceTakes(bucket.take, { leaseMs: 100 });
      await takeToken('site:busy', large, 0);
      await handedOn();
      // As above: the third statement asks 108 and gets the last 107, 99 of them ahead, until 101.
      expect(allowed(await burst(takeToken, large, 10, 1))).toBe(10);
      await handedOn();
      expect(allowed(await burst(takeToken, large, 5, 50))).toBe(5);
      expect(bucket.counts).toHaveLength(3);
      // At 101 the lease has ended: its 94 tokens are gone and the empty bucket says no.
      expect(await takeToken('site:busy', large, 101)).toMatchObject({ allowed: false });
      expect(bucket.counts).toHaveLength(4);
      expect(bucket.granted()).toBe(110);
    });

    it('does not drain a bucket with short bursts that a lease would outlast', async () => {
      // The default site rule, a refilling bucket, and three takes at once every 100 ms: what a
      // lease leaves unused after a burst must not add up to an empty bucket.
      const rule = { capacity: 2000, refillPerSecond: 1000 };
      let state: BucketState | undefined;
      const takeToken = coalesceTakes(async (_key, r, now, count) => {
        const { state: next, granted } = bulkTake(state, r, now, count);
        state = next;
        return { granted, tokens: next.tokens };
      });
      for (let now = 0; now < 10_000; now += 100) await burst(takeToken, rule, 3, now);
      expect(allowed(await burst(takeToken, rule, 1500, 10_000))).toBe(1500);
    });

    it('hands out no token the shared bucket did not grant, whatever the times and failures', async () => {
      // A refilling bucket behind the statements, takes at random times (sometimes earlier than
      // the last), and statements that fail now and then.
      const rule = { capacity: 400, refillPerSecond: 200 };
      let state: BucketState | undefined;
      let granted = 0;
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const takeToken = coalesceTakes(async (_key, r, now, count) => {
        if (random() < 0.05) throw new Error('connection lost');
        const { state: next, granted: g } = bulkTake(state, r, now, count);
        state = next;
        granted += g;
        return { granted: g, tokens: next.tokens };
      });
      let now = 0;
      let given = 0;
      for (let round = 0; round < 400; round += 1) {
        now += Math.floor(random() * 40) - 5;
        const results = await Promise.allSettled(
          Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
            takeToken('site:busy', rule, now + Math.floor(random() * 3)),
          ),
        );
        given += results.filter((r) => r.status === 'fulfilled' && r.value.allowed).length;
      }
      expect(given).toBeGreaterThan(0);
      expect(given).toBeLessThanOrEqual(granted);
    });

    it('takes ahead from a bucket of 64 tokens, never from one of 63', async () => {
      for (const [capacity, ahead] of [
        [64, true],
        [63, false],
      ] as const) {
        const bucket = countingBucket(10_000);
        const takeToken = coalesceTakes(bucket.take);
        const rule = { capacity, refillPerSecond: 0 };
        let takes = 0;
        for (let now = 0; now < 5; now += 1)
          takes += (await burst(takeToken, rule, 10, now)).length;
        const asked = bucket.counts.reduce((a, b) => a + b, 0);
        expect(asked > takes).toBe(ahead);
      }
    });
  });
});

/** What one statement of the shared bucket does: `takeFromBucket`'s arithmetic for `count` takes. */
function bulkTake(state: BucketState | undefined, rule: RateRule, now: number, count: number) {
  const elapsed = state === undefined ? 0 : Math.max(0, now - state.updatedAt);
  const available = Math.min(
    rule.capacity,
    state === undefined ? rule.capacity : state.tokens + (elapsed * rule.refillPerSecond) / 1000,
  );
  const granted = Math.min(count, Math.floor(available));
  const updatedAt = Math.max(state?.updatedAt ?? now, now);
  return { state: { tokens: available - granted, updatedAt }, granted };
}
