import { describe, expect, it } from 'vitest';
import {
  abandonmentRate,
  deriveConversations,
  escalationRate,
  escalationRateByLevel,
  firstContactResolution,
  firstResponseTime,
  type MetricEvent,
  resolvedWithin24h,
  selfServiceRate,
} from './conversations.js';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 8); // Mon 2026-11-23 09:00 Berlin

const ev = (
  session: string,
  type: string,
  at: number,
  props: Record<string, unknown> = {},
  extra: Partial<MetricEvent> = {},
): MetricEvent => ({
  type,
  ts: T0 + at,
  sessionId: session,
  anonymousId: `anon-${session}`,
  props,
  ...extra,
});

// Five sessions, hand-checked:
// s1: answer, "Yes"                         → self-service (level 1, returns)
// s2: two questions, then a handoff (level 2, shipping), reply after 2 h, closed after 5 h
// s3: question, nothing for 31 min          → abandoned (level 1)
// s4: handoff (level 3, complaint), reply after 30 min, closed after 30 h, reopened
// s5: "Yes" on s1's topic again by s1's visitor? no: s5 is a new visitor, question then "No" then a
//     second question later in the same conversation, then an explicit abandon event
const events: MetricEvent[] = [
  ev('s1', 'widget.opened', 0),
  ev('s1', 'query.submitted', 1 * MIN),
  ev('s1', 'triage.decided', 1 * MIN, {
    kind: 'answer',
    level: 1,
    topic: 'returns',
    confidence: 0.9,
    signals: [],
  }),
  ev('s1', 'answer.rated', 2 * MIN, { entryId: 'returns-label', helpful: true }),

  ev('s2', 'query.submitted', 0),
  ev('s2', 'triage.decided', 0, {
    kind: 'suggest',
    level: 1,
    topic: 'shipping',
    confidence: 0.4,
    signals: [],
  }),
  ev('s2', 'query.submitted', 5 * MIN),
  ev('s2', 'handoff.created', 6 * MIN, { ticketId: 'T-2', level: 2, topic: 'shipping' }),
  { type: 'agent.replied', ts: T0 + 6 * MIN + 2 * H, props: { ticketId: 'T-2', first: true } },
  { type: 'agent.replied', ts: T0 + 6 * MIN + 3 * H, props: { ticketId: 'T-2' } },
  {
    type: 'conversation.closed',
    ts: T0 + 6 * MIN + 5 * H,
    props: { ticketId: 'T-2', by: 'agent' },
  },

  ev('s3', 'query.submitted', 10 * MIN),
  ev('s3', 'triage.decided', 10 * MIN, {
    kind: 'suggest',
    level: 1,
    topic: 'payment',
    confidence: 0.3,
    signals: [],
  }),

  ev('s4', 'query.submitted', 20 * MIN),
  ev(
    's4',
    'handoff.created',
    21 * MIN,
    { ticketId: 'T-4', level: 3, topic: 'complaint' },
    { conversationId: 'c4' },
  ),
  { type: 'agent.replied', ts: T0 + 51 * MIN, conversationId: 'c4', props: { first: true } },
  { type: 'conversation.closed', ts: T0 + 21 * MIN + 30 * H, props: { ticketId: 'T-4' } },
  { type: 'conversation.reopened', ts: T0 + 21 * MIN + 31 * H, props: { ticketId: 'T-4' } },

  ev('s5', 'query.submitted', 30 * MIN),
  ev('s5', 'triage.decided', 30 * MIN, {
    kind: 'answer',
    level: 1,
    topic: 'returns',
    confidence: 0.8,
    signals: [],
  }),
  ev('s5', 'answer.rated', 31 * MIN, { entryId: 'returns-label', helpful: false }),
  ev('s5', 'conversation.abandoned', 33 * MIN, { stage: 'answer' }),
];

