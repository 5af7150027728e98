import type { ConsentState } from '../bridge/messages.js';
import { isConsentState } from '../config.js';
import { resolveLocale, type WidgetLocale } from '../i18n/resolve-locale.js';
import { type BrandTheme, brandTheme } from '../theme/contrast.js';

/** The panel's settings, read from its URL fragment (which the host controller writes). */
export interface PanelConfig {
  site: string;
  locale: WidgetLocale;
  theme: BrandTheme;
  consent: ConsentState;
  /** Origin of the embedding page; `undefined` when the panel runs on its own. */
  hostOrigin: string | undefined;
  /** Whether unanswered questions are reported (masked) as `query.unanswered`. */
  collectUnanswered: boolean;
  /** `data-nps-interval-days` of the embed, unchecked (see `resolveNpsInterval`). */
  npsIntervalDays: string | undefined;
}

const siteKey = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Parses the fragment `#site=…&locale=…&color=…&consent=…&origin=…`; anything invalid falls back to
 * a default, and a missing or invalid site gives `undefined`.
 */
export function readPanelConfig(
  hash: string,
  browserLocales: readonly string[],
): PanelConfig | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const site = params.get('site') ?? '';
  if (!siteKey.test(site)) return undefined;
  const consent = params.get('consent');
  let hostOrigin: string | undefined;
  try {
    const origin = params.get('origin');
    hostOrigin = origin ? new URL(origin).origin : undefined;
    if (hostOrigin === 'null') hostOrigin = undefined;
  } catch {
    hostOrigin = undefined;
  }
  return {
    site,
    locale: resolveLocale([params.get('locale'), ...browserLocales]),
    theme: brandTheme(params.get('color')),
    consent: isConsentState(consent) ? consent : 'granted',
    hostOrigin,
    collectUnanswered: params.get('unanswered') === '1',
    npsIntervalDays: params.get('nps') ?? undefined,
  };
}
