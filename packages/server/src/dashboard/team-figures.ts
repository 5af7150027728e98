import {
  type BusinessHours,
  csat,
  FCR_WINDOW_MS,
  fromWallClock,
  nps,
  sorted,
  sortedMedian,
  sortedPercentile,
  wallClock,
} from '@lotse/sdk/metrics';
import type { ResolvedTeamSettings, TeamTargetKey } from '../sites/site-settings.js';
import { groupBy } from './compute-dashboard.js';
import type { TeamHandoff, TeamOwner, TeamRating, TeamReview, TeamRows } from './team-queries.js';

/** One figure with how many cases it rests on. */
export interface Figure {
  value: number | null;
  n: number;
}

/** The average of one scorecard criterion (0–1 of its scale). */
export interface CriterionFigure extends Figure {
  scorecardId: string;
  scorecardName: string;
  criterionId: string;
  label: string;
}

/** Every team figure of one agent (or the team) over one period. */
export interface TeamFigureSet {
  /** Every figure a target can be set for, by its key (rates 0–1, durations in ms). */
  figures: Record<TeamTargetKey, Figure>;
  /** Scorecard average per criterion. */
  criteria: CriterionFigure[];
  /** Sum of active time (ms). */
  activeTotal: number;
}

/** A row of the team view: the period, the previous period and the target gaps. */
export interface TeamRow {
  /** The agent id, or `team`. */
  key: string;
  current: TeamFigureSet;
  previous: TeamFigureSet;
}

/** Options of {@link computeTeamFigures}. */
export interface TeamFiguresOptions {
  from: number;
  to: number;
  /** Moment of evaluation: SLA promises not yet due and unanswered are pending, not missed. */
  now: number;
  hours: BusinessHours;
  team: ResolvedTeamSettings;
  /** Playbook steps of a topic (from the site's model, inbox/site-topics.ts). */
  playbookSteps: (topic: string | null) => number;
  /** Agents that get a row even without conversations (the viewer's own). @default [] */
  include?: readonly string[];
}

/** The team view's figures: one row per assignee seen in either period, and the team row. */
export interface TeamFigures {
  from: number;
  to: number;
  previousFrom: number;
  agents: TeamRow[];
  team: TeamRow;
}

