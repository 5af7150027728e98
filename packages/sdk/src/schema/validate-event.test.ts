import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventPropsMap } from './events.js';
import { handoffReplySchema, handoffRequestSchema } from './handoff.js';
import { eventSchema, validateEvent } from './validate-event.js';

const envelope = {
  id: '6c1f3f7e-2b1a-4c1e-9d2f-0a1b2c3d4e5f',
  ts: 1_790_000_000_000,
  siteKey: 'demo',
  sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  anonymousId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
};

const samples: { [T in keyof EventPropsMap]: EventPropsMap[T] } = {
  'widget.opened': { channel: 'widget', locale: 'de' },
  'query.submitted': { locale: 'en-GB', length: 42 },
  'query.unanswered': { text: 'Wo ist mein Paket? Tel [phone]', locale: 'de', topic: 'shipping' },
  'triage.decided': {
    kind: 'handoff',
    level: 2,
    topic: 'shipping',
    confidence: 0.42,
    signals: ['urgent'],
  },
  'answer.shown': { entryId: 'returns-label', topic: 'returns', level: 1, kbVersion: 3 },
  'answer.rated': { entryId: 'returns-label', helpful: false, kbVersion: 3 },
  'suggestion.clicked': { entryId: 'returns-label', rank: 0 },
  'handoff.created': {
    ticketId: 'T-1001',
    level: 2,
    topic: 'shipping',
    channel: 'widget',
    reason: 'wants-human',
  },
  'agent.replied': { ticketId: 'T-1001', first: true, channel: 'email' },
  'conversation.closed': { ticketId: 'T-1001', by: 'agent' },
  'conversation.reopened': { ticketId: 'T-1001', by: 'visitor' },
  'conversation.abandoned': { stage: 'suggestions' },
  'csat.submitted': { score: 5, conversationId: 'c-1' },
  'ces.submitted': { score: 7, conversationId: 'c-1' },
  'nps.submitted': { score: 0 },
};

describe('validateEvent', () => {
  it.each(EVENT_TYPES)('accepts a valid %s event', (type) => {
    const r = validateEvent({ ...envelope, type, props: samples[type] });
    expect(r).toMatchObject({ ok: true, event: { type } });
    expect(eventSchema.safeParse({ ...envelope, type, props: samples[type] }).success).toBe(true);
  });

  it.each([
    [null, 'invalid_event', ''],
    [[], 'invalid_event', ''],
    [{ ...envelope, props: {} }, 'missing_field', 'type'],
    [{ ...envelope, type: 'page.viewed', props: {} }, 'unknown_type', 'type'],
    [{ ...envelope, type: 'nps.submitted', props: { score: 11 } }, 'out_of_range', 'props.score'],
    [
      { ...envelope, type: 'csat.submitted', props: { score: 0, conversationId: 'c' } },
      'out_of_range',
      'props.score',
    ],
    [
      { ...envelope, type: 'csat.submitted', props: { score: 4 } },
      'missing_field',
      'props.conversationId',
    ],
    [
      { ...envelope, type: 'ces.submitted', props: { score: 3.5, conversationId: 'c' } },
      'invalid_field',
      'props.score',
    ],
    [
      { ...envelope, type: 'answer.rated', props: { entryId: 'x', helpful: true, comment: 'hi' } },
      'unknown_field',
      'props.comment',
    ],
    [
      { ...envelope, type: 'answer.rated', props: { entryId: 'free text here', helpful: true } },
      'invalid_field',
      'props.entryId',
    ],
    [
      { ...envelope, id: 'not-a-uuid', type: 'nps.submitted', props: { score: 1 } },
      'invalid_field',
      'id',
    ],
    [
      { ...envelope, ts: 'yesterday', type: 'nps.submitted', props: { score: 1 } },
      'invalid_field',
      'ts',
    ],
    [
      { ...envelope, ts: 8_639_999_999_000_000, type: 'nps.submitted', props: { score: 1 } },
      'out_of_range',
      'ts',
    ],
    [
      { ...envelope, email: 'a@b.de', type: 'nps.submitted', props: { score: 1 } },
      'unknown_field',
      'email',
    ],
    [
      {
        ...envelope,
        type: 'triage.decided',
        props: { kind: 'answer', level: 4, confidence: 1, signals: [] },
      },
      'invalid_field',
      'props.level',
    ],
    [
      { ...envelope, type: 'answer.shown', props: { entryId: 'x', kbVersion: 0 } },
      'out_of_range',
      'props.kbVersion',
    ],
    [
      { ...envelope, type: 'answer.rated', props: { entryId: 'x', helpful: true, kbVersion: 1.5 } },
      'invalid_field',
      'props.kbVersion',
    ],
    [
      {
        ...envelope,
        type: 'answer.rated',
        props: { entryId: 'x', helpful: true, kbVersion: 2 ** 31 },
      },
      'out_of_range',
      'props.kbVersion',
    ],
    [
      { ...envelope, type: 'query.unanswered', props: { text: 'mail me: jane@example.com' } },
      'unmasked_text',
      'props.text',
    ],
    [
      { ...envelope, type: 'query.unanswered', props: { text: 'x'.repeat(201) } },
      'too_long',
      'props.text',
    ],
  ])('rejects %j with %s at %j', (input, code, field) => {
    expect(validateEvent(input)).toMatchObject({ ok: false, code, field });
  });

  it('names the field in its message', () => {
    const r = validateEvent({ ...envelope, type: 'nps.submitted', props: { score: 12 } });
    expect(r.ok === false && r.message).toBe('props.score must be at most 10');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = validateEvent(input);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), fc.object(), (type, props) => {
        const r = validateEvent({ ...envelope, type, props });
        if (!r.ok) expect(r.field === '' || r.field.length > 0).toBe(true);
      }),
    );
  });
});

describe('handoff schemas', () => {
  const request = {
    id: '6c1f3f7e-2b1a-4c1e-9d2f-0a1b2c3d4e5f',
    siteKey: 'demo',
    email: 'kunde@beispiel.de',
    consent: true,
    message: 'Mein Paket ist nicht angekommen.',
    transcript: [{ from: 'visitor', text: 'Wo ist mein Paket?', ts: 1 }],
    classification: {
      level: 2,
      topic: 'shipping',
      signals: ['urgent'],
      confidence: 0.4,
      reasons: ['topic shipping is level 2'],
    },
    locale: 'de',
  };

  it('accepts a complete handoff and its reply', () => {
    expect(handoffRequestSchema.safeParse(request).success).toBe(true);
    expect(
      handoffReplySchema.safeParse({
        ticketId: 'T-1',
        conversationToken: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        respondWithinMinutes: 240,
        respondBy: new Date(0).toISOString(),
      }).success,
    ).toBe(true);
  });

  it('requires consent and a plausible e-mail address', () => {
    expect(handoffRequestSchema.safeParse({ ...request, consent: false }).success).toBe(false);
    expect(handoffRequestSchema.safeParse({ ...request, email: 'kunde at beispiel' }).success).toBe(
      false,
    );
  });
});
