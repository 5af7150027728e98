import type { ViewCounts } from './features.js';

/** Rows of sparse, L2-normalised TF-IDF vectors over dense feature indices (CSR layout). */
export interface SparseRows {
  offsets: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

/** The hash buckets one view saw in training, sorted, with dense indices and smoothed IDF. */
export interface Vocabulary {
  index: Map<number, number>;
  buckets: number[];
  idf: number[];
  /** IDF of a feature seen in no training text. */
  unknownIdf: number;
}

/** Builds a view's vocabulary from the training texts' feature counts. */
export function buildVocabulary(views: ViewCounts[]): Vocabulary {
  const df = new Map<number, number>();
  for (const view of views) for (const b of view.buckets) df.set(b, (df.get(b) ?? 0) + 1);
  const buckets = [...df.keys()].sort((a, b) => a - b);
  const index = new Map<number, number>();
  const n = views.length;
  const idf = buckets.map((b, i) => {
    index.set(b, i);
    return Math.log((n + 1) / ((df.get(b) ?? 0) + 1)) + 1;
  });
  return { index, buckets, idf, unknownIdf: Math.log(n + 1) + 1 };
}

/**
 * Turns one view's counts into a sublinear-TF × IDF row, L2-normalised; buckets unknown to
 * the vocabulary are dropped (as in scikit-learn's TfidfVectorizer).
 */
export function toRow(
  view: ViewCounts,
  index: Map<number, number>,
  idf: ArrayLike<number>,
): { indices: number[]; values: number[] } {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (let i = 0; i < view.buckets.length; i++) {
    const at = index.get(view.buckets[i]!);
    if (at === undefined) continue;
    const v = (1 + Math.log(view.counts[i]!)) * idf[at]!;
    norm += v * v;
    indices.push(at);
    values.push(v);
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { indices, values };
}

/** Packs rows into CSR arrays. */
export function packRows(rows: { indices: number[]; values: number[] }[]): SparseRows {
  let total = 0;
  for (const r of rows) total += r.indices.length;
  const offsets = new Uint32Array(rows.length + 1);
  const indices = new Uint32Array(total);
  const values = new Float32Array(total);
  let at = 0;
  rows.forEach((r, i) => {
    offsets[i] = at;
    indices.set(r.indices, at);
    values.set(r.values, at);
    at += r.indices.length;
  });
  offsets[rows.length] = at;
  return { offsets, indices, values };
}
