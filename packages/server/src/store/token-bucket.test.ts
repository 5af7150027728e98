import { describe, expect, it } from 'vitest';
import { type BulkTake, coalesceTakes } from './token-bucket.js';

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
});
