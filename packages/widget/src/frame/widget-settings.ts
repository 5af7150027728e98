import type { SiteHours } from '../follow-up/after-hours.js';

/** What the panel reads from `GET /v1/sites/:site/widget.json` (every field optional on the wire). */
export interface WidgetSettings {
  /** Whether the site opts in to `query.unanswered`. */
  collectUnanswered: boolean;
  /** The site's NPS interval in days, if it sets one. */
  npsIntervalDays: number | undefined;
  /** Business hours now, if the server says. */
  hours: SiteHours | undefined;
}

/**
 * Reads widget.json's answer: `{ collectUnanswered?, npsIntervalDays?, hours?: { openNow, nextOpening
 * (ISO or null), timeZone } }`; unknown or malformed fields are ignored, and so is `timeZone`: the
 * panel says times in the visitor's zone.
 */
export function readWidgetSettings(json: unknown): WidgetSettings {
  const data = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const hours = (typeof data.hours === 'object' && data.hours !== null ? data.hours : {}) as Record<
    string,
    unknown
  >;
  const next = typeof hours.nextOpening === 'string' ? Date.parse(hours.nextOpening) : Number.NaN;
  return {
    collectUnanswered: data.collectUnanswered === true,
    npsIntervalDays: typeof data.npsIntervalDays === 'number' ? data.npsIntervalDays : undefined,
    hours:
      typeof hours.openNow === 'boolean'
        ? { openNow: hours.openNow, nextOpening: Number.isFinite(next) ? next : undefined }
        : undefined,
  };
}
