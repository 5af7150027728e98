import {
  abandonmentRate,
  type BusinessHours,
  ces,
  csat,
  type DerivedConversation,
  deriveConversations,
  escalationRate,
  escalationRateByLevel,
  type FirstResponseTime,
  firstContactResolution,
  firstResponseTime,
  type MetricEvent,
  nps,
  resolvedWithin24h,
  selfServiceRate,
  wallClock,
} from '@lotse/sdk/metrics';
import type { EventRow } from '../store/store.js';

/** Which conversations the figures cover (all when a field is absent). */
export interface DashboardFilter {
  topic?: string;
  level?: 1 | 2 | 3;
  channel?: string;
}

/** Options of {@link computeDashboard}. */
export interface ComputeDashboardOptions {
  /** Start of the period (epoch ms, inclusive). */
  from: number;
  /** End of the period (epoch ms, exclusive). */
  to: number;
  /** Moment of evaluation: conversations quiet for under 30 minutes before it are still open. */
  now: number;
  /** The site's business hours (FRT in business time, days in its time zone). */
  hours: BusinessHours;
  filter?: DashboardFilter;
}

/** The figures over one set of conversations, each computed by `@lotse/sdk/metrics`. */
export interface CoreMetrics {
  conversations: number;
  selfService: number;
  handoffs: number;
  abandoned: number;
  open: number;
  closed: number;
  selfServiceRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  resolvedWithin24h: number | null;
  firstContactResolution: number | null;
  firstResponseTime: FirstResponseTime;
}

/** One score metric and how many answers it rests on. */
export interface ScoreMetric {
  value: number | null;
  responses: number;
  /** Answers per scale point, lowest first (for the distribution chart). */
  distribution: number[];
}

/** Everything the dashboard shows for a period. */
export interface DashboardMetrics extends CoreMetrics {
  from: number;
  to: number;
  timeZone: string;
  filter: DashboardFilter;
  escalationRateByLevel: Record<1 | 2 | 3, number | null>;
  csat: ScoreMetric;
  ces: ScoreMetric;
  /** Not tied to a conversation, so `null` value when a filter is set. */
  nps: ScoreMetric;
  /** Questions nobody could answer, grouped by their normalised text, most frequent first. */
  contentGaps: { text: string; count: number }[];
  /** Answers rated unhelpful, by entry, most often first. */
  unhelpful: { entryId: string; unhelpful: number; ratings: number }[];
  byTopic: ({ key: string } & CoreMetrics)[];
  byLevel: ({ key: string } & CoreMetrics)[];
  byChannel: ({ key: string } & CoreMetrics)[];
  /** Per local day of the site (by conversation start). */
  trend: {
    day: string;
    conversations: number;
    selfServiceRate: number | null;
    escalationRate: number | null;
    csat: number | null;
  }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored event in the shape `@lotse/sdk/metrics` reads. */
export function toMetricEvent(e: EventRow): MetricEvent {
  const m: MetricEvent = {
    type: e.type,
    ts: e.ts,
    sessionId: e.sessionId,
    anonymousId: e.anonymousId,
  };
  if (e.userId !== null) m.userId = e.userId;
  if (e.conversationId !== null) m.conversationId = e.conversationId;
  if (isRecord(e.props)) m.props = e.props;
  return m;
}

/**
 * `firstContactResolution` of `@lotse/sdk/metrics`, applied per contact and summed: a second contact
 * only counts against conversations of the same contact, so the result is the same, but the work is
 * linear instead of quadratic in the number of conversations.
 */
export function firstContactResolutionByContact(cs: readonly DerivedConversation[]): number | null {
  let closed = 0;
  let resolved = 0;
  for (const list of groupBy(cs, (c) => c.contact).values()) {
    const n = list.filter((c) => c.outcome === 'handoff' && c.closedAt !== undefined).length;
    if (n === 0) continue;
    closed += n;
    resolved += Math.round((firstContactResolution(list) ?? 0) * n);
  }
  return closed === 0 ? null : resolved / closed;
}

/**
 * The core figures of a set of conversations; without `hours` the business-hours FRT is `null`
 * (the breakdowns skip it: it is the costly one).
 */
export function coreMetrics(
  cs: readonly DerivedConversation[],
  hours?: BusinessHours,
): CoreMetrics {
  const count = (o: DerivedConversation['outcome']) => cs.filter((c) => c.outcome === o).length;
  return {
    conversations: cs.length,
    selfService: count('self_service'),
    handoffs: count('handoff'),
    abandoned: count('abandoned'),
    open: count('open'),
    closed: cs.filter((c) => c.closedAt !== undefined).length,
    selfServiceRate: selfServiceRate(cs),
    escalationRate: escalationRate(cs),
    abandonmentRate: abandonmentRate(cs),
    resolvedWithin24h: resolvedWithin24h(cs),
    firstContactResolution: firstContactResolutionByContact(cs),
    firstResponseTime: firstResponseTime(cs, hours),
  };
}

function scoreMetric(
  scores: number[],
  compute: (s: number[]) => number | null,
  min: number,
  max: number,
): ScoreMetric {
  const distribution = Array.from({ length: max - min + 1 }, () => 0);
  for (const s of scores) if (Number.isInteger(s) && s >= min && s <= max) distribution[s - min]!++;
  return { value: compute(scores), responses: scores.length, distribution };
}

/** Groups texts that differ only in case, spacing or end punctuation. */
function normaliseQuestion(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.…]+$/u, '')
    .trim();
}

