// The running summary of one session's conversations: `deriveConversations` of `@lotse/sdk/metrics`
// (with `now` = −∞, see dashboard/pre-aggregate.ts) written as a fold, so that a batch of new
// events costs only what the batch touches, never a re-read of the whole session.
import { type BusinessHours, businessMillis } from '@lotse/sdk/metrics';
import {
  EMAIL_RESOLVED_AFTER_MS,
  factOf,
  hoursKeyOf,
  localDay,
} from '../dashboard/pre-aggregate.js';
import type { EventRow, MetricFact, StoredConversation } from './store.js';

/** What the fold keeps between batches of one session (stored as JSON in `derive_state`). */
export interface FoldState {
  /** The last event folded, in (ts, id) order; `null` before the first. */
  ts: number | null;
  id: string;
  /** Conversations so far (the next one gets seq `n`). */
  n: number;
  /** Seq of the conversation still active, if any. */
  active: number | null;
  /** Start of the latest conversation, and the first seq that started at that moment. */
  startTs: number | null;
  startSeq: number;
  /** The latest ts with a channel-naming question, and that channel (the last at that ts). */
  chanTs: number | null;
  chan: string;
  /**
   * The latest ts of a decision that found no conversation, and its topic and level: the widget
   * sends a question and its decision in one millisecond, read in (ts, id) order either way round,
   * so a conversation that starts at that ts takes them. Absent in states stored before.
   */
  decTs?: number | null;
  decTopic?: string | null;
  decLevel?: number | null;
  /** Events folded so far. */
  events: number;
}

/** The state of a session with no event folded yet. */
export const EMPTY_FOLD: FoldState = {
  ts: null,
  id: '',
  n: 0,
  active: null,
  startTs: null,
  startSeq: 0,
  chanTs: null,
  chan: '',
  events: 0,
};

/** Event types that attach to a handed-off conversation by its id or ticket. */
const LINKED_TYPES = new Set(['agent.replied', 'conversation.closed', 'conversation.reopened']);
const IDLE_MS = 1_800_000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Whether event `a` sorts before `b` in the order the fold needs (ts, then id). */
export function before(a: { ts: number; id: string }, b: { ts: number; id: string }): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

/** What a fold must have loaded before it runs (see {@link foldNeeds}). */
export interface FoldNeeds {
  /** Keys of the handed-off conversations (`c:<id>`, `t:<ticket>`) the events may attach to. */
  linkKeys: string[];
  /** Seqs from `startSeq` up to `n`: a question may set the channel of what started at `startTs`. */
  startRange: boolean;
}

/** The links and conversations a batch reads, so the store loads them in a few lookups. */
export function foldNeeds(state: FoldState, events: readonly EventRow[]): FoldNeeds {
  const keys = new Set<string>();
  let startRange = false;
  for (const e of events) {
    const p = isRecord(e.props) ? e.props : {};
    if (LINKED_TYPES.has(e.type)) {
      if (e.conversationId) keys.add(`c:${e.conversationId}`);
      const ticket = str(p.ticketId);
      if (ticket) keys.add(`t:${ticket}`);
    }
    if (e.type === 'query.submitted' && typeof p.channel === 'string' && e.ts === state.startTs)
      startRange = true;
  }
  return { linkKeys: [...keys], startRange };
}

/** Input of {@link foldEvents}. */
export interface FoldInput {
  siteKey: string;
  sessionId: string;
  state: FoldState;
  /** Stored conversations the fold may change: the active one, those `links` name, the start range. */
  conversations: ReadonlyMap<number, StoredConversation>;
  /** Stored links for the keys {@link foldNeeds} listed. */
  links: ReadonlyMap<string, number>;
  /** New events of the session, all after `state`'s last one, in (ts, id) order. */
  events: readonly EventRow[];
  hours: BusinessHours | undefined;
}

/** Result of {@link foldEvents}. */
export interface FoldResult {
  state: FoldState;
  /** New and changed conversations (to upsert). */
  conversations: StoredConversation[];
  /** Of those, the stored ones whose start, contact, topic, level or channel changed, as they were. */
  regrouped: StoredConversation[];
  /** Links set by the batch (the latest wins, as in `deriveConversations`). */
  links: Map<string, number>;
  facts: MetricFact[];
}

/**
 * Folds new events into a session's running summary: the same conversations `deriveConversations`
 * derives from all of the session's events, for the cost of the new ones.
 */
