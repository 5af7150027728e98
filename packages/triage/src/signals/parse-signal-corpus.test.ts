import { describe, expect, it } from 'vitest';
import { parseSignalCorpus, SignalCorpusError } from './parse-signal-corpus.js';
import { splitSignalCorpus } from './split-signal-corpus.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    text: 'Seit Montag nichts',
    lang: 'de',
    signals: ['complaint'],
    kind: 'waiting',
    ...fields,
  });

describe('parseSignalCorpus', () => {
  it('reads one example per line and skips blank lines', () => {
    const text = `${line({})}\n\n${line({ text: 'Danke!', signals: [], kind: 'praise' })}\n`;
    expect(parseSignalCorpus(text, 'train/de.jsonl')).toEqual([
      { text: 'Seit Montag nichts', lang: 'de', signals: ['complaint'], kind: 'waiting' },
      { text: 'Danke!', lang: 'de', signals: [], kind: 'praise' },
    ]);
  });

  it.each([
    ['{"text": ', null, /is not JSON/],
    ['["a"]', null, /is not a JSON object/],
    [line({ text: '' }), 'text', /1 to 1500 characters/],
    [line({ text: 'x'.repeat(1501) }), 'text', /1 to 1500 characters/],
    [line({ lang: 'fr' }), 'lang', /"de" or "en" \(got "fr"\)/],
    [line({ signals: 'complaint' }), 'signals', /at most once, or be \[\]/],
    [line({ signals: ['complaint', 'angry'] }), 'signals', /"angry"/],
    [line({ signals: ['complaint', 'complaint'] }), 'signals', /at most once/],
    [line({ kind: 'rant' }), 'kind', /README's kinds \(got "rant"\)/],
    [line({ signals: [] }), 'signals', /must include "complaint": kind "waiting" implies it/],
    [line({ kind: 'manager' }), 'signals', /must include "wants-human"/],
  ])('rejects %s naming the file, the line and field %s', (bad, field, message) => {
    const text = `${line({})}\n${bad}\n`;
    let error: unknown;
    try {
      parseSignalCorpus(text, 'train/de-waiting.jsonl');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SignalCorpusError);
    expect(error).toMatchObject({
      name: 'SignalCorpusError',
      code: 'signal_corpus_invalid',
      file: 'train/de-waiting.jsonl',
      line: 2,
      field,
    });
    expect((error as Error).message).toMatch(
      /^\[lotse\] Invalid signal corpus: train\/de-waiting\.jsonl:2: /,
    );
    expect((error as Error).message).toMatch(message);
  });
});

describe('splitSignalCorpus', () => {
  const examples = Array.from({ length: 1000 }, (_, i) => ({
    text: `Nachricht Nummer ${i}`,
    lang: 'de' as const,
    signals: [],
    kind: 'question' as const,
  }));

  it('holds out about a fifth, the same messages whatever the order', () => {
    const { train, test } = splitSignalCorpus(examples);
    expect(train.length + test.length).toBe(1000);
    expect(test.length).toBeGreaterThan(150);
    expect(test.length).toBeLessThan(250);
    const reversed = splitSignalCorpus([...examples].reverse());
    expect(new Set(reversed.test.map((e) => e.text))).toEqual(new Set(test.map((e) => e.text)));
  });
});