function groupBy<T>(items: readonly T[], key: (x: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list === undefined) out.set(k, [x]);
    else list.push(x);
  }
  return out;
}

/**
 * Computes every dashboard figure from a site's events with `@lotse/sdk/metrics` (deriveConversations
 * and the metric functions), so the dashboard and the SDK never disagree. The conversations are those
 * that started in [from, to); `rows` may reach past `to` so their replies, closes, reopens and second
 * contacts count. Scores, unanswered questions and ratings count by their own time in [from, to).
 */
export function computeDashboard(
  rows: readonly EventRow[],
  options: ComputeDashboardOptions,
): DashboardMetrics {
  const { hours } = options;
  const filter = options.filter ?? {};
  const all = deriveConversations(rows.map(toMetricEvent), { now: options.now }).filter(
    (c) => c.startedAt >= options.from && c.startedAt < options.to,
  );
  // Follow-ups of the period's conversations may come later; everything else counts by its time.
  const events = rows.filter((e) => e.ts >= options.from && e.ts < options.to).map(toMetricEvent);

  // A conversation's channel is the one its first question came through (the widget by default).
  const channelAt = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'query.submitted' || e.sessionId === undefined) continue;
    const channel = e.props?.channel;
    if (typeof channel === 'string') channelAt.set(`${e.sessionId}@${e.ts}`, channel);
  }
  const channelOf = (c: DerivedConversation) =>
    channelAt.get(`${c.sessionId}@${c.startedAt}`) ?? 'widget';

  const cs = all.filter(
    (c) =>
      (filter.topic === undefined || c.topic === filter.topic) &&
      (filter.level === undefined || c.level === filter.level) &&
      (filter.channel === undefined || channelOf(c) === filter.channel),
  );
  const filtered =
    filter.topic !== undefined || filter.level !== undefined || filter.channel !== undefined;
  const ids = new Set(cs.flatMap((c) => (c.ticketId === undefined ? [c.id] : [c.id, c.ticketId])));
  const scoresOf = (type: string) =>
    events.flatMap((e) => {
      if (e.type !== type || typeof e.props?.score !== 'number') return [];
      const conversation = e.props.conversationId;
      if (filtered && !(typeof conversation === 'string' && ids.has(conversation))) return [];
      return [e.props.score];
    });

  const topicMatches = (e: MetricEvent) =>
    filter.topic === undefined || e.props?.topic === filter.topic;
  const gaps = groupBy(
    events.filter((e) => e.type === 'query.unanswered' && topicMatches(e)),
    (e) => (typeof e.props?.text === 'string' ? normaliseQuestion(e.props.text) : undefined),
  );
  const ratings = groupBy(
    events.filter((e) => e.type === 'answer.rated' && topicMatches(e)),
    (e) => (typeof e.props?.entryId === 'string' ? e.props.entryId : undefined),
  );

  const breakdown = (key: (c: DerivedConversation) => string | undefined) =>
    [...groupBy(cs, key)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, list]) => ({ key: k, ...coreMetrics(list) }));

  const dayOf = (ts: number) => new Date(wallClock(ts, hours.timeZone)).toISOString().slice(0, 10);
  const csatByConversation = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'csat.submitted' || typeof e.props?.score !== 'number') continue;
    const id = e.props.conversationId;
    if (typeof id !== 'string') continue;
    csatByConversation.set(id, [...(csatByConversation.get(id) ?? []), e.props.score]);
  }

  return {
    from: options.from,
    to: options.to,
    timeZone: hours.timeZone,
    filter,
    ...coreMetrics(cs, hours),
    escalationRateByLevel: escalationRateByLevel(cs),
    csat: scoreMetric(scoresOf('csat.submitted'), csat, 1, 5),
    ces: scoreMetric(scoresOf('ces.submitted'), ces, 1, 7),
    nps: filtered
      ? { value: null, responses: 0, distribution: Array.from({ length: 11 }, () => 0) }
      : scoreMetric(scoresOf('nps.submitted'), nps, 0, 10),
    contentGaps: [...gaps.values()]
      .map((list) => ({ text: String(list[0]!.props!.text), count: list.length }))
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
      .slice(0, 100),
    unhelpful: [...ratings]
      .map(([entryId, list]) => ({
        entryId,
        unhelpful: list.filter((e) => e.props?.helpful === false).length,
        ratings: list.length,
      }))
      .filter((x) => x.unhelpful > 0)
      .sort((a, b) => b.unhelpful - a.unhelpful || a.entryId.localeCompare(b.entryId))
      .slice(0, 100),
    byTopic: breakdown((c) => c.topic ?? '–'),
    byLevel: breakdown((c) => (c.level === undefined ? '–' : String(c.level))),
    byChannel: breakdown(channelOf),
    trend: [...groupBy(cs, (c) => dayOf(c.startedAt))]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, list]) => ({
        day,
        conversations: list.length,
        selfServiceRate: selfServiceRate(list),
        escalationRate: escalationRate(list),
        csat: csat(
          list.flatMap((c) => [
            ...(csatByConversation.get(c.id) ?? []),
            ...(c.ticketId === undefined ? [] : (csatByConversation.get(c.ticketId) ?? [])),
          ]),
        ),
      })),
  };
}
