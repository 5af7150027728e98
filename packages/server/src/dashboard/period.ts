// The period of a dashboard or team-view request, read the same way by both: `from` and `to` as
// epoch milliseconds or ISO dates. A date-only day is the site's local day, as the trend counts
// days: `from` its local midnight, `to` the end of that day, so that "to today" includes today and a
// form sent back unchanged keeps its period.
import { fromWallClock, wallClock } from '@lotse/sdk/metrics';

const DAY = 86_400_000;

/** Longest period a request may ask for: a year and a leap day, and a day of slack. */
const MAX_PERIOD_MS = 367 * DAY;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function parseTime(
  value: string | undefined,
  endOfDay: boolean,
  timeZone: string,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t) || !dateOnly.test(value)) return t;
  // Date.parse rolls "2026-02-30" over into March: a day that does not exist is no date.
  if (new Date(t).toISOString().slice(0, 10) !== value) return Number.NaN;
  // `t` is that day's midnight read as UTC: the wall clock whose instant in the zone is wanted.
  return dayStart(endOfDay ? t + DAY : t, timeZone);
}

/** The first instant of the local day whose midnight reads `wall` (epoch ms read as UTC). */
function dayStart(wall: number, timeZone: string): number {
  const t = fromWallClock(wall, timeZone);
  // A midnight that does not exist (a clock change at 00:00, as in Santiago) is the instant after.
  const behind = wall - wallClock(t, timeZone);
  return behind > 0 ? t + behind : t;
}

/**
 * Where the period of the same length just before `[from, to)` starts: as many of the site's days
 * back when the period is whole days there (a day with a change of clock is 23 or 25 hours long),
 * else as many milliseconds.
 */
export function previousStart(from: number, to: number, timeZone: string): number {
  const wallFrom = wallClock(from, timeZone);
  const days = (wallClock(to, timeZone) - wallFrom) / DAY;
  if (wallFrom % DAY !== 0 || !Number.isInteger(days)) return from - (to - from);
  return dayStart(wallFrom - days * DAY, timeZone);
}

/** The day (YYYY-MM-DD) of an instant in `timeZone`. */
export function isoDay(ms: number, timeZone: string): string {
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);
}

/** The last day a period ending (exclusively) at `to` covers: what its "to" field shows. */
export function lastDay(to: number, timeZone: string): string {
  return isoDay(to - 1, timeZone);
}

/** A period `[from, to)`, or what is wrong with the request's `from`/`to`. */
export type PeriodResult =
  | { ok: true; from: number; to: number }
  | { ok: false; message: string; field: 'from' | 'to' };

/** Reads `from`/`to` (default: the 30 days up to `now`), dates as days in the site's `timeZone`. */
export function readPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: number,
  timeZone: string,
): PeriodResult {
  const fail = (message: string, field: 'from' | 'to') => ({ ok: false as const, message, field });
  const to = parseTime(query.to, true, timeZone) ?? now;
  if (!Number.isFinite(to)) return fail('to: an ISO date or epoch milliseconds', 'to');
  const from = parseTime(query.from, false, timeZone) ?? to - 30 * DAY;
  if (!Number.isFinite(from)) return fail('from: an ISO date or epoch milliseconds', 'from');
  if (!(to > from)) return fail('to must be after from', 'to');
  if (to - from > MAX_PERIOD_MS) return fail('the period may span at most 367 days', 'from');
  return { ok: true, from, to };
}
