import { beforeAll, describe, expect, it } from 'vitest';
import { readSignalCorpus } from '../build.js';
import { createSignalDetector } from './create-signal-detector.js';
import type { SignalExample } from './signal-corpus.js';
import { compileCues, hasCue, readSignalTokens } from './signal-features.js';
import type { SignalModelData } from './signal-model-data.js';
import { PERSON_CUES } from './signal-rules.js';
import { thresholdFor, trainSignalModel } from './train-signal-model.js';

let train: SignalExample[];
let model: SignalModelData;

beforeAll(async () => {
  ({ train } = await readSignalCorpus());
  model = trainSignalModel(train, { neutral: ['Konto schließen', 'close my account'] });
});

describe('trainSignalModel', () => {
  it('is deterministic: the same examples give the same model', () => {
    const again = trainSignalModel(train, { neutral: ['Konto schließen', 'close my account'] });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
  });

  it('learns from the site examples that they are no complaints', () => {
    const detector = createSignalDetector(model);
    for (const text of ['Konto schließen', 'close my account']) {
      expect(detector.detect(text).map((match) => match.signal)).not.toContain('complaint');
    }
  });

  it('names a cue kind and a phrase that is part of the message', () => {
    const detector = createSignalDetector(model);
    const text = 'Ich schalte jetzt meinen Anwalt ein, das ist eine Frechheit.';
    const [match] = detector.detect(text).filter((m) => m.signal === 'complaint');
    expect(match).toBeDefined();
    expect(text.slice(match!.start, match!.end)).toBe(match!.phrase);
    expect(match!.phrase.length).toBeGreaterThan(0);
    expect(detector.cueName(match!.cue, 'de') ?? 'open').toMatch(/\w/);
  });
});

describe('PERSON_CUES', () => {
  it('has a word of every wish for a person in the training part, so the gate costs it none', () => {
    const cues = compileCues(PERSON_CUES);
    const without = train
      .filter((example) => example.signals.includes('wants-human'))
      .filter((example) => !hasCue(example.text, readSignalTokens(example.text), cues))
      .map((example) => example.text);
    expect(without).toEqual([]);
  });

  it('keeps ordinary requests of the same shape from becoming wishes for a person', () => {
    const detector = createSignalDetector(model);
    for (const text of [
      'Ich hätte gern eine Kopie meiner letzten Rechnung.',
      'Bitte schicken Sie mir die Auftragsbestätigung noch einmal.',
      "I'd like to return an item.",
    ]) {
      expect(detector.detect(text).map((match) => match.signal)).not.toContain('wants-human');
    }
  });
});

describe('thresholdFor', () => {
  it('takes the lowest score that keeps the precision', () => {
    const scored = [5, 4, 3, 2.5, 2, 1, 0, -1, -2].map((score, i) => ({
      score,
      positive: i < 6 || i === 7,
    }));
    // Six hits down to 1 (precision 1.0); including 0 drops it to 6/7 < 0.9.
    expect(thresholdFor(scored, 0.9)).toBe(0.5);
  });
});
