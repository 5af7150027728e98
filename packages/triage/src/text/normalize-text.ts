import type { Lang } from './lang.js';

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['’‘`´]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
// German digraph spellings of umlauts ("Ruecksendung"): fold "ae/oe/ue" unless a vowel or "q"
// precedes, which keeps diphthongs and loan spellings ("neue", "blaue", "Quelle") intact.
const GERMAN_DIGRAPHS = /(^|[^aeiouq])([aou])e/g;

/**
 * Normalises text for matching: NFKC, case folding, diacritics and ß folded, apostrophes
 * dropped, everything that is not a letter or digit turned into single spaces.
 * @example normalizeText('Rücksendung', 'de') // 'rucksendung'
 */
export function normalizeText(text: string, lang: Lang): string {
  let out = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(APOSTROPHES, '')
    .replace(NON_WORD, ' ')
    .trim();
  if (lang === 'de') out = out.replace(GERMAN_DIGRAPHS, '$1$2');
  return out;
}
