import {
  type BusinessHours,
  costPerCase,
  csat,
  fromWallClock,
  nps,
  sorted,
  sortedMedian,
  sortedPercentile,
  wallClock,
} from '@lotse/sdk/metrics';
import type { ResolvedTeamSettings, TeamTargetKey } from '../sites/site-settings.js';
import { previousStart } from './period.js';
import { withoutSecondContact } from './second-contact.js';
import type { TeamHandoff, TeamReview, TeamRows } from './team-queries.js';

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
  // Time zones change their offset on quarter hours, at most once a day: a UTC day whose first and
  // last quarter hour share an offset keeps it throughout; only a day of change is looked up per
  // quarter hour. Each `Intl` call costs microseconds; a month has tens of thousands of replies.
  const offsetOf = (t: number) => wallClock(t, hours.timeZone) - t;
  const dayOffsets = new Map<number, number | null>();
  const quarterOffsets = new Map<number, number>();
  const wall = (t: number) => {
    const day = Math.floor(t / DAY);
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const first = offsetOf(day * DAY);
      offset = first === offsetOf(day * DAY + DAY - 900_000) ? first : null;
      dayOffsets.set(day, offset);
    }
    if (offset !== null) return t + offset;
    const quarter = Math.floor(t / 900_000);
    let exact = quarterOffsets.get(quarter);
    if (exact === undefined) {
      exact = offsetOf(quarter * 900_000);
      quarterOffsets.set(quarter, exact);
    }
    return t + exact;
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

/** What one row's figures over one period are computed from, gathered in one pass over the cases. */
interface Tally {
  frt: number[];
  frtBusiness: number[];
  handling: number[];
  active: number[];
  csat: number[];
  nps: number[];
  activeTotal: number;
  /** Closed cases: closed, or reopened since a close (FCR's and cost per case's denominator). */
  closed: number;
  resolved: number;
  reopened: number;
  /** Playbook steps of the replied conversations with a playbook, and how many of them were ticked. */
  steps: number;
  ticked: number;
  withPlaybook: number;
  /** SLA by level (index 1–3): first replies in time, and replies or promises due. */
  slaMet: number[];
  slaDue: number[];
  reviews: number;
  reviewScores: number;
  criteria: Map<string, CriterionFigure & { sum: number }>;
}

const newTally = (): Tally => ({
  frt: [],
  frtBusiness: [],
  handling: [],
  active: [],
  csat: [],
  nps: [],
  activeTotal: 0,
  closed: 0,
  resolved: 0,
  reopened: 0,
  steps: 0,
  ticked: 0,
  withPlaybook: 0,
  slaMet: [0, 0, 0, 0],
  slaDue: [0, 0, 0, 0],
  reviews: 0,
  reviewScores: 0,
  criteria: new Map(),
});

/** What a handoff adds to a tally, worked out once for the team's and its agent's. */
interface Case {
  h: TeamHandoff;
  /** First response in business hours (ms), when replied. */
  frtBusiness: number;
  /** Steps of its topic's playbook (0 = none). */
  steps: number;
  /** End of its period: a second contact from then on counts in no FCR of it (second-contact.ts). */
  periodEnd: number;
}

function countCase(t: Tally, { h, frtBusiness, steps, periodEnd }: Case, now: number): void {
  if (h.closedAt !== null || h.reopened) {
    t.closed++;
    if (h.reopened) t.reopened++;
    else if (h.closedAt !== null && withoutSecondContact(h.nextContactAt, h.closedAt, periodEnd))
      t.resolved++;
  }
  if (h.level >= 1 && h.level <= 3) {
    if (h.firstReplyAt !== null) {
      t.slaDue[h.level]!++;
      if (h.firstReplyAt <= h.respondBy) t.slaMet[h.level]!++;
    } else if (now > h.respondBy) t.slaDue[h.level]!++;
  }
  if (h.firstReplyAt === null) return;
  t.frt.push(h.firstReplyAt - h.createdAt);
  t.frtBusiness.push(frtBusiness);
  if (h.closedAt !== null && h.closedAt >= h.firstReplyAt)
    t.handling.push(h.closedAt - h.firstReplyAt);
  t.active.push(h.activeMs);
  t.activeTotal += h.activeMs;
  if (steps === 0) return;
  t.withPlaybook++;
  t.steps += steps;
  t.ticked += Math.min(h.tickedSteps, steps);
}

/** Adds a review (its criteria's scores read once, `scores`) to a tally. */
function countReview(t: Tally, r: TeamReview, scores: unknown): void {
  t.reviews++;
  t.reviewScores += r.score;
  for (const c of criteriaOf(r.scorecardId, r.criteria)) {
    const s = scoreOf(scores, c.id);
    if (s === undefined || s < c.scale[0] || s > c.scale[1]) continue;
    const key = `${r.scorecardId}\u0000${c.id}`;
    let f = t.criteria.get(key);
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
      t.criteria.set(key, f);
    }
    f.n++;
    f.sum += (s - c.scale[0]) / (c.scale[1] - c.scale[0]);
  }
}

const HOUR = 3_600_000;

const WEEK = 7 * 86_400_000;

