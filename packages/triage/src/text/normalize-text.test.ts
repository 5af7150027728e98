import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['Rücksendung', 'de', 'rucksendung'],
    ['Ruecksendung', 'de', 'rucksendung'],
    ['rucksendung', 'de', 'rucksendung'],
    ['RÜCKSENDUNG', 'de', 'rucksendung'],
    ['Straße', 'de', 'strasse'],
    ['STRASSE', 'de', 'strasse'],
    ['Größe', 'de', 'grosse'],
    ['Groesse', 'de', 'grosse'],
    ['Käse Kaese', 'de', 'kase kase'],
    ['neue Quelle, blaue Feuer', 'de', 'neue quelle blaue feuer'],
    ['ﬁle', 'en', 'file'],
    ['Ｔｅｓｔ １２３', 'en', 'test 123'],
    ['Café crème', 'en', 'cafe creme'],
    ["Don't   what’s?!", 'en', 'dont whats'],
    ['queue blue', 'en', 'queue blue'],
    ['  ', 'en', ''],
  ] as const)('%s (%s) → %s', (input, lang, expected) => {
    expect(normalizeText(input, lang)).toBe(expected);
  });
});
