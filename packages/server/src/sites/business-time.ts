import { type BusinessHours, fromWallClock, wallClock } from '@lotse/sdk/metrics';

const DAY = 86_400_000;

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    wallClock(0, timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds after local midnight of `hh:mm` (`24:00` is the next midnight). */
const sinceMidnight = (hhmm: string): number =>
  (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;

// A site open at least one interval a week reaches any promise within a few years; beyond that the
// calendar is effectively closed (e.g. every day a holiday) and calendar time is used instead.
const MAX_DAYS = 3 * 366;

/**
 * Adds business minutes to `start`: the clock runs only inside the site's opening intervals, in its
 * time zone, skipping closed days and holidays. Zero minutes gives the next business moment. The
 * inverse of `businessMillis` of `@lotse/sdk/metrics`, on the same wall clock.
 *
 * @example
 * addBusinessMinutes(Date.parse('2026-11-27T16:00:00Z'), 240, hours) // Friday 17:00 Berlin + 4 h → Monday 12:00
 */
export function addBusinessMinutes(start: number, minutes: number, hours: BusinessHours): number {
  const { timeZone, days } = hours;
  const holidays = new Set(hours.holidays ?? []);
  let remaining = Math.max(0, minutes) * 60_000;
  let cursor = start;
  // `day` is local midnight on the wall clock (epoch ms of that reading in UTC), as in the SDK.
  let day = Math.floor(wallClock(start, timeZone) / DAY) * DAY;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    const date = new Date(day);
    if (holidays.has(date.toISOString().slice(0, 10))) continue;
    for (const [from, to] of days[date.getUTCDay() as 0] ?? []) {
      const close = fromWallClock(day + sinceMidnight(to), timeZone);
      if (close <= cursor) continue;
      const open = Math.max(fromWallClock(day + sinceMidnight(from), timeZone), cursor);
      if (remaining <= close - open) return open + remaining;
      remaining -= close - open;
      cursor = close;
    }
  }
  return start + minutes * 60_000;
}
