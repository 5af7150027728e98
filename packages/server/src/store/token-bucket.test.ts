import { describe, expect, it } from 'vitest';
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

    it('takes as many ahead as the rate since the last statement needs, up to a sixteenth', async () => {
      const bucket = slowBucket(1600);
      const takeToken = coalesceTakes(bucket.take);
      const first = takeToken('site:busy', large, 0);
      // Four more arrive within the statement's millisecond: 4 per ms, 400 in 100 ms, capped at 100.
      const joined = [1, 1, 1, 1].map((now) => takeToken('site:busy', large, now));
      await expect.poll(() => bucket.calls.length).toBe(1);
      bucket.release();
      await first;
      await expect.poll(() => bucket.calls.length).toBe(2);
      expect(bucket.calls[1]).toEqual({ key: 'site:busy', now: 1, count: 4 + 100 });
      bucket.release();
      await Promise.all(joined);
      // The next hundred within 100 ms need no statement; the one after them does.
      const served = await Promise.all(
        Array.from({ length: 100 }, (_, i) => takeToken('site:busy', large, 2 + i / 2)),
      );
      expect(served.every((r) => r.allowed)).toBe(true);
      expect(bucket.calls).toHaveLength(2);
      const after = takeToken('site:busy', large, 60);
      await expect.poll(() => bucket.calls.length).toBe(3);
      bucket.release();
      expect(await after).toEqual({ allowed: true, retryAfterMs: 0 });
    });

    it('drops what is left when the lease ends, so the bucket is never overdrawn', async () => {
      const bucket = countingBucket(1600);
      const takeToken = coalesceTakes(bucket.take, { leaseMs: 100 });
      let allowed = 0;
      // Bursts of 20 at once, 150 ms apart: each burst after the first takes ahead, and each
      // lease has ended before the next burst comes.
      for (let burst = 0; burst < 10; burst += 1) {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => takeToken('site:busy', large, burst * 150)),
        );
        allowed += results.filter((r) => r.allowed).length;
      }
      expect(allowed).toBe(200);
      expect(bucket.granted()).toBeGreaterThan(allowed);
      expect(bucket.counts.some((count) => count > 20)).toBe(true);
    });

    it('hands out no token the shared bucket did not grant, in any order of takes', async () => {
      // A real bucket behind the statements (refilling), and takes at random times.
      const rule = { capacity: 400, refillPerSecond: 200 };
      let state: BucketState | undefined;
      let granted = 0;
      let statements = 0;
      const takeToken = coalesceTakes(async (_key, r, now, count) => {
        statements += 1;
        const elapsed = state === undefined ? 0 : Math.max(0, now - state.updatedAt);
        const available = Math.min(
          r.capacity,
          state === undefined ? r.capacity : state.tokens + (elapsed * r.refillPerSecond) / 1000,
        );
        const g = Math.min(count, Math.floor(available));
        state = { tokens: available - g, updatedAt: Math.max(state?.updatedAt ?? now, now) };
        granted += g;
        return { granted: g, tokens: state.tokens };
      });
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      let now = 0;
      let allowed = 0;
      let takes = 0;
      for (let round = 0; round < 300; round += 1) {
        now += Math.floor(random() * 20);
        const n = 1 + Math.floor(random() * 12);
        takes += n;
        const results = await Promise.all(
          Array.from({ length: n }, () => takeToken('site:busy', rule, now)),
        );
        allowed += results.filter((r) => r.allowed).length;
      }
      expect(allowed).toBeLessThanOrEqual(granted);
      // The bucket's own bound over the whole run: its capacity and what it refilled.
      expect(allowed).toBeLessThanOrEqual(rule.capacity + (now * rule.refillPerSecond) / 1000);
      expect(statements).toBeLessThan(takes / 2);
    });

    it('never takes ahead from a bucket of fewer than 64 tokens', async () => {
      const bucket = countingBucket(1000);
      const small = { capacity: 63, refillPerSecond: 0 };
      const takeToken = coalesceTakes(bucket.take);
      for (let burst = 0; burst < 5; burst += 1) {
        await Promise.all(Array.from({ length: 10 }, () => takeToken('client:a', small, burst)));
      }
      expect(bucket.counts.reduce((a, b) => a + b, 0)).toBe(50);
    });
  });
});
