/** A held-out example's raw logits and what it really is (`gold` = -1 for out-of-scope). */
export interface HeldOut {
  logits: Float64Array;
  gold: number;
  /** Share of its content words the model knew (1 when absent). */
  coverage?: number;
}

// `calibrate` inlined for the gold label alone, with the same operations in the same order: the
// search below calls this 60 times per held-out item, and copying every item's logits to
// calibrate them all made a tenth of a knowledge base's classifier training.
function negativeLogLikelihood(items: HeldOut[], temperature: number): number {
  let total = 0;
  for (const { logits, gold } of items) {
    let max = Number.NEGATIVE_INFINITY;
    for (const z of logits) max = Math.max(max, z);
    let sum = 0;
    let goldExp = 0;
    for (let k = 0; k < logits.length; k++) {
      const e = Math.exp((logits[k]! - max) / temperature);
      if (k === gold) goldExp = e;
      sum += e;
    }
    total -= Math.log(Math.max(goldExp / sum, 1e-12));
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
  /** Share of the question's content words the model knew, smoothed (1 when absent). */
  coverage?: number;
}

/**
 * Default share of held-out in-scope questions that the out-of-scope threshold may turn away
 * although the classifier answers them correctly (they go to a person instead). A product
 * choice made on CLINC150's validation split, not its test split: at 2 % a person answers 2 of
 * 100 answerable questions, and about 77 % of the validation out-of-scope queries are caught
 * (in-scope accuracy 91.6 %, 2 points below the unthresholded classifier). The earlier fixed
 * 0.75 % caught too few questions about intents the model never saw.
 */
export const DEFAULT_TURN_AWAY = 0.02;

/**
 * Default precision of direct answers on held-out questions: the answer threshold is the lowest
 * confidence above which at least this share of held-out answers were right. Four in five: a
 * direct answer comes with alternatives and the person button, so an occasional miss costs one
 * click. On the demo shop's cross-validation this is a threshold of about 0.67 (0.9 would need
 * about 0.9 and answer fewer than one question in five).
 */
export const DEFAULT_ANSWER_PRECISION = 0.8;

/** Bounds of a calibrated answer threshold: never below a coin toss, never unreachable. */
const ANSWER_THRESHOLD_RANGE = [0.5, 0.9] as const;

/**
 * Chooses the out-of-scope threshold on held-out items: the highest confidence that turns
 * away at most `turnAway` of the in-scope items (counted among those answered correctly).
 * @example chooseThreshold(scored, 0.01) // rejects at most 1 % of the in-scope questions
 */
export function chooseThreshold(items: Scored[], turnAway = DEFAULT_TURN_AWAY): number {
  const inScope = items.filter((item) => !item.outOfScope).length;
  const correct = items
    .filter((item) => item.correct)
    .map((item) => item.confidence)
    .sort((a, b) => a - b);
  // Too little held-out data to estimate a quantile: rely on "no known feature" alone.
  if (correct.length < 10) return 0;
  // Small knowledge bases still get a threshold: the single least confident correct answer.
  const allowed = Math.max(1, Math.floor(inScope * turnAway));
  return correct[Math.min(allowed, correct.length - 1)]!;
}

/**
 * Chooses the answer threshold on held-out in-scope items: the lowest confidence such that the
 * items at or above it were answered correctly at least `precision` of the time, within 0.5..0.9.
 * Returns `undefined` when there are too few held-out items to tell.
 * @example chooseAnswerThreshold(scored, 0.9)
 */
export function chooseAnswerThreshold(
  items: Scored[],
  precision = DEFAULT_ANSWER_PRECISION,
): number | undefined {
  const inScope = items.filter((item) => !item.outOfScope);
  if (inScope.length < 20) return undefined;
  const sorted = [...inScope].sort((a, b) => b.confidence - a.confidence);
  const [low, high] = ANSWER_THRESHOLD_RANGE;
  let right = 0;
  let best: number = high;
  // Walk from the most confident down; the last cut that still meets the precision wins.
  sorted.forEach((item, i) => {
    if (item.correct) right++;
    const next = sorted[i + 1]?.confidence;
    // Cut only between distinct confidences, and only with enough items above the cut.
    if (next === item.confidence || i + 1 < 10) return;
    if (right / (i + 1) >= precision) best = item.confidence;
  });
  return Math.min(high, Math.max(low, best));
}
