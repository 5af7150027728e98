import { isLang, type Lang } from '../text/lang.js';
import { createGermanLexicon } from '../text/split-german-word.js';
import { CLASSIFIER_VERSION, type ClassifierData, IDF_SCALE } from './classifier-data.js';
import { decodeBase64, readVarints } from './codec.js';
import { extractFeatures, resolveLang, VIEW_COUNT } from './features.js';
import { ModelError } from './model-error.js';

/** One ranked label with its calibrated probability. */
export interface RankedLabel {
  label: string;
  score: number;
}

/** What `classify` returns: the best labels, the confidence and the out-of-scope verdict. */
export interface ClassifyResult {
  /** Up to five labels, best first, with calibrated probabilities in 0..1. */
  ranked: RankedLabel[];
  /** Calibrated probability of the best label (`ranked[0].score`, 0 when there are no labels). */
  confidence: number;
  /**
   * True when the text has no known feature, or when its confidence, weighed by the share of its
   * content words the model knows, is below the model's threshold.
   */
  outOfScope: boolean;
  /** How many content words (not function words such as "ich", "will", "the") the text has. */
  words?: number;
  /** The language the text was processed as. */
  lang: Lang;
}

/** A loaded classifier: synchronous, deterministic, never throws on any text. */
export interface Classifier {
  /** Ranks the labels for a text; `lang` fixes the language or hints detection. */
  classify(text: string, lang?: Lang): ClassifyResult;
  /** All labels the model knows, in model order. */
  readonly labels: readonly string[];
}

/**
 * Features never seen in training dilute the known ones (they count in the L2 norm at this
 * share of the rarest feature's IDF): a text made mostly of unknown words gets low confidence.
 * Neutral on CLINC150 accuracy; it makes small knowledge bases reject unrelated questions.
 */
const UNKNOWN_WEIGHT = 0.5;

/** How many ranked labels `classify` returns. */
const TOP_K = 5;

interface CompiledView {
  index: Map<number, number>;
  idf: Float32Array;
  offsets: Uint32Array;
  classes: Uint16Array;
  weights: Float32Array;
  bias: Float64Array;
  unknownIdf: number;
}

/** Raw (uncalibrated) scoring used by training and by `createClassifier`. */
export interface CompiledClassifier {
  data: ClassifierData;
  /**
   * Averaged logits over the views, how many known features the text had, and the share of its
   * content words the model knows, smoothed by one known word (1 without content words).
   */
  logits(
    text: string,
    hint?: Lang,
  ): { logits: Float64Array; known: number; coverage: number; words: number; lang: Lang };
}

const corrupt = (field: string, why: string): ModelError =>
  new ModelError(
    'model_corrupt',
    `Invalid classifier data: field "${field}" ${why}. Rebuild the model with the same engine version.`,
  );

function decodeVarints(value: unknown, count: number, field: string): Uint32Array {
  const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
  if (bytes === undefined) throw corrupt(field, 'is not a base64 string');
  const out = readVarints(bytes, count);
  if (out === undefined) throw corrupt(field, `does not hold ${count} varints`);
  return out;
}

function decodeBytes(value: unknown, count: number, field: string): Uint8Array {
  const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
  if (bytes === undefined) throw corrupt(field, 'is not a base64 string');
  if (bytes.length !== count)
    throw corrupt(field, `holds ${bytes.length} bytes, expected ${count}`);
  return bytes;
}

