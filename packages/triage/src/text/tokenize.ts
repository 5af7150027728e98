import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemGerman } from '@orama/stemmers/german';
import type { Lang } from './lang.js';
import { normalizeText } from './normalize-text.js';

/** Longest input looked at; intent questions are short, and this bounds the cost of huge input. */
export const MAX_TEXT_CHARS = 4000;
// Stemmers are linear, but a pathological 4000-letter "word" is not worth stemming.
const MAX_STEM_LENGTH = 40;

/** Returns the normalised, unstemmed words of a text (truncated to `MAX_TEXT_CHARS`). */
export function splitWords(text: string, lang: Lang): string[] {
  const normalized = normalizeText(text.slice(0, MAX_TEXT_CHARS), lang);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Stems one normalised word with the language's Snowball stemmer. */
export function stemWord(word: string, lang: Lang): string {
  if (word.length > MAX_STEM_LENGTH || /^\d+$/.test(word)) return word;
  return lang === 'de' ? stemGerman(word) : stemEnglish(word);
}

/**
 * Splits text into normalised, stemmed word tokens.
 * @example tokenize('Wo sind meine Bestellungen?', 'de') // ['wo', 'sind', 'mein', 'bestell']
 */
export function tokenize(text: string, lang: Lang): string[] {
  return splitWords(text, lang).map((word) => stemWord(word, lang));
}
