import type { Lang } from './lang.js';

// Short, frequent function words that are (nearly) exclusive to one of the two languages.
const GERMAN = new Set(
  'der die das und ist nicht ich ein eine einen einem einer mit wie was wo warum wann kann konnen mochte mein meine meinen meiner ihr ihre sie wir auf fur von zu zum zur bei bitte danke noch schon habe hast hat haben wurde ist sind auch oder aber nur wenn dass mich mir dich dir uns euch kein keine keinen sein seine bis uber nach aus durch gegen ohne um doch mal gibt geht hallo'.split(
    ' ',
  ),
);
const ENGLISH = new Set(
  'the and is not a an my your you we they it of to for in on with how what where why when can could would should please thanks thank have has had do does did i me our this that there are was were be been will from by at or but if no any get got want need hello hi'.split(
    ' ',
  ),
);
// Looked at only up to here: enough words to decide, and bounded cost on huge input.
const MAX_CHARS = 2000;

/** How much of a text speaks for German and for English: stop words, and German letters twice. */
export interface LanguageEvidence {
  german: number;
  english: number;
}

/** Counts the evidence {@link detectLanguage} weighs. */
export function languageEvidence(text: string): LanguageEvidence {
  const sample = text.slice(0, MAX_CHARS).toLowerCase();
  const evidence = { german: (sample.match(/[äöüß]/g)?.length ?? 0) * 2, english: 0 };
  const words = sample
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}]+/u);
  for (const word of words) {
    if (GERMAN.has(word)) evidence.german += 1;
    if (ENGLISH.has(word)) evidence.english += 1;
  }
  return evidence;
}

/**
 * Guesses whether text is German or English from stop words and German letters;
 * the hint wins when the evidence is weak (short or mixed text).
 * @example detectLanguage('Wo ist meine Bestellung?') // 'de'
 */
export function detectLanguage(text: string, hint?: Lang): Lang {
  const { german, english } = languageEvidence(text);
  const score = german - english;
  if (hint !== undefined && Math.abs(score) < 2) return hint;
  return score > 0 ? 'de' : 'en';
}
