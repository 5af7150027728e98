import type { ConsentState } from './bridge/messages.js';
import { isWidgetLocale, resolveLocale, type WidgetLocale } from './i18n/resolve-locale.js';
import { type BrandTheme, brandTheme, parseHexColor } from './theme/contrast.js';

/** Where the launcher sits. */
export type LauncherPosition = 'bottom-right' | 'bottom-left';

/** The widget's settings as the script tag's `data-*` attributes give them. */
export interface WidgetOptions {
  /** Site key (`data-site`); required: without it the widget is not drawn. */
  site: string | undefined;
  /**
   * Origin of the Lotse server (`data-endpoint`): an absolute `http(s)` URL, of which the origin is
   * taken.
   * @default the origin of the script's own URL
   */
  endpoint?: string | undefined;
  /**
   * Language (`data-locale`): `de` or `en`.
   * @default `<html lang>`, then the browser's languages, then `en`
   */
  locale?: string | undefined;
  /**
   * Launcher corner (`data-position`).
   * @default 'bottom-right'
   */
  position?: string | undefined;
  /**
   * Brand colour `#rgb` or `#rrggbb` (`data-color`); the text colour follows for contrast.
   * @default '#0b57a4'
   */
  color?: string | undefined;
  /**
   * Consent for analytics events (`data-consent`); `pending` sends and stores nothing until
   * `Lotse('consent', 'granted')`.
   * @default 'granted'
   */
  consent?: string | undefined;
  /**
   * Report questions nobody could answer, masked and truncated, as `query.unanswered`
   * (`data-unanswered="on"`); off unless the site opts in.
   * @default 'off'
   */
  unanswered?: string | undefined;
  /**
   * Days between two NPS questions to one visitor (`data-nps-interval-days`); overrides the site's
   * setting.
   * @default the site's `npsIntervalDays`, else 90
   */
  npsIntervalDays?: string | undefined;
}

/** Settings after defaults, resolved once at the boundary. */
export interface ResolvedWidgetOptions {
  site: string;
  endpoint: string;
  locale: WidgetLocale;
  position: LauncherPosition;
  theme: BrandTheme;
  consent: ConsentState;
  unanswered: boolean;
  /** `data-nps-interval-days` as given; the panel checks it. */
  npsIntervalDays: string | undefined;
}

/** Whether a value is a consent state. */
export function isConsentState(value: unknown): value is ConsentState {
  return value === 'granted' || value === 'denied' || value === 'pending';
}

/** Whether a value is a whole number of days from 1 to 3650 (as a number or as the embed's string). */
export function isNpsInterval(value: unknown): boolean {
  // A blank string stays a string (Number('') would be 0); Number.isInteger is false for non-numbers.
  const days = (typeof value === 'string' && value.trim() ? Number(value) : value) as number;
  return Number.isInteger(days) && days >= 1 && days <= 3650;
}

/**
 * Hears of an embed option the widget cannot use, with a message for the site's developer that names
 * the attribute, the value and what it takes; `fatal` when the widget is then not drawn.
 */
export type ReportOption = (message: string, fatal: boolean) => void;

const notShown = 'the widget is not shown';

/**
 * Applies defaults to the embed options; `scriptSrc` gives the default endpoint, `pageLocales` the
 * page's and browser's languages in order. Each invalid option is reported once: one the widget can
 * do without falls back to its default, while without a site key or with an endpoint that is no
 * absolute URL (`localhost:8912` would frame `<page>/null/panel/`) it returns `undefined`.
 *
 * @example
 * resolveWidgetOptions({ site: 'demo', color: 'red' }, script.src, [document.documentElement.lang], (m) => console.warn(m));
 * // reports: [lotse] data-color="red" is not valid: use a colour as #rgb or #rrggbb; the default is used.
 */
export function resolveWidgetOptions(
  options: WidgetOptions,
  scriptSrc: string,
  pageLocales: readonly (string | null | undefined)[],
  report: ReportOption = () => {},
): ResolvedWidgetOptions | undefined {
  const {
    site,
    endpoint: given,
    locale,
    position,
    color,
    consent,
    unanswered,
    npsIntervalDays,
  } = options;
  const invalid = (
    name: string,
    value: string | undefined,
    allowed: string,
    outcome = 'the default is used',
  ) =>
    report(
      `[lotse] data-${name}${value === undefined ? ' is missing' : `="${value}" is not valid`}: use ${allowed}; ${outcome}.`,
      outcome === notShown,
    );
  if (!site) {
    invalid('site', site, 'the site key from your Lotse server, e.g. data-site="demo"', notShown);
    return undefined;
  }
  let url: URL | undefined;
  try {
    // Relative to the script, as before: "/" or "//help.example.com" still work.
    url = new URL(given || scriptSrc, scriptSrc);
  } catch {}
  // Without a scheme ("localhost:8912") a URL still parses, with "localhost:" as its scheme.
  if (!url || !/^https?:$/.test(url.protocol)) {
    invalid('endpoint', given, 'an absolute URL such as https://help.example.com', notShown);
    return undefined;
  }
  // Its primary subtag, as resolveLocale reads it (`de-CH` is German).
  if (locale && !isWidgetLocale(locale.trim().toLowerCase().split(/[-_]/)[0])) {
    invalid('locale', locale, '"de" or "en"', "the page's language is used");
  }
  if (position && position !== 'bottom-right' && position !== 'bottom-left') {
    invalid('position', position, '"bottom-right" or "bottom-left"');
  }
  if (color && !parseHexColor(color)) invalid('color', color, 'a colour as #rgb or #rrggbb');
  if (consent !== undefined && !isConsentState(consent)) {
    invalid('consent', consent, '"granted", "pending" or "denied"', 'it counts as "pending"');
  }
  if (unanswered && unanswered !== 'on' && unanswered !== 'off') {
    invalid('unanswered', unanswered, '"on" or "off"');
  }
  if (npsIntervalDays !== undefined && !isNpsInterval(npsIntervalDays)) {
    invalid(
      'nps-interval-days',
      npsIntervalDays,
      'a whole number of days from 1 to 3650',
      "the site's setting (else 90 days) is used",
    );
  }
  return {
    site,
    endpoint: url.origin,
    locale: resolveLocale([locale, ...pageLocales]),
    position: position === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    theme: brandTheme(color),
    // A misspelt state ("Pending", "no") must not grant: it waits like `pending`.
    consent: consent === undefined ? 'granted' : isConsentState(consent) ? consent : 'pending',
    unanswered: unanswered === 'on',
    npsIntervalDays,
  };
}
