import { hashString } from '../model/hash.js';
import type { SignalExample } from './signal-corpus.js';

/** The share of `train/` held out as the test split: one in `TEST_MODULUS` by hash. */
const TEST_MODULUS = 5;

/** A stable fold number in `0..folds)` for a text: the same text always lands in the same fold. */
export function foldOf(text: string, folds: number, salt = ''): number {
  return hashString(`${salt}${text.normalize('NFC').trim().toLowerCase()}`) % folds;
}

/**
 * Splits `train/` into the part training sees and a held-out test split (about 20 %), by a hash of
 * the text, so the split never changes when files are added or reordered.
 */
export function splitSignalCorpus(examples: readonly SignalExample[]): {
  train: SignalExample[];
  test: SignalExample[];
} {
  const train: SignalExample[] = [];
  const test: SignalExample[] = [];
  for (const example of examples) {
    (foldOf(example.text, TEST_MODULUS) === 0 ? test : train).push(example);
  }
  return { train, test };
}
