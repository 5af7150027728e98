import {
  type BusinessHours,
  businessMillis,
  deriveConversations,
  FCR_WINDOW_MS,
  wallClock,
} from '@lotse/sdk/metrics';
import { MAX_EPOCH_MS } from '@lotse/sdk/schema';
import type { EventRow, MetricFact, Store, StoredConversation } from '../store/store.js';
import { toMetricEvent } from './metric-event.js';

/**
 * Event types whose own time counts (scores, unanswered questions, ratings, answers shown): kept
 * as facts. An `answer.shown` counts only per knowledge-base version, so it is kept only when it
 * names one (see {@link factOf}).
 */
export const FACT_TYPES = new Set([
  'csat.submitted',
  'ces.submitted',
  'nps.submitted',
  'query.unanswered',
  'answer.rated',
  'answer.shown',
]);

/**
 * Quiet time after which an open e-mail conversation counts as resolved by its automatic reply:
 * `emailResolvedAfterMs` of `deriveConversations` (7 days, FCR's window for a second contact).
 */
export const EMAIL_RESOLVED_AFTER_MS = FCR_WINDOW_MS;

/** Groups texts that differ only in case, spacing or end punctuation. */
export function normaliseQuestion(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.…]+$/u, '')
    .trim();
}

/** The business hours as the key stored with each business-hours FRT. */
export const hoursKeyOf = (hours: BusinessHours | undefined): string =>
  hours === undefined ? '' : JSON.stringify(hours);

const HOUR = 3_600_000;
const offsets = new Map<string, number | null>();

/**
 * The local day (`YYYY-MM-DD`) of `ts` in `timeZone`, as `wallClock` gives it: the offset is looked
 * up once per UTC hour (and per instant in the rare hour that contains a change of offset).
 */
