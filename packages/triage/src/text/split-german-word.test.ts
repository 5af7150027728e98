import { describe, expect, it } from 'vitest';
import { createGermanLexicon, foldGermanWord, splitGermanWord } from './split-german-word.js';
import { splitWords } from './tokenize.js';

// The vocabulary of a small shop knowledge base, as its examples would give it.
const lexicon = createGermanLexicon(
  splitWords(
    'Rücksendung anmelden. Wie schicke ich etwas zurück? Konto löschen. Kundenkonto anlegen. ' +
      'Bestellung stornieren. Welche Möglichkeit gibt es? Versand und Kosten. Etikett drucken. ' +
      'Geld zurück nach der Erstattung. Umtausch in eine andere Größe. Antwort vom Service.',
    'de',
  ),
);
const parts = (word: string) => splitGermanWord(splitWords(word, 'de')[0]!, lexicon);

describe('foldGermanWord', () => {
  it.each([
    ['stornierung', 'stornier'],
    ['stornieren', 'stornier'],
    ['storniert', 'stornier'],
    ['moglichkeit', 'moglich'],
    ['sendungen', 'send'],
    ['erstattet', 'erstatt'],
    // Too short to fold: at least four letters stay.
    ['konto', 'konto'],
    ['kann', 'kann'],
  ])('%s → %s', (word, base) => {
    expect(foldGermanWord(word)).toBe(base);
  });
});

describe('splitGermanWord', () => {
  it.each([
    // Particle verbs and their nouns meet: zurück- and the bound form rück- are one particle.
    ['Rücksendung', ['zuruck', 'send']],
    ['zurücksenden', ['zuruck', 'send']],
    ['zurückgeschickt', ['zuruck', 'schick']],
    ['zurückzuschicken', ['zuruck', 'schick']],
    ['Rückerstattung', ['zuruck', 'erstatt']],
    ['umtauschen', ['um', 'tausch']],
    ['anmelden', ['an', 'meld']],
    // Compounds: known parts with a linking element, or one unknown part beside a known head.
    ['Stornierungsmöglichkeit', ['stornier', 'moglich']],
    ['Benutzerkonto', ['benutz', 'konto']],
    ['Versandkosten', ['versand', 'kost']],
    ['Rücksendeetikett', ['zuruck', 'send', 'etikett']],
    // Words that only look like a particle or a compound stay whole.
    ['Antwort', ['antwort']],
    ['Bestellung', ['bestell']],
    ['Konto', ['konto']],
  ])('%s → %j', (word, expected) => {
    expect(parts(word)).toEqual(expected);
  });

  it('gives derivations of one verb the same parts', () => {
    expect(parts('Stornierung')).toEqual(parts('stornieren'));
    expect(parts('zurückgesendet')).toEqual(parts('Rücksendung'));
    expect(parts('erstattet')).toEqual(parts('Erstattung'));
  });

  it('stays bounded and deterministic on long or odd input', () => {
    const long = 'rucksendung'.repeat(30);
    expect(splitGermanWord(long, lexicon)).toEqual(splitGermanWord(long, lexicon));
    expect(splitGermanWord('', lexicon)).toEqual(['']);
    expect(splitGermanWord('x', lexicon)).toEqual(['x']);
  });
});
