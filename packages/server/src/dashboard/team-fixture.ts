// A hand-computed week of two agents' conversations for the team figures' golden tests
// (team-figures.test.ts, team-routes.test.ts): every figure's expected value is worked out in the
// comments of team-figures.test.ts from the rows below.
import type { Insertable } from 'kysely';
import type { HandoffsTable } from '../store/schema.js';
import type { EventRow } from '../store/store.js';
import type { TeamImport } from './team-queries.js';

/** The period: Monday 3 to Monday 10 November 2025 (UTC); the previous one is the week before. */
export const TEAM_FROM = Date.parse('2025-11-03T00:00:00Z');
export const TEAM_TO = Date.parse('2025-11-10T00:00:00Z');
/** The moment of evaluation: H7's promise (20 Nov, 10:00) is not yet due. */
export const TEAM_NOW = Date.parse('2025-11-20T00:00:00Z');

/** The two agents' ids (the fixture does not create accounts). */
export const AGENT_A = 'agent-anna';
export const AGENT_B = 'agent-ben';

const at = (iso: string) => Date.parse(iso);

/** A handoff row of the fixture's kind: ticket `T-<id>`, session `s-<id>`, conversation `conv-<id>`. */
export function fixtureHandoff(
  id: string,
  fields: {
    assignee: string | null;
    level: number;
    topic: string;
    email: string;
    created: string;
    reply?: string;
    closed?: string;
    respondBy: string;
    /** The visitor's browser. @default `anon-<id>` */
    anonymousId?: string;
  },
  siteKey: string,
): Insertable<HandoffsTable> {
  return {
    id,
    site_key: siteKey,
    ticket_id: `T-${id}`,
    token_hash: `hash-${id}`,
    token_nonce: `nonce-${id}`,
    request_hash: `req-${id}`,
    email: fields.email,
    email_key: fields.email.toLowerCase(),
    anonymous_id: fields.anonymousId ?? `anon-${id}`,
    session_id: `s-${id}`,
    conversation_id: `conv-${id}`,
    locale: 'de',
    message: 'Hilfe',
    transcript: [],
    classification: { level: fields.level },
    level: fields.level,
    topic: fields.topic,
    status: fields.closed === undefined ? 'open' : 'closed',
    created_at: at(fields.created),
    respond_within_minutes: 60,
    respond_by: fields.respondBy,
    client_hash: null,
    user_id: null,
    assignee: fields.assignee,
    first_reply_at: fields.reply === undefined ? null : at(fields.reply),
    closed_at: fields.closed === undefined ? null : at(fields.closed),
  };
}

/** The scorecard's criteria as the scorecards feature writes them (plus one unreadable entry). */
export const SCORECARD_CRITERIA = JSON.stringify([
  { id: 'c1', label: 'Begrüßung', scale: '1-5', weight: 1 },
  { id: 'c2', label: 'Gelöst', scale: 'yes-no', weight: 1 },
  { id: 'broken', label: 'No scale' },
]);

