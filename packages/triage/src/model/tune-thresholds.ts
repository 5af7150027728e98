import {
  chooseAnswerThreshold,
  chooseThreshold,
  DEFAULT_ANSWER_PRECISION,
  DEFAULT_TURN_AWAY,
  type Scored,
} from './calibration.js';
import type { ClassifierData } from './classifier-data.js';
import { decodeBase64, encodeBase64 } from './codec.js';

/** Targets the thresholds are chosen for, on the model's held-out questions. */
export interface ThresholdTargets {
  /** Share of held-out in-scope questions the out-of-scope threshold may turn away. @default 0.02 */
  turnAway?: number;
  /** Share of direct answers that must be right on held-out questions. @default 0.8 */
  answerPrecision?: number;
}

/** Thresholds chosen for the targets. */
export interface TunedThresholds {
  /** Calibrated confidence below which a question is out of scope. */
  outOfScope: number;
  /** Calibrated confidence needed to answer directly; `undefined` with too little held-out data. */
  answer: number | undefined;
}

const CONFIDENCE_STEPS = 16383;

/** Packs held-out results into `ClassifierData.heldOut`. */
export function encodeHeldOut(items: Scored[]): string {
  const bytes = new Uint8Array(items.length * 2);
  items.forEach((item, i) => {
    const value =
      (Math.round(Math.min(1, Math.max(0, item.confidence)) * CONFIDENCE_STEPS) << 2) |
      (item.correct ? 1 : 0) |
      (item.outOfScope ? 2 : 0);
    bytes[2 * i] = value & 255;
    bytes[2 * i + 1] = value >> 8;
  });
  return encodeBase64(bytes);
}

/** Packs held-out questions' coverage into `ClassifierData.heldOutCoverage`. */
export function encodeHeldOutCoverage(items: Scored[]): string {
  return encodeBase64(
    Uint8Array.from(items, (item) =>
      Math.round(Math.min(1, Math.max(0, item.coverage ?? 1)) * 255),
    ),
  );
}

/**
 * Unpacks `ClassifierData.heldOut` with its `heldOutCoverage`; an absent or malformed field
 * gives no items (no coverage: 1 each).
 */
export function decodeHeldOut(text: string | undefined, coverageText?: string): Scored[] {
  const bytes = text === undefined ? undefined : decodeBase64(text);
  if (bytes === undefined || bytes.length % 2 !== 0) return [];
  const coverage = coverageText === undefined ? undefined : decodeBase64(coverageText);
  const covered = coverage?.length === bytes.length / 2 ? coverage : undefined;
  const items: Scored[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    const value = bytes[i]! | (bytes[i + 1]! << 8);
    items.push({
      confidence: (value >> 2) / CONFIDENCE_STEPS,
      correct: (value & 1) === 1,
      outOfScope: (value & 2) === 2,
      ...(covered ? { coverage: covered[i / 2]! / 255 } : {}),
    });
  }
  return items;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * Chooses the out-of-scope and answer thresholds of a trained classifier for stated targets,
 * from the held-out questions stored in it (validation data or cross-validation).
 * @example
 * const { outOfScope } = tuneThresholds(data, { turnAway: 0.03 });
 * const stricter = { ...data, threshold: outOfScope };
 */
export function tuneThresholds(
  data: Pick<
    ClassifierData,
    'heldOut' | 'heldOutCoverage' | 'coveragePower' | 'threshold' | 'answerThreshold'
  >,
  targets: ThresholdTargets = {},
): TunedThresholds {
  const items = decodeHeldOut(data.heldOut, data.heldOutCoverage);
  if (items.length === 0) return { outOfScope: data.threshold, answer: data.answerThreshold };
  const answer = chooseAnswerThreshold(items, targets.answerPrecision ?? DEFAULT_ANSWER_PRECISION);
  // The out-of-scope test weighs in how much of the question the model knows; answering does not.
  // Without the held-out coverage such a test cannot be tuned again: the stored threshold stays.
  const power = data.coveragePower ?? 0;
  const outOfScope =
    power > 0 && items.some((item) => item.coverage === undefined)
      ? data.threshold
      : chooseThreshold(
          items.map((item) => ({
            ...item,
            confidence: item.confidence * (item.coverage ?? 1) ** power,
          })),
          targets.turnAway ?? DEFAULT_TURN_AWAY,
        );
  return {
    outOfScope: round4(outOfScope),
    answer: answer === undefined ? undefined : round4(answer),
  };
}
