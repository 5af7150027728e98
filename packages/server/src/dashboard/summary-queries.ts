// The dashboard's aggregates over the stored conversations and facts, as SQL for either dialect,
// and how they are run through the store (off the request path, see Store.runAggregates).
import type { AggregateQuery, Store } from '../store/store.js';
import { EMAIL_RESOLVED_AFTER_MS } from './pre-aggregate.js';
import { withoutSecondContactSql } from './second-contact.js';

/** What the dashboard asks of the stored conversations and facts (see {@link summarise}). */
export interface SummaryRequest {
  siteKey: string;
  /** Conversations that started in [from, to); facts in [from, to). */
  from: number;
  to: number;
  /** Moment of evaluation: open conversations quiet for 30 minutes count as abandoned. */
  now: number;
  filter: { topic?: string; level?: number; channel?: string };
  /** Key of the site's current business hours (rows derived under others are reported as stale). */
  hoursKey: string;
  /**
   * Publish times of the knowledge-base versions inside the period, ascending (kb-figures.ts,
   * `versionStarts`): unanswered questions are counted per span between them.
   */
  versionStarts: readonly number[];
}

/** Raw result rows of {@link summaryQueries}, column by column as listed there. */
export interface SummaryRows {
  /**
   * topic, level, channel, day, outcome, count, closed, closed handoffs, closed within 24 h, derived
   * under other business hours, then FCR resolved (no second contact on the same topic), resolved
   * counting only second contacts of the same level, and of the same channel (for the breakdowns).
   */
  cube: unknown[][];
  /**
   * topic, level, channel, then that group's calendar FRTs and business FRTs, each as one text of
   * comma-separated milliseconds (67 800 durations a month cross as a few rows, not one row each).
   */
  frt: unknown[][];
  /** type, score, count. */
  scores: unknown[][];
  /** day, score, count (CSAT of the conversations that started that day). */
  trendCsat: unknown[][];
  /**
   * normalised text, first text, its locale, span (how many of `versionStarts` are at or before
   * the question), count: one row per normalised text and span.
   */
  gaps: unknown[][];
  /** entry id, ratings, unhelpful. */
  ratings: unknown[][];
  /** knowledge-base version, event type (`answer.shown` or `answer.rated`), count, helpful. */
  kbAnswers: unknown[][];
}

/**
 * The columns kept for FCR's second contacts: per conversation, when the next conversation of the
 * same contact on the same topic started (strictly later), and the next of the same topic and level,
 * same topic and channel, and same topic, level and channel (the filters and breakdowns narrow the
 * conversations a second contact may come from).
 */
export const NEXT_CONTACT_COLUMNS = {
  topic: 'next_topic_at',
  level: 'next_level_at',
  channel: 'next_channel_at',
  levelChannel: 'next_level_channel_at',
} as const;

const ABANDON_AFTER_MS = 1_800_000;
const DAY_MS = 86_400_000;

/**
 * The SQL of the dashboard's aggregates for SQLite or PostgreSQL. Each mirrors a definition of
 * `@lotse/sdk/metrics` over the stored conversations: outcome counts per topic, level, channel and
 * day (the rates are ratios of these, FCR too: each conversation keeps when its contact's next
 * conversation on the same topic started), the FRT durations, score counts, and the grouped
 * questions and ratings, and answers and ratings per knowledge-base version.
 */
