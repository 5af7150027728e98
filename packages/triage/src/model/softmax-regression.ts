import { createRandom } from './hash.js';
import type { SparseRows } from './sparse.js';

/** Hyper-parameters of the multinomial logistic regression. */
export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/** Weights of a linear softmax model: feature-major `weights[f * classes + c]`. */
export interface SoftmaxModel {
  classes: number;
  weights: Float32Array;
  bias: Float32Array;
}

// Classes whose gradient is smaller than this are skipped: the update is noise, and skipping
// makes an epoch about 3x faster on CLINC150 with slightly better accuracy.
const SKIP_GRADIENT = 1e-3;

/** Adds the logits of one sparse row to `out` (which the caller initialises). */
export function addLogits(
  model: SoftmaxModel,
  rows: SparseRows,
  row: number,
  out: Float64Array,
): void {
  const c = model.classes;
  const w = model.weights;
  const end = rows.offsets[row + 1]!;
  for (let p = rows.offsets[row]!; p < end; p++) {
    const base = rows.indices[p]! * c;
    const v = rows.values[p]!;
    for (let k = 0; k < c; k++) out[k]! += v * w[base + k]!;
  }
}

/** Turns `values[0..n)` into softmax probabilities in place, dividing logits by a temperature. */
export function softmaxInPlace(values: Float64Array, n: number, temperature = 1): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) max = Math.max(max, values[k]!);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp((values[k]! - max) / temperature);
    values[k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) values[k]! /= sum;
}

/** Trains multinomial logistic regression with Adagrad on sparse rows (seeded shuffles). */
export function trainSoftmax(
  rows: SparseRows,
  labels: Uint16Array,
  classes: number,
  features: number,
  options: SoftmaxOptions,
): SoftmaxModel {
  const weights = new Float32Array(features * classes);
  const accum = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const biasAccum = new Float32Array(classes);
  const model: SoftmaxModel = { classes, weights, bias };
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const random = createRandom(options.seed);
  const p = new Float64Array(classes);
  const touched = new Uint16Array(classes);
  const { learningRate: lr, l2 } = options;
  const eps = 1e-8;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const row of order) {
      p.set(bias);
      addLogits(model, rows, row, p);
      softmaxInPlace(p, classes);
      p[labels[row]!]! -= 1;
      let active = 0;
      for (let k = 0; k < classes; k++) {
        const g = p[k]!;
        if (Math.abs(g) <= SKIP_GRADIENT) continue;
        touched[active++] = k;
        biasAccum[k]! += g * g;
        bias[k]! -= (lr * g) / Math.sqrt(biasAccum[k]! + eps);
      }
      const end = rows.offsets[row + 1]!;
      for (let q = rows.offsets[row]!; q < end; q++) {
        const base = rows.indices[q]! * classes;
        const v = rows.values[q]!;
        for (let a = 0; a < active; a++) {
          const k = touched[a]!;
          const at = base + k;
          const w = weights[at]!;
          const g = p[k]! * v + l2 * w;
          const acc = accum[at]! + g * g;
          accum[at] = acc;
          weights[at] = w - (lr * g) / Math.sqrt(acc + eps);
        }
      }
    }
  }
  return model;
}
