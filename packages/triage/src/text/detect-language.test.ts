import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.js';

describe('detectLanguage', () => {
  it.each([
    ['Wo ist meine Bestellung?', 'de'],
    ['Ich möchte mit einem Menschen sprechen', 'de'],
    ['Das ist jetzt das dritte Mal, dass das Paket nicht ankommt', 'de'],
    ['Kann ich die Rücksendung noch stornieren?', 'de'],
    ['Where is my order?', 'en'],
    ['I would like to talk to a human', 'en'],
    ['This is ridiculous, I want a refund for the broken parcel', 'en'],
    ['How do I change the delivery address?', 'en'],
  ] as const)('%s → %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
    // Clear evidence wins over a wrong hint.
    expect(detectLanguage(text, expected === 'de' ? 'en' : 'de')).toBe(expected);
  });

  it('lets the hint decide short or ambiguous text', () => {
    expect(detectLanguage('Paket', 'de')).toBe('de');
    expect(detectLanguage('Paket', 'en')).toBe('en');
    expect(detectLanguage('agent please', 'de')).toBe('de');
    expect(detectLanguage('', 'de')).toBe('de');
    expect(detectLanguage('')).toBe('en');
  });
});
