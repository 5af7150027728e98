import {
  abandonmentRate,
  type BusinessHours,
  businessMillis,
  ces,
  csat,
  type DerivedConversation,
  type DurationSummary,
  escalationRate,
  escalationRateByLevel,
  type FirstResponseTime,
  firstContactResolution,
  firstResponseTime,
  median,
  nps,
  percentile,
  resolvedWithin24h,
  selfServiceRate,
  sorted,
  sortedMedian,
  sortedPercentile,
} from '@lotse/sdk/metrics';
import type { EventRow, MetricFact, StoredConversation } from '../store/store.js';
import {
  answersByKbVersion,
  type ContentGap,
  contentGaps,
  type GapTally,
  type KbVersionAnswers,
  type KbVersionTally,
  type KnowledgeBaseState,
  type MysteryCheck,
  mysteryChecks,
  spanOf,
  versionStarts,
} from './kb-figures.js';
import {
  deriveStored,
  EMAIL_RESOLVED_AFTER_MS,
  factOf,
  hoursKeyOf,
  localDay,
} from './pre-aggregate.js';
import type { SummaryRows } from './summary-queries.js';

export { toMetricEvent } from './metric-event.js';

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
  /** The site's knowledge-base versions and served model (none: no knowledge-base figures). */
  knowledgeBase?: KnowledgeBaseState;
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
  /**
   * Questions nobody could answer, grouped by their normalised text, most frequent first; closed
   * when the served model answers them now (kb-figures.ts).
   */
  contentGaps: ContentGap[];
  /** Answers rated unhelpful, by entry, most often first. */
  unhelpful: { entryId: string; unhelpful: number; ratings: number }[];
  /** Mystery-check results of the versions published before the period's end, newest first. */
  mysteryChecks: MysteryCheck[];
  /** Answers shown and rated in the period per knowledge-base version, newest version first. */
  answersByKbVersion: KbVersionAnswers[];
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

