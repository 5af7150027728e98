import { numOrNull, type Row, str, strOrNull } from './rows.js';
import type { MetricFact, StoredConversation } from './store.js';

/** Columns of a stored conversation, as {@link storedConversationFromRow} reads them. */
export const CONVERSATION_COLUMNS = [
  'session_id',
  'seq',
  'id',
  'contact',
  'topic',
  'level',
  'started_at',
  'last_activity_at',
  'outcome',
  'ended_at',
  'handoff_at',
  'handoff_level',
  'ticket_id',
  'first_reply_at',
  'closed_at',
  'reopened',
  'channel',
  'frt_business',
  'hours_key',
  'day',
] as const;

/** A row of {@link CONVERSATION_COLUMNS} (SQLite or PostgreSQL) as a stored conversation. */
export function storedConversationFromRow(siteKey: string, r: Row): StoredConversation {
  const outcome = str(r.outcome);
  return {
    siteKey,
    sessionId: str(r.session_id),
    seq: Number(r.seq),
    id: str(r.id),
    contact: str(r.contact),
    topic: strOrNull(r.topic),
    level: numOrNull(r.level),
    startedAt: Number(r.started_at),
    lastActivityAt: Number(r.last_activity_at),
    outcome:
      outcome === 'self_service' || outcome === 'handoff' || outcome === 'abandoned'
        ? outcome
        : 'open',
    endedAt: numOrNull(r.ended_at),
    handoffAt: numOrNull(r.handoff_at),
    handoffLevel: numOrNull(r.handoff_level),
    ticketId: strOrNull(r.ticket_id),
    firstReplyAt: numOrNull(r.first_reply_at),
    closedAt: numOrNull(r.closed_at),
    reopened: Boolean(r.reopened),
    channel: str(r.channel),
    frtBusiness: numOrNull(r.frt_business),
    hoursKey: str(r.hours_key),
    day: str(r.day),
  };
}

/** A stored conversation as the row that stores it. */
export function conversationValues(c: StoredConversation) {
  return {
    site_key: c.siteKey,
    session_id: c.sessionId,
    seq: c.seq,
    id: c.id,
    contact: c.contact,
    topic: c.topic,
    level: c.level,
    started_at: c.startedAt,
    last_activity_at: c.lastActivityAt,
    outcome: c.outcome,
    ended_at: c.endedAt,
    handoff_at: c.handoffAt,
    handoff_level: c.handoffLevel,
    ticket_id: c.ticketId,
    first_reply_at: c.firstReplyAt,
    closed_at: c.closedAt,
    reopened: c.reopened ? 1 : 0,
    channel: c.channel,
    frt_business: c.frtBusiness,
    hours_key: c.hoursKey,
    day: c.day,
  };
}

/** Columns of a metric fact, as {@link metricFactFromRow} reads them. */
export const FACT_COLUMNS = [
  'event_id',
  'session_id',
  'type',
  'ts',
  'score',
  'conversation_id',
  'topic',
  'text',
  'norm',
  'entry_id',
  'helpful',
  'kb_version',
  'locale',
] as const;

/** A row of {@link FACT_COLUMNS} (SQLite or PostgreSQL) as a metric fact. */
export function metricFactFromRow(siteKey: string, r: Row): MetricFact {
  return {
    siteKey,
    eventId: str(r.event_id),
    sessionId: str(r.session_id),
    type: str(r.type),
    ts: Number(r.ts),
    score: numOrNull(r.score),
    conversationId: strOrNull(r.conversation_id),
    topic: strOrNull(r.topic),
    text: strOrNull(r.text),
    norm: strOrNull(r.norm),
    entryId: strOrNull(r.entry_id),
    helpful: r.helpful === null || r.helpful === undefined ? null : Boolean(r.helpful),
    kbVersion: numOrNull(r.kb_version),
    locale: strOrNull(r.locale),
  };
}

/**
 * Columns {@link nextContactChanges} reads: a conversation's key, what a second contact must share
 * with it, its start, and its stored FCR second contacts (see `NEXT_CONTACT_COLUMNS` in
 * dashboard/summary-queries.ts).
 */
export const NEXT_CONTACT_COLUMNS = [
  'session_id',
  'seq',
  'contact',
  'topic',
  'level',
  'channel',
  'started_at',
  'next_topic_at',
  'next_level_at',
  'next_channel_at',
  'next_level_channel_at',
] as const;

/**
 * New second-contact times of one stored conversation (see `NEXT_CONTACT_COLUMNS`,
 * dashboard/summary-queries.ts).
 */
export interface NextContactChange {
  sessionId: string;
  seq: number;
  topic: number | null;
  level: number | null;
  channel: number | null;
  levelChannel: number | null;
}

/**
 * From every stored conversation of some contacts (rows of {@link NEXT_CONTACT_COLUMNS}): when the
 * next conversation of the same contact and topic started (strictly later), and of the same topic
 * and level, topic and channel, topic, level and channel. Returns only the conversations whose
 * stored values differ.
 */
export function nextContactChanges(rows: readonly Row[]): NextContactChange[] {
  const cs = rows.map((r) => ({
    sessionId: str(r.session_id),
    seq: Number(r.seq),
    contact: str(r.contact),
    topic: strOrNull(r.topic),
    level: numOrNull(r.level),
    channel: str(r.channel),
    startedAt: Number(r.started_at),
    stored: [
      numOrNull(r.next_topic_at),
      numOrNull(r.next_level_at),
      numOrNull(r.next_channel_at),
      numOrNull(r.next_level_channel_at),
    ],
    next: [null, null, null, null] as (number | null)[],
  }));
  const keys = [
    (c: (typeof cs)[number]) => JSON.stringify([c.contact, c.topic]),
    (c: (typeof cs)[number]) => JSON.stringify([c.contact, c.topic, c.level]),
    (c: (typeof cs)[number]) => JSON.stringify([c.contact, c.topic, c.channel]),
    (c: (typeof cs)[number]) => JSON.stringify([c.contact, c.topic, c.level, c.channel]),
  ];
  const byStart = [...cs].sort((a, b) => b.startedAt - a.startedAt);
  for (const [k, keyOf] of keys.entries()) {
    // Latest first: the earliest start seen so far that is strictly later, per group.
    const seen = new Map<string, { at: number; next: number | null }>();
    for (const c of byStart) {
      const key = keyOf(c);
      const s = seen.get(key);
      if (s === undefined) seen.set(key, { at: c.startedAt, next: null });
      else if (s.at === c.startedAt) c.next[k] = s.next;
      else {
        c.next[k] = s.at;
        s.next = s.at;
        s.at = c.startedAt;
      }
    }
  }
  return cs
    .filter((c) => c.next.some((v, i) => v !== c.stored[i]))
    .map((c) => ({
      sessionId: c.sessionId,
      seq: c.seq,
      topic: c.next[0] ?? null,
      level: c.next[1] ?? null,
      channel: c.next[2] ?? null,
      levelChannel: c.next[3] ?? null,
    }));
}
