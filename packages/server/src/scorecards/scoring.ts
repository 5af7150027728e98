// What a review's numbers mean: a criterion's score on 0..1, the weighted total, the scorecard that
// applies to a conversation, the ISO week on each site's clock, the fair weekly sample and the
// averages per agent and criterion (for the dashboard's team view).
import { createHash } from 'node:crypto';
import { fromWallClock, wallClock } from '@lotse/sdk/metrics';
import type {
  ClosedConversation,
  Criterion,
  CriterionScore,
  ReviewRow,
  ScorecardQueries,
  ScorecardRow,
} from './scorecard-queries.js';

/** A criterion's score on 0..1: 1–5 maps 1 → 0 and 5 → 1; yes/no is 1 or 0. */
export function normalizedScore(criterion: Criterion, score: number): number {
  return criterion.scale === '1-5' ? (score - 1) / 4 : score === 1 ? 1 : 0;
}

/** The weighted total of a review on 0..1 (criteria without a score do not count). */
export function weightedScore(
  criteria: readonly Criterion[],
  scores: Readonly<Record<string, CriterionScore>>,
): number {
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.id];
    if (s === undefined) continue;
    sum += c.weight * normalizedScore(c, s.score);
    weights += c.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

/**
 * The scorecard for a conversation: the newest active one of its site and topic, else of its site
 * for every topic, else of every site for its topic, else of every site and topic.
 */
export function scorecardFor(
  cards: readonly ScorecardRow[],
  siteKey: string,
  topic: string | null,
): ScorecardRow | undefined {
  const rank = (s: ScorecardRow): number => {
    if (s.archivedAt !== null) return -1;
    if (s.siteKey !== null && s.siteKey !== siteKey) return -1;
    if (s.topic !== null && s.topic !== topic) return -1;
    return (s.siteKey === null ? 0 : 2) + (s.topic === null ? 0 : 1);
  };
  return [...cards]
    .filter((s) => rank(s) >= 0)
    .sort((a, b) => rank(b) - rank(a) || b.createdAt - a.createdAt)[0];
}

/** An ISO 8601 week (`2026-W49`): from its Monday 00:00 to the next, as epoch ms, in one time zone. */
export interface IsoWeek {
  id: string;
  from: number;
  to: number;
}

const DAY = 86_400_000;

/** The Monday 00:00 of the ISO week a wall-clock reading (epoch ms read as UTC) falls in. */
function mondayOf(wall: number): number {
  const day = Math.floor(wall / DAY);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
}