/** The rows of the fixture for a site. */
export function teamFixture(siteKey: string): TeamImport {
  const A = AGENT_A;
  const B = AGENT_B;
  const handoffs = [
    fixtureHandoff(
      'h0',
      {
        assignee: A,
        level: 1,
        topic: 'returns',
        email: 'v9@example.com',
        created: '2025-10-28T09:00:00Z',
        reply: '2025-10-28T09:30:00Z',
        closed: '2025-10-28T10:30:00Z',
        respondBy: '2025-10-28T12:00:00Z',
      },
      siteKey,
    ),
    fixtureHandoff(
      'h1',
      {
        assignee: A,
        level: 1,
        topic: 'returns',
        email: 'v1@example.com',
        created: '2025-11-03T09:00:00Z',
        reply: '2025-11-03T09:10:00Z',
        closed: '2025-11-03T10:10:00Z',
        respondBy: '2025-11-03T12:00:00Z',
      },
      siteKey,
    ),
    fixtureHandoff(
      'h2',
      {
        assignee: A,
        level: 2,
        topic: 'shipping',
        email: 'v2@example.com',
        created: '2025-11-04T07:00:00Z',
        reply: '2025-11-04T09:00:00Z',
        closed: '2025-11-05T09:00:00Z',
        respondBy: '2025-11-04T08:30:00Z',
      },
      siteKey,
    ),
    fixtureHandoff(
      'h3',
      {
        assignee: A,
        level: 1,
        topic: 'returns',
        email: 'v3@example.com',
        created: '2025-11-06T10:00:00Z',
        respondBy: '2025-11-06T18:00:00Z',
      },
      siteKey,
    ),
    fixtureHandoff(
      'h4',
      {
        assignee: B,
        level: 3,
        topic: 'returns',
        email: 'v4@example.com',
        created: '2025-11-05T08:00:00Z',
        reply: '2025-11-05T08:30:00Z',
        closed: '2025-11-05T09:30:00Z',
        respondBy: '2025-11-05T10:00:00Z',
      },
      siteKey,
    ),
    // V4 again, in the same browser, on the same topic two days after h4's close: h4 is not
    // resolved at first contact.
    fixtureHandoff(
      'h6',
      {
        assignee: B,
        level: 3,
        topic: 'returns',
        email: 'V4@example.com',
        anonymousId: 'anon-h4',
        created: '2025-11-07T12:00:00Z',
        reply: '2025-11-07T12:20:00Z',
        respondBy: '2025-11-07T12:10:00Z',
      },
      siteKey,
    ),
    fixtureHandoff(
      'h7',
      {
        assignee: null,
        level: 1,
        topic: 'returns',
        email: 'v7@example.com',
        created: '2025-11-08T10:00:00Z',
        respondBy: '2025-11-20T10:00:00Z',
      },
      siteKey,
    ),
    // V1 again, in the same browser, on the same topic, but more than 7 days after h1's close: h1
    // stays resolved.
    fixtureHandoff(
      'h5',
      {
        assignee: B,
        level: 1,
        topic: 'returns',
        email: 'v1@example.com',
        anonymousId: 'anon-h1',
        created: '2025-11-12T09:00:00Z',
        reply: '2025-11-12T09:05:00Z',
        respondBy: '2025-11-12T12:00:00Z',
      },
      siteKey,
    ),
    // Created exactly at the period's end: outside it.
    fixtureHandoff(
      'h8',
      {
        assignee: A,
        level: 1,
        topic: 'other',
        email: 'v8@example.com',
        created: '2025-11-10T00:00:00Z',
        reply: '2025-11-10T00:01:00Z',
        respondBy: '2025-11-10T12:00:00Z',
      },
      siteKey,
    ),
  ];
  const message = (id: string, handoffId: string, author: 'agent' | 'visitor', ts: string) => ({
    id,
    handoff_id: handoffId,
    author,
    text: author === 'agent' ? 'Antwort' : 'Frage',
    ts: at(ts),
  });
  return {
    handoffs,
    messages: [
      message('m1', 'h1', 'agent', '2025-11-03T09:10:00Z'),
      message('m2', 'h1', 'visitor', '2025-11-03T09:20:00Z'),
      message('m3', 'h1', 'agent', '2025-11-03T09:23:00Z'),
      message('m4', 'h2', 'agent', '2025-11-04T09:00:00Z'),
      message('m5', 'h4', 'agent', '2025-11-05T08:30:00Z'),
      message('m6', 'h6', 'agent', '2025-11-07T12:20:00Z'),
      message('m7', 'h8', 'agent', '2025-11-10T00:01:00Z'),
    ],
    notes: [
      { id: 'n1', handoff_id: 'h1', agent_id: A, text: 'intern', ts: at('2025-11-03T09:05:00Z') },
      // A colleague's note is not A's active time.
      { id: 'n2', handoff_id: 'h1', agent_id: B, text: 'intern', ts: at('2025-11-03T09:07:00Z') },
    ],
    ticks: [
      {
        handoff_id: 'h1',
        step: 0,
        step_text: 'Bestellnummer',
        agent_id: A,
        ts: at('2025-11-03T09:06:00Z'),
      },
      {
        handoff_id: 'h1',
        step: 1,
        step_text: 'Etikett',
        agent_id: A,
        ts: at('2025-11-03T09:30:00Z'),
      },
      // A step the playbook no longer has: not counted.
      { handoff_id: 'h1', step: 7, step_text: 'alt', agent_id: A, ts: at('2025-11-03T09:31:00Z') },
      {
        handoff_id: 'h6',
        step: 0,
        step_text: 'Bestellnummer',
        agent_id: B,
        ts: at('2025-11-07T12:15:00Z'),
      },
    ],
    scorecards: [
      {
        id: 'sc1',
        site_key: siteKey,
        name: 'Basis',
        topic: null,
        criteria: SCORECARD_CRITERIA,
        created_by: 'owner',
        created_at: at('2025-10-01T00:00:00Z'),
        archived_at: null,
      },
    ],
    reviews: [
      {
        id: 'r1',
        handoff_id: 'h1',
        scorecard_id: 'sc1',
        reviewer_id: 'owner',
        agent_id: A,
        scores: JSON.stringify({ c1: { score: 5, comment: 'gut' }, c2: { score: 1, comment: '' } }),
        score: 1,
        ts: at('2025-11-11T10:00:00Z'),
      },
      {
        id: 'r2',
        handoff_id: 'h2',
        scorecard_id: 'sc1',
        reviewer_id: 'owner',
        agent_id: A,
        scores: JSON.stringify({
          c1: { score: 3, comment: '' },
          c2: { score: 0, comment: 'nein' },
          broken: { score: 4 },
        }),
        score: 0.25,
        ts: at('2025-11-11T10:05:00Z'),
      },
    ],
  };
}

