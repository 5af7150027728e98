import { describe, expect, it } from 'vitest';
import { detectSignals } from './signals.js';

const signalsOf = (text: string) => detectSignals(text).map((m) => m.signal);

describe('detectSignals', () => {
  it.each([
    ['Das ist jetzt das dritte Mal, dass mein Paket nicht ankommt.', 'complaint'],
    [
      'Ich warte immer noch nicht auf eine Antwort, sondern seit Wochen auf gar nichts',
      'complaint',
    ],
    ['Schon wieder falsche Größe geliefert', 'complaint'],
    ['Ich möchte mich beschweren', 'complaint'],
    ['Unverschämt, wie Sie mit Kunden umgehen', 'complaint'],
    ['Unverschaemt!', 'complaint'],
    ['Wenn das nicht klappt, kündige ich mein Kundenkonto', 'complaint'],
    ['Ich schalte meinen Anwalt ein', 'complaint'],
    ['this is ridiculous', 'complaint'],
    ['This is the third time my order arrived damaged', 'complaint'],
    ['I still haven’t received my refund', 'complaint'],
    ['I will take legal action', 'complaint'],
    ['I want to cancel my account if this goes on', 'complaint'],
    ['Ich möchte mit einem Menschen sprechen', 'wants-human'],
    ['Kann ich bitte mit einer echten Person reden?', 'wants-human'],
    ['Bitte um Rückruf', 'wants-human'],
    ['agent please', 'wants-human'],
    ['Can I talk to a human?', 'wants-human'],
    ['I need to speak to someone', 'wants-human'],
    ['Es ist dringend!', 'urgent'],
    ['I need this asap', 'urgent'],
  ])('finds the signal in %j', (text, signal) => {
    expect(signalsOf(text)).toContain(signal);
  });

  it.each([
    'Wie lange dauert der Versand?',
    'Wo finde ich mein Rücksendeetikett?',
    'Can I pay with PayPal?',
    'How do I change my password?',
    'Welche Größe passt mir bei der Jacke?',
    'Do you ship to Austria?',
  ])('finds nothing in the ordinary question %j', (text) => {
    expect(detectSignals(text)).toEqual([]);
  });

  it('names the phrase that gave the complaint away', () => {
    expect(detectSignals('Das ist jetzt das dritte Mal, dass …')).toEqual([
      { signal: 'complaint', cue: 'repeated_failure', phrase: 'das dritte mal' },
    ]);
  });
});