describe('deriveConversations', () => {
  const cs = deriveConversations(events, { now: T0 + 2 * 24 * H });

  it('starts one conversation per first question and ends each in exactly one way', () => {
    expect(cs.map((c) => [c.sessionId, c.outcome])).toEqual([
      ['s2', 'handoff'],
      ['s1', 'self_service'],
      ['s3', 'abandoned'],
      ['s4', 'handoff'],
      ['s5', 'abandoned'],
    ]);
  });

  it('abandons after 30 minutes without a "Yes" or a handoff', () => {
    const s3 = cs.find((c) => c.sessionId === 's3')!;
    expect(s3.endedAt).toBe(T0 + 40 * MIN);
    const open = deriveConversations(
      events.filter((e) => e.sessionId === 's3'),
      { now: T0 + 39 * MIN },
    );
    expect(open[0]!.outcome).toBe('open');
  });

  it('attaches replies, closes and reopens by ticket or conversation id', () => {
    const s2 = cs.find((c) => c.sessionId === 's2')!;
    expect(s2).toMatchObject({
      topic: 'shipping',
      level: 2,
      firstReplyAt: T0 + 6 * MIN + 2 * H,
      closedAt: T0 + 6 * MIN + 5 * H,
      reopened: false,
    });
    const s4 = cs.find((c) => c.sessionId === 's4')!;
    expect(s4).toMatchObject({ id: 'c4', level: 3, firstReplyAt: T0 + 51 * MIN, reopened: true });
  });

  it('counts a quiet e-mail conversation as self-service after 7 days, never as abandoned', () => {
    const mail = [
      ev('m1', 'query.submitted', 0, { channel: 'email' }),
      ev('m1', 'answer.shown', 0, { entryId: 'returns-label', level: 1 }),
    ];
    expect(deriveConversations(mail, { now: T0 + 7 * 24 * H - 1 })[0]!.outcome).toBe('open');
    expect(deriveConversations(mail, { now: T0 + 7 * 24 * H })[0]).toMatchObject({
      outcome: 'self_service',
      endedAt: T0 + 7 * 24 * H,
    });
    // The customer writes back two days later: a person takes over, in the same conversation.
    const answered = deriveConversations([
      ...mail,
      ev('m1', 'handoff.created', 48 * H, { ticketId: 'T-9', level: 1, reason: 'not-helpful' }),
    ]);
    expect(answered.map((c) => [c.outcome, c.handoffAt])).toEqual([['handoff', T0 + 48 * H]]);
    expect(
      deriveConversations(mail, { now: T0 + 24 * H, emailResolvedAfterMs: 24 * H })[0]!.outcome,
    ).toBe('self_service');
  });

  it('gives a conversation the level and topic of a decision sent in the same millisecond before its question', () => {
    const decided = { kind: 'answer', level: 1, topic: 'returns', confidence: 0.9, signals: [] };
    // Events of one millisecond come in either order (the server reads them by random id).
    for (const order of [
      ['triage.decided', 'query.submitted'],
      ['query.submitted', 'triage.decided'],
    ]) {
      const [c] = deriveConversations(
        [
          ...order.map((type) => ev('s9', type, 0, type === 'triage.decided' ? decided : {})),
          ev('s9', 'answer.rated', MIN, { entryId: 'returns-label', helpful: true }),
        ],
        { now: T0 + H },
      );
      expect(c).toMatchObject({ outcome: 'self_service', level: 1, topic: 'returns' });
    }
  });

  it('starts a new conversation for a question after a self-service answer', () => {
    const again = deriveConversations([
      ...events.filter((e) => e.sessionId === 's1'),
      ev('s1', 'query.submitted', 5 * MIN),
    ]);
    expect(again.map((c) => c.id)).toEqual(['s1#1', 's1#2']);
  });
});

describe('conversation metrics', () => {
  const cs = deriveConversations(events, { now: T0 + 2 * 24 * H });

  it('computes the self-service rate as self-service ÷ (self-service + handoffs)', () => {
    expect(selfServiceRate(cs)).toBeCloseTo(1 / 3);
  });

  it('computes escalation overall and by level', () => {
    expect(escalationRate(cs)).toBe(2 / 5);
    // Level 1: s1, s3, s5 (none handed off); level 2: s2; level 3: s4.
    expect(escalationRateByLevel(cs)).toEqual({ 1: 0, 2: 1, 3: 1 });
  });

  it('computes abandonment', () => {
    expect(abandonmentRate(cs)).toBe(2 / 5);
  });

  it('computes resolved within 24 h over closed conversations', () => {
    // s2 closed 5 h after handoff, s4 after 30 h.
    expect(resolvedWithin24h(cs)).toBe(0.5);
  });

  it('computes FCR: closed, never reopened, no second contact on the topic within 7 days', () => {
    // s4 was reopened; s2 counts.
    expect(firstContactResolution(cs)).toBe(0.5);
    const second = deriveConversations([
      ...events,
      ev('s2b', 'query.submitted', 3 * 24 * H, {}, { anonymousId: 'anon-s2' }),
      ev(
        's2b',
        'triage.decided',
        3 * 24 * H,
        { kind: 'suggest', level: 1, topic: 'shipping', confidence: 0.5, signals: [] },
        { anonymousId: 'anon-s2' },
      ),
    ]);
    expect(firstContactResolution(second)).toBe(0);
  });

  it('computes FRT median and p90 in calendar and business hours', () => {
    const frt = firstResponseTime(cs, {
      timeZone: 'Europe/Berlin',
      days: { 1: [['09:00', '10:00']] },
    });
    // Replies after 2 h (s2) and 30 min (s4).
    expect(frt.calendar).toEqual({ count: 2, median: 75 * MIN, p90: 2 * H });
    // Open only 09:00–10:00 Monday: s2 handed off 09:06 → 54 min; s4 09:21 → reply 09:51, 30 min.
    expect(frt.business).toEqual({ count: 2, median: 42 * MIN, p90: 54 * MIN });
  });

  it('gives null, never NaN, without conversations', () => {
    expect(selfServiceRate([])).toBeNull();
    expect(escalationRate([])).toBeNull();
    expect(escalationRateByLevel([])).toEqual({ 1: null, 2: null, 3: null });
    expect(abandonmentRate([])).toBeNull();
    expect(resolvedWithin24h([])).toBeNull();
    expect(firstContactResolution([])).toBeNull();
    expect(firstResponseTime([]).calendar).toEqual({ count: 0, median: null, p90: null });
    expect(deriveConversations([])).toEqual([]);
  });
});
