import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveStored, factOf } from '../dashboard/pre-aggregate.js';
import { EMPTY_FOLD, type FoldState, foldEvents, foldNeeds } from './session-fold.js';
import type { EventRow, StoredConversation } from './store.js';

const hours = {
  timeZone: 'Europe/Berlin',
  days: { 1: [['09:00', '17:00']] as [string, string][] },
  holidays: [],
};

/** Events `step` ms apart at most 40 steps: 10 minutes, or 6 hours to reach e-mail's 7 days. */
const eventAt = (step: number) =>
  fc
    .record({
      type: fc.constantFrom(
        'query.submitted',
        'triage.decided',
        'answer.rated',
        'handoff.created',
        'agent.replied',
        'conversation.closed',
        'conversation.reopened',
        'conversation.abandoned',
        'widget.opened',
        'csat.submitted',
      ),
      // Few distinct times, so ties (ordered by id) and the idle rules both occur.
      ts: fc.integer({ min: 0, max: 40 }).map((n) => 1_764_000_000_000 + n * step),
      id: fc.uuid(),
      conversationId: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: null }),
      userId: fc.option(fc.constant('user-1'), { nil: null }),
      topic: fc.option(fc.constantFrom('returns', 'shipping'), { nil: undefined }),
      level: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
      channel: fc.option(fc.constantFrom('widget', 'email'), { nil: undefined }),
      ticketId: fc.option(fc.constantFrom('T-1', 'T-2'), { nil: undefined }),
      helpful: fc.boolean(),
      score: fc.integer({ min: 1, max: 5 }),
    })
    .map(
      (e): EventRow => ({
        id: e.id,
        siteKey: 'demo',
        type: e.type,
        ts: e.ts,
        receivedAt: e.ts,
        sessionId: 's-1',
        anonymousId: 'anon-1',
        conversationId: e.conversationId,
        userId: e.userId,
        props: Object.fromEntries(
          Object.entries({
            topic: e.topic,
            level: e.level,
            channel: e.channel,
            ticketId: e.ticketId,
            helpful: e.type === 'answer.rated' ? e.helpful : undefined,
            score: e.type === 'csat.submitted' ? e.score : undefined,
          }).filter(([, v]) => v !== undefined),
        ),
        clientHash: null,
      }),
    );

/** Folds `events` batch by batch over an in-memory "store", as derive-sessions.ts does. */
function foldInBatches(events: readonly EventRow[], cuts: readonly number[]) {
  const stored = new Map<number, StoredConversation>();
  const links = new Map<string, number>();
  const facts = [];
  let state: FoldState = EMPTY_FOLD;
  const bounds = [...new Set([0, ...cuts.map((c) => c % (events.length + 1)), events.length])];
  bounds.sort((a, b) => a - b);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const batch = events.slice(bounds[i], bounds[i + 1]);
    const needs = foldNeeds(state, batch);
    const known = new Map(
      needs.linkKeys.flatMap((k) => (links.has(k) ? [[k, links.get(k)!]] : [])),
    );
    // Only what derive-sessions.ts would load: the active conversation, the linked ones, the range.
    const seqs = new Set([...(state.active === null ? [] : [state.active]), ...known.values()]);
    if (needs.startRange) for (let s = state.startSeq; s < state.n; s++) seqs.add(s);
    const loaded = new Map([...seqs].map((s) => [s, stored.get(s)!]));
    const r = foldEvents({
      siteKey: 'demo',
      sessionId: 's-1',
      state,
      conversations: loaded,
      links: known,
      events: batch,
      hours,
    });
    for (const c of r.conversations) stored.set(c.seq, c);
    for (const [k, s] of r.links) links.set(k, s);
    facts.push(...r.facts);
    state = r.state;
  }
  return { conversations: [...stored.values()].sort((a, b) => a.seq - b.seq), facts, state };
}

describe('foldEvents', () => {
  it.each([
    ['10 minutes', 600_000],
    ['6 hours', 21_600_000],
  ])(
    'folds batches into what deriveConversations derives from all events at once (events %s apart)',
    (_, step) => {
      fc.assert(
        fc.property(
          fc.array(eventAt(step), { maxLength: 60 }),
          fc.array(fc.nat(), { maxLength: 6 }),
          (raw, cuts) => {
            const events = [...raw].sort((a, b) =>
              a.ts !== b.ts ? a.ts - b.ts : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
            );
            const folded = foldInBatches(events, cuts);
            expect(folded.conversations).toEqual(deriveStored(events, hours));
            expect(folded.facts).toEqual(events.flatMap((e) => factOf(e) ?? []));
            expect(folded.state.events).toBe(events.length);
          },
        ),
        { numRuns: 400 },
      );
    },
  );
});
