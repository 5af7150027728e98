import { describe, expect, it } from 'vitest';
import { splitWords, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('stems German words and folds umlaut spellings to one token', () => {
    expect(tokenize('Wo sind meine Bestellungen?', 'de')).toEqual([
      'wo',
      'sind',
      'mein',
      'bestell',
    ]);
    expect(tokenize('Rücksendung', 'de')).toEqual(tokenize('Ruecksendung', 'de'));
    expect(tokenize('Rücksendung', 'de')).toEqual(tokenize('rucksendung', 'de'));
    expect(tokenize('Häuser', 'de')).toEqual(tokenize('Haeuser', 'de'));
  });

  it('stems English words', () => {
    expect(tokenize('Cancelled orders, running late', 'en')).toEqual([
      'cancel',
      'order',
      'run',
      'late',
    ]);
    expect(tokenize("I'd like to return 2 parcels", 'en')).toEqual([
      'id',
      'like',
      'to',
      'return',
      '2',
      'parcel',
    ]);
  });

  it('returns nothing for text without letters or digits', () => {
    expect(tokenize(' ?!… ', 'en')).toEqual([]);
  });

  it('bounds work on huge input', () => {
    const words = splitWords('paket '.repeat(200_000), 'de');
    expect(words.length).toBeLessThanOrEqual(1000);
    expect(words[0]).toBe('paket');
  });
});