/** `items` by `key`, in their order; an item whose key is undefined is left out. */
export function groupBy<T>(
  items: readonly T[],
  key: (x: T) => string | undefined,
): Map<string, T[]> {
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

/** Inactivity after which an open conversation counts as abandoned (`deriveConversations`' default). */
const ABANDON_AFTER_MS = 1_800_000;

/** A stored conversation as `@lotse/sdk/metrics` sees it at `now`, with its channel. */
interface Conversation extends DerivedConversation {
  channel: string;
  stored: StoredConversation;
}

function toConversation(s: StoredConversation, now: number): Conversation {
  const c: Conversation = {
    id: s.id,
    sessionId: s.sessionId,
    contact: s.contact,
    startedAt: s.startedAt,
    lastActivityAt: s.lastActivityAt,
    outcome: s.outcome,
    reopened: s.reopened,
    channel: s.channel,
    stored: s,
  };
  // Still active after its session's last event: abandoned once 30 minutes have passed at `now`
  // (an e-mail conversation: resolved by its automatic reply once 7 days have).
  const email = s.channel === 'email';
  const wait = email ? EMAIL_RESOLVED_AFTER_MS : ABANDON_AFTER_MS;
  if (s.outcome === 'open' && now - s.lastActivityAt >= wait) {
    c.outcome = email ? 'self_service' : 'abandoned';
    c.endedAt = s.lastActivityAt + wait;
  } else if (s.endedAt !== null) c.endedAt = s.endedAt;
  if (s.topic !== null) c.topic = s.topic;
  if (s.level !== null) c.level = s.level;
  if (s.handoffAt !== null) c.handoffAt = s.handoffAt;
  if (s.handoffLevel !== null) c.handoffLevel = s.handoffLevel;
  if (s.ticketId !== null) c.ticketId = s.ticketId;
  if (s.firstReplyAt !== null) c.firstReplyAt = s.firstReplyAt;
  if (s.closedAt !== null) c.closedAt = s.closedAt;
  return c;
}

/**
 * `firstResponseTime` of `@lotse/sdk/metrics` with the business-hours durations stored at
 * derivation (computed again only for rows derived under other hours).
 */
function firstResponseTimeStored(
  cs: readonly Conversation[],
  hours: BusinessHours,
): FirstResponseTime {
  const key = hoursKeyOf(hours);
  const business = cs.flatMap((c) => {
    if (c.handoffAt === undefined || c.firstReplyAt === undefined) return [];
    const stored = c.stored.frtBusiness;
    return [
      stored !== null && c.stored.hoursKey === key
        ? stored
        : businessMillis(c.handoffAt, c.firstReplyAt, hours),
    ];
  });
  const summary: DurationSummary = {
    count: business.length,
    median: median(business),
    p90: percentile(business, 90),
  };
  return { calendar: firstResponseTime(cs).calendar, business: summary };
}

/** What {@link computeDashboardFrom} reads: the pre-aggregated rows of a site and period. */
export interface DashboardInput {
  /** Stored conversations that started in [from, to). */
  conversations: readonly StoredConversation[];
  /** Score, unanswered-question and rating facts in [from, to), by ts and event id. */
  facts: readonly MetricFact[];
}

/**
 * Computes every dashboard figure with `@lotse/sdk/metrics` from the stored conversations (derived
 * by `deriveConversations`, see pre-aggregate.ts) and facts of a period, so the dashboard and the
 * SDK never disagree. Scores, unanswered questions and ratings count by their own time.
 */
export function computeDashboardFrom(
  input: DashboardInput,
  options: ComputeDashboardOptions,
): DashboardMetrics {
  const { hours } = options;
  const filter = options.filter ?? {};
  const all = input.conversations
    .filter((c) => c.startedAt >= options.from && c.startedAt < options.to)
    .map((c) => toConversation(c, options.now));
  const facts = input.facts.filter((f) => f.ts >= options.from && f.ts < options.to);

  const cs = all.filter(
    (c) =>
      (filter.topic === undefined || c.topic === filter.topic) &&
      (filter.level === undefined || c.level === filter.level) &&
      (filter.channel === undefined || c.channel === filter.channel),
  );
  const filtered =
    filter.topic !== undefined || filter.level !== undefined || filter.channel !== undefined;
  const ids = new Set(cs.flatMap((c) => (c.ticketId === undefined ? [c.id] : [c.id, c.ticketId])));
  const scoresOf = (type: string) =>
    facts.flatMap((f) => {
      if (f.type !== type || f.score === null) return [];
      if (filtered && !(f.conversationId !== null && ids.has(f.conversationId))) return [];
      return [f.score];
    });

  const topicMatches = (f: MetricFact) => filter.topic === undefined || f.topic === filter.topic;
  const gaps = groupBy(
    facts.filter((f) => f.type === 'query.unanswered' && topicMatches(f)),
    (f) => f.norm ?? undefined,
  );
  const ratings = groupBy(
    facts.filter((f) => f.type === 'answer.rated' && topicMatches(f)),
    (f) => f.entryId ?? undefined,
  );
  const kb = options.knowledgeBase;
  const starts = versionStarts(kb?.versions ?? [], options.from, options.to);
  const gapTallies = [...gaps.values()].map((list): GapTally => {
    const bySpan = new Map<number, number>();
    for (const f of list) {
      const span = spanOf(starts, f.ts);
      bySpan.set(span, (bySpan.get(span) ?? 0) + 1);
    }
    return { text: String(list[0]!.text), locale: list[0]!.locale, count: list.length, bySpan };
  });
  const versionTallies = new Map<number, KbVersionTally>();
  for (const f of facts) {
    if (f.kbVersion === null || !topicMatches(f)) continue;
    if (f.type !== 'answer.shown' && f.type !== 'answer.rated') continue;
    let t = versionTallies.get(f.kbVersion);
    if (t === undefined) {
      t = { version: f.kbVersion, shown: 0, rated: 0, helpful: 0 };
      versionTallies.set(f.kbVersion, t);
    }
    if (f.type === 'answer.shown') t.shown++;
    else {
      t.rated++;
      if (f.helpful === true) t.helpful++;
    }
  }

  const breakdown = (key: (c: Conversation) => string | undefined) =>
    [...groupBy(cs, key)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, list]) => ({ key: k, ...coreMetrics(list) }));

  const dayOf = (ts: number) => localDay(ts, hours.timeZone);
  const csatByConversation = new Map<string, number[]>();
  for (const f of facts) {
    if (f.type !== 'csat.submitted' || f.score === null || f.conversationId === null) continue;
    const list = csatByConversation.get(f.conversationId);
    if (list === undefined) csatByConversation.set(f.conversationId, [f.score]);
    else list.push(f.score);
  }

  return {
    from: options.from,
    to: options.to,
    timeZone: hours.timeZone,
    filter,
    ...coreMetrics(cs),
    firstResponseTime: firstResponseTimeStored(cs, hours),
    escalationRateByLevel: escalationRateByLevel(cs),
    csat: scoreMetric(scoresOf('csat.submitted'), csat, 1, 5),
    ces: scoreMetric(scoresOf('ces.submitted'), ces, 1, 7),
    nps: filtered
      ? { value: null, responses: 0, distribution: Array.from({ length: 11 }, () => 0) }
      : scoreMetric(scoresOf('nps.submitted'), nps, 0, 10),
    contentGaps: contentGaps(gapTallies, { ...options, kb, starts }),
    unhelpful: [...ratings]
      .map(([entryId, list]) => ({
        entryId,
        unhelpful: list.filter((f) => f.helpful === false).length,
        ratings: list.length,
      }))
      .filter((x) => x.unhelpful > 0)
      .sort((a, b) => b.unhelpful - a.unhelpful || a.entryId.localeCompare(b.entryId))
      .slice(0, 100),
    mysteryChecks: mysteryChecks(kb?.versions ?? [], options.to),
    answersByKbVersion: answersByKbVersion(versionTallies.values()),
    byTopic: breakdown((c) => c.topic ?? '–'),
    byLevel: breakdown((c) => (c.level === undefined ? '–' : String(c.level))),
    byChannel: breakdown((c) => c.channel),
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

/**
 * The same figures straight from a site's events (every event of the sessions concerned): the
 * conversations are derived as the pre-aggregation derives them, then {@link computeDashboardFrom}.
 */
export function computeDashboard(
  rows: readonly EventRow[],
  options: ComputeDashboardOptions,
): DashboardMetrics {
  return computeDashboardFrom(
    {
      conversations: deriveStored(rows, options.hours),
      facts: rows.flatMap((e) => factOf(e) ?? []),
    },
    options,
  );
}

/** Counts of one group of conversations, from which every rate of `@lotse/sdk/metrics` follows. */
interface Tally {
  conversations: number;
  selfService: number;
  handoffs: number;
  abandoned: number;
  open: number;
  closed: number;
  closedHandoffs: number;
  within24h: number;
  fcrClosed: number;
  fcrResolved: number;
  frt: number[];
}

const emptyTally = (): Tally => ({
  conversations: 0,
  selfService: 0,
  handoffs: 0,
  abandoned: 0,
  open: 0,
  closed: 0,
  closedHandoffs: 0,
  within24h: 0,
  fcrClosed: 0,
  fcrResolved: 0,
  frt: [],
});

/** `share` of `@lotse/sdk/metrics`: part ÷ whole, `null` for an empty whole. */
const share = (part: number, whole: number): number | null => (whole ? part / whole : null);

const summarise = (values: number[]): DurationSummary => {
  const ascending = sorted(values);
  return {
    count: values.length,
    median: sortedMedian(ascending),
    p90: sortedPercentile(ascending, 90),
  };
};

/**
 * The figures of one group from its counts, as `@lotse/sdk/metrics` defines them: self-service ÷
 * (self-service + handoffs), handoffs ÷ ended, abandoned ÷ ended, closed within 24 h ÷ closed, FCR
 * resolved ÷ closed, FRT median and p90 (nearest rank).
 */
function tallyMetrics(t: Tally): CoreMetrics {
  const ended = t.conversations - t.open;
  return {
    conversations: t.conversations,
    selfService: t.selfService,
    handoffs: t.handoffs,
    abandoned: t.abandoned,
    open: t.open,
    closed: t.closed,
    selfServiceRate: share(t.selfService, t.selfService + t.handoffs),
    escalationRate: share(t.handoffs, ended),
    abandonmentRate: share(t.abandoned, ended),
    resolvedWithin24h: share(t.within24h, t.closedHandoffs),
    firstContactResolution: share(t.fcrResolved, t.fcrClosed),
    firstResponseTime: { calendar: summarise(t.frt), business: null },
  };
}

const num = (v: unknown): number => Number(v);
const levelKey = (v: unknown): string => (v === null || v === undefined ? '–' : String(Number(v)));
const topicKey = (v: unknown): string => (v === null || v === undefined ? '–' : String(v));

/** The gaps of {@link SummaryRows}: one row per normalised text and span, merged by text. */
function gapTallies(rows: readonly unknown[][]): GapTally[] {
  const byNorm = new Map<string, GapTally & { firstSpan: number }>();
  for (const r of rows) {
    const [norm, text, locale, span, n] = [String(r[0]), String(r[1]), r[2], num(r[3]), num(r[4])];
    let g = byNorm.get(norm);
    if (g === undefined) {
      g = { text, locale: null, count: 0, bySpan: new Map(), firstSpan: span };
      byNorm.set(norm, g);
    }
    // The group's text and locale are those of its first occurrence, in its earliest span.
    if (span <= g.firstSpan) {
      g.firstSpan = span;
      g.text = text;
      g.locale = typeof locale === 'string' ? locale : null;
    }
    g.count += n;
    g.bySpan.set(span, n);
  }
  return [...byNorm.values()];
}

/** The answers per version of {@link SummaryRows}. */
function versionTallies(rows: readonly unknown[][]): KbVersionTally[] {
  const byVersion = new Map<number, KbVersionTally>();
  for (const [version, type, count, helpful] of rows) {
    const v = num(version);
    let t = byVersion.get(v);
    if (t === undefined) {
      t = { version: v, shown: 0, rated: 0, helpful: 0 };
      byVersion.set(v, t);
    }
    if (type === 'answer.shown') t.shown += num(count);
    else {
      t.rated += num(count);
      t.helpful += num(helpful);
    }
  }
  return [...byVersion.values()];
}

/** Expands (score, count) rows into the list of scores. */
function expand(rows: readonly unknown[][], scoreAt: number, countAt: number): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const score = Number(r[scoreAt]);
    for (let i = num(r[countAt]); i > 0; i--) out.push(score);
  }
  return out;
}

