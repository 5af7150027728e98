// The period of a dashboard or team-view request, read the same way by both: `from` and `to` as
// epoch milliseconds or ISO dates. A date-only day is the site's local day, as the trend counts
// days: `from` its local midnight, `to` the end of that day, so that "to today" includes today and a
// form sent back unchanged keeps its period. A date-time without an offset is a time on the site's
// clock too, never the server's; one with `Z` or an offset is that instant.
import { fromWallClock, wallClock } from '@lotse/sdk/metrics';
import { MAX_EPOCH_MS } from '@lotse/sdk/schema';

const DAY = 86_400_000;

/** Longest period a request may ask for: a year and a leap day, and a day of slack. */
const MAX_PERIOD_MS = 367 * DAY;

/** Days before the last one that the default period starts: the form shows 30 days back to today. */
const DEFAULT_DAYS_BEFORE = 30;

/** `YYYY-MM-DD`, then optionally a time and an offset (`Z`, `+01:00`, `+0100`). */
const isoTime =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** What a `from` or `to` reads as: an instant, nothing given, or why it cannot be read. */
type Parsed = number | undefined | 'unreadable' | 'out_of_range';

function parseTime(value: string | undefined, endOfDay: boolean, timeZone: string): Parsed {
  const t = readTime(value, endOfDay, timeZone);
  // Whatever the form, the instant stays within the range of stored times: a date-time on a clock
  // ahead of UTC can name one before 1970, and the end of 9999-12-31 behind UTC one after 9999
  // (the end of that day in UTC, exclusive, is the last end a period may have).
  return typeof t === 'number' && (t < 0 || t > MAX_EPOCH_MS + 1) ? 'out_of_range' : t;
}

function readTime(value: string | undefined, endOfDay: boolean, timeZone: string): Parsed {
  if (value === undefined || value === '') return undefined;
  // The SDK's bound for event times (the end of year 9999): beyond it, a day or an hour added
  // leaves the range of JavaScript dates, and the site's local days with it.
  if (/^\d+$/.test(value)) return Number(value) <= MAX_EPOCH_MS ? Number(value) : 'out_of_range';
  const m = isoTime.exec(value);
  if (m === null) return 'unreadable';
  const [, date = '', time, offset] = m;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls "2026-02-30" over into March: a day that does not exist is no date.
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== date) {
    return 'unreadable';
  }
  // Before 1970 no event is stored, and the time zones' rules read years before 1 AD wrong.
  if (midnight < 0) return 'out_of_range';
  if (time === undefined) {
    // `midnight` is that day's midnight read as UTC: the wall clock whose instant in the zone is wanted.
    return dayStart(endOfDay ? midnight + DAY : midnight, timeZone);
  }
  if (offset !== undefined) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? 'unreadable' : t;
  }
  const wall = Date.parse(`${date}T${time}Z`);
  // "24:00" and the like roll over into the next day: no time of the day named.
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 10) !== date) return 'unreadable';
  return fromWallClock(wall, timeZone);
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

/** The start of the site's day that `ms` falls on, `days` days later (earlier when negative). */
function localDayStart(ms: number, days: number, timeZone: string): number {
  return dayStart(Math.floor(wallClock(ms, timeZone) / DAY) * DAY + days * DAY, timeZone);
}

/**
 * Reads `from`/`to`, dates as days in the site's `timeZone`. The default is whole days there, as
 * the form shows them: `to` the end of today (of `now`), `from` the start of the day 30 days before
 * the period's last day; so a form sent back unchanged keeps the period.
 */
export function readPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: number,
  timeZone: string,
): PeriodResult {
  const fail = (message: string, field: 'from' | 'to') => ({ ok: false as const, message, field });
  const problem = (field: 'from' | 'to', parsed: 'unreadable' | 'out_of_range') =>
    fail(
      parsed === 'unreadable'
        ? `${field}: an ISO date (2026-12-07, or 2026-12-07T09:30 on the site's clock) or epoch milliseconds`
        : `${field}: a time from 1970-01-01 to 9999-12-31 (epoch milliseconds 0 to ${MAX_EPOCH_MS})`,
      field,
    );
  const parsedTo = parseTime(query.to, true, timeZone);
  if (typeof parsedTo === 'string') return problem('to', parsedTo);
  const to = parsedTo ?? localDayStart(now, 1, timeZone);
  const parsedFrom = parseTime(query.from, false, timeZone);
  if (typeof parsedFrom === 'string') return problem('from', parsedFrom);
  const from = parsedFrom ?? localDayStart(to - 1, -DEFAULT_DAYS_BEFORE, timeZone);
  if (!(to > from)) return fail('to must be after from', 'to');
  if (to - from > MAX_PERIOD_MS) return fail('the period may span at most 367 days', 'from');
  return { ok: true, from, to };
}
