/** Opening hours of a site in its own time zone. */
export interface BusinessHours {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Open intervals per weekday (0 = Sunday … 6 = Saturday), as `['09:00', '17:00']` pairs. */
  days: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, readonly (readonly [string, string])[]>>;
  /** Local dates without service, as `YYYY-MM-DD`. */
  holidays?: readonly string[];
}

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock time of `t` in `timeZone`, as epoch ms of the same wall-clock reading in UTC. */
export function wallClock(t: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) {
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
    formats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(t)) p[type] = Number(value);
  return (
    Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) +
    (((t % 1000) + 1000) % 1000)
  );
}

/** The instant whose wall-clock reading in `timeZone` is `wall` (two passes settle DST edges). */
export function fromWallClock(wall: number, timeZone: string): number {
  let t = wall - (wallClock(wall, timeZone) - wall);
  t = wall - (wallClock(t, timeZone) - t);
  return t;
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
};

/**
 * Milliseconds between `from` and `to` that fall inside the site's business hours, computed on the
 * local wall clock of its time zone with `Intl.DateTimeFormat` (no time-zone library).
 */
export function businessMillis(from: number, to: number, hours: BusinessHours): number {
  if (!(to > from)) return 0;
  const { timeZone, days } = hours;
  const holidays = new Set(hours.holidays ?? []);
  const last = wallClock(to, timeZone);
  let total = 0;
  for (let day = Math.floor(wallClock(from, timeZone) / DAY) * DAY; day <= last; day += DAY) {
    const date = new Date(day);
    if (holidays.has(date.toISOString().slice(0, 10))) continue;
    for (const [open, close] of days[date.getUTCDay() as 0] ?? []) {
      const start = fromWallClock(day + minutes(open), timeZone);
      const end = fromWallClock(day + minutes(close), timeZone);
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
  }
  return total;
}
