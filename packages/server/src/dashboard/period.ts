// The period of a dashboard or team-view request, read the same way by both: `from` and `to` as
// epoch milliseconds or ISO dates. A date-only `to` is the end of that day (UTC), as the date
// fields show it, so that "to today" includes today and a form sent back unchanged keeps its period.

const DAY = 86_400_000;

/** Longest period a request may ask for: a year and a leap day, and a day of slack. */
const MAX_PERIOD_MS = 367 * DAY;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function parseTime(value: string | undefined, endOfDay: boolean): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  // Date.parse rolls "2026-02-30" over into March: a day that does not exist is no date.
  if (Number.isNaN(t) || (dateOnly.test(value) && isoDay(t) !== value)) return Number.NaN;
  return endOfDay && dateOnly.test(value) ? t + DAY : t;
}

/** The day (YYYY-MM-DD, UTC) of an instant. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The last day a period ending (exclusively) at `to` covers: what its "to" field shows. */
export function lastDay(to: number): string {
  return isoDay(to - 1);
}

/** A period `[from, to)`, or what is wrong with the request's `from`/`to`. */
export type PeriodResult =
  | { ok: true; from: number; to: number }
  | { ok: false; message: string; field: 'from' | 'to' };

/** Reads `from`/`to` (default: the 30 days up to `now`). */
export function readPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: number,
): PeriodResult {
  const fail = (message: string, field: 'from' | 'to') => ({ ok: false as const, message, field });
  const to = parseTime(query.to, true) ?? now;
  if (!Number.isFinite(to)) return fail('to: an ISO date or epoch milliseconds', 'to');
  const from = parseTime(query.from, false) ?? to - 30 * DAY;
  if (!Number.isFinite(from)) return fail('from: an ISO date or epoch milliseconds', 'from');
  if (!(to > from)) return fail('to must be after from', 'to');
  if (to - from > MAX_PERIOD_MS) return fail('the period may span at most 367 days', 'from');
  return { ok: true, from, to };
}
