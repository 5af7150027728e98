import { describe, expect, it } from 'vitest';
import { foldWord, readSignalTokens } from './signal-features.js';

const negated = (text: string) =>
  readSignalTokens(text)
    .filter((token) => token.negated)
    .map((token) => token.form);

describe('foldWord', () => {
  it('folds umlauts, their two-letter spellings, ß and capitals alike', () => {
    expect(new Set(['zurück', 'zurueck', 'ZURÜCK', 'Zurueck'].map(foldWord))).toEqual(
      new Set(['zuruck']),
    );
    expect(foldWord('Straße')).toBe(foldWord('strasse'));
    expect(foldWord('neue')).toBe('neue');
  });
});

describe('readSignalTokens', () => {
  it.each([
    ['keine Beschwerde, nur eine Frage', ['beschwerde']],
    ['nicht dringend. Wann kommt das Paket?', ['dringend']],
    ['This is not urgent, but when will it arrive?', ['urgent']],
    ["I don't want to complain", ['want', 'to', 'complain']],
    ['ohne Eile bitte aber gern bald', ['eile', 'bitte']],
    ['Es ist dringend!', []],
  ])('marks the negation scope in %j', (text, words) => {
    expect(negated(text)).toEqual(words);
  });

  it('keeps the offsets of the words as typed', () => {
    const text = 'Grüß Gott, ZURÜCK 😡';
    for (const token of readSignalTokens(text)) {
      expect(foldWord(text.slice(token.start, token.end))).toBe(token.form);
    }
  });
});
