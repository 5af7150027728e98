import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isHostMessage } from './is-host-message.js';
import { identifyTraits, MAX_TRAITS, mergeTraits } from './merge-traits.js';

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

describe('identifyTraits', () => {
  it('starts afresh for another user: nothing of the one before carries over', () => {
    const warn = vi.fn();
    const first = identifyTraits(undefined, { userId: 'u-1', signature: 's1', plan: 'pro' }, warn);
    expect(identifyTraits(first, { vip: true }, warn)).toEqual({
      userId: 'u-1',
      signature: 's1',
      plan: 'pro',
      vip: true,
    });
    expect(identifyTraits(first, { userId: 'u-1', email: 'eva@example.com' }, warn)).toMatchObject({
      signature: 's1',
    });
    expect(identifyTraits(first, { userId: 'u-2' }, warn)).toEqual({ userId: 'u-2' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('names a userId the SDK would refuse, without its value, and signs the visitor out', () => {
    const warn = vi.fn();
    const before = identifyTraits(undefined, { userId: 'u-1', signature: 's1' }, warn);
    for (const userId of ['kunde@beispiel.de', 'Eva Muster', '', 42]) {
      expect(identifyTraits(before, { userId, signature: 'x' }, warn)).toBeUndefined();
    }
    expect(warn).toHaveBeenCalledTimes(4);
    const [message] = warn.mock.calls[0] as [string];
    expect(message).toBe(
      '[lotse] identify: userId (a string) is not valid: use an opaque id (letters, digits and . _ : -, at most 128), never an e-mail address or a name; the visitor is signed out.',
    );
    expect(warn.mock.calls.flat().join(' ')).not.toContain('beispiel');
  });
});
