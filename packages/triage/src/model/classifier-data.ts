import type { Lang } from '../text/lang.js';
import type { FeatureConfig } from './features.js';

/** Version of the `ClassifierData` layout; bumped when the format or feature extraction changes. */
export const CLASSIFIER_VERSION = 2;

/** One feature view of a serialised classifier: its vocabulary and pruned, quantised weights. */
export interface ClassifierView {
  /** Number of vocabulary entries. */
  size: number;
  /** Base64 varints: sorted hash buckets, delta-encoded. */
  buckets: string;
  /** Base64 bytes: inverse document frequency of each entry times `IDF_SCALE`. */
  idf: string;
  /** Base64 varints: how many class weights each entry keeps. */
  counts: string;
  /** Base64 varints: class indices of the kept weights, delta-encoded within each entry. */
  classes: string;
  /** Base64 signed bytes: kept weights divided by `scale`. */
  weights: string;
  /** IDF given to features never seen in training; they count in the norm, not the score. */
  unknownIdf: number;
  /** Quantisation step of `weights`. */
  scale: number;
  /** Bias per class. */
  bias: number[];
}

/** A trained classifier as plain JSON: what `trainClassifier` returns and `createClassifier` loads. */
export interface ClassifierData {
  format: 'lotse-classifier';
  version: number;
  /** Language of the texts, or `'auto'` to detect it per text with `defaultLang` as the hint. */
  lang: Lang | 'auto';
  defaultLang: Lang;
  labels: string[];
  features: FeatureConfig;
  /** Softmax temperature fitted on held-out data, so confidences are calibrated. */
  temperature: number;
  /** Calibrated confidence below which a text is out of scope. */
  threshold: number;
  /** Where the threshold came from, for people reading the model. */
  thresholdSource: 'valid' | 'cross-validation' | 'none';
  /**
   * Lowest calibrated confidence at which held-out questions were answered right often enough
   * (`answerPrecision`); absent when there was too little held-out data.
   */
  answerThreshold?: number;
  /**
   * Base64 little-endian uint16 per held-out question: confidence × 16383 shifted left by 2,
   * or'ed with 1 when answered correctly and 2 when out of scope. The evidence the thresholds
   * were chosen from, so that a site setting can move them without training again.
   */
  heldOut?: string;
  /** Base64 bytes, one per held-out question: its `coverage` share × 255. */
  heldOutCoverage?: string;
  views: ClassifierView[];
  /**
   * Normalised German words of the training texts: the lexicon that splits compounds and
   * particle verbs at scoring time (absent for English-only models).
   */
  lexicon?: string[];
  /** Function words per language that share one feature (absent: none). */
  functionWords?: Record<Lang, string[]>;
  /**
   * How much the share of a question's content words the model knows weighs in the out-of-scope
   * test: a question is out of scope when its confidence times that share to this power is below
   * `threshold` (see `COVERAGE_POWER`). Absent (0) in models built before, whose thresholds were
   * chosen without it.
   */
  coveragePower?: number;
}

/** IDF values are stored as bytes in steps of 1/IDF_SCALE (IDF ≤ 1 + ln(n + 1) < 255/IDF_SCALE). */
export const IDF_SCALE = 16;
