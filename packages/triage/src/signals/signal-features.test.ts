import { describe, expect, it } from 'vitest';
import {
  compileRules,
  compileWord,
  foldWord,
  isClosing,
  matchRule,
  readSignalTokens,
  wordMatches,
} from './signal-features.js';
import { INTENSIFIERS, SIGNAL_RULES } from './signal-rules.js';

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

describe('matchRule', () => {
  const rules = compileRules(
    ['meinen anwalt', 'ombuds*', '*verbraucherzentrale*', 'nie wieder'].map((words) => [
      'open',
      words,
    ]),
  );
  const match = (text: string) => {
    const tokens = readSignalTokens(text);
    const found = matchRule(tokens, rules);
    return found && [found.rule, tokens.slice(found.from, found.to + 1).map((t) => t.form)];
  };

  it.each([
    ['Ich schalte jetzt meinen Anwalt ein.', [0, ['meinen', 'anwalt']]],
    ['I will go to the Ombudsman.', [1, ['ombudsman']]],
    ['Dann eben die Verbraucherzentrale Bayern!', [2, ['verbraucherzentrale']]],
    ['an die Verbraucherzentralen', [2, ['verbraucherzentralen']]],
    ['Bei euch bestelle ich NIE WIEDER', [3, ['nie', 'wieder']]],
  ])('finds the cue words in %j', (text, expected) => {
    expect(match(text)).toEqual(expected);
  });

  it.each([
    'Ich will nicht gleich meinen Anwalt einschalten.',
    'Nie gedacht, dass es so schnell geht, wieder gern!',
    'Wo ist mein Paket?',
  ])('finds none in %j (negated, not in a row, or absent)', (text) => {
    expect(match(text)).toBeUndefined();
  });

  it('prefers the earlier rule over the earlier position, as listed', () => {
    const ordered = compileRules([
      ['open', 'b c'],
      ['open', 'a*'],
      ['open', '*x*'],
    ]);
    const at = (text: string) => matchRule(readSignalTokens(text), ordered);
    expect(at('ab b c')).toEqual({ rule: 0, from: 1, to: 2 });
    expect(at('ab xx ab')).toEqual({ rule: 1, from: 0, to: 0 });
    expect(at('q xx ab')).toEqual({ rule: 1, from: 2, to: 2 });
    expect(at('q xx')).toEqual({ rule: 2, from: 1, to: 1 });
  });

  it('lets `?` stand for one intensifier, never a word that weakens, denies or is something else', () => {
    const gap = compileRules([['open', 'im ? angry']], INTENSIFIERS);
    const found = (text: string) => matchRule(readSignalTokens(text), gap) !== undefined;
    const texts = [
      "I'm really angry!",
      "I'm angry",
      "I'm not angry",
      "I'm rarely angry",
      "I'm ordering Angry Birds",
    ];
    expect(texts.map(found)).toEqual([true, false, false, false, false]);
    // A rule may begin with one.
    const first = compileRules([['open', '? unzufrieden']], INTENSIFIERS);
    const starts = (text: string) => matchRule(readSignalTokens(text), first)?.from;
    expect(starts('Ich bin mit allem äußerst unzufrieden.')).toBe(4);
    expect(starts('Wir sind UNZUFRIEDEN')).toBeUndefined();
    expect(starts('nicht sehr unzufrieden')).toBeUndefined();
  });

  it('keeps a rule marked `~` from matching right after a supposition, and only such a rule', () => {
    const rules = compileRules(
      [
        ['open', '~im ? unhappy'],
        ['threat-legal', 'chargeback'],
      ],
      INTENSIFIERS,
    );
    const found = (text: string) => matchRule(readSignalTokens(text), rules)?.rule;
    expect(found("I'm very unhappy with this jacket.")).toBe(0);
    expect(found("If I'm very unhappy with it, can I return it?")).toBeUndefined();
    expect(found("In case I'm very unhappy with it, can I return it?")).toBeUndefined();
    expect(found("In any case I'm very unhappy with it.")).toBe(0);
    expect(found('If chargeback is the only way, I will do it.')).toBe(1);
  });
});

describe('rule words', () => {
  it('are folded like tokens, so a word that folds matches as typed', () => {
    // "sue" folds to "su" (as "zurueck" to "zuruck"); the rule's word must fold alike.
    const rules = compileRules(SIGNAL_RULES);
    const found = matchRule(readSignalTokens('I will sue you over this.'), rules);
    expect(SIGNAL_RULES[found?.rule ?? -1]).toEqual(['threat-legal', 'sue you']);
  });

  it('match tokens exactly, by prefix or anywhere, with umlauts folded', () => {
    const words = ['rep', 'rückruf*', '*leitung*'].map((word) => compileWord(word));
    const has = (word: string) => words.some((w) => wordMatches(foldWord(word), w));
    expect([has('rep'), has('reply'), has('Rückrufbitte'), has('Filialleitung')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('isClosing', () => {
  it('takes a message of closing words alone, friendly emoji aside, for the end of a chat', () => {
    const words = new Set(['ok', 'danke', 'alles', 'klar', 'got', 'it', 'thanks', 'das', 'ist']);
    const closing = (text: string) => isClosing(text, readSignalTokens(text), words);
    expect(['OK, danke! 👍', 'Alles klar.', 'got it, thanks 🙏'].map(closing)).toEqual([
      true,
      true,
      true,
    ]);
    // Other words, a question, an eye-roll: a complaint may hide there.
    const not = ['ok. dann halt nicht', 'danke für nichts', 'Das ist es?', 'ok danke 🙄', '👍', ''];
    expect(not.map(closing)).toEqual([false, false, false, false, false, false]);
  });
});
