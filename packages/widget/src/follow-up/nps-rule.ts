// When the panel may ask the NPS question: at most once per interval (DESIGN.md, "The visitor's
// path" 5: "at most once per 90 days"), remembered in the panel origin's storage.
import { isNpsInterval } from '../config.js';
import type { KeyValueStorage } from './conversation-store.js';

/** Days between two NPS questions unless the site or the embed says otherwise. */
export const DEFAULT_NPS_INTERVAL_DAYS = 90;

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Whether NPS may be asked now: never asked, or asked at least `intervalDays` ago. A time in the
 * future (a clock set back) counts as asked just now.
 *
 * @example
 * isNpsDue(undefined, 90, Date.now()); // true
 */
export function isNpsDue(
  lastAskedAt: number | undefined,
  intervalDays: number = DEFAULT_NPS_INTERVAL_DAYS,
  now: number = Date.now(),
): boolean {
  if (lastAskedAt === undefined) return true;
  return now >= lastAskedAt && now - lastAskedAt >= intervalDays * dayMs;
}

/** The first value that is a whole number of days from 1 to 3650, else the default. */
export function resolveNpsInterval(...candidates: unknown[]): number {
  const days = candidates.find(isNpsInterval);
  return days === undefined ? DEFAULT_NPS_INTERVAL_DAYS : Number(days);
}

const keyOf = (site: string) => `lotse:${site}:nps`;

/** When NPS was last asked on this device for this site. */
export function readNpsAskedAt(
  storage: KeyValueStorage | undefined,
  site: string,
): number | undefined {
  try {
    const value = Number(storage?.getItem(keyOf(site)) ?? Number.NaN);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers that NPS was asked at `now` (when shown, so a visitor who ignores it is not asked again). */
export function recordNpsAsked(
  storage: KeyValueStorage | undefined,
  site: string,
  now: number = Date.now(),
): void {
  try {
    storage?.setItem(keyOf(site), String(now));
  } catch {
    // Blocked storage: NPS may be asked again next time, which is the lesser harm than never.
  }
}