const share = (part: number, whole: number): Figure => ({
  value: whole > 0 ? part / whole : null,
  n: whole,
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A criterion's scale as [lowest, highest]: `1-5`, `yes-no`, `{min, max}` or a highest number. */
function scaleOf(scale: unknown): [number, number] | undefined {
  if (scale === '1-5') return [1, 5];
  if (scale === 'yes-no') return [0, 1];
  if (typeof scale === 'string') {
    const m = /^(\d+)-(\d+)$/.exec(scale);
    if (m) return [Number(m[1]), Number(m[2])];
  }
  if (typeof scale === 'number' && scale > 0) return [scale > 1 ? 1 : 0, scale];
  if (isRecord(scale) && typeof scale.min === 'number' && typeof scale.max === 'number')
    return scale.max > scale.min ? [scale.min, scale.max] : undefined;
  return undefined;
}

type Criterion = { id: string; label: string; scale: [number, number] };

/** Parsed criteria by scorecard id and text (a month's reviews share a few scorecards). */
const parsedCriteria = new Map<string, { text: string; criteria: Criterion[] }>();

/** A scorecard's criteria (`[{id, label, scale}]`), skipping what does not read as one. */
function criteriaOf(scorecardId: string, text: string): Criterion[] {
  const known = parsedCriteria.get(scorecardId);
  if (known?.text === text) return known.criteria;
  const criteria = readCriteria(text);
  if (parsedCriteria.size > 1000) parsedCriteria.clear();
  parsedCriteria.set(scorecardId, { text, criteria });
  return criteria;
}

function readCriteria(text: string): Criterion[] {
  const parsed = parseJson(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((c) => {
    if (!isRecord(c) || typeof c.id !== 'string') return [];
    const scale = scaleOf(c.scale);
    if (scale === undefined) return [];
    const label =
      typeof c.label === 'string' ? c.label : typeof c.name === 'string' ? c.name : c.id;
    return [{ id: c.id, label, scale }];
  });
}

/** A review's score of one criterion: `{score}` or a bare number. */
function scoreOf(scores: unknown, id: string): number | undefined {
  if (!isRecord(scores)) return undefined;
  const s = scores[id];
  const v = isRecord(s) ? s.score : s;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const DAY = 86_400_000;

/**
 * `businessMillis` of `@lotse/sdk/metrics` with each local day's opening intervals computed once
 * (the SDK computes them per call, four time-zone conversions per boundary: most of a month's cost).
 */
export function businessClock(hours: BusinessHours): (from: number, to: number) => number {
  const holidays = new Set(hours.holidays ?? []);
  const byDay = new Map<number, [number, number][]>();
  const sinceMidnight = (hhmm: string) =>
    (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;
  const intervalsOf = (day: number): [number, number][] => {
    let list = byDay.get(day);
    if (list === undefined) {
      const date = new Date(day);
      list = holidays.has(date.toISOString().slice(0, 10))
        ? []
        : (hours.days[date.getUTCDay() as 0] ?? []).map(([open, close]): [number, number] => [
            fromWallClock(day + sinceMidnight(open), hours.timeZone),
            fromWallClock(day + sinceMidnight(close), hours.timeZone),
          ]);
      byDay.set(day, list);
    }
    return list;
  };
  // Time zones change their offset on quarter hours, so one offset per quarter hour is exact and
  // spares most `Intl` calls (each costs microseconds; a month has tens of thousands of replies).
  const offsets = new Map<number, number>();
  const wall = (t: number) => {
    const quarter = Math.floor(t / 900_000);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = wallClock(quarter * 900_000, hours.timeZone) - quarter * 900_000;
      offsets.set(quarter, offset);
    }
    return t + offset;
  };
  return (from, to) => {
    if (!(to > from)) return 0;
    const last = wall(to);
    let total = 0;
    for (let day = Math.floor(wall(from) / DAY) * DAY; day <= last; day += DAY) {
      for (const [start, end] of intervalsOf(day)) {
        total += Math.max(0, Math.min(end, to) - Math.max(start, from));
      }
    }
    return total;
  };
}

interface Prepared {
  h: TeamHandoff;
  /** First response in business hours (ms), when replied. */
  frtBusiness: number | null;
  /** `h.respondBy` as a time. */
  respondBy: number;
}

/** What one row's figures are computed from: its conversations and the ratings and reviews of them. */
interface Cases {
  handoffs: readonly Prepared[];
  ratings: readonly TeamRating[];
  reviews: readonly TeamReview[];
}

const HOUR = 3_600_000;

const WEEK = 7 * 86_400_000;

function figureSet(
  { handoffs: list, ratings, reviews }: Cases,
  agents: number,
  periodMs: number,
  options: TeamFiguresOptions,
): TeamFigureSet {
  // One pass over the conversations (a month holds tens of thousands): loops, not chains of arrays.
  const frt: number[] = [];
  const frtBusiness: number[] = [];
  const handling: number[] = [];
  const active: number[] = [];
  const csatScores: number[] = [];
  const npsScores: number[] = [];
  for (const r of ratings) (r.type === 'csat.submitted' ? csatScores : npsScores).push(r.score);
  let activeTotal = 0;
  let closed = 0;
  let resolved = 0;
  let reopened = 0;
  let steps = 0;
  let ticked = 0;
  let withPlaybook = 0;
  const slaMet = [0, 0, 0, 0];
  const slaDue = [0, 0, 0, 0];
  for (const p of list) {
    const { h } = p;
    if (h.closedAt !== null || h.reopened) {
      closed++;
      if (h.reopened) reopened++;
      else if (
        h.closedAt !== null &&
        (h.nextContactAt === null || h.nextContactAt > h.closedAt + FCR_WINDOW_MS)
      )
        resolved++;
    }
    if (h.level >= 1 && h.level <= 3) {
      if (h.firstReplyAt !== null) {
        slaDue[h.level]!++;
        if (h.firstReplyAt <= p.respondBy) slaMet[h.level]!++;
      } else if (options.now > p.respondBy) slaDue[h.level]!++;
    }
    if (h.firstReplyAt === null) continue;
    frt.push(h.firstReplyAt - h.createdAt);
    frtBusiness.push(p.frtBusiness!);
    if (h.closedAt !== null && h.closedAt >= h.firstReplyAt)
      handling.push(h.closedAt - h.firstReplyAt);
    active.push(h.activeMs);
    activeTotal += h.activeMs;
    const n = options.playbookSteps(h.topic);
    if (n === 0) continue;
    withPlaybook++;
    steps += n;
    ticked += Math.min(h.tickedSteps, n);
  }
  const handledCount = frt.length;
  // Each series sorted once for its median and p90.
  const [frtSorted, frtBusinessSorted, handlingSorted, activeSorted] = [
    frt,
    frtBusiness,
    handling,
    active,
  ].map(sorted) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const sla = (level: 1 | 2 | 3): Figure => share(slaMet[level]!, slaDue[level]!);
  const criteria = new Map<string, CriterionFigure & { sum: number }>();
  for (const r of reviews) {
    const scores = parseJson(r.scores);
    for (const c of criteriaOf(r.scorecardId, r.criteria)) {
      const s = scoreOf(scores, c.id);
      if (s === undefined || s < c.scale[0] || s > c.scale[1]) continue;
      const key = `${r.scorecardId}\u0000${c.id}`;
      let f = criteria.get(key);
      if (f === undefined) {
        f = {
          scorecardId: r.scorecardId,
          scorecardName: r.scorecardName,
          criterionId: c.id,
          label: c.label,
          value: null,
          n: 0,
          sum: 0,
        };
        criteria.set(key, f);
      }
      f.n++;
      f.sum += (s - c.scale[0]) / (c.scale[1] - c.scale[0]);
    }
  }
  const rate = options.team.costPerHour;
  const cost =
    rate === undefined ? null : rate * agents * options.team.paidHoursPerWeek * (periodMs / WEEK);
  return {
    figures: {
      handled: { value: handledCount, n: handledCount },
      frtMedian: { value: sortedMedian(frtSorted), n: frt.length },
      frtP90: { value: sortedPercentile(frtSorted, 90), n: frt.length },
      frtBusinessMedian: { value: sortedMedian(frtBusinessSorted), n: frtBusiness.length },
      frtBusinessP90: { value: sortedPercentile(frtBusinessSorted, 90), n: frtBusiness.length },
      handlingMedian: { value: sortedMedian(handlingSorted), n: handling.length },
      activeMedian: { value: sortedMedian(activeSorted), n: active.length },
      fcr: share(resolved, closed),
      reopenRate: share(reopened, closed),
      csat: { value: csat(csatScores), n: csatScores.length },
      nps: { value: nps(npsScores), n: npsScores.length },
      scorecard: {
        value: reviews.length ? reviews.reduce((a, r) => a + r.score, 0) / reviews.length : null,
        n: reviews.length,
      },
      playbook: { ...share(ticked, steps), n: withPlaybook },
      sla1: sla(1),
      sla2: sla(2),
      sla3: sla(3),
      costPerCase: {
        value: cost === null || handledCount === 0 ? null : cost / handledCount,
        n: handledCount,
      },
      costPerWorkingHour: {
        value: cost === null || activeTotal === 0 ? null : cost / (activeTotal / HOUR),
        n: handledCount,
      },
    },
    criteria: [...criteria.values()]
      .map(({ sum, ...f }) => ({ ...f, value: f.n ? sum / f.n : null }))
      .sort(
        (a, b) =>
          a.scorecardName.localeCompare(b.scorecardName) ||
          a.criterionId.localeCompare(b.criterionId),
      ),
    activeTotal,
  };
}

/**
 * The team figures of handoffs created in [from, to) and in the period of the same length before it,
 * per assignee and for the team (every handoff, assigned or not). Each figure's definition is in
 * team-messages.ts; rates are 0–1, durations milliseconds, costs in the site's currency.
 */
export function computeTeamFigures(rows: TeamRows, options: TeamFiguresOptions): TeamFigures {
  const periodMs = options.to - options.from;
  const previousFrom = options.from - periodMs;
  const business = businessClock(options.hours);
  const inPeriods = (createdAt: number) => createdAt >= previousFrom && createdAt < options.to;
  const current: Prepared[] = [];
  const previous: Prepared[] = [];
  for (const h of rows.handoffs) {
    if (!inPeriods(h.createdAt)) continue;
    (h.createdAt >= options.from ? current : previous).push({
      h,
      frtBusiness: h.firstReplyAt === null ? null : business(h.createdAt, h.firstReplyAt),
      respondBy: Date.parse(h.respondBy),
    });
  }
  // Ratings and reviews belong to the period and agent of the conversation they count for.
  const split = <T extends TeamOwner>(list: readonly T[]) => {
    const out: { current: T[]; previous: T[] } = { current: [], previous: [] };
    for (const r of list) {
      if (inPeriods(r.createdAt))
        (r.createdAt >= options.from ? out.current : out.previous).push(r);
    }
    return out;
  };
  const ratings = split(rows.ratings);
  const reviews = split(rows.reviews);
  const byAgent = (
    handoffs: Prepared[],
    of: { ratings: TeamRating[]; reviews: TeamReview[] },
  ): Map<string, Cases> => {
    const handoffsOf = groupBy(handoffs, (p) => p.h.assignee ?? undefined);
    const ratingsOf = groupBy(of.ratings, (r) => r.assignee ?? undefined);
    const reviewsOf = groupBy(of.reviews, (r) => r.assignee ?? undefined);
    return new Map(
      [...handoffsOf].map(([key, list]) => [
        key,
        { handoffs: list, ratings: ratingsOf.get(key) ?? [], reviews: reviewsOf.get(key) ?? [] },
      ]),
    );
  };
  const currentOf = byAgent(current, { ratings: ratings.current, reviews: reviews.current });
  const previousOf = byAgent(previous, { ratings: ratings.previous, reviews: reviews.previous });
  const currentTeam = currentOf.size;
  const none: Cases = { handoffs: [], ratings: [], reviews: [] };
  const assignees = [
    ...new Set([...currentOf.keys(), ...previousOf.keys(), ...(options.include ?? [])]),
  ].sort();
  return {
    from: options.from,
    to: options.to,
    previousFrom,
    agents: assignees.map((key) => ({
      key,
      current: figureSet(currentOf.get(key) ?? none, 1, periodMs, options),
      previous: figureSet(previousOf.get(key) ?? none, 1, periodMs, options),
    })),
    team: {
      key: 'team',
      current: figureSet(
        { handoffs: current, ratings: ratings.current, reviews: reviews.current },
        currentTeam,
        periodMs,
        options,
      ),
      previous: figureSet(
        { handoffs: previous, ratings: ratings.previous, reviews: reviews.previous },
        previousOf.size,
        periodMs,
        options,
      ),
    },
  };
}

/** Whether a lower value of a figure is better (durations, reopen rate, costs). */
export function lowerIsBetter(key: TeamTargetKey): boolean {
  return (
    key.startsWith('frt') ||
    key === 'handlingMedian' ||
    key === 'activeMedian' ||
    key === 'reopenRate' ||
    key.startsWith('cost')
  );
}

/**
 * A figure's value in the unit its target is set in: percent for rates and shares, minutes for
 * durations, NPS points and currency as they are.
 */
export function inTargetUnit(key: TeamTargetKey, value: number): number {
  if (key === 'handled' || key === 'nps' || key.startsWith('cost')) return value;
  if (key.startsWith('frt') || key === 'handlingMedian' || key === 'activeMedian')
    return value / 60_000;
  return value * 100;
}

/** The gap to a target in the target's unit (positive = better than the target), or null. */
export function targetGap(
  key: TeamTargetKey,
  value: number | null,
  target: number | undefined,
): number | null {
  if (value === null || target === undefined) return null;
  const diff = inTargetUnit(key, value) - target;
  return lowerIsBetter(key) ? -diff : diff;
}
