import { describe, expect, it } from 'vitest';
import { chooseAnswerThreshold, chooseThreshold, type Scored } from './calibration.js';
import {
  decodeHeldOut,
  encodeHeldOut,
  encodeHeldOutCoverage,
  tuneThresholds,
} from './tune-thresholds.js';

// 100 held-out in-scope questions: confidences 0.01 … 1.00, right when above 0.3, plus 20
// out-of-scope questions between 0.05 and 0.5.
const inScope: Scored[] = Array.from({ length: 100 }, (_, i) => ({
  confidence: (i + 1) / 100,
  correct: i + 1 > 30,
  outOfScope: false,
}));
const outOfScope: Scored[] = Array.from({ length: 20 }, (_, i) => ({
  confidence: 0.05 + i * 0.025,
  correct: false,
  outOfScope: true,
}));
const items = [...inScope, ...outOfScope];

describe('chooseThreshold', () => {
  it.each([
    // turn-away share → threshold: the correct answers are 0.31 … 1.00; 1 % of 100 in-scope
    // questions is one, so the least confident correct answer (0.31) is the only one lost.
    [0.01, 0.32],
    [0.02, 0.33],
    [0.05, 0.36],
    [0.1, 0.41],
    // At least one: a small budget still gives a threshold above the least confident answer.
    [0, 0.32],
  ])('turn-away %s → %s', (turnAway, threshold) => {
    expect(chooseThreshold(items, turnAway)).toBeCloseTo(threshold, 6);
  });

  it('turns away more out-of-scope questions for a larger share', () => {
    const caught = (t: number) => outOfScope.filter((o) => o.confidence < t).length;
    expect(caught(chooseThreshold(items, 0.1))).toBeGreaterThan(
      caught(chooseThreshold(items, 0.01)),
    );
  });

  it('gives no threshold with fewer than ten correct held-out answers', () => {
    expect(chooseThreshold(inScope.slice(95), 0.01)).toBe(0);
  });
});

describe('chooseAnswerThreshold', () => {
  it.each([
    // Every answer above 0.3 is right, so precision 0.9 holds from a cut of 0.24 on; the
    // lower bound (a coin toss) applies.
    [0.9, 0.5],
    [0.99, 0.5],
  ])('precision %s → %s when every answer above 0.3 is right', (precision, threshold) => {
    expect(chooseAnswerThreshold(items, precision)).toBeCloseTo(threshold, 6);
  });

  it('raises the threshold where confident answers are often wrong', () => {
    // Right only above 0.8, and every second one below it.
    const mixed = inScope.map((item, i) => ({
      ...item,
      correct: item.confidence > 0.8 || i % 2 === 0,
    }));
    const threshold = chooseAnswerThreshold(mixed, 0.9)!;
    expect(threshold).toBeGreaterThan(0.6);
    const above = mixed.filter((item) => item.confidence >= threshold);
    expect(above.filter((item) => item.correct).length / above.length).toBeGreaterThanOrEqual(0.9);
  });

  it('returns undefined with too few held-out questions', () => {
    expect(chooseAnswerThreshold(inScope.slice(0, 10), 0.9)).toBeUndefined();
  });
});

describe('tuneThresholds', () => {
  it('round-trips held-out results and re-targets without training', () => {
    const heldOut = encodeHeldOut(items);
    const decoded = decodeHeldOut(heldOut);
    expect(decoded).toHaveLength(items.length);
    decoded.forEach((item, i) => {
      expect(item.correct).toBe(items[i]!.correct);
      expect(item.outOfScope).toBe(items[i]!.outOfScope);
      expect(item.confidence).toBeCloseTo(items[i]!.confidence, 4);
    });
    const data = { heldOut, threshold: 0 };
    expect(tuneThresholds(data, { turnAway: 0.1 }).outOfScope).toBeCloseTo(0.41, 3);
    expect(tuneThresholds(data, { turnAway: 0.01 }).outOfScope).toBeCloseTo(0.32, 3);
  });

  it('chooses the out-of-scope threshold on the confidence weighed by the known share of words', () => {
    // The correct answers' coverage falls from 1 to 0.5 as their confidence rises, so weighing
    // reorders them: the 10 % turned away are others than without it.
    const covered = items.map((item, i) => ({ ...item, coverage: 1 - (i % 100) / 200 }));
    const heldOut = encodeHeldOut(covered);
    const heldOutCoverage = encodeHeldOutCoverage(covered);
    const decoded = decodeHeldOut(heldOut, heldOutCoverage);
    for (const [i, item] of decoded.entries())
      expect(item.coverage).toBeCloseTo(covered[i]!.coverage, 2);
    const weighed = covered
      .filter((item) => item.correct)
      .map((item) => item.confidence * item.coverage)
      .sort((a, b) => a - b);
    const data = { heldOut, heldOutCoverage, coveragePower: 1, threshold: 0.5 };
    expect(tuneThresholds(data, { turnAway: 0.1 }).outOfScope).toBeCloseTo(weighed[10]!, 2);
    expect(tuneThresholds({ heldOut, threshold: 0 }, { turnAway: 0.1 }).outOfScope).toBeCloseTo(
      0.41,
      3,
    );
    // Without the coverage (or with a damaged one) such a test cannot be tuned: the stored stays.
    expect(tuneThresholds({ ...data, heldOutCoverage: 'AAAA' }).outOfScope).toBe(0.5);
    expect(decodeHeldOut(heldOut, 'AAAA')[0]?.coverage).toBeUndefined();
  });

  it('keeps the stored thresholds when the model has no held-out data', () => {
    expect(tuneThresholds({ threshold: 0.2, answerThreshold: 0.6 })).toEqual({
      outOfScope: 0.2,
      answer: 0.6,
    });
  });
});
