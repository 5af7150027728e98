import { type BusinessHours, businessMillis } from './business-time.js';
import { median, percentile } from './scores.js';

/** The fields of an event the metrics read (a stored row or a `LotseEvent`). */
export interface MetricEvent {
  type: string;
  ts: number;
  sessionId?: string;
  anonymousId?: string;
  userId?: string;
  conversationId?: string;
  props?: Record<string, unknown>;
}

/** How a conversation ended. `open`: still within the 30-minute window at `now`. */
export type ConversationOutcome = 'self_service' | 'handoff' | 'abandoned' | 'open';

/** One conversation derived from events. */
export interface DerivedConversation {
  /** The first `conversationId` its events carry, or `sessionId#n`. */
  id: string;
  sessionId: string;
  /** `userId` when identified, else `anonymousId`: who to count a second contact against. */
  contact: string;
  topic?: string;
  level?: number;
  startedAt: number;
  /** Last visitor event before it ended. */
  lastActivityAt: number;
  outcome: ConversationOutcome;
  /** When the outcome happened (the "Yes", the handoff, or last activity + 30 min). */
  endedAt?: number;
  handoffAt?: number;
  handoffLevel?: number;
  ticketId?: string;
  firstReplyAt?: number;
  closedAt?: number;
  reopened: boolean;
}

