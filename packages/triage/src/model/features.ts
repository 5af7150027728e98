import { detectLanguage } from '../text/detect-language.js';
import type { Lang } from '../text/lang.js';
import { type GermanLexicon, splitGermanWord } from '../text/split-german-word.js';

/** Word lists a model carries, so scoring in the browser matches training without shipping them. */
export interface FeatureWords {
  /** Splits German compounds and particle verbs into parts. */
  lexicon?: GermanLexicon | undefined;
  /** Function words per language (see `FUNCTION_WORDS`). */
  functionWords?: Readonly<Record<Lang, ReadonlySet<string>>> | undefined;
}

const NONE: ReadonlySet<string> = new Set();

import { splitWords, stemWord } from '../text/tokenize.js';
import { hashString } from './hash.js';

/** Which sparse features a model extracts; stored in the model so scoring matches training. */
export interface FeatureConfig {
  /** Hash space size as a power of two. */
  bits: number;
  /** Smallest character n-gram over the normalised text (spaces included). */
  charMin: number;
  /** Largest character n-gram over the normalised text (spaces included). */
  charMax: number;
}

/** The two feature views: stemmed word uni- and bigrams, and character n-grams across words. */
export const VIEW_COUNT = 2;

/** Hashed feature counts of one text for one view: parallel arrays of buckets and counts. */
export interface ViewCounts {
  buckets: number[];
  counts: number[];
  /**
   * Word view only: the unigram buckets of each content word (its stem and German parts;
   * function words and words with digits left out). A word is known when one of them is.
   */
  words?: number[][];
}

// Words beyond this many are ignored: intent questions are short, and it bounds the cost.
const MAX_WORDS = 200;

function createCounter(bits: number): ViewCounts & { add(feature: string): number } {
  const shift = 32 - bits;
  const index = new Map<number, number>();
  const buckets: number[] = [];
  const counts: number[] = [];
  return {
    buckets,
    counts,
    add(feature) {
      const bucket = hashString(feature) >>> shift;
      const at = index.get(bucket);
      if (at === undefined) {
        index.set(bucket, buckets.length);
        buckets.push(bucket);
        counts.push(1);
      } else {
        counts[at]! += 1;
      }
      return bucket;
    },
  };
}

/** Resolves the language of a text: a fixed model language, or detection with a hint. */
export function resolveLang(text: string, fixed: Lang | 'auto', hint?: Lang): Lang {
  return fixed === 'auto' ? detectLanguage(text, hint) : fixed;
}

/**
 * Extracts hashed feature counts per view: [word uni-/bigrams, character n-grams].
 * Measured on CLINC150: training one model per view and averaging beats one joint model by
 * about 1 point, and character 2–4-grams across word boundaries beat per-word 3–5-grams.
 * German text with a lexicon also gets its words' parts as word features: particle, compound
 * parts and folded bases, so that "zurücksenden" meets "Rücksendung" and "Benutzerkonto" "Konto".
 */
export function extractFeatures(
  text: string,
  lang: Lang,
  config: FeatureConfig,
  { lexicon, functionWords }: FeatureWords = {},
): ViewCounts[] {
  const words = splitWords(text, lang).slice(0, MAX_WORDS);
  const wordView = createCounter(config.bits);
  const charView = createCounter(config.bits);
  let previous = '^';
  let previousStop = true;
  const stops = functionWords?.[lang] ?? NONE;
  const content: number[][] = [];
  for (const word of words) {
    const stem = stemWord(word, lang);
    const stop = stops.has(word);
    // Function words share one feature: they still count in the length norm, so a question of
    // function words and unknown words ("what is the capital of …") keeps a low confidence.
    const own = [wordView.add(stop ? 's' : `w${stem}`)];
    if (!(stop && previousStop)) wordView.add(`b${previous} ${stem}`);
    previous = stem;
    previousStop = stop;
    // Short words are mostly function words; their parts would only repeat the stem.
    if (lexicon !== undefined && lang === 'de' && !stop && word.length >= 5) {
      // Parts share the stems' namespace, so "zurücksenden" gets the features of "zurück" and
      // "send"; a part equal to the word's own stem is not counted twice.
      for (const part of splitGermanWord(word, lexicon))
        if (part !== stem) own.push(wordView.add(`w${part}`));
    }
    if (!stop && !/\d/.test(word)) content.push(own);
  }
  if (words.length > 0) wordView.add(`b${previous} $`);
  const marked = ` ${words.map((word) => word.slice(0, 30)).join(' ')} `;
  for (let n = config.charMin; n <= config.charMax; n++) {
    for (let i = 0; i + n <= marked.length; i++) {
      const gram = marked.slice(i, i + n);
      if (gram !== ' ') charView.add(`c${gram}`);
    }
  }
  return [
    { buckets: wordView.buckets, counts: wordView.counts, words: content },
    { buckets: charView.buckets, counts: charView.counts },
  ];
}
