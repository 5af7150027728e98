import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../build.js';
import type { Decision, Triage, TriageModel } from './index.js';
import { createTriage } from './index.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const corpora = path.resolve(repoRoot, '..', 'shared', 'corpora');

let model: TriageModel;
let triage: Triage;

beforeAll(async () => {
  ({ model } = await buildModel(path.join(repoRoot, 'examples/kb-shop')));
  triage = createTriage(model);
}, 120_000);

interface Golden {
  text: string;
  kind: Decision['kind'];
  level: Decision['level'];
  topic?: string;
  entry?: string;
  signals?: Decision['signals'];
}

// Real-looking questions on the demo shop; each row checks what the widget will do with it.
const golden: Golden[] = [
  // A channel asked for in one word is answered by the contact entry, not handed over.
  { text: 'Hotline?', kind: 'answer', level: 1, entry: 'contact-hours' },
  // Standard questions are answered (level 1), in German …
  {
    text: 'Wie lange dauert die Lieferung nach Österreich?',
    kind: 'answer',
    level: 1,
    topic: 'shipping',
    entry: 'delivery-time',
  },
  {
    text: 'Wie bekomme ich ein Rücksendeetikett?',
    kind: 'answer',
    level: 1,
    topic: 'returns',
    entry: 'returns-label',
  },
  {
    text: 'Ruecksendeetikett drucken',
    kind: 'answer',
    level: 1,
    topic: 'returns',
    entry: 'returns-label',
  },
  {
    text: 'Kann ich mit PayPal bezahlen?',
    kind: 'answer',
    level: 1,
    topic: 'payment',
    entry: 'payment-methods',
  },
  {
    text: 'Passwort vergessen',
    kind: 'answer',
    level: 1,
    topic: 'account',
    entry: 'reset-password',
  },
  {
    text: 'Gutschein einlösen',
    kind: 'answer',
    level: 1,
    topic: 'vouchers',
    entry: 'redeem-voucher',
  },
  {
    text: 'Welche Größe soll ich bei Wanderschuhen nehmen?',
    kind: 'answer',
    level: 1,
    topic: 'products',
    entry: 'size-guide',
  },
  // … and in English.
  {
    text: 'How long does shipping take?',
    kind: 'answer',
    level: 1,
    topic: 'shipping',
    entry: 'delivery-time',
  },
  {
    text: 'I forgot my password',
    kind: 'answer',
    level: 1,
    topic: 'account',
    entry: 'reset-password',
  },
  {
    text: 'How can I redeem my voucher?',
    kind: 'answer',
    level: 1,
    topic: 'vouchers',
    entry: 'redeem-voucher',
  },
  // A complaint is one however its sentences end: the corpus's complaints mostly end in ".", so
  // a "!" once turned these into suggestions.
  {
    text: 'Ich will mich beschweren, eure Ware ist kaputt!',
    kind: 'handoff',
    level: 2,
    signals: ['complaint'],
  },
  {
    text: 'I want to complain, your product is broken!',
    kind: 'handoff',
    level: 2,
    signals: ['complaint'],
  },
  { text: 'Das ist eine Frechheit!', kind: 'handoff', level: 2, signals: ['complaint'] },
  // Level-2 and level-3 topics go to people.
  {
    text: 'Mein Paket ist nicht angekommen',
    kind: 'handoff',
    level: 2,
    topic: 'shipping',
    entry: 'lost-parcel',
  },
  // A double charge may also read as a complaint; it reaches the payment team either way.
  { text: 'Mir wurde doppelt abgebucht', kind: 'handoff', level: 2, topic: 'payment', signals: [] },
  {
    text: 'I was charged twice for my order',
    kind: 'handoff',
    level: 2,
    topic: 'payment',
    signals: ['complaint'],
  },
  {
    text: 'Ich möchte wissen, welche Daten Sie über mich gespeichert haben',
    kind: 'handoff',
    level: 3,
    topic: 'privacy',
  },
  { text: 'I want to see all data you have about me', kind: 'handoff', level: 3, topic: 'privacy' },
  // Complaints, open and hidden, reach a person.
  {
    text: 'Das ist jetzt das dritte Mal, dass mein Paket nicht ankommt',
    kind: 'handoff',
    level: 2,
    signals: ['complaint'],
  },
  {
    text: 'Schon wieder die falsche Größe geliefert',
    kind: 'handoff',
    level: 2,
    topic: 'complaints',
    // "Schon wieder": a repeated problem, a hidden complaint (data/signals/README.md).
    signals: ['complaint'],
  },
  {
    text: 'this is ridiculous, my parcel is lost again',
    kind: 'handoff',
    level: 2,
    signals: ['complaint'],
  },
  {
    text: 'Wenn das so weitergeht, schalte ich meinen Anwalt ein',
    kind: 'handoff',
    signals: ['complaint'],
    level: 3,
  },
  // Asking for a person is honoured.
  {
    text: 'Ich möchte mit einem Menschen sprechen',
    kind: 'handoff',
    level: 2,
    signals: ['wants-human'],
  },
  { text: 'agent please', kind: 'handoff', level: 2, signals: ['wants-human'] },
  // Urgency is noted without taking the answer away.
  {
    text: 'Ich fliege morgen früh in den Urlaub, wie lange dauert die Lieferung?',
    kind: 'answer',
    level: 1,
    topic: 'shipping',
    signals: ['urgent'],
  },
  // Out of scope: nothing in the knowledge base fits.
  {
    text: 'Wie wird das Wetter morgen?',
    kind: 'handoff',
    level: 2,
    signals: ['out-of-scope'],
  },
  // "Hamburg" is a word of the store-pickup entry's examples, so the weather there is offered as a
  // suggestion to choose, never answered; before the German function-word features it was out of scope.
  // A false alarm, pinned so that a change shows: "morgen" weighs towards urgency (the corpus's
  // deadlines) since "!" no longer carries it.
  {
    text: 'Wie wird das Wetter morgen in Hamburg?',
    kind: 'suggest',
    level: 1,
    signals: ['urgent'],
  },
  { text: 'What is the capital of France?', kind: 'handoff', level: 2, signals: ['out-of-scope'] },
];