const isWords = (value: unknown): boolean =>
  Array.isArray(value) && value.every((w) => typeof w === 'string');

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function compileView(raw: unknown, at: number, classCount: number, bits: number): CompiledView {
  const field = `views[${at}]`;
  if (typeof raw !== 'object' || raw === null) throw corrupt(field, 'is not an object');
  const v = raw as Record<string, unknown>;
  const size = v.size;
  if (!Number.isInteger(size) || (size as number) < 0)
    throw corrupt(`${field}.size`, 'is not a count');
  const n = size as number;
  const deltas = decodeVarints(v.buckets, n, `${field}.buckets`);
  const idfBytes = decodeBytes(v.idf, n, `${field}.idf`);
  const counts = decodeVarints(v.counts, n, `${field}.counts`);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + counts[i]!;
  const total = offsets[n]!;
  const classDeltas = decodeVarints(v.classes, total, `${field}.classes`);
  const weightBytes = decodeBytes(v.weights, total, `${field}.weights`);
  if (!isFiniteNumber(v.scale) || v.scale <= 0) throw corrupt(`${field}.scale`, 'is not positive');
  if (!isFiniteNumber(v.unknownIdf) || v.unknownIdf < 0) {
    throw corrupt(`${field}.unknownIdf`, 'is not a non-negative number');
  }
  const bias = v.bias;
  if (!Array.isArray(bias) || bias.length !== classCount || !bias.every(isFiniteNumber)) {
    throw corrupt(`${field}.bias`, `is not ${classCount} numbers`);
  }
  const index = new Map<number, number>();
  const idf = new Float32Array(n);
  let bucket = 0;
  for (let i = 0; i < n; i++) {
    bucket += deltas[i]!;
    if (bucket >= 2 ** bits || (i > 0 && deltas[i] === 0))
      throw corrupt(`${field}.buckets`, 'is not sorted within the hash space');
    index.set(bucket, i);
    idf[i] = idfBytes[i]! / IDF_SCALE;
  }
  const classes = new Uint16Array(total);
  const weights = new Float32Array(total);
  const signed = new Int8Array(weightBytes.buffer, weightBytes.byteOffset, weightBytes.length);
  for (let i = 0; i < n; i++) {
    let label = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      label += classDeltas[p]!;
      if (label >= classCount)
        throw corrupt(`${field}.classes`, 'names a class that does not exist');
      classes[p] = label;
      weights[p] = signed[p]! * v.scale;
    }
  }
  return {
    index,
    idf,
    offsets,
    classes,
    weights,
    bias: Float64Array.from(bias as number[]),
    unknownIdf: v.unknownIdf * UNKNOWN_WEIGHT,
  };
}

function validate(data: unknown): ClassifierData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw corrupt('(root)', 'is not an object');
  }
  const d = data as Record<string, unknown>;
  if (d.format !== 'lotse-classifier') throw corrupt('format', 'is not "lotse-classifier"');
  if (d.version !== CLASSIFIER_VERSION) {
    throw new ModelError(
      'model_version',
      `Classifier data has version ${String(d.version)}, this engine reads version ${CLASSIFIER_VERSION}. Rebuild the model.`,
    );
  }
  if (d.lang !== 'auto' && !isLang(d.lang)) throw corrupt('lang', 'is not "de", "en" or "auto"');
  if (!isLang(d.defaultLang)) throw corrupt('defaultLang', 'is not "de" or "en"');
  const labels = d.labels;
  if (
    !Array.isArray(labels) ||
    !labels.every((l) => typeof l === 'string') ||
    labels.length > 65535
  ) {
    throw corrupt('labels', 'is not a list of strings');
  }
  if (new Set(labels).size !== labels.length) throw corrupt('labels', 'has duplicates');
  const f = d.features as Record<string, unknown> | null | undefined;
  if (
    typeof f !== 'object' ||
    f === null ||
    !Number.isInteger(f.bits) ||
    (f.bits as number) < 8 ||
    (f.bits as number) > 30 ||
    !Number.isInteger(f.charMin) ||
    !Number.isInteger(f.charMax) ||
    (f.charMin as number) < 1 ||
    (f.charMax as number) > 8
  ) {
    throw corrupt('features', 'is not { bits: 8..30, charMin: 1.., charMax: ..8 }');
  }
  if (!isFiniteNumber(d.temperature) || d.temperature <= 0)
    throw corrupt('temperature', 'is not positive');
  if (!isFiniteNumber(d.threshold) || d.threshold < 0 || d.threshold > 1)
    throw corrupt('threshold', 'is not in 0..1');
  if (!Array.isArray(d.views) || d.views.length !== VIEW_COUNT)
    throw corrupt('views', `is not ${VIEW_COUNT} views`);
  if (d.lexicon !== undefined && !isWords(d.lexicon))
    throw corrupt('lexicon', 'is not a list of words');
  const power = d.coveragePower ?? 0;
  if (!isFiniteNumber(power) || power < 0)
    throw corrupt('coveragePower', 'is not a non-negative number');
  const words = d.functionWords as { de?: unknown; en?: unknown } | null | undefined;
  if (words !== undefined && !(isWords(words?.de) && isWords(words?.en)))
    throw corrupt('functionWords', 'is not { de: words, en: words }');
  return data as ClassifierData;
}