export function localDay(instant: number, timeZone: string): string {
  // Rows stored before `ts` had its bound may lie where a day's offset leaves the Date range.
  const ts = Math.min(Math.max(instant, 0), MAX_EPOCH_MS);
  const hour = Math.floor(ts / HOUR) * HOUR;
  const key = `${timeZone}@${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = wallClock(hour, timeZone) - hour;
    const end = wallClock(hour + HOUR - 1, timeZone) - (hour + HOUR - 1);
    offset = start === end ? start : null;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  const wall = offset === null ? wallClock(ts, timeZone) : ts + offset;
  return new Date(wall).toISOString().slice(0, 10);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** An event reduced to a fact, or undefined when its type is not one. */
export function factOf(e: EventRow): MetricFact | undefined {
  if (!FACT_TYPES.has(e.type)) return undefined;
  const p = (typeof e.props === 'object' && e.props !== null ? e.props : {}) as Record<
    string,
    unknown
  >;
  const kbVersion = typeof p.kbVersion === 'number' ? p.kbVersion : null;
  if (e.type === 'answer.shown' && kbVersion === null) return undefined;
  const text = str(p.text);
  return {
    siteKey: e.siteKey,
    eventId: e.id,
    sessionId: e.sessionId,
    type: e.type,
    ts: e.ts,
    score: typeof p.score === 'number' ? p.score : null,
    conversationId: str(p.conversationId),
    topic: str(p.topic),
    text,
    norm: text === null ? null : normaliseQuestion(text),
    entryId: str(p.entryId),
    helpful: typeof p.helpful === 'boolean' ? p.helpful : null,
    kbVersion,
    locale: str(p.locale),
  };
}

/**
 * Derives the conversations of one or more sessions of a site with `deriveConversations` of
 * `@lotse/sdk/metrics`, evaluated before any time passes (`now` = −∞): a conversation still active
 * after its session's last event stays `open`, and the reader turns it into `abandoned` once 30
 * minutes have passed by its own clock — exactly what `deriveConversations` with that `now` gives.
 * `events` are all events of these sessions, ordered by ts and id.
 */
export function deriveStored(
  events: readonly EventRow[],
  hours: BusinessHours | undefined,
): StoredConversation[] {
  const bySession = new Map<string, EventRow[]>();
  for (const e of events) {
    const list = bySession.get(e.sessionId);
    if (list === undefined) bySession.set(e.sessionId, [e]);
    else list.push(e);
  }
  const hoursKey = hoursKeyOf(hours);
  const out: StoredConversation[] = [];
  for (const [sessionId, list] of bySession) {
    // The channel of a conversation is that of the question that started it (last one at that ts).
    const channelAt = new Map<number, string>();
    for (const e of list) {
      const channel = (e.props as Record<string, unknown> | null)?.channel;
      if (e.type === 'query.submitted' && typeof channel === 'string') channelAt.set(e.ts, channel);
    }
    const derived = deriveConversations(list.map(toMetricEvent), {
      now: Number.NEGATIVE_INFINITY,
      emailResolvedAfterMs: EMAIL_RESOLVED_AFTER_MS,
    });
    for (const [seq, c] of derived.entries()) {
      const replied = c.handoffAt !== undefined && c.firstReplyAt !== undefined;
      out.push({
        siteKey: list[0]!.siteKey,
        sessionId,
        seq,
        id: c.id,
        contact: c.contact,
        topic: c.topic ?? null,
        level: c.level ?? null,
        startedAt: c.startedAt,
        lastActivityAt: c.lastActivityAt,
        outcome: c.outcome,
        endedAt: c.endedAt ?? null,
        handoffAt: c.handoffAt ?? null,
        handoffLevel: c.handoffLevel ?? null,
        ticketId: c.ticketId ?? null,
        firstReplyAt: c.firstReplyAt ?? null,
        closedAt: c.closedAt ?? null,
        reopened: c.reopened,
        channel: channelAt.get(c.startedAt) ?? 'widget',
        frtBusiness:
          replied && hours !== undefined
            ? businessMillis(c.handoffAt!, c.firstReplyAt!, hours)
            : null,
        hoursKey,
        day: localDay(c.startedAt, hours?.timeZone ?? 'UTC'),
      });
    }
  }
  return out;
}

/** Options of {@link deriveDirtySessions}. */
export interface DeriveDirtyOptions {
  /** The business hours of a site (undefined: unknown site, no business-hours FRT). */
  hoursOf: (siteKey: string) => BusinessHours | undefined;
  /** Only this site's sessions. */
  siteKey?: string;
  /**
   * Stop after this many sessions (a request catches up only with what was dirty when it came).
   * @default the number of sessions dirty when the run starts
   */
  max?: number;
  /** Checked between chunks: true ends the run early. */
  stopped?: () => boolean;
}

const running = new WeakMap<Store, Promise<unknown>>();

/**
 * Folds the new events of the sessions whose events changed into their stored conversations and
 * facts (store/derive-sessions.ts): chunk by chunk of bounded cost, off the event loop (on SQLite
 * in the writer thread, on PostgreSQL in its derivation thread), one run at a time per store.
 * Returns how many sessions were derived.
 */
export function deriveDirtySessions(store: Store, options: DeriveDirtyOptions): Promise<number> {
  const previous = running.get(store) ?? Promise.resolve();
  const run = previous
    .catch(() => {})
    .then(async () => {
      const sites = options.siteKey === undefined ? await store.dirtySites() : [options.siteKey];
      if (sites.length === 0) return 0;
      // A run ends with what was dirty when it began, so a client that never stops writing never
      // keeps it (and the requests queued behind it) going.
      const max = options.max ?? (await store.countDirtySessions(options.siteKey));
      return store.deriveDirty({
        sites: new Map(sites.map((k) => [k, options.hoursOf(k)])),
        maxSessions: max,
        ...(options.stopped === undefined ? {} : { stopped: options.stopped }),
      });
    });
  running.set(store, run);
  return run;
}

/** Options of {@link startPreAggregation}. */
export interface PreAggregationOptions {
  store: Store;
  hoursOf: (siteKey: string) => BusinessHours | undefined;
  /** Pause between background runs. @default 1000 */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Keeps the derived conversations up to date in the background: every `intervalMs` the sessions
 * whose events changed are derived again. Returns a function that stops it (after the current run).
 */
export function startPreAggregation(options: PreAggregationOptions): () => Promise<void> {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = deriveDirtySessions(options.store, {
      hoursOf: options.hoursOf,
      stopped: () => stopped,
    })
      .catch((error: unknown) => {
        if (!stopped) options.onError?.(error);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 1000).unref();
      });
  };
  let timer = setTimeout(tick, 0).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
