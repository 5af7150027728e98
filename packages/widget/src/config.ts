import type { ConsentState } from './bridge/messages.js';
import { resolveLocale, type WidgetLocale } from './i18n/resolve-locale.js';
import { type BrandTheme, brandTheme } from './theme/contrast.js';

/** Where the launcher sits. */
export type LauncherPosition = 'bottom-right' | 'bottom-left';

/** The widget's settings as the script tag's `data-*` attributes give them. */
export interface WidgetOptions {
  /** Site key (`data-site`); required. */
  site: string;
  /**
   * Origin of the Lotse server (`data-endpoint`).
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

/**
 * Applies defaults to the embed options; `scriptSrc` gives the default endpoint, `pageLocales` the
 * page's and browser's languages in order.
 */
export function resolveWidgetOptions(
  options: WidgetOptions,
  scriptSrc: string,
  pageLocales: readonly (string | null | undefined)[],
): ResolvedWidgetOptions {
  let endpoint: string;
  try {
    endpoint = new URL(options.endpoint || scriptSrc).origin;
  } catch {
    endpoint = new URL(scriptSrc).origin;
  }
  return {
    site: options.site,
    endpoint,
    locale: resolveLocale([options.locale, ...pageLocales]),
    position: options.position === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    theme: brandTheme(options.color),
    // A misspelt state ("Pending", "no") must not grant: it waits like `pending`.
    consent:
      options.consent === undefined
        ? 'granted'
        : isConsentState(options.consent)
          ? options.consent
          : 'pending',
    unanswered: options.unanswered === 'on',
    npsIntervalDays: options.npsIntervalDays,
  };
}
