import { calibrate } from './create-classifier.js';

/** A held-out example's raw logits and what it really is (`gold` = -1 for out-of-scope). */
export interface HeldOut {
  logits: Float64Array;
  gold: number;
}

function negativeLogLikelihood(items: HeldOut[], temperature: number): number {
  let total = 0;
  for (const item of items) {
    const probs = calibrate(Float64Array.from(item.logits), temperature);
    total -= Math.log(Math.max(probs[item.gold]!, 1e-12));
  }
  return total;
}

/**
 * Fits the softmax temperature minimising the negative log-likelihood of held-out in-scope
 * items (temperature scaling, Guo et al. 2017), by golden-section search on log T.
 */
export function fitTemperature(items: HeldOut[]): number {
  const inScope = items.filter((item) => item.gold >= 0);
  if (inScope.length < 5) return 1;
  let lo = Math.log(0.02);
  let hi = Math.log(5);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 30; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (negativeLogLikelihood(inScope, Math.exp(a)) < negativeLogLikelihood(inScope, Math.exp(b)))
      hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** Calibrated confidence of the best label and whether that label is the gold one. */
export interface Scored {
  confidence: number;
  correct: boolean;
  outOfScope: boolean;
}

/**
 * Share of held-out in-scope questions that the out-of-scope threshold may turn away although
 * the classifier answers them correctly. A product budget ("lose at most 1 point of correct
 * answers"); on CLINC150 it rejects about 60 % of out-of-scope queries. Validation
 * out-of-scope items are not used to pick it: they are few and (on CLINC150) easier than
 * real ones, so maximising accuracy on them under-rejects.
 */
export const REJECT_CORRECT_SHARE = 0.0075;

/**
 * Chooses the out-of-scope threshold on held-out items: the highest confidence that turns
 * away at most `REJECT_CORRECT_SHARE` of the in-scope items that were answered correctly.
 */
export function chooseThreshold(items: Scored[]): number {
  const inScope = items.filter((item) => !item.outOfScope).length;
  const correct = items
    .filter((item) => item.correct)
    .map((item) => item.confidence)
    .sort((a, b) => a - b);
  // Small knowledge bases still get a threshold: the single least confident correct answer.
  const allowed = Math.max(1, Math.floor(inScope * REJECT_CORRECT_SHARE));
  // Too little held-out data to estimate a quantile: rely on "no known feature" alone.
  if (correct.length < 10) return 0;
  return correct[allowed]!;
}