/**
 * The fixture's events: the widget's side of the handoffs whose visitor came back (h1 and h5, h4
 * and h6: a question, then the handoff naming its ticket, so that the stored conversations know the
 * second contact the dashboard counts), the ratings (CSAT by conversation id and by ticket, NPS) and
 * a reopen.
 */
export function teamFixtureEvents(siteKey: string): EventRow[] {
  const event = (
    id: string,
    session: string,
    type: string,
    ts: string | number,
    props: Record<string, unknown>,
    conversationId: string | null = null,
    anonymousId = `anon-${session}`,
  ): EventRow => ({
    id: `00000000-0000-4000-8000-${id.padStart(12, '0')}`,
    siteKey,
    type,
    ts: typeof ts === 'number' ? ts : at(ts),
    receivedAt: typeof ts === 'number' ? ts : at(ts),
    sessionId: session,
    anonymousId,
    conversationId,
    userId: null,
    props,
    clientHash: null,
  });
  const handoffs = new Map((teamFixture(siteKey).handoffs ?? []).map((h) => [h.id, h]));
  // A question a minute before the handoff, then the handoff, in the handoff's session and browser.
  const handedOff = (n: number, id: string) => {
    const h = handoffs.get(id)!;
    const created = Number(h.created_at);
    const anonymous = String(h.anonymous_id);
    const props = {
      ticketId: h.ticket_id,
      level: h.level,
      topic: h.topic,
      reason: 'person-button',
    };
    return [
      event(
        `${n}`,
        `s-${id}`,
        'query.submitted',
        created - 60_000,
        { locale: 'de', length: 20 },
        null,
        anonymous,
      ),
      event(`${n + 1}`, `s-${id}`, 'handoff.created', created, props, `conv-${id}`, anonymous),
    ];
  };
  return [
    ...handedOff(11, 'h1'),
    ...handedOff(13, 'h5'),
    ...handedOff(15, 'h4'),
    ...handedOff(17, 'h6'),
    event('1', 's-h1', 'csat.submitted', '2025-11-03T10:20:00Z', {
      score: 5,
      conversationId: 'conv-h1',
    }),
    event('2', 's-h2', 'csat.submitted', '2025-11-05T09:10:00Z', {
      score: 2,
      conversationId: 'T-h2',
    }),
    event('3', 's-h2', 'nps.submitted', '2025-11-05T10:00:00Z', { score: 10 }),
    event(
      '4',
      's-h2',
      'conversation.reopened',
      '2025-11-04T12:00:00Z',
      { ticketId: 'T-h2', by: 'visitor' },
      'conv-h2',
    ),
    // Another conversation's reopen in another session: not h1's.
    event(
      '5',
      's-other',
      'conversation.reopened',
      '2025-11-03T12:00:00Z',
      { ticketId: 'T-x', by: 'visitor' },
      'conv-h1',
    ),
  ];
}