/** The id of the ISO week starting on `monday`: its Thursday's year holds it. */
function weekId(monday: number): string {
  const year = new Date(monday + 3 * DAY).getUTCFullYear();
  const week = Math.floor((monday + 3 * DAY - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday 00:00 of week `2026-W49`, or undefined for text that names no week. */
function parseMonday(text: string): number | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (m === null) return undefined;
  // Week 1 holds 4 January.
  const monday = mondayOf(Date.UTC(Number(m[1]), 0, 4)) + (Number(m[2]) - 1) * 7 * DAY;
  return weekId(monday) === text ? monday : undefined;
}

const weekIn = (monday: number, timeZone: string): IsoWeek => ({
  id: weekId(monday),
  from: fromWallClock(monday, timeZone),
  to: fromWallClock(monday + 7 * DAY, timeZone),
});

/** The ISO week (Monday to Sunday on the clock of `timeZone`) that `ts` falls in. */
export function isoWeekOf(ts: number, timeZone = 'UTC'): IsoWeek {
  return weekIn(mondayOf(wallClock(ts, timeZone)), timeZone);
}

/** Parses `2026-W49` into its week on the clock of `timeZone`, or undefined. */
export function parseIsoWeek(text: string, timeZone = 'UTC'): IsoWeek | undefined {
  const monday = parseMonday(text);
  return monday === undefined ? undefined : weekIn(monday, timeZone);
}

/** One ISO week on every site's calendar at once: what the reviewers' queue shows. */
export interface SiteWeek {
  id: string;
  /** The ids of the weeks before and after. */
  previous: string;
  next: string;
  /** From the first site's Monday 00:00 to the last site's next Monday 00:00: what to read. */
  from: number;
  to: number;
  /** Whether a conversation was closed in this week on its own site's clock. */
  holds(c: ClosedConversation): boolean;
}

/**
 * The queue's week: the one `asked` for, else the newest begun at `now` on any site's calendar, so
 * a reviewer sees a site's new week from its Monday 00:00. Each conversation belongs to the week of
 * its site's time zone (UTC for a site no longer configured), so the weeks still split every
 * conversation into exactly one of them.
 *
 * @example
 * const week = queueWeek(c.req.query('week'), deps.now(), new Map([['demo', 'Europe/Berlin']]));
 */
export function queueWeek(
  asked: string | undefined,
  now: number,
  /** Each site's time zone, by site key. */
  timeZones: ReadonlyMap<string, string>,
): SiteWeek {
  const zones = [...new Set(timeZones.values())];
  const begun = (zones.length === 0 ? ['UTC'] : zones).map((z) => mondayOf(wallClock(now, z)));
  const monday = (asked === undefined ? undefined : parseMonday(asked)) ?? Math.max(...begun);
  const weeks = new Map(['UTC', ...zones].map((z) => [z, weekIn(monday, z)] as const));
  const utc = weekIn(monday, 'UTC');
  const all = [...weeks.values()];
  return {
    id: utc.id,
    previous: weekId(monday - 7 * DAY),
    next: weekId(monday + 7 * DAY),
    from: Math.min(...all.map((w) => w.from)),
    to: Math.max(...all.map((w) => w.to)),
    holds: (c) => {
      const w = weeks.get(timeZones.get(c.siteKey) ?? 'UTC') ?? utc;
      return c.closedAt >= w.from && c.closedAt < w.to;
    },
  };
}

/** The order of the sample: a hash of the conversation id, so nobody picks what gets reviewed. */
function sampleKey(id: string): string {
  return createHash('sha256').update(`lotse-review-sample:${id}`).digest('hex');
}

/** One agent's sampled conversations in a week. */
export interface AgentSample {
  agentId: string;
  conversations: ClosedConversation[];
  /** Closed conversations of this agent in the week, sampled or not. */
  closed: number;
}

/**
 * A fair sample per agent of a week's closed conversations: each agent's first `size` by the hash of
 * their id. Stable (the same week always gives the same sample) and the same share for everyone.
 */
export function weeklySample(closed: readonly ClosedConversation[], size: number): AgentSample[] {
  const byAgent = new Map<string, ClosedConversation[]>();
  for (const c of closed) byAgent.set(c.assignee, [...(byAgent.get(c.assignee) ?? []), c]);
  return [...byAgent.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([agentId, list]) => ({
      agentId,
      closed: list.length,
      conversations: list
        .map((c) => ({ c, key: sampleKey(c.id) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, size)
        .map(({ c }) => c),
    }));
}

/** Average scores of one agent over a period. */
export interface AgentScoreAverage {
  agentId: string;
  /** Reviews counted. */
  reviews: number;
  /** Mean of the reviews' weighted totals, 0..1. */
  score: number;
  /** Per criterion label: mean of the normalised scores (0..1) and how many scores. */
  criteria: Record<string, { score: number; n: number }>;
}

/**
 * Average review score per agent and per criterion for reviews in [from, to): what the dashboard's
 * team view shows as "scorecard average". Criteria are keyed by label, so the same criterion on two
 * scorecards counts together.
 *
 * @example
 * const team = await scoreAverages(deps.store, from, to);
 */
export async function scoreAverages(
  store: Pick<ScorecardQueries, 'listReviewsBetween' | 'listScorecards'>,
  from: number,
  to: number,
): Promise<AgentScoreAverage[]> {
  const reviews = await store.listReviewsBetween(from, to);
  const cards = new Map(
    (await store.listScorecards({ archived: true })).map((s) => [s.id, s] as const),
  );
  const out = new Map<
    string,
    { total: number; n: number; criteria: Map<string, { sum: number; n: number }> }
  >();
  for (const r of reviews) {
    const a = out.get(r.agentId) ?? { total: 0, n: 0, criteria: new Map() };
    a.total += r.score;
    a.n += 1;
    for (const c of cards.get(r.scorecardId)?.criteria ?? []) {
      const s = r.scores[c.id];
      if (s === undefined) continue;
      const m = a.criteria.get(c.label) ?? { sum: 0, n: 0 };
      m.sum += normalizedScore(c, s.score);
      m.n += 1;
      a.criteria.set(c.label, m);
    }
    out.set(r.agentId, a);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([agentId, a]) => ({
      agentId,
      reviews: a.n,
      score: a.total / a.n,
      criteria: Object.fromEntries(
        [...a.criteria.entries()].map(([label, m]) => [label, { score: m.sum / m.n, n: m.n }]),
      ),
    }));
}

/** Two or more reviewers' scores of one conversation, criterion by criterion. */
export interface Calibration {
  handoffId: string;
  reviews: ReviewRow[];
  /** Per criterion of the first review's scorecard: each review's score and the spread on 0..1. */
  criteria: { criterion: Criterion; scores: (number | undefined)[]; spread: number }[];
  /** Spread of the totals, 0..1. */
  spread: number;
}

/** The per-criterion differences between reviewers of the same conversations. */
export function calibrationOf(
  reviews: readonly ReviewRow[],
  cards: ReadonlyMap<string, ScorecardRow>,
): Calibration[] {
  const byHandoff = new Map<string, ReviewRow[]>();
  for (const r of reviews) byHandoff.set(r.handoffId, [...(byHandoff.get(r.handoffId) ?? []), r]);
  const spreadOf = (xs: number[]) => (xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs));
  return [...byHandoff.entries()]
    .filter(([, list]) => list.length >= 2)
    .map(([handoffId, list]) => {
      const card = cards.get(list[0]!.scorecardId);
      const criteria = (card?.criteria ?? []).map((criterion) => {
        const scores = list.map((r) => r.scores[criterion.id]?.score);
        const normalized = scores
          .filter((s): s is number => s !== undefined)
          .map((s) => normalizedScore(criterion, s));
        return { criterion, scores, spread: spreadOf(normalized) };
      });
      return { handoffId, reviews: list, criteria, spread: spreadOf(list.map((r) => r.score)) };
    });
}