export function summaryQueries(
  dialect: 'sqlite' | 'postgres',
  r: SummaryRequest,
): Record<keyof SummaryRows, AggregateQuery> {
  const build = (make: (p: (value: unknown, type: string) => string) => string) => {
    const params: unknown[] = [];
    const p = (value: unknown, type: string) => {
      if (dialect === 'sqlite') {
        params.push(value);
        return '?';
      }
      params.push(value === null ? null : String(value));
      return `$${params.length}::${type}`;
    };
    return { text: make(p), params };
  };
  type P = (value: unknown, type: string) => string;
  // `+column` keeps a planner without statistics (a fresh SQLite file) off the started_at index
  // where a lookup by id or contact is the fast path.
  const period = (p: P, a: string, viaIndex = true) => {
    const started = viaIndex ? `${a}.started_at` : `+${a}.started_at`;
    return `${a}.site_key = ${p(r.siteKey, 'text')} and ${started} >= ${p(r.from, 'int8')} and ${started} < ${p(r.to, 'int8')}`;
  };
  const filter = (p: P, a: string) => {
    let out = '';
    if (r.filter.topic !== undefined) out += ` and ${a}.topic = ${p(r.filter.topic, 'text')}`;
    if (r.filter.level !== undefined) out += ` and ${a}.level = ${p(r.filter.level, 'float8')}`;
    if (r.filter.channel !== undefined) out += ` and ${a}.channel = ${p(r.filter.channel, 'text')}`;
    return out;
  };
  const conversations = (p: P, a: string) =>
    `conversations_derived ${a} where ${period(p, a)}${filter(p, a)}`;
  const facts = (p: P, type: string) =>
    `f.site_key = ${p(r.siteKey, 'text')} and f.type = '${type}' and f.ts >= ${p(r.from, 'int8')} and f.ts < ${p(r.to, 'int8')}`;
  // The span of a question between the versions published in the period (0 before the first).
  const span = (p: P) =>
    r.versionStarts.length === 0
      ? '0'
      : r.versionStarts
          .map((at) => `case when f.ts >= ${p(at, 'int8')} then 1 else 0 end`)
          .join(' + ');
  const topicFilter = (p: P) =>
    r.filter.topic === undefined ? '' : ` and f.topic = ${p(r.filter.topic, 'text')}`;
  const filtered =
    r.filter.topic !== undefined || r.filter.level !== undefined || r.filter.channel !== undefined;
  // FCR: a closed handoff, never reopened, whose next conversation of the same contact and topic
  // (among those the filter keeps, and for the breakdowns of the same level or channel) did not
  // start within 7 days of the close and in the period.
  const narrowed = (level: boolean, channel: boolean) => {
    const n = NEXT_CONTACT_COLUMNS;
    const byLevel = level || r.filter.level !== undefined;
    const byChannel = channel || r.filter.channel !== undefined;
    return byLevel ? (byChannel ? n.levelChannel : n.level) : byChannel ? n.channel : n.topic;
  };
  const resolved = (p: P, column: string) =>
    `sum(case when c.outcome = 'handoff' and c.closed_at is not null and c.reopened = 0
      and ${withoutSecondContactSql(`c.${column}`, 'c.closed_at', p(r.to, 'int8'))}
      then 1 else 0 end)`;
  // Whether a fact's conversation (by id or ticket) is one the filter keeps. PostgreSQL checks each
  // fact by index (an IN over a union may be planned as a nested loop on fresh statistics).
  const inFilter = (p: P) => {
    if (dialect === 'sqlite') {
      return `f.conversation_id in (select c.id from ${conversations(p, 'c')}
        union all select c.ticket_id from ${conversations(p, 'c')} and c.ticket_id is not null)`;
    }
    const match = (column: string) =>
      `exists (select 1 from conversations_derived c where c.site_key = f.site_key and c.${column} = f.conversation_id
        and ${period(p, 'c', false)}${filter(p, 'c')})`;
    return `(${match('id')} or ${match('ticket_id')})`;
  };
  // Integers of a group as one text, `1,2,3`.
  const joined = (value: string) =>
    dialect === 'postgres' ? `string_agg((${value})::text, ',')` : `group_concat(${value}, ',')`;
  // Each CSAT answer looks up its conversation by id and by ticket through an index each: on
  // PostgreSQL in one LATERAL (a join there may be planned as a scan of every conversation; one
  // scan of the answers instead of one per arm, 35 % faster on the bench month), kept on that plan
  // by OFFSET 0, which PostgreSQL does not flatten whatever its statistics say; SQLite takes the
  // joins by itself.
  const byConversation = (p: P, column: string) =>
    `select c.day from conversations_derived c where c.site_key = f.site_key and c.${column} = f.conversation_id
       and ${period(p, 'c', false)}${filter(p, 'c')}`;
  const csatOf = (p: P, column: string) =>
    `select c.day, f.score from metric_facts f join conversations_derived c
       on c.site_key = f.site_key and c.${column} = f.conversation_id
     where ${facts(p, 'csat.submitted')} and f.score is not null and ${period(p, 'c', false)}${filter(p, 'c')}`;
  const trendCsat = (p: P) =>
    dialect === 'postgres'
      ? `select c.day, f.score, count(*) from metric_facts f
         cross join lateral (${byConversation(p, 'id')} union all ${byConversation(p, 'ticket_id')} offset 0) c
       where ${facts(p, 'csat.submitted')} and f.score is not null
       group by c.day, f.score`
      : `select day, score, count(*) from (${csatOf(p, 'id')} union all ${csatOf(p, 'ticket_id')}) x
       group by day, score`;
  return {
    cube: build(
      (p) => `select c.topic, c.level, c.channel, c.day,
        case when c.outcome <> 'open' then c.outcome
          when c.channel = 'email' then case when ${p(r.now, 'int8')} - c.last_activity_at >= ${EMAIL_RESOLVED_AFTER_MS}
            then 'self_service' else 'open' end
          when ${p(r.now, 'int8')} - c.last_activity_at >= ${ABANDON_AFTER_MS} then 'abandoned'
          else 'open' end as effective,
        count(*),
        sum(case when c.closed_at is not null then 1 else 0 end),
        sum(case when c.outcome = 'handoff' and c.closed_at is not null then 1 else 0 end),
        sum(case when c.outcome = 'handoff' and c.closed_at is not null
          and c.closed_at - c.handoff_at <= ${DAY_MS} then 1 else 0 end),
        sum(case when c.hours_key <> ${p(r.hoursKey, 'text')} then 1 else 0 end),
        ${resolved(p, narrowed(false, false))}, ${resolved(p, narrowed(true, false))},
        ${resolved(p, narrowed(false, true))}
      from ${conversations(p, 'c')}
      group by c.topic, c.level, c.channel, c.day, 5`,
    ),
    frt: build(
      (p) => `select c.topic, c.level, c.channel, ${joined('c.first_reply_at - c.handoff_at')},
        ${joined('coalesce(c.frt_business, 0)')}
      from ${conversations(p, 'c')} and c.handoff_at is not null and c.first_reply_at is not null
      group by c.topic, c.level, c.channel`,
    ),
    scores: build(
      (p) => `select f.type, f.score, count(*) from metric_facts f
      where f.site_key = ${p(r.siteKey, 'text')} and f.type in ('csat.submitted', 'ces.submitted', 'nps.submitted')
        and f.ts >= ${p(r.from, 'int8')} and f.ts < ${p(r.to, 'int8')} and f.score is not null${
          filtered ? ` and ${inFilter(p)}` : ''
        }
      group by f.type, f.score`,
    ),
    trendCsat: build(trendCsat),
    gaps: build(
      (p) => `select norm, text, locale, span, n from (
        select x.norm, x.text, x.locale, x.span, count(*) over (partition by x.norm, x.span) as n,
          row_number() over (partition by x.norm, x.span order by x.ts, x.event_id) as r
        from (select f.norm, f.text, f.locale, f.ts, f.event_id, ${span(p)} as span
          from metric_facts f where ${facts(p, 'query.unanswered')} and f.norm is not null${topicFilter(p)}) x
      ) g where r = 1`,
    ),
    ratings: build(
      (p) => `select f.entry_id, count(*), sum(case when f.helpful = 0 then 1 else 0 end)
      from metric_facts f where ${facts(p, 'answer.rated')} and f.entry_id is not null${topicFilter(p)}
      group by f.entry_id`,
    ),
    kbAnswers: build(
      (p) => `select f.kb_version, f.type, count(*), sum(case when f.helpful = 1 then 1 else 0 end)
      from metric_facts f where f.site_key = ${p(r.siteKey, 'text')} and f.type in ('answer.shown', 'answer.rated')
        and f.ts >= ${p(r.from, 'int8')} and f.ts < ${p(r.to, 'int8')} and f.kb_version is not null${topicFilter(p)}
      group by f.kb_version, f.type`,
    ),
  };
}

/**
 * Runs the dashboard's aggregates on the store: on SQLite in two groups of about equal cost, one per
 * reader thread; on PostgreSQL each on its own connection.
 */
export async function summarise(store: Store, request: SummaryRequest): Promise<SummaryRows> {
  const q = summaryQueries(store.kind, request);
  const [
    [cube = []] = [],
    [frt = [], scores = [], trendCsat = [], gaps = [], ratings = [], kbAnswers = []] = [],
  ] = await store.runAggregates([
    [q.cube],
    [q.frt, q.scores, q.trendCsat, q.gaps, q.ratings, q.kbAnswers],
  ]);
  return { cube, frt, scores, trendCsat, gaps, ratings, kbAnswers };
}
