import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHostMessage } from './is-host-message.js';
import { MAX_TRAITS, mergeTraits } from './merge-traits.js';

describe('mergeTraits', () => {
  it('drops a bad trait and keeps the good ones, so later identify calls still reach the panel', () => {
    let traits = mergeTraits(undefined, {
      userId: 'u-1',
      cart: { items: 3 },
      note: 'x'.repeat(501),
      score: Number.NaN,
      [`k${'x'.repeat(64)}`]: 1,
    });
    expect(traits).toEqual({ userId: 'u-1' });
    traits = mergeTraits(traits, { plan: 'pro', vip: true });
    expect(traits).toEqual({ userId: 'u-1', plan: 'pro', vip: true });
    expect(isHostMessage({ lotse: 1, type: 'identify', traits })).toBe(true);
  });

  it('lets later values win and keeps at most MAX_TRAITS names', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`t${i}`, i]));
    const traits = mergeTraits({ t0: 'old' }, many);
    expect(Object.keys(traits)).toHaveLength(MAX_TRAITS);
    expect(traits.t0).toBe(0);
    expect(mergeTraits(traits, { t1: 'new' }).t1).toBe('new');
  });

  it('keeps __proto__ a plain key', () => {
    const traits = mergeTraits(undefined, JSON.parse('{"__proto__": "x", "a": 1}'));
    expect(Object.getPrototypeOf(traits)).toBe(Object.prototype);
    expect(Object.keys(traits).sort()).toEqual(['__proto__', 'a']);
  });

  it('only ever yields traits the panel guard accepts', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.anything())), (calls) => {
        let traits: ReturnType<typeof mergeTraits> | undefined;
        for (const next of calls) traits = mergeTraits(traits, next);
        return isHostMessage({ lotse: 1, type: 'identify', traits: traits ?? {} });
      }),
    );
  });
});