/** Validates classifier data and prepares it for scoring; throws `ModelError` naming the bad field. */
export function compileClassifier(data: unknown): CompiledClassifier {
  const valid = validate(data);
  const classCount = valid.labels.length;
  const views = valid.views.map((v, i) => compileView(v, i, classCount, valid.features.bits));
  const lexicon = valid.lexicon === undefined ? undefined : createGermanLexicon(valid.lexicon);
  const functionWords =
    valid.functionWords === undefined
      ? undefined
      : { de: new Set(valid.functionWords.de), en: new Set(valid.functionWords.en) };
  return {
    data: valid,
    logits(text, hint) {
      const lang = resolveLang(text, valid.lang, hint ?? valid.defaultLang);
      const counts = extractFeatures(text, lang, valid.features, { lexicon, functionWords });
      const words = counts[0]!.words ?? [];
      const knownWords = words.filter((own) => own.some((b) => views[0]!.index.has(b))).length;
      // One word counts as known beforehand, so a question of one new word ("Retoure") keeps
      // half its confidence rather than none.
      const coverage = (knownWords + 1) / (words.length + 1);
      const logits = new Float64Array(classCount);
      let known = 0;
      views.forEach((view, v) => {
        const found: number[] = [];
        const values: number[] = [];
        const features = counts[v]!;
        let norm = 0;
        for (let i = 0; i < features.buckets.length; i++) {
          const at = view.index.get(features.buckets[i]!);
          const tf = 1 + Math.log(features.counts[i]!);
          if (at === undefined) {
            norm += (tf * view.unknownIdf) ** 2;
            continue;
          }
          const value = tf * view.idf[at]!;
          norm += value * value;
          found.push(at);
          values.push(value);
        }
        known += found.length;
        const scale = norm > 0 ? 1 / Math.sqrt(norm) / views.length : 0;
        for (let k = 0; k < classCount; k++) logits[k]! += view.bias[k]! / views.length;
        for (let i = 0; i < found.length; i++) {
          const at = found[i]!;
          const value = values[i]! * scale;
          for (let p = view.offsets[at]!; p < view.offsets[at + 1]!; p++) {
            logits[view.classes[p]!]! += value * view.weights[p]!;
          }
        }
      });
      return { logits, known, coverage, words: words.length, lang };
    },
  };
}

/** Turns averaged logits into calibrated probabilities in place. */
export function calibrate(logits: Float64Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const z of logits) max = Math.max(max, z);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp((logits[k]! - max) / temperature);
    logits[k] = e;
    sum += e;
  }
  for (let k = 0; k < logits.length; k++) logits[k]! /= sum;
  return logits;
}

/**
 * Loads classifier data (from `trainClassifier`, possibly through JSON) for scoring;
 * throws a `ModelError` naming the field when the data is corrupt or of another version.
 * @example
 * const classifier = createClassifier(JSON.parse(modelJson));
 * classifier.classify('Wo ist mein Paket?').ranked[0]?.label;
 */
export function createClassifier(data: unknown): Classifier {
  const compiled = compileClassifier(data);
  const { labels, temperature, threshold, coveragePower: power = 0 } = compiled.data;
  return {
    labels,
    classify(text, lang) {
      const {
        logits,
        known,
        coverage,
        words,
        lang: used,
      } = compiled.logits(typeof text === 'string' ? text : '', lang);
      const probs = calibrate(logits, temperature);
      const ranked: RankedLabel[] = [];
      for (let k = 0; k < probs.length; k++) {
        const score = probs[k]!;
        if (ranked.length === TOP_K && score <= ranked[TOP_K - 1]!.score) continue;
        let at = ranked.length;
        while (at > 0 && ranked[at - 1]!.score < score) at--;
        ranked.splice(at, 0, { label: labels[k]!, score });
        if (ranked.length > TOP_K) ranked.pop();
      }
      const confidence = ranked[0]?.score ?? 0;
      // A question the model knows only some words of may be about something else entirely.
      const outOfScope = known === 0 || confidence * coverage ** power < threshold;
      return { ranked, confidence, outOfScope, words, lang: used };
    },
  };
}