// One hidden (and one open) complaint of each kind in the corpus README, in both languages: each
// must reach a person and say so.
const complaints: [kind: string, text: string][] = [
  ['open', 'Ich möchte mich über Ihren Kundenservice beschweren.'],
  ['open', 'I want to file a complaint about your customer service.'],
  // Anger said of oneself, and coarse words for the shop, which the written corpus lacks.
  ['open', 'Ich bin echt sauer, zweimal abgebucht und keine Antwort.'],
  ['open', "I'm furious. Wrong item AGAIN."],
  ['open', 'Abzocke! Die Farbe sieht ganz anders aus als auf dem Foto.'],
  ['open', 'the zipper broke after one day, total garbage'],
  ['disappointment', "In any case I'm very disappointed with the quality."],
  ['waiting', 'Seit Montag nichts gehört, wo bleibt meine Erstattung?'],
  ['waiting', 'Still waiting for my refund, it has been three weeks.'],
  ['repetition', 'Ich schreibe Ihnen jetzt zum wiederholten Mal wegen derselben Bestellung.'],
  ['repetition', 'This is the third time I am writing about the same order.'],
  ['sarcasm', 'Super Service, echt. Drei Wochen für ein Paket.'],
  ['sarcasm', 'Great job, guys. Two weeks and still no parcel.'],
  ['disappointment', 'Ich hatte mir von Ihrem Shop wirklich mehr erwartet.'],
  ['disappointment', 'Honestly, this is not what was promised on your website.'],
  ['threat-to-leave', 'Wenn das nicht bis Freitag geklärt ist, bestelle ich nie wieder bei euch.'],
  ['threat-to-leave', "If this isn't sorted by Friday I'm taking my business elsewhere."],
  ['threat-public', 'Wenn das so weitergeht, schreibe ich überall eine schlechte Bewertung.'],
  ['threat-public', "I'm going to post about this on Twitter and leave a one-star review."],
  ['threat-public', 'Dafür gibt es von mir eine schlechte Bewertung im Internet.'],
  ['threat-legal', 'Ich schalte jetzt meinen Anwalt ein.'],
  ['threat-legal', "I'll file a chargeback with my bank."],
  ['manager', 'Ich möchte sofort Ihren Vorgesetzten sprechen.'],
  ['manager', 'Put me through to your manager.'],
  // A superior beside a wish for a person, in words the complaint model learns poorly.
  ['manager', 'Ich möchte das bitte mit der Filialleitung besprechen, nicht mit der Hotline.'],
  ['manager', 'Can you put me through to the person in charge?'],
  ['bot-frustration', 'Dieser Bot versteht überhaupt nichts.'],
  ['bot-frustration', 'This useless chatbot keeps giving me the same answer.'],
  ['withdrawn-recommendation', 'Ich habe euch immer weiterempfohlen, das mache ich nicht mehr.'],
  ['withdrawn-recommendation', 'I used to recommend you to all my friends. Not anymore.'],
  ['resignation', 'Ich gebe es auf, das bringt ja eh nichts.'],
  ['resignation', "Whatever, I give up. It doesn't matter anymore."],
  // Everyday phrasing the written corpus lacks (rules).
  ['waiting', 'Ich warte jetzt schon drei Wochen auf mein Geld.'],
  ['waiting', "I haven't heard a thing since I sent the boots back."],
  ['repetition', 'Ich habe Ihnen das bereits mehrfach geschrieben: die Adresse ist falsch.'],
  ['sarcasm', 'Na toll, schon wieder die falsche Farbe.'],
  ['threat-to-leave', 'Nach diesem Theater bestelle ich woanders.'],
  ['threat-legal', 'Ich habe bei PayPal den Käuferschutz beantragt.'],
  ['bot-frustration', 'You are not understanding me at all.'],
  ['open', 'So sloppy, the box arrived crushed.'],
];

