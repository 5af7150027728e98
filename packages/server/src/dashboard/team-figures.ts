import {
  type BusinessHours,
  csat,
  fromWallClock,
  median,
  nps,
  percentile,
  wallClock,
} from '@lotse/sdk/metrics';
import type { ResolvedTeamSettings, TeamTargetKey } from '../sites/site-settings.js';
import type { TeamHandoff, TeamReview, TeamRows } from './team-queries.js';

/** Gaps between recorded actions longer than this count as this much active time (reading + writing). */
export const ACTIVE_GAP_CAP_MS = 5 * 60_000;

/** A next conversation of the same visitor on the same topic within this time after the close voids FCR. */
export const FCR_WINDOW_MS = 7 * 86_400_000;

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

/** A scorecard's criteria (`[{id, label, scale}]`), skipping what does not read as one. */
function criteriaOf(text: string): { id: string; label: string; scale: [number, number] }[] {
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
  reviews: TeamReview[];
  ratings: TeamRows['ratings'];
}

const HOUR = 3_600_000;
const WEEK = 7 * 86_400_000;

function figureSet(
  list: readonly Prepared[],
  agents: number,
  periodMs: number,
  options: TeamFiguresOptions,
): TeamFigureSet {
  const handled = list.filter((p) => p.h.firstReplyAt !== null);
  const frt = handled.map((p) => p.h.firstReplyAt! - p.h.createdAt);
  const frtBusiness = handled.map((p) => p.frtBusiness!);
  const handling = handled.flatMap((p) =>
    p.h.closedAt !== null && p.h.closedAt >= p.h.firstReplyAt!
      ? [p.h.closedAt - p.h.firstReplyAt!]
      : [],
  );
  const active = handled.map((p) => p.h.activeMs);
  const activeTotal = active.reduce((a, b) => a + b, 0);
  const closed = list.filter((p) => p.h.closedAt !== null || p.h.reopened);
  const resolved = closed.filter(
    (p) =>
      p.h.closedAt !== null &&
      !p.h.reopened &&
      (p.h.nextContactAt === null || p.h.nextContactAt > p.h.closedAt + FCR_WINDOW_MS),
  );
  const csatScores = list.flatMap((p) =>
    p.ratings.filter((r) => r.type === 'csat.submitted').map((r) => r.score),
  );
  const npsScores = list.flatMap((p) =>
    p.ratings.filter((r) => r.type === 'nps.submitted').map((r) => r.score),
  );
  const reviews = list.flatMap((p) => p.reviews);
  let steps = 0;
  let ticked = 0;
  let withPlaybook = 0;
  for (const p of handled) {
    const n = options.playbookSteps(p.h.topic);
    if (n === 0) continue;
    withPlaybook++;
    steps += n;
    ticked += Math.min(p.h.tickedSteps, n);
  }
  const sla = (level: number): Figure => {
    let met = 0;
    let due = 0;
    for (const { h } of list) {
      if (h.level !== level) continue;
      const by = Date.parse(h.respondBy);
      if (h.firstReplyAt !== null) {
        due++;
        if (h.firstReplyAt <= by) met++;
      } else if (options.now > by) due++;
    }
    return share(met, due);
  };
  const criteria = new Map<string, CriterionFigure & { sum: number }>();
  for (const r of reviews) {
    const scores = parseJson(r.scores);
    for (const c of criteriaOf(r.criteria)) {
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
      handled: { value: handled.length, n: handled.length },
      frtMedian: { value: median(frt), n: frt.length },
      frtP90: { value: percentile(frt, 90), n: frt.length },
      frtBusinessMedian: { value: median(frtBusiness), n: frtBusiness.length },
      frtBusinessP90: { value: percentile(frtBusiness, 90), n: frtBusiness.length },
      handlingMedian: { value: median(handling), n: handling.length },
      activeMedian: { value: median(active), n: active.length },
      fcr: share(resolved.length, closed.length),
      reopenRate: share(closed.filter((p) => p.h.reopened).length, closed.length),
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
        value: cost === null || handled.length === 0 ? null : cost / handled.length,
        n: handled.length,
      },
      costPerWorkingHour: {
        value: cost === null || activeTotal === 0 ? null : cost / (activeTotal / HOUR),
        n: handled.length,
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
  const byHandoff = new Map<string, Prepared>();
  const byConversation = new Map<string, Prepared>();
  const bySession = new Map<string, Prepared[]>();
  for (const h of rows.handoffs) {
    if (h.createdAt < previousFrom || h.createdAt >= options.to) continue;
    const p: Prepared = {
      h,
      frtBusiness: h.firstReplyAt === null ? null : business(h.createdAt, h.firstReplyAt),
      reviews: [],
      ratings: [],
    };
    byHandoff.set(h.id, p);
    byConversation.set(h.ticketId, p);
    if (h.conversationId !== null) byConversation.set(h.conversationId, p);
    if (h.sessionId !== null)
      bySession.set(h.sessionId, [...(bySession.get(h.sessionId) ?? []), p]);
  }
  for (const r of rows.reviews) byHandoff.get(r.handoffId)?.reviews.push(r);
  for (const r of rows.ratings) {
    if (r.type === 'csat.submitted') {
      if (r.conversationId !== null) byConversation.get(r.conversationId)?.ratings.push(r);
      continue;
    }
    // NPS is not tied to a conversation: it counts for the latest handoff of its session before it.
    const candidates = (bySession.get(r.sessionId) ?? []).filter((p) => p.h.createdAt <= r.ts);
    const latest = candidates.sort((a, b) => b.h.createdAt - a.h.createdAt)[0];
    latest?.ratings.push(r);
  }
  const all = [...byHandoff.values()];
  const current = all.filter((p) => p.h.createdAt >= options.from);
  const previous = all.filter((p) => p.h.createdAt < options.from);
  const assignees = [
    ...new Set([
      ...all.flatMap((p) => (p.h.assignee === null ? [] : [p.h.assignee])),
      ...(options.include ?? []),
    ]),
  ].sort();
  const teamOf = (list: readonly Prepared[]) =>
    new Set(list.flatMap((p) => (p.h.assignee === null ? [] : [p.h.assignee]))).size;
  return {
    from: options.from,
    to: options.to,
    previousFrom,
    agents: assignees.map((key) => ({
      key,
      current: figureSet(
        current.filter((p) => p.h.assignee === key),
        1,
        periodMs,
        options,
      ),
      previous: figureSet(
        previous.filter((p) => p.h.assignee === key),
        1,
        periodMs,
        options,
      ),
    })),
    team: {
      key: 'team',
      current: figureSet(current, teamOf(current), periodMs, options),
      previous: figureSet(previous, teamOf(previous), periodMs, options),
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
