import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, isMasked, maskPersonalData } from './mask.js';

describe('maskPersonalData', () => {
  it.each([
    [
      'Meine E-Mail ist max.mustermann@beispiel.de, bitte melden',
      'Meine E-Mail ist [email], bitte melden',
    ],
    ['write to jane.doe+help@example.co.uk.', 'write to [email].'],
    ['Rufen Sie mich an: +49 171 1234567', 'Rufen Sie mich an: [phone]'],
    ['Tel. 0049 (0)30 12345678', 'Tel. [phone]'],
    ['Festnetz 030/1234567 ab 18 Uhr', 'Festnetz [phone] ab 18 Uhr'],
    ['Handy 0171-1234567', 'Handy [phone]'],
    ['(030) 123 456 78', '[phone]'],
    ['call me at +1 (415) 555-0132 please', 'call me at [phone] please'],
    ['my number is 415-555-0132', 'my number is [phone]'],
    ['UK: +44 20 7946 0958', 'UK: [phone]'],
    ['IBAN DE89 3704 0044 0532 0130 00 bitte erstatten', 'IBAN [iban] bitte erstatten'],
    ['iban de89370400440532013000', 'iban [iban]'],
    ['GB29 NWBK 6016 1331 9268 19 refund', '[iban] refund'],
    ['Karte 4111 1111 1111 1111 belastet', 'Karte [card] belastet'],
    ['card 5500-0000-0000-0004 charged twice', 'card [card] charged twice'],
  ])('masks %j', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    'Bestellung 12345678 kam nicht an',
    'Lieferung am 01.05.2026 erwartet',
    'delivered on 2026-05-01',
    'Ich habe 3 Pakete für 49,99 € bestellt',
    'order #1234567 is late',
    'Öffnungszeiten 9 bis 18 Uhr',
    '4111 1111 1111 1112 is not a card (Luhn fails)',
  ])('leaves ordinary text alone: %j', (input) => {
    expect(maskPersonalData(input)).toBe(input);
  });

  it('truncates after masking and never keeps half a surrogate pair', () => {
    expect(maskPersonalData('a'.repeat(300))).toHaveLength(200);
    expect(maskPersonalData(`${'a'.repeat(9)}😀`, { maxLength: 10 })).toBe('a'.repeat(9));
    // An address cut in half is still masked, because masking runs before the cut.
    expect(maskPersonalData(`${'x '.repeat(95)}someone@example.com`)).not.toContain('someone');
  });

  it('runs the site redact hook first', () => {
    const redact = (t: string) => t.replace(/Kundennummer \d+/g, 'Kundennummer [id]');
    expect(maskPersonalData('Kundennummer 998877, mail a@b.de', { redact })).toBe(
      'Kundennummer [id], mail [email]',
    );
  });

  it('is idempotent, so the server can check that text arrived masked', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const once = maskPersonalData(text);
        expect(maskPersonalData(once)).toBe(once);
        expect(isMasked(once)).toBe(true);
      }),
    );
    expect(isMasked('mail a@b.de')).toBe(false);
  });

  it('checks card numbers with Luhn', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });
});
