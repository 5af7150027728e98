/** Opening interval of one weekday, in minutes after local midnight (`end` may be 1440). */
export interface BusinessInterval {
  start: number;
  end: number;
}

/** When a site works: intervals per weekday (index 0 = Sunday), holidays, time zone. */
export interface BusinessCalendar {
  /** IANA time zone such as `Europe/Berlin`. */
  timeZone: string;
  /** Seven entries, Sunday first; an empty list is a closed day. */
  week: readonly (readonly BusinessInterval[])[];
  /** Local dates (`YYYY-MM-DD`) on which the site is closed. */
  holidays: ReadonlySet<string>;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock fields of instant `ms` in `timeZone`. */
function wallClock(
  ms: number,
  timeZone: string,
): LocalDate & { hour: number; minute: number; second: number } {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 1970,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (Berlin in winter: +3 600 000). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which local time `minutes` after midnight of `date` occurs in `timeZone`. A time in
 * a spring-forward gap is shifted forward by the gap (as Temporal's "compatible" disambiguation).
 */
function instantOf(date: LocalDate, minutes: number, timeZone: string): number {
  const local = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = local - offsetAt(local, timeZone);
  if (first + offsetAt(first, timeZone) === local) return first;
  const second = local - offsetAt(first, timeZone);
  if (second + offsetAt(second, timeZone) === local) return second;
  return Math.max(first, second);
}

function localDateOf(ms: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

function nextDate(d: LocalDate): LocalDate {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

// A site open at least one interval a week reaches any promise within a few years; beyond that the
// calendar is effectively closed (e.g. every day a holiday) and calendar time is used instead.
const MAX_DAYS = 3 * 366;

/**
 * Adds business minutes to `start`: the clock runs only inside the site's opening intervals, in its
 * time zone, skipping closed days and holidays. Zero minutes gives the next business moment.
 *
 * @example
 * addBusinessMinutes(Date.parse('2026-11-27T16:00:00Z'), 240, calendar) // Friday 17:00 Berlin + 4 h → Monday 12:00
 */
export function addBusinessMinutes(
  start: number,
  minutes: number,
  calendar: BusinessCalendar,
): number {
  let remaining = Math.max(0, minutes) * 60_000;
  let cursor = start;
  let date = localDateOf(start, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
    const intervals = calendar.holidays.has(isoDate(date)) ? [] : (calendar.week[weekday] ?? []);
    for (const interval of intervals) {
      const open = instantOf(date, interval.start, calendar.timeZone);
      const close = instantOf(date, interval.end, calendar.timeZone);
      if (close <= cursor) continue;
      const from = Math.max(open, cursor);
      if (remaining <= close - from) return from + remaining;
      remaining -= close - from;
      cursor = close;
    }
    date = nextDate(date);
  }
  return start + minutes * 60_000;
}
