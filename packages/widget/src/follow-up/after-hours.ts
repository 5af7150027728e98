import type { WidgetLocale } from '../i18n/resolve-locale.js';

/** What the server says about the site's business hours (`widget.json`'s `hours`). */
export interface SiteHours {
  /** Whether the site is open right now. */
  openNow: boolean;
  /** When it next opens (epoch ms), if it is closed now or will close before answering. */
  nextOpening: number | undefined;
  /** The site's IANA time zone, for saying the time as the site's team does. */
  timeZone: string;
}

/**
 * Whether the promise should name the next working time: the site is closed now, or the answer is
 * due after the next opening (so a closed period lies in between).
 */
export function isAfterHours(hours: SiteHours | undefined, respondBy?: number): boolean {
  if (!hours || hours.nextOpening === undefined) return false;
  return !hours.openNow || (respondBy !== undefined && respondBy > hours.nextOpening);
}

const dayNumber = (time: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(time);
  const [y, m, d] = parts.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 86_400_000;
};

/**
 * Says when the team answers again, in the site's time zone: "Wir antworten ab Montag, 9:00 Uhr" /
 * "We will reply from Monday, 9:00" ("heute"/"today", "morgen"/"tomorrow"; a date beyond a week).
 *
 * @example
 * afterHoursText('en', Date.parse('2026-01-05T08:00:00Z'), Date.parse('2026-01-03T12:00:00Z'), 'Europe/Berlin');
 * // 'We will reply from Monday, 9:00'
 */
export function afterHoursText(
  locale: WidgetLocale,
  nextOpening: number,
  now: number,
  timeZone: string,
): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const days = dayNumber(nextOpening, zone) - dayNumber(now, zone);
  const clock = new Intl.DateTimeFormat('en', {
    timeZone: zone,
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(nextOpening);
  const part = (type: string) => Number(clock.find((p) => p.type === type)?.value ?? 0);
  // "9:00" in both languages (German adds "Uhr"): Intl's English h23 would say "09:00".
  const time = `${part('hour')}:${String(part('minute')).padStart(2, '0')}`;
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
            timeZone: zone,
            weekday: 'long',
            ...(days > 6 ? { day: 'numeric', month: 'long' } : {}),
          }).format(nextOpening);
  return locale === 'de'
    ? `Wir antworten ab ${day}, ${time} Uhr`
    : `We will reply from ${day}, ${time}`;
}
