import { describe, expect, it } from 'vitest';
import { createSignalDetector } from './create-signal-detector.js';
import { SIGNAL_MODEL_VERSION, type SignalModelData } from './signal-model-data.js';

// A model without weights whose thresholds nothing reaches: only its rules can fire.
const empty = { size: 0, buckets: '', weights: '', scale: 1, bias: 0 };
const model: SignalModelData = {
  format: 'lotse-signals',
  version: SIGNAL_MODEL_VERSION,
  bits: 20,
  norm: 0.5,
  signals: [empty, empty, empty],
  thresholds: [1000, 1000, 1000],
  framedThreshold: 1000,
  kinds: ['open', 'threat-legal'],
  kindNames: { de: ['', 'droht mit rechtlichen Schritten'], en: ['', 'threatens legal action'] },
  kindModels: [empty, empty],
  rules: [['threat-legal', 'anwalt einschalten']],
  personWords: ['mensch'],
};

describe('createSignalDetector rules', () => {
  const detector = createSignalDetector(model);

  it('raises a framed complaint for a rule below the model threshold, naming the cue and its words', () => {
    const [match, ...rest] = detector.detect('Dann muss ich wohl meinen Anwalt einschalten.');
    expect(rest).toEqual([]);
    expect(match).toMatchObject({
      signal: 'complaint',
      cue: 'threat-legal',
      phrase: 'Anwalt einschalten',
      framed: true,
    });
    expect(detector.cueName(match!.cue, 'de')).toBe('droht mit rechtlichen Schritten');
  });

  // wants-human's threshold below its bias: the learned score fires on every message it may.
  const eagerWantsHuman = (extra: Partial<SignalModelData> = {}) => {
    const eager = createSignalDetector({ ...model, thresholds: [1000, -1, 1000], ...extra });
    return (text: string) => eager.detect(text).some((match) => match.signal === 'wants-human');
  };

  it('takes a one-word request for a person from the word list, never from the learned score', () => {
    const wantsHuman = eagerWantsHuman();
    expect(wantsHuman('MENSCH bitte!')).toBe(true);
    expect(wantsHuman('Lieferung')).toBe(false);
    expect(wantsHuman('delivery?')).toBe(false);
    expect(wantsHuman('Wann kommt meine Lieferung?')).toBe(true);
  });

  it('takes the learned score for a wish for a person only beside a word that names someone to reach', () => {
    const wantsHuman = eagerWantsHuman({
      personCues: ['mitarbeit*', 'ruckruf*', '*leitung*', 'bot*'],
    });
    expect(wantsHuman('Ich hätte gern eine Kopie meiner Rechnung.')).toBe(false);
    expect(wantsHuman('Ich hätte gern einen Rückruf wegen der Rechnung.')).toBe(true);
    expect(wantsHuman('Bitte an die Filialleitung weitergeben.')).toBe(true);
    expect(wantsHuman('Kein Bot, bitte!')).toBe(true);
    // A model built before the cues were added has none: its score counts as it did.
    expect(eagerWantsHuman()('Ich hätte gern eine Kopie meiner Rechnung.')).toBe(true);
  });

  it('counts a cue marked de: only in a message read as German', () => {
    const wantsHuman = eagerWantsHuman({
      personCues: ['person', 'de:personal', 'de:personalabteilung*'],
    });
    expect(wantsHuman('Ich will mit dem Personal sprechen.')).toBe(true);
    expect(wantsHuman('Wo ist die Personalabteilung, bitte?')).toBe(true);
    expect(wantsHuman('ich hätte gern personal zur hilfe')).toBe(true);
    // A capitalised noun without English evidence: "an" and "in" are German words too.
    expect(wantsHuman('Ich brauche Personal an Kasse 3')).toBe(true);
    expect(wantsHuman('Personal in der Filiale?')).toBe(true);
    expect(wantsHuman('How do I edit my personal details?')).toBe(false);
    expect(wantsHuman('edit personal details')).toBe(false);
    expect(wantsHuman('Is personalised engraving possible?')).toBe(false);
    expect(wantsHuman('Personal data: is it safe with you? I want to know.')).toBe(false);
    // Capitalised at the start, but nothing German about them.
    for (const text of [
      'Personal details wrong',
      'Personal loan options',
      'Personal help please',
      'Personal shopper available?',
    ]) {
      expect(wantsHuman(text)).toBe(false);
    }
    expect(wantsHuman('Can I talk to a person?')).toBe(true);
  });

  it('raises nothing when the rule is negated', () => {
    expect(detector.detect('Ich will nicht gleich einen Anwalt einschalten.')).toEqual([]);
  });

  it('refuses a model without rules', () => {
    const { rules: _, ...withoutRules } = model;
    expect(() => createSignalDetector(withoutRules as SignalModelData)).toThrow(
      expect.objectContaining({ name: 'ModelError' }),
    );
  });
});
