import { numOrNull, str, strOrNull } from './rows.js';
import type { MetricFact, StoredConversation } from './store.js';

/** Columns of a stored conversation, in the order {@link storedConversationFromRaw} reads them. */
export const CONVERSATION_COLUMNS =
  'session_id, seq, id, contact, topic, level, started_at, last_activity_at, outcome, ended_at, handoff_at, handoff_level, ticket_id, first_reply_at, closed_at, reopened, channel, frt_business, hours_key, day';

/** A row of {@link CONVERSATION_COLUMNS} (SQLite or PostgreSQL) as a stored conversation. */
export function storedConversationFromRaw(siteKey: string, r: unknown[]): StoredConversation {
  const outcome = str(r[8]);
  return {
    siteKey,
    sessionId: str(r[0]),
    seq: Number(r[1]),
    id: str(r[2]),
    contact: str(r[3]),
    topic: strOrNull(r[4]),
    level: numOrNull(r[5]),
    startedAt: Number(r[6]),
    lastActivityAt: Number(r[7]),
    outcome:
      outcome === 'self_service' || outcome === 'handoff' || outcome === 'abandoned'
        ? outcome
        : 'open',
    endedAt: numOrNull(r[9]),
    handoffAt: numOrNull(r[10]),
    handoffLevel: numOrNull(r[11]),
    ticketId: strOrNull(r[12]),
    firstReplyAt: numOrNull(r[13]),
    closedAt: numOrNull(r[14]),
    reopened: Boolean(r[15]),
    channel: str(r[16]),
    frtBusiness: numOrNull(r[17]),
    hoursKey: str(r[18]),
    day: str(r[19]),
  };
}

/** Columns of a metric fact, in the order {@link metricFactFromRaw} reads them. */
export const FACT_COLUMNS =
  'event_id, session_id, type, ts, score, conversation_id, topic, text, norm, entry_id, helpful';

/** A row of {@link FACT_COLUMNS} (SQLite or PostgreSQL) as a metric fact. */
export function metricFactFromRaw(siteKey: string, r: unknown[]): MetricFact {
  return {
    siteKey,
    eventId: str(r[0]),
    sessionId: str(r[1]),
    type: str(r[2]),
    ts: Number(r[3]),
    score: numOrNull(r[4]),
    conversationId: strOrNull(r[5]),
    topic: strOrNull(r[6]),
    text: strOrNull(r[7]),
    norm: strOrNull(r[8]),
    entryId: strOrNull(r[9]),
    helpful: r[10] === null || r[10] === undefined ? null : Boolean(r[10]),
  };
}

/**
 * Columns {@link nextContactChanges} reads: a conversation's key, what a second contact must share
 * with it, its start, and its stored FCR second contacts (see `NEXT_CONTACT_COLUMNS` in
 * dashboard/summary-queries.ts).
 */
export const NEXT_CONTACT_SELECT =
  'session_id, seq, contact, topic, level, channel, started_at, next_topic_at, next_level_at, next_channel_at, next_level_channel_at';

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
 * From every stored conversation of some contacts (rows of {@link NEXT_CONTACT_SELECT}): when the
 * next conversation of the same contact and topic started (strictly later), and of the same topic
 * and level, topic and channel, topic, level and channel. Returns only the conversations whose
 * stored values differ.
 */
export function nextContactChanges(rows: readonly unknown[][]): NextContactChange[] {
  const cs = rows.map((r) => ({
    sessionId: str(r[0]),
    seq: Number(r[1]),
    contact: str(r[2]),
    topic: strOrNull(r[3]),
    level: numOrNull(r[4]),
    channel: str(r[5]),
    startedAt: Number(r[6]),
    stored: [numOrNull(r[7]), numOrNull(r[8]), numOrNull(r[9]), numOrNull(r[10])],
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
