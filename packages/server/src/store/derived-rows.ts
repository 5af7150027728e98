import type { MetricFact, StoredConversation } from './store.js';

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Columns of a stored conversation, in the order {@link storedConversationFromRaw} reads them. */
export const CONVERSATION_COLUMNS =
  'session_id, seq, id, contact, topic, level, started_at, last_activity_at, outcome, ended_at, handoff_at, handoff_level, ticket_id, first_reply_at, closed_at, reopened, channel, frt_business, hours_key, day';

const numberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

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
    level: numberOrNull(r[5]),
    startedAt: Number(r[6]),
    lastActivityAt: Number(r[7]),
    outcome:
      outcome === 'self_service' || outcome === 'handoff' || outcome === 'abandoned'
        ? outcome
        : 'open',
    endedAt: numberOrNull(r[9]),
    handoffAt: numberOrNull(r[10]),
    handoffLevel: numberOrNull(r[11]),
    ticketId: strOrNull(r[12]),
    firstReplyAt: numberOrNull(r[13]),
    closedAt: numberOrNull(r[14]),
    reopened: Boolean(r[15]),
    channel: str(r[16]),
    frtBusiness: numberOrNull(r[17]),
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
    score: numberOrNull(r[4]),
    conversationId: strOrNull(r[5]),
    topic: strOrNull(r[6]),
    text: strOrNull(r[7]),
    norm: strOrNull(r[8]),
    entryId: strOrNull(r[9]),
    helpful: r[10] === null || r[10] === undefined ? null : Boolean(r[10]),
  };
}