// The neutral traps: cue words negated, praise, self-service about cancelling and closing,
// someone else's anger, politeness. None may raise a complaint or a wish for a person.
const traps: [kind: string, text: string][] = [
  ['negation', 'Keine Beschwerde, nur eine Frage: wie lange dauert der Versand?'],
  ['negation', 'Not a complaint, just a question: how long does shipping take?'],
  ['negation', 'Es ist nicht dringend, aber kann ich mit PayPal bezahlen?'],
  ['negation', 'Not urgent, but can I pay with PayPal?'],
  ['praise', 'Danke, super Service! Das Paket kam schon heute an.'],
  ['praise', 'You guys are great, thanks for the quick delivery!'],
  ['praise', 'Ich bestelle heute zum dritten Mal bei euch, wieder alles perfekt!'],
  ['praise', 'Third time ordering from you and again everything was perfect!'],
  ['self-service', 'Konto schließen'],
  ['self-service', 'newsletter kündigen'],
  ['self-service', 'close my account'],
  ['self-service', 'Wie kann ich meine Bestellung stornieren?'],
  ['self-service', 'How do I unsubscribe from the newsletter?'],
  ['self-service', 'Wie kann ich meine Bestellung zurücksenden?'],
  [
    'third-party',
    'Meine Mutter hat sich mal beschwert, ich möchte nur wissen, wie lange die Lieferung dauert.',
  ],
  [
    'third-party',
    'My colleague was annoyed about shipping, but I just want to know if you ship to Austria.',
  ],
  ['politeness', 'Entschuldigen Sie die Störung, wie lange dauert die Lieferung nach Österreich?'],
  ['politeness', 'Sorry to bother you, quick question: can I pay with PayPal?'],
  ['negation', 'Ich brauche keinen Rückruf, wie lange dauert die Lieferung?'],
  ['negation', "I don't need anyone to call me back, how long does delivery take?"],
  // The visitor's own boss or a job title is no manager to complain to.
  ['third-party', 'Mein Chef möchte die Rechnung auf die Firma haben, geht das?'],
  ['question', 'Can my office manager order on our business account too?'],
  // English "personal" names no one (German "Personal" is staff).
  ['question', 'edit personal details'],
  ['question', 'Is personalised engraving possible?'],
  // Anger that is supposed, denied or someone else's, and judging words used for other things.
  ['self-service', "If I'm unhappy with the jacket, can I send it back?"],
  ['self-service', "In case I'm unhappy with the fit, can I return it?"],
  ['praise', 'Wir sind nie enttäuscht worden, danke!'],
  ['question', 'Ist das Kabel für die unterirdische Verlegung geeignet?'],
  ['question', 'Es ist lausig kalt draußen, habt ihr warme Handschuhe?'],
  ['question', 'Can I return it if I rip off the tags?'],
  ['question', 'Ich habe eine SMS mit Gutschein bekommen, ist das Abzocke oder echt?'],
  ['question', 'Ist das Kabel unterirdisch verlegt?'],
  ['question', "I'm technically incompetent, how do I reset my password?"],
  ['question', "I'm getting Angry Birds for my son, is it in stock?"],
  ['question', 'Do you sell garbage bags?'],
  ['negation', 'Ich bin nicht sauer, nur neugierig: wann kommt mein Paket?'],
  // The end of an ordinary chat: "ok" and "jetzt" begin many resignations of the corpus.
  ['closing', 'alles klar, danke, schönen Tag noch'],
  ['closing', 'merci, jetzt ist alles klar'],
  ['closing', 'ok got it, thanks'],
  ['closing', 'ok understood'],
  // "Asking again" apologises; it is no repetition complaint.
  ['politeness', 'Sorry for asking again: do you ship to Switzerland?'],
  [
    'third-party',
    'Meine Frau war richtig sauer, aber ich wollte nur fragen, ob ihr nach Österreich liefert.',
  ],
];