function figureSet(
  t: Tally,
  agents: number,
  periodMs: number,
  options: TeamFiguresOptions,
): TeamFigureSet {
  // Each series sorted once for its median and p90.
  const [frt, frtBusiness, handling, active] = [t.frt, t.frtBusiness, t.handling, t.active].map(
    sorted,
  ) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const handled = frt.length;
  const sla = (level: 1 | 2 | 3): Figure => share(t.slaMet[level]!, t.slaDue[level]!);
  const rate = options.team.costPerHour;
  const cost =
    rate === undefined ? null : rate * agents * options.team.paidHoursPerWeek * (periodMs / WEEK);
  return {
    figures: {
      handled: { value: handled, n: handled },
      frtMedian: { value: sortedMedian(frt), n: handled },
      frtP90: { value: sortedPercentile(frt, 90), n: handled },
      frtBusinessMedian: { value: sortedMedian(frtBusiness), n: frtBusiness.length },
      frtBusinessP90: { value: sortedPercentile(frtBusiness, 90), n: frtBusiness.length },
      handlingMedian: { value: sortedMedian(handling), n: handling.length },
      activeMedian: { value: sortedMedian(active), n: active.length },
      fcr: share(t.resolved, t.closed),
      reopenRate: share(t.reopened, t.closed),
      csat: { value: csat(t.csat), n: t.csat.length },
      nps: { value: nps(t.nps), n: t.nps.length },
      scorecard: { value: t.reviews ? t.reviewScores / t.reviews : null, n: t.reviews },
      playbook: { ...share(t.ticked, t.steps), n: t.withPlaybook },
      sla1: sla(1),
      sla2: sla(2),
      sla3: sla(3),
      // Costs ÷ closed cases, as DESIGN.md and `costPerCase` of @lotse/sdk/metrics define it.
      costPerCase: {
        value: cost === null ? null : costPerCase(cost, t.closed),
        n: t.closed,
      },
      costPerWorkingHour: {
        value: cost === null || t.activeTotal === 0 ? null : cost / (t.activeTotal / HOUR),
        n: handled,
      },
    },
    criteria: [...t.criteria.values()]
      .map(({ sum, ...f }) => ({ ...f, value: f.n ? sum / f.n : null }))
      .sort(
        (a, b) =>
          a.scorecardName.localeCompare(b.scorecardName) ||
          a.criterionId.localeCompare(b.criterionId),
      ),
    activeTotal: t.activeTotal,
  };
}

/**
 * The team figures of handoffs created in [from, to) and in the period of the same length before it,
 * per assignee and for the team (every handoff, assigned or not). Each figure's definition is in
 * team-messages.ts; rates are 0–1, durations milliseconds, costs in the site's currency.
 */
export function computeTeamFigures(rows: TeamRows, options: TeamFiguresOptions): TeamFigures {
  const periodMs = options.to - options.from;
  const previousFrom = previousStart(options.from, options.to, options.hours.timeZone);
  const business = businessClock(options.hours);
  // One pass over a month's tens of thousands of conversations, each counted for the team and for
  // its agent in its period (0 = this one, 1 = the one before).
  const team = [newTally(), newTally()] as const;
  const agents = [new Map<string, Tally>(), new Map<string, Tally>()] as const;
  const periodOf = (createdAt: number): 0 | 1 | undefined =>
    createdAt >= options.from && createdAt < options.to
      ? 0
      : createdAt >= previousFrom && createdAt < options.from
        ? 1
        : undefined;
  for (const h of rows.handoffs) {
    const period = periodOf(h.createdAt);
    if (period === undefined) continue;
    const c: Case = {
      h,
      frtBusiness: h.firstReplyAt === null ? 0 : business(h.createdAt, h.firstReplyAt),
      steps: options.playbookSteps(h.topic),
      periodEnd: period === 0 ? options.to : options.from,
    };
    countCase(team[period], c, options.now);
    if (h.assignee === null) continue;
    let own = agents[period].get(h.assignee);
    if (own === undefined) {
      own = newTally();
      agents[period].set(h.assignee, own);
    }
    countCase(own, c, options.now);
  }
  // Ratings and reviews belong to the period and agent of the conversation they count for.
  for (const r of rows.ratings) {
    const period = periodOf(r.createdAt);
    if (period === undefined) continue;
    const key = r.type === 'csat.submitted' ? 'csat' : 'nps';
    team[period][key].push(r.score);
    if (r.assignee !== null) agents[period].get(r.assignee)?.[key].push(r.score);
  }
  for (const r of rows.reviews) {
    const period = periodOf(r.createdAt);
    if (period === undefined) continue;
    const scores = parseJson(r.scores);
    countReview(team[period], r, scores);
    const own = r.assignee === null ? undefined : agents[period].get(r.assignee);
    if (own !== undefined) countReview(own, r, scores);
  }
  const none = newTally();
  const assignees = [
    ...new Set([...agents[0].keys(), ...agents[1].keys(), ...(options.include ?? [])]),
  ].sort();
  return {
    from: options.from,
    to: options.to,
    previousFrom,
    agents: assignees.map((key) => ({
      key,
      current: figureSet(agents[0].get(key) ?? none, 1, periodMs, options),
      previous: figureSet(agents[1].get(key) ?? none, 1, periodMs, options),
    })),
    team: {
      key: 'team',
      current: figureSet(team[0], agents[0].size, periodMs, options),
      previous: figureSet(team[1], agents[1].size, periodMs, options),
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