export function foldEvents(input: FoldInput): FoldResult {
  const s: FoldState = { ...input.state };
  const session = input.sessionId;
  const cache = new Map<number, StoredConversation>();
  for (const [seq, c] of input.conversations) cache.set(seq, { ...c });
  const links = new Map<string, number>();
  const changed = new Set<number>();
  const regrouped = new Map<number, StoredConversation>();
  const regroup = (c: StoredConversation) => {
    const original = input.conversations.get(c.seq);
    if (original !== undefined && !regrouped.has(c.seq)) regrouped.set(c.seq, original);
  };
  const linkOf = (key: string): StoredConversation | undefined => {
    const seq = links.get(key) ?? input.links.get(key);
    return seq === undefined ? undefined : cache.get(seq);
  };
  const activeOf = () => (s.active === null ? undefined : cache.get(s.active));
  // Its channel is settled by then: every question at its start came before `at`.
  const abandonIfIdle = (c: StoredConversation, at: number) => {
    const email = c.channel === 'email';
    const wait = email ? EMAIL_RESOLVED_AFTER_MS : IDLE_MS;
    if (c.outcome === 'open' && at - c.lastActivityAt >= wait) {
      c.outcome = email ? 'self_service' : 'abandoned';
      c.endedAt = c.lastActivityAt + wait;
      changed.add(c.seq);
      s.active = null;
    }
  };
  const facts: MetricFact[] = [];

  for (const e of input.events) {
    s.ts = e.ts;
    s.id = e.id;
    s.events++;
    const fact = factOf(e);
    if (fact !== undefined) facts.push(fact);
    const p = isRecord(e.props) ? e.props : {};
    // The channel of a conversation is that of the last channel-naming question at its start.
    if (e.type === 'query.submitted' && typeof p.channel === 'string') {
      s.chanTs = e.ts;
      s.chan = p.channel;
      if (s.startTs === e.ts) {
        for (let seq = s.startSeq; seq < s.n; seq++) {
          const c = cache.get(seq);
          if (c === undefined || c.channel === p.channel) continue;
          regroup(c);
          c.channel = p.channel;
          changed.add(seq);
        }
      }
    }
    const ticket = str(p.ticketId);
    const linked =
      (e.conversationId ? linkOf(`c:${e.conversationId}`) : undefined) ??
      (ticket ? linkOf(`t:${ticket}`) : undefined);
    if (linked && e.type === 'agent.replied') {
      if (linked.firstReplyAt === null && e.ts >= (linked.handoffAt ?? 0)) {
        linked.firstReplyAt = e.ts;
        changed.add(linked.seq);
      }
      continue;
    }
    if (linked && e.type === 'conversation.closed') {
      if (linked.closedAt === null) {
        linked.closedAt = e.ts;
        changed.add(linked.seq);
      }
      continue;
    }
    if (linked && e.type === 'conversation.reopened') {
      if (!linked.reopened) {
        linked.reopened = true;
        changed.add(linked.seq);
      }
      continue;
    }
    let c = activeOf();
    if (c) abandonIfIdle(c, e.ts);
    c = activeOf();
    if (!c) {
      if (e.type === 'triage.decided') {
        s.decTs = e.ts;
        s.decTopic = str(p.topic) ?? null;
        s.decLevel = num(p.level) ?? null;
      }
      if (e.type !== 'query.submitted') continue;
      const seq = s.n++;
      const decided = s.decTs === e.ts;
      c = {
        siteKey: input.siteKey,
        sessionId: session,
        seq,
        id: e.conversationId ?? `${session}#${s.n}`,
        contact: e.userId ?? e.anonymousId ?? session,
        topic: decided ? (s.decTopic ?? null) : null,
        level: decided ? (s.decLevel ?? null) : null,
        startedAt: e.ts,
        lastActivityAt: e.ts,
        outcome: 'open',
        endedAt: null,
        handoffAt: null,
        handoffLevel: null,
        ticketId: null,
        firstReplyAt: null,
        closedAt: null,
        reopened: false,
        channel: s.chanTs === e.ts ? s.chan : 'widget',
        frtBusiness: null,
        hoursKey: '',
        day: '',
      };
      if (s.startTs !== e.ts) {
        s.startTs = e.ts;
        s.startSeq = seq;
      }
      cache.set(seq, c);
      s.active = seq;
    }
    changed.add(c.seq);
    c.lastActivityAt = e.ts;
    // The widget may assign the conversation id only later (e.g. at the handoff).
    if (e.conversationId && c.id === `${session}#${s.n}`) c.id = e.conversationId;
    const topic = str(p.topic);
    const level = num(p.level);
    if (topic && (e.type === 'triage.decided' || e.type === 'handoff.created' || !c.topic)) {
      if (c.topic !== topic) regroup(c);
      c.topic = topic;
    }
    if (level !== undefined && (e.type === 'triage.decided' || e.type === 'handoff.created')) {
      if (c.level !== level) regroup(c);
      c.level = level;
    }
    if (e.type === 'answer.rated' && p.helpful === true) {
      c.outcome = 'self_service';
      c.endedAt = e.ts;
      s.active = null;
    } else if (e.type === 'handoff.created') {
      c.outcome = 'handoff';
      c.endedAt = c.handoffAt = e.ts;
      if (level !== undefined) c.handoffLevel = level;
      if (ticket) {
        c.ticketId = ticket;
        links.set(`t:${ticket}`, c.seq);
      }
      links.set(`c:${c.id}`, c.seq);
      if (e.conversationId) links.set(`c:${e.conversationId}`, c.seq);
      s.active = null;
    } else if (e.type === 'conversation.abandoned') {
      c.outcome = 'abandoned';
      c.endedAt = e.ts;
      s.active = null;
    }
  }

  const hoursKey = hoursKeyOf(input.hours);
  const timeZone = input.hours?.timeZone ?? 'UTC';
  const conversations: StoredConversation[] = [];
  for (const seq of changed) {
    const c = cache.get(seq)!;
    const replied = c.handoffAt !== null && c.firstReplyAt !== null;
    c.frtBusiness =
      replied && input.hours !== undefined
        ? businessMillis(c.handoffAt!, c.firstReplyAt!, input.hours)
        : null;
    c.hoursKey = hoursKey;
    c.day = localDay(c.startedAt, timeZone);
    conversations.push(c);
  }
  return { state: s, conversations, regrouped: [...regrouped.values()], links, facts };
}
