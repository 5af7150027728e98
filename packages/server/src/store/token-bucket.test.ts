import { describe, expect, it } from 'vitest';
import type { RateRule } from './store.js';
import { type BucketState, type BulkTake, coalesceTakes, takeFromBucket } from './token-bucket.js';

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

    it('takes ahead what its rate since the last statement needs for 100 ms, up to a sixteenth', async () => {
      const bucket = countingBucket(100_000);
      const takeToken = coalesceTakes(bucket.take);
      await takeToken('site:busy', large, 0);
      await handedOn();
      // One take 10 ms later: 10 in 100 ms, so 10 ahead, which serve the next ten.
      await takeToken('site:busy', large, 10);
      expect(bucket.counts).toEqual([1, 1 + 10]);
      await handedOn();
      expect(allowed(await burst(takeToken, large, 10, 11))).toBe(10);
      expect(bucket.counts).toHaveLength(2);
      // Eleven takes in 1 ms since: 1 100 in 100 ms, capped at a sixteenth of 1 600.
      await takeToken('site:busy', large, 11);
      expect(bucket.counts).toEqual([1, 11, 1 + 100]);
    });

    it('keeps the tokens of a key that takes now and then, forgets an idle one', async () => {
      const bucket = countingBucket(100_000);
      const takeToken = coalesceTakes(bucket.take);
      await takeToken('site:slow', large, 0);
      await handedOn();
      await takeToken('site:idle', large, 0);
      await handedOn();
      // Ten takes in 1 ms take 100 ahead; then one take every 5 s for 5 minutes, while 10 000
      // takes of one-off keys each minute sweep the idle ones: the key needs no statement.
      for (const key of ['site:slow', 'site:idle']) {
        await Promise.all(Array.from({ length: 10 }, () => takeToken(key, large, 1)));
        await handedOn();
      }
      const statements = bucket.counts.length;
      for (let now = 5_000; now <= 300_000; now += 5_000) {
        expect(await takeToken('site:slow', large, now)).toEqual({
          allowed: true,
          retryAfterMs: 0,
        });
        if (now % 60_000 === 0) {
          const oneOff = { capacity: 64, refillPerSecond: 1 };
          for (let i = 0; i < 10_000; i++) await takeToken(`client:${now}-${i}`, oneOff, now);
        }
      }
      expect(bucket.counts.filter((_, i) => i >= statements).every((count) => count === 1)).toBe(
        true,
      );
      expect(bucket.counts.slice(statements)).toHaveLength(50_000);
      // A key without a take for a minute was forgotten with what it held.
      await takeToken('site:idle', large, 300_001);
      expect(bucket.counts.slice(statements)).toHaveLength(50_001);
    });

    it('takes none ahead for a take whose clock went back', async () => {
      const bucket = countingBucket(100_000);
      const takeToken = coalesceTakes(bucket.take);
      await takeToken('site:busy', large, 100);
      await handedOn();
      await takeToken('site:busy', large, 50);
      expect(bucket.counts).toEqual([1, 1]);
    });

    it('keeps what it took ahead for the takes that follow, however much later', async () => {
      const bucket = countingBucket(50);
      const takeToken = coalesceTakes(bucket.take);
      await takeToken('site:busy', large, 0);
      await handedOn();
      // At 1 ms it asks 100 ahead and gets the bucket's last 48 (49 with its own take).
      await takeToken('site:busy', large, 1);
      await handedOn();
      expect(bucket.counts).toEqual([1, 1 + 100]);
      expect(allowed(await burst(takeToken, large, 30, 5_000))).toBe(30);
      await handedOn();
      expect(allowed(await burst(takeToken, large, 30, 90_000))).toBe(18);
      expect(bucket.granted()).toBe(50);
    });

    it.each([
      ['3 at once every 100 ms', 3, 100],
      ['40 at once every 50 ms', 40, 50],
      ['100 at once every 150 ms', 100, 150],
    ])('does not drain a bucket with bursts (%s)', async (_name, size, every) => {
      // The default site rule and a refilling bucket: after the bursts it is as full as a bucket
      // that took each token when asked.
      const rule = { capacity: 2000, refillPerSecond: 1000 };
      const shared = refillingBucket(rule);
      const exact = refillingBucket(rule);
      const takeToken = coalesceTakes(shared.take);
      for (let now = 0; now < 20_000; now += every) {
        await burst(takeToken, rule, size, now);
        await exact.take('site:busy', rule, now, size);
      }
      await handedOn();
      const after = allowed(await burst(takeToken, rule, 1500, 20_000));
      expect(after).toBe((await exact.take('site:busy', rule, 20_000, 1500)).granted);
    });

    it('hands out no token the shared bucket did not grant, whatever the times and failures', async () => {
      // A refilling bucket behind the statements, takes at random times (sometimes earlier than
      // the last), and statements that fail now and then.
      const rule = { capacity: 400, refillPerSecond: 200 };
      const shared = refillingBucket(rule);
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const takeToken = coalesceTakes((key, r, now, count) => {
        if (random() < 0.05) throw new Error('connection lost');
        return shared.take(key, r, now, count);
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
      expect(given).toBeLessThanOrEqual(shared.granted());
    });

    it('needs few statements for a steadily busy key', async () => {
      const bucket = countingBucket(100_000);
      const takeToken = coalesceTakes(bucket.take);
      // One take a millisecond for a second, each waiting for the one before.
      for (let now = 0; now < 1000; now += 1) await takeToken('site:busy', large, now);
      expect(bucket.granted()).toBeGreaterThanOrEqual(1000);
      expect(bucket.counts.length).toBeLessThan(30);
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

/** A shared bucket that refills, answering at once: `takeFromBucket` for each of `count` takes. */
function refillingBucket(rule: RateRule) {
  let state: BucketState | undefined;
  let granted = 0;
  const take = async (_key: string, _rule: RateRule, now: number, count: number) => {
    let g = 0;
    for (let i = 0; i < count; i++) {
      const taken = takeFromBucket(state, rule, now);
      state = taken.state;
      if (taken.result.allowed) g += 1;
    }
    granted += g;
    return { granted: g, tokens: state?.tokens ?? rule.capacity };
  };
  return { take, granted: () => granted };
}
