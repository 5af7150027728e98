import type { PageLocale } from '../pages/i18n.js';

/** Formats of {@link figureFormat}. */
export interface FigureFormat {
  /** A share as percent with one decimal: "12,5 %" (de), "12.5 %" (en); "–" for none. */
  percent(share: number | null): string;
  /** Milliseconds as minutes with one decimal: "3,5 min". */
  minutes(ms: number | null): string;
  /** A figure with `digits` decimals (2 by default). */
  decimal(value: number | null, digits?: number): string;
}

/** The dashboard's figures in the page language, as its tiles show them. */
export function figureFormat(locale: PageLocale): FigureFormat {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  const formats = new Map<number, Intl.NumberFormat>();
  const fixed = (digits: number, v: number) => {
    let f = formats.get(digits);
    if (f === undefined) {
      f = new Intl.NumberFormat(tag, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      formats.set(digits, f);
    }
    return f.format(v);
  };
  return {
    percent: (share) => (share === null ? '–' : `${fixed(1, share * 100)} %`),
    minutes: (ms) => (ms === null ? '–' : `${fixed(1, ms / 60_000)} min`),
    decimal: (value, digits = 2) => (value === null ? '–' : fixed(digits, value)),
  };
}

/**
 * The day of a period's bound in the page language, e.g. "5. Dez. 2026", in the site's time zone:
 * periods are whole days there (`readPeriod`), as their date fields show them.
 */
export function formatDay(ms: number, locale: PageLocale, timeZone: string): string {
  return new Date(ms).toLocaleDateString(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
  });
}