/**
 * Every dashboard figure from the aggregates of {@link SummaryRows} (SQL over the stored
 * conversations and facts): the same figures as {@link computeDashboardFrom}, without reading
 * every conversation of the period.
 */
export function computeDashboardFromSummary(
  rows: SummaryRows,
  options: ComputeDashboardOptions,
): DashboardMetrics {
  const filter = options.filter ?? {};
  const filtered =
    filter.topic !== undefined || filter.level !== undefined || filter.channel !== undefined;
  const total = emptyTally();
  const byKey = {
    topic: new Map<string, Tally>(),
    level: new Map<string, Tally>(),
    channel: new Map<string, Tally>(),
    day: new Map<string, Tally>(),
  };
  const levels = { 1: emptyTally(), 2: emptyTally(), 3: emptyTally() };
  const tallyOf = (map: Map<string, Tally>, key: string) => {
    let t = map.get(key);
    if (t === undefined) {
      t = emptyTally();
      map.set(key, t);
    }
    return t;
  };
  for (const r of rows.cube) {
    const [topic, level, channel, day, outcome] = r;
    const [n, closed, closedHandoffs, within24h] = [num(r[5]), num(r[6]), num(r[7]), num(r[8])];
    const targets = [
      total,
      tallyOf(byKey.topic, topicKey(topic)),
      tallyOf(byKey.level, levelKey(level)),
      tallyOf(byKey.channel, String(channel)),
      tallyOf(byKey.day, String(day)),
    ];
    const l = level === null ? undefined : Number(level);
    if (l === 1 || l === 2 || l === 3) targets.push(levels[l]);
    const fcr: [Tally, unknown][] = [
      [total, r[10]],
      [targets[1]!, r[10]],
      [targets[2]!, r[11]],
      [targets[3]!, r[12]],
    ];
    for (const [t, resolved] of fcr) {
      t.fcrClosed += closedHandoffs;
      t.fcrResolved += num(resolved);
    }
    for (const t of targets) {
      t.conversations += n;
      if (outcome === 'self_service') t.selfService += n;
      else if (outcome === 'handoff') t.handoffs += n;
      else if (outcome === 'abandoned') t.abandoned += n;
      else t.open += n;
      t.closed += closed;
      t.closedHandoffs += closedHandoffs;
      t.within24h += within24h;
    }
  }
  const durations = (text: unknown): number[] =>
    typeof text === 'string' && text !== '' ? text.split(',').map(Number) : [];
  const business: number[] = [];
  for (const [topic, level, channel, calendarText, businessText] of rows.frt) {
    const calendar = durations(calendarText);
    for (const list of [
      total.frt,
      tallyOf(byKey.topic, topicKey(topic)).frt,
      tallyOf(byKey.level, levelKey(level)).frt,
      tallyOf(byKey.channel, String(channel)).frt,
    ]) {
      for (const ms of calendar) list.push(ms);
    }
    for (const ms of durations(businessText)) business.push(ms);
  }
  const scores = (type: string) =>
    expand(
      rows.scores.filter((r) => r[0] === type),
      1,
      2,
    );
  const csatByDay = new Map<string, unknown[][]>();
  for (const r of rows.trendCsat) {
    const day = String(r[0]);
    csatByDay.set(day, [...(csatByDay.get(day) ?? []), r]);
  }
  const breakdown = (map: Map<string, Tally>) =>
    [...map]
      .filter(([, t]) => t.conversations > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, t]) => ({ key, ...tallyMetrics(t) }));
  const escalation = (t: Tally) => share(t.handoffs, t.conversations - t.open);
  const core = tallyMetrics(total);
  const kb = options.knowledgeBase;
  const starts = versionStarts(kb?.versions ?? [], options.from, options.to);
  return {
    from: options.from,
    to: options.to,
    timeZone: options.hours.timeZone,
    filter,
    ...core,
    firstResponseTime: {
      calendar: core.firstResponseTime.calendar,
      business: summarise(business),
    },
    escalationRateByLevel: {
      1: escalation(levels[1]),
      2: escalation(levels[2]),
      3: escalation(levels[3]),
    },
    csat: scoreMetric(scores('csat.submitted'), csat, 1, 5),
    ces: scoreMetric(scores('ces.submitted'), ces, 1, 7),
    nps: filtered
      ? { value: null, responses: 0, distribution: Array.from({ length: 11 }, () => 0) }
      : scoreMetric(scores('nps.submitted'), nps, 0, 10),
    contentGaps: contentGaps(gapTallies(rows.gaps), { ...options, kb, starts }),
    unhelpful: rows.ratings
      .map((r) => ({ entryId: String(r[0]), unhelpful: num(r[2]), ratings: num(r[1]) }))
      .filter((x) => x.unhelpful > 0)
      .sort((a, b) => b.unhelpful - a.unhelpful || a.entryId.localeCompare(b.entryId))
      .slice(0, 100),
    mysteryChecks: mysteryChecks(kb?.versions ?? [], options.to),
    answersByKbVersion: answersByKbVersion(versionTallies(rows.kbAnswers)),
    byTopic: breakdown(byKey.topic),
    byLevel: breakdown(byKey.level),
    byChannel: breakdown(byKey.channel),
    trend: [...byKey.day]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, t]) => ({
        day,
        conversations: t.conversations,
        selfServiceRate: share(t.selfService, t.selfService + t.handoffs),
        escalationRate: escalation(t),
        csat: csat(expand(csatByDay.get(day) ?? [], 1, 2)),
      })),
  };
}