describe('decide on the demo knowledge base', () => {
  it.each(complaints)('routes a %s complaint to a person: %j', (_kind, text) => {
    const decision = triage.decide(text);
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toContain('complaint');
    expect(decision.level).toBeGreaterThanOrEqual(2);
    expect(decision.reasons.join(' ')).toMatch(/Beschwerde|complaint/i);
  });

  it('hands a bare wish for a person over without guessing an entry from what is left', () => {
    for (const text of ['Ich will mit einem Menschen sprechen', 'Ich will einen Menschen']) {
      const decision = triage.decide(text);
      expect(decision).toMatchObject({ kind: 'handoff', level: 2, signals: ['wants-human'] });
      expect(decision.entry).toBeUndefined();
      expect(decision.alternatives).toEqual([]);
    }
    // With a subject left, the entry still comes along for the person who takes over.
    const about = triage.decide('Ich möchte mit jemandem über meine Rücksendung sprechen');
    expect(about.topic).toBe('returns');
  });

  it('names a threat only when sure, and quotes words of one sentence', () => {
    const decision = triage.decide(
      'Der Reißverschluss meiner Jacke ist nach zwei Tagen kaputt. Ich möchte sie reklamieren.',
    );
    expect(decision.signals).toContain('complaint');
    const reasons = decision.reasons.join(' ');
    expect(reasons).not.toMatch(/rechtlichen|legal/);
    const quoted = /„([^“]*)“/.exec(reasons)?.[1] ?? '';
    expect(quoted).not.toMatch(/[.!?]\s/);
    expect(quoted.length).toBeGreaterThan(0);
    // A threat the model is sure of is still named.
    expect(triage.decide('Ich schalte jetzt meinen Anwalt ein.').reasons.join(' ')).toMatch(
      /rechtlichen Schritten/,
    );
  });

  it.each(traps)('raises no complaint for %s: %j', (_kind, text) => {
    const decision = triage.decide(text);
    expect(decision.signals).not.toContain('complaint');
    expect(decision.signals).not.toContain('wants-human');
  });

  it('answers the self-service examples of the knowledge base, not as complaints', () => {
    for (const [text, entry] of [
      ['Konto schließen', 'delete-account'],
      ['close my account', 'delete-account'],
      ['newsletter kündigen', 'newsletter-unsubscribe'],
    ] as const) {
      const decision = triage.decide(text);
      expect(decision).toMatchObject({ kind: 'answer', level: 1, signals: [] });
      expect(decision.entry?.id).toBe(entry);
    }
  });

  it('keeps a complaint beside a confident answer that is no complaint look-alike', () => {
    // Only entries whose examples look like complaints to the corpus alone ask for a framed complaint.
    const lookalikes = new Set(model.framedEntries);
    expect(lookalikes.has('reset-password')).toBe(true);
    expect(lookalikes.has('size-guide')).toBe(false);
    const decision = triage.decide(
      'Hatte mich so auf die neue Kollektion gefreut, aber die Größen fallen alle anders aus, nichts passt.',
    );
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toContain('complaint');
  });

  it('names the cue kind and the words that drove a complaint', () => {
    const german = triage.decide('Das ist jetzt das dritte Mal, dass mein Paket nicht ankommt');
    expect(german.reasons.join('\n')).toMatch(/Beschwerde.*„[^“]+“/);
    const english = triage.decide('This is the third time I am writing about the same order.');
    expect(english.reasons.join('\n')).toMatch(/complaint.*“[^”]+”/i);
  });

  it.each([
    'Ich habe eine Frage zur Lieferung nach Österreich, gibt es bei euch auch eine echte Person, die mir das erklären kann?',
    'My parcel has not moved for days and I would really like to talk to someone about the delivery options.',
  ])('hears a request for a person inside a longer message: %j', (text) => {
    const decision = triage.decide(text);
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toContain('wants-human');
  });

  it('hears a request for a person in a request for a manager', () => {
    const decision = triage.decide('Leiten Sie das bitte an Ihren Vorgesetzten weiter.');
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toEqual(expect.arrayContaining(['complaint', 'wants-human']));
  });

  it('classifies what the visitor asked about, without the words that asked for a person', () => {
    const decision = triage.decide(
      'Ich möchte mit einem Mitarbeiter sprechen, wie lange dauert die Lieferung nach Österreich?',
    );
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toContain('wants-human');
    expect(decision.topic).toBe('shipping');
  });

  it.each([
    'talk to a person',
    'Representative please, thank you.',
    'Rückruf',
    'echte Person bitte',
    'Rückruf bitte!!',
    'Teamleitung bitte',
    'Kundenservice bitte',
  ])('hands a request for a person alone over at level 2, with no entry or topic: %j', (text) => {
    const decision = triage.decide(text);
    expect(decision.kind).toBe('handoff');
    expect(decision.signals).toContain('wants-human');
    expect(decision.level).toBe(2);
    expect(decision.entry).toBeUndefined();
    expect(decision.topic).toBeUndefined();
  });

  it.each(golden)('$text → $kind, level $level', (row) => {
    const decision = triage.decide(row.text);
    expect(decision.kind).toBe(row.kind);
    expect(decision.level).toBe(row.level);
    if (row.topic) expect(decision.topic).toBe(row.topic);
    if (row.entry) expect(decision.entry?.id).toBe(row.entry);
    for (const signal of row.signals ?? []) expect(decision.signals).toContain(signal);
    if (!row.signals) expect(decision.signals).toEqual([]);
    expect(decision.reasons.length).toBeGreaterThan(0);
  });

  it('answers in the visitor’s language and explains why', () => {
    const german = triage.decide('Wie bekomme ich ein Rücksendeetikett?');
    expect(german.locale).toBe('de');
    expect(german.entry?.title).toMatch(/Rücksende/);
    expect(german.reasons.join(' ')).toMatch(/Passt zu/);
    const english = triage.decide('How do I get a return label?');
    expect(english.locale).toBe('en');
    expect(english.reasons.join(' ')).toMatch(/Matches/);
  });

  it('offers alternatives, not the answer, when the question is vague', () => {
    const decision = triage.decide('Rücksendung');
    expect(['suggest', 'answer']).toContain(decision.kind);
    if (decision.kind === 'suggest') {
      expect(decision.entry).toBeUndefined();
      expect(decision.alternatives.length).toBeGreaterThan(0);
    }
    for (const alternative of decision.alternatives) {
      expect(alternative.score).toBeGreaterThan(0);
      expect(alternative.score).toBeLessThanOrEqual(1);
    }
  });

  it('decides an empty question without a guess', () => {
    expect(triage.decide('   ')).toMatchObject({
      kind: 'suggest',
      alternatives: [],
      confidence: 0,
    });
  });

  it.each([
    'Danke, hat geklappt!',
    'Passt, danke dir. Schönen Tag noch!',
    'ok 👍',
    'got it, thanks, bye',
    'Vielen Dank für die schnelle Hilfe!',
    'thanks for your quick reply 🙂',
    'Alles klar!',
    'got it',
    'Thanks, that helped :)',
    'Vielen Dank, das hat mir sehr geholfen.',
    'Danke, jetzt hat es geklappt!',
    'Hat geklappt, danke!',
    'that’s it, thanks',
    'Alles klar, danke schön',
    'Danke, viele Grüße',
  ])('acknowledges a message that only ends the chat: %j', (text) => {
    const decision = triage.decide(text);
    expect(decision).toMatchObject({
      kind: 'acknowledge',
      level: 1,
      signals: [],
      alternatives: [],
    });
    expect(decision.entry).toBeUndefined();
    expect(decision.reasons.join(' ')).toMatch(/Dank oder Abschied|thanks or a goodbye/);
  });

  it.each([
    // A greeting opens a chat; a question, sarcasm or a complaint is no goodbye.
    'hallo',
    'Hallo Support',
    'Hilfe!',
    'ok, die Antwort',
    // A sour face, two dots or a word in quotation marks say more than the words.
    'ok :(',
    'Danke -.-',
    'Danke…',
    'ok...',
    'Danke für die "Hilfe"',
    'Vielen Dank für die „schnelle“ Antwort',
    'Danke -_-',
    "ok :'(",
    "thanks for the 'help'",
    'Danke für die ‚Hilfe‘',
    'Danke！？',
    // A question without its question mark.
    'Hat es geklappt',
    'ok ist das jetzt erledigt',
    'Ist jetzt alles erledigt',
    'Passt das',
    'Danke, funktioniert das jetzt',
    'have you got it',
    'Danke?',
    'Danke für die Hilfe 🙄',
    'Danke für nichts.',
    'ok danke, aber wo bleibt mein Paket',
    'Na schön',
    'Danke schön, aber das Paket fehlt noch',
    'thanks, I want to talk to a person',
  ])('does not take %j for the end of the chat', (text) => {
    expect(triage.decide(text).kind).not.toBe('acknowledge');
  });

  it('honours an explicit locale', () => {
    expect(triage.decide('Rechnung', { locale: 'en' }).locale).toBe('en');
  });
});