/** Options of {@link deriveConversations}. */
export interface DeriveConversationsOptions {
  /**
   * Inactivity after which an unresolved conversation counts as abandoned, in ms (DESIGN.md: 30 min).
   * @default 1800000
   */
  abandonAfterMs?: number;
  /**
   * Quiet time after which an unresolved e-mail conversation (its first question has
   * `channel: 'email'`) counts as resolved by self-service, in ms: a mail question left open is one
   * the automatic reply answered, and a customer who does not write back (or ask for a person by the
   * reply's "No" link) within the window in which FCR counts a second contact needed nothing more.
   * @default 604800000 (7 days)
   */
  emailResolvedAfterMs?: number;
  /**
   * The moment of evaluation; conversations quiet for less than `abandonAfterMs` are `open`.
   * @default the latest event's ts
   */
  now?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * How long after a close a second contact on the same topic still voids first-contact resolution
 * (7 days); an e-mail conversation quiet this long after its automatic reply needed nothing more.
 */
export const FCR_WINDOW_MS = 7 * 86_400_000;

/**
 * Derives conversations from events: one starts at a session's first question (`query.submitted`)
 * and ends resolved by self-service (an `answer.rated` "Yes"), handed off (`handoff.created`), or
 * abandoned (`conversation.abandoned`, or 30 minutes without either). An e-mail conversation (its
 * first question, or the last at that moment, names `channel: 'email'`) is never abandoned for
 * quiet: after `emailResolvedAfterMs` without a handoff its automatic reply counts as self-service.
 * Agent replies, closes and reopens attach to the handed-off conversation by `conversationId` or
 * `ticketId`.
 */
export function deriveConversations(
  events: readonly MetricEvent[],
  options: DeriveConversationsOptions = {},
): DerivedConversation[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const now = options.now ?? sorted.at(-1)?.ts ?? 0;
  const idle = options.abandonAfterMs ?? 1_800_000;
  const emailIdle = options.emailResolvedAfterMs ?? FCR_WINDOW_MS;
  // The channel named by the last question at each moment of a session (`session\0ts`); by the time
  // a conversation can be idle, every question at its start has been read.
  const channelAt = new Map<string, string>();
  // A decision with no conversation to go to (`session\0ts`): the widget sends the question and
  // its decision in the same millisecond, and events of one millisecond may come in either order,
  // so a conversation that starts at that moment takes the decision's topic and level.
  const decidedAt = new Map<string, { topic?: string; level?: number }>();
  const out: DerivedConversation[] = [];
  const active = new Map<string, DerivedConversation>();
  const handedOff = new Map<string, DerivedConversation>();
  const counts = new Map<string, number>();

  const abandonIfIdle = (c: DerivedConversation, at: number) => {
    const email = channelAt.get(`${c.sessionId}\0${c.startedAt}`) === 'email';
    const wait = email ? emailIdle : idle;
    if (c.outcome === 'open' && at - c.lastActivityAt >= wait) {
      c.outcome = email ? 'self_service' : 'abandoned';
      c.endedAt = c.lastActivityAt + wait;
      active.delete(c.sessionId);
    }
  };

  for (const e of sorted) {
    const p = e.props ?? {};
    const ticket = str(p.ticketId);
    // Events after the handoff (often sent by the server) find their conversation by id or ticket.
    const linked =
      (e.conversationId && handedOff.get(`c:${e.conversationId}`)) ||
      (ticket && handedOff.get(`t:${ticket}`)) ||
      undefined;
    if (linked && e.type === 'agent.replied') {
      if (linked.firstReplyAt === undefined && e.ts >= (linked.handoffAt ?? 0)) {
        linked.firstReplyAt = e.ts;
      }
      continue;
    }
    if (linked && e.type === 'conversation.closed') {
      linked.closedAt ??= e.ts;
      continue;
    }
    if (linked && e.type === 'conversation.reopened') {
      linked.reopened = true;
      continue;
    }
    const session = e.sessionId;
    if (!session) continue;
    if (e.type === 'query.submitted' && typeof p.channel === 'string')
      channelAt.set(`${session}\0${e.ts}`, p.channel);
    let c = active.get(session);
    if (c) abandonIfIdle(c, e.ts);
    c = active.get(session);
    if (!c) {
      if (e.type === 'triage.decided') {
        const topic = str(p.topic);
        const level = num(p.level);
        decidedAt.set(`${session}\0${e.ts}`, {
          ...(topic && { topic }),
          ...(level !== undefined && { level }),
        });
      }
      if (e.type !== 'query.submitted') continue;
      const n = (counts.get(session) ?? 0) + 1;
      counts.set(session, n);
      c = {
        id: e.conversationId ?? `${session}#${n}`,
        sessionId: session,
        contact: e.userId ?? e.anonymousId ?? session,
        startedAt: e.ts,
        lastActivityAt: e.ts,
        outcome: 'open',
        reopened: false,
      };
      const decided = decidedAt.get(`${session}\0${e.ts}`);
      if (decided?.topic !== undefined) c.topic = decided.topic;
      if (decided?.level !== undefined) c.level = decided.level;
      out.push(c);
      active.set(session, c);
    }
    c.lastActivityAt = e.ts;
    // The widget may assign the conversation id only later (e.g. at the handoff).
    if (e.conversationId && c.id === `${session}#${counts.get(session)}`) c.id = e.conversationId;
    const topic = str(p.topic);
    const level = num(p.level);
    if (topic && (e.type === 'triage.decided' || e.type === 'handoff.created' || !c.topic))
      c.topic = topic;
    if (level !== undefined && (e.type === 'triage.decided' || e.type === 'handoff.created'))
      c.level = level;
    if (e.type === 'answer.rated' && p.helpful === true) {
      c.outcome = 'self_service';
      c.endedAt = e.ts;
      active.delete(session);
    } else if (e.type === 'handoff.created') {
      c.outcome = 'handoff';
      c.endedAt = c.handoffAt = e.ts;
      if (level !== undefined) c.handoffLevel = level;
      if (ticket) {
        c.ticketId = ticket;
        handedOff.set(`t:${ticket}`, c);
      }
      handedOff.set(`c:${c.id}`, c);
      if (e.conversationId) handedOff.set(`c:${e.conversationId}`, c);
      active.delete(session);
    } else if (e.type === 'conversation.abandoned') {
      c.outcome = 'abandoned';
      c.endedAt = e.ts;
      active.delete(session);
    }
  }
  for (const c of active.values()) abandonIfIdle(c, now);
  return out;
}

const share = (part: number, whole: number): number | null => (whole ? part / whole : null);
const ended = (cs: readonly DerivedConversation[]) => cs.filter((c) => c.outcome !== 'open');
const closed = (cs: readonly DerivedConversation[]) =>
  cs.filter((c) => c.outcome === 'handoff' && c.closedAt !== undefined);

/** Self-service (deflection) rate: self-service resolutions ÷ (self-service resolutions + handoffs). */
export function selfServiceRate(conversations: readonly DerivedConversation[]): number | null {
  const self = conversations.filter((c) => c.outcome === 'self_service').length;
  const handoffs = conversations.filter((c) => c.outcome === 'handoff').length;
  return share(self, self + handoffs);
}

/** Escalation rate: handoffs ÷ ended conversations. */
export function escalationRate(conversations: readonly DerivedConversation[]): number | null {
  const all = ended(conversations);
  return share(all.filter((c) => c.outcome === 'handoff').length, all.length);
}

/**
 * Escalation rate by level: for each triage level, handoffs ÷ ended conversations of that level;
 * levels without conversations are `null`.
 */
export function escalationRateByLevel(
  conversations: readonly DerivedConversation[],
): Record<1 | 2 | 3, number | null> {
  const at = (l: number) => escalationRate(ended(conversations).filter((c) => c.level === l));
  return { 1: at(1), 2: at(2), 3: at(3) };
}

/** Abandonment rate: conversations left before an answer was accepted or a handoff ÷ ended conversations. */
export function abandonmentRate(conversations: readonly DerivedConversation[]): number | null {
  const all = ended(conversations);
  return share(all.filter((c) => c.outcome === 'abandoned').length, all.length);
}

/** Resolved within 24 h: handed-off conversations closed within 24 h of the handoff ÷ closed ones. */
export function resolvedWithin24h(conversations: readonly DerivedConversation[]): number | null {
  const cs = closed(conversations);
  return share(cs.filter((c) => c.closedAt! - c.handoffAt! <= 86_400_000).length, cs.length);
}

/**
 * First-contact resolution (SQM/COPC-style): closed conversations never reopened and without a second
 * contact on the same topic (a new conversation by the same contact, starting after this one and at
 * most `windowMs` after its close) ÷ closed conversations.
 */
export function firstContactResolution(
  conversations: readonly DerivedConversation[],
  windowMs = FCR_WINDOW_MS,
): number | null {
  const cs = closed(conversations);
  const resolved = cs.filter(
    (c) =>
      !c.reopened &&
      !conversations.some(
        (o) =>
          o !== c &&
          o.contact === c.contact &&
          o.topic === c.topic &&
          o.startedAt > c.startedAt &&
          o.startedAt <= c.closedAt! + windowMs,
      ),
  );
  return share(resolved.length, cs.length);
}

/** Median and 90th percentile of a set of durations, in ms. */
export interface DurationSummary {
  count: number;
  median: number | null;
  p90: number | null;
}

/** First response time: from handoff to the first human reply. */
export interface FirstResponseTime {
  calendar: DurationSummary;
  /** Only business hours counted; `null` when no hours are given. */
  business: DurationSummary | null;
}

const summarise = (values: number[]): DurationSummary => ({
  count: values.length,
  median: median(values),
  p90: percentile(values, 90),
});

/**
 * First response time (median and p90, nearest rank) from handoff to the first agent reply, in
 * calendar time and, with `hours`, in the site's business hours in its time zone.
 */
export function firstResponseTime(
  conversations: readonly DerivedConversation[],
  hours?: BusinessHours,
): FirstResponseTime {
  const replied = conversations.filter(
    (c) => c.handoffAt !== undefined && c.firstReplyAt !== undefined,
  );
  return {
    calendar: summarise(replied.map((c) => c.firstReplyAt! - c.handoffAt!)),
    business: hours
      ? summarise(replied.map((c) => businessMillis(c.handoffAt!, c.firstReplyAt!, hours)))
      : null,
  };
}
