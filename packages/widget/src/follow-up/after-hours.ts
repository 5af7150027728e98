import type { WidgetLocale } from '../i18n/resolve-locale.js';

/** What the server says about the site's business hours (`widget.json`'s `hours`). */
export interface SiteHours {
  /** Whether the site is open right now. */
  openNow: boolean;
  /** When it next opens (epoch ms), if it is closed now or will close before answering. */
  nextOpening: number | undefined;
}

/**
 * Whether the promise should name the next working time: the site is closed now, or the answer is
 * due after the next opening (so a closed period lies in between).
 */
export function isAfterHours(hours: SiteHours | undefined, respondBy?: number): boolean {
  if (!hours || hours.nextOpening === undefined) return false;
  return !hours.openNow || (respondBy !== undefined && respondBy > hours.nextOpening);
}

// The calendar day of `time` where the visitor is, as a day count (days since 1970-01-01).
const dayNumber = (time: number) => {
  const date = new Date(time);
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86_400_000;
};

/**
 * Says when the team answers again, in the visitor's time zone like the confirmation's due time
 * beside it (one zone, so the two never contradict): "Wir antworten ab Montag, 9:00 Uhr" / "We will
 * reply from Monday, 9:00" ("heute"/"today", "morgen"/"tomorrow"; a date beyond a week).
 *
 * @example
 * // In Berlin:
 * afterHoursText('en', Date.parse('2026-01-05T08:00:00Z'), Date.parse('2026-01-03T12:00:00Z'));
 * // 'We will reply from Monday, 9:00'
 */
export function afterHoursText(locale: WidgetLocale, nextOpening: number, now: number): string {
  const days = dayNumber(nextOpening) - dayNumber(now);
  const opens = new Date(nextOpening);
  // "9:00" in both languages (German adds "Uhr"): Intl's English h23 would say "09:00".
  const time = `${opens.getHours()}:${String(opens.getMinutes()).padStart(2, '0')}`;
  const day =
    days <= 0
      ? locale === 'de'
        ? 'heute'
        : 'today'
      : days === 1
        ? locale === 'de'
          ? 'morgen'
          : 'tomorrow'
        : new Intl.DateTimeFormat(locale, {
            weekday: 'long',
            ...(days > 6 ? { day: 'numeric', month: 'long' } : {}),
          }).format(nextOpening);
  return locale === 'de'
    ? `Wir antworten ab ${day}, ${time} Uhr`
    : `We will reply from ${day}, ${time}`;
}