describe('the model file', () => {
  it('round-trips through JSON with identical decisions', () => {
    const reloaded = createTriage(JSON.parse(JSON.stringify(model)));
    for (const { text } of golden) expect(reloaded.decide(text)).toEqual(triage.decide(text));
  });

  it('records the engine version and the knowledge base hash', () => {
    expect(model.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(model.kbHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a model built without a signal model, saying how to rebuild it', () => {
    const { signals: _signals, ...old } = model;
    expect(() => createTriage(old)).toThrow(
      expect.objectContaining({
        name: 'ModelError',
        code: 'model_version',
        message: expect.stringMatching(/signals.*Rebuild/),
      }),
    );
  });

  it('refuses signal weights whose counts are not counts, with a ModelError', () => {
    for (const size of [-3, 1.5, undefined]) {
      const signals = {
        ...model.signals,
        signals: model.signals.signals.map((o) => ({ ...o, size })),
      };
      expect(() => createTriage({ ...model, signals })).toThrow(
        expect.objectContaining({ name: 'ModelError', code: 'model_corrupt' }),
      );
    }
  });

  it('refuses a model from another engine version', () => {
    expect(() => createTriage({ ...model, engineVersion: '9.0.0' })).toThrow(
      expect.objectContaining({ name: 'ModelError', code: 'model_version' }),
    );
  });

  it.each([
    ['not an object', 'model.json'],
    ['no format', { ...{}, engineVersion: '0.1.0' }],
    ['entries not an array', { entries: 'x' }],
    ['entry without answer', { entries: [{ id: 'a', title: 'A', topic: 't' }] }],
    ['classifier missing', { classifier: undefined }],
    [
      'signal weights corrupt',
      { signals: { ...{ format: 'lotse-signals', version: 2 }, signals: [] } },
    ],
  ])('refuses a corrupt model (%s) with a clear error', (_name, patch) => {
    const input =
      typeof patch === 'string'
        ? patch
        : { ...model, ...patch, ...(_name === 'no format' ? { format: 'x' } : {}) };
    expect(() => createTriage(input)).toThrow(expect.objectContaining({ name: 'ModelError' }));
  });
});

describe('never throws, always the same', () => {
  const corpus = [
    ...(JSON.parse(readFileSync(path.join(corpora, 'blns.json'), 'utf8')) as string[]),
    ...(
      JSON.parse(readFileSync(path.join(corpora, 'h5sc-vectors.json'), 'utf8')) as {
        data: string;
      }[]
    ).map((vector) => vector.data),
  ];

  const isDecision = (decision: Decision) =>
    ['answer', 'suggest', 'handoff', 'acknowledge'].includes(decision.kind) &&
    [1, 2, 3].includes(decision.level) &&
    decision.confidence >= 0 &&
    decision.confidence <= 1 &&
    Array.isArray(decision.reasons);

  it('decides every hostile string of the corpora', () => {
    for (const text of corpus) expect(isDecision(triage.decide(text))).toBe(true);
  });

  it('decides arbitrary Unicode deterministically', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const first = triage.decide(text);
        expect(isDecision(first)).toBe(true);
        expect(triage.decide(text)).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('decides a 1 MB input', () => {
    const huge = 'Wo ist mein Paket? '.repeat(55_000).slice(0, 1_000_000);
    expect(isDecision(triage.decide(huge))).toBe(true);
    const noise = Array.from({ length: 1_000_000 }, (_, i) =>
      String.fromCharCode((i * 7919) % 0xffff),
    ).join('');
    expect(isDecision(triage.decide(noise))).toBe(true);
  });

  it('survives non-string input from untyped callers', () => {
    const decide = triage.decide as (text: unknown) => Decision;
    for (const value of [undefined, null, 42, {}, []]) expect(isDecision(decide(value))).toBe(true);
  });
});
