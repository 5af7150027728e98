import { describe, expect, it } from 'vitest';
import { readWidgetSettings } from './widget-settings.js';

describe('readWidgetSettings', () => {
  it('reads the opt-in, the NPS interval and the business hours', () => {
    expect(
      readWidgetSettings({
        collectUnanswered: true,
        npsIntervalDays: 30,
        hours: {
          openNow: false,
          nextOpening: '2026-01-05T08:00:00.000Z',
          timeZone: 'Europe/Berlin',
        },
      }),
    ).toEqual({
      collectUnanswered: true,
      npsIntervalDays: 30,
      // The site's zone is not kept: the panel says times in the visitor's.
      hours: { openNow: false, nextOpening: Date.parse('2026-01-05T08:00:00Z') },
    });
  });

  it('ignores what today’s server does not send and anything malformed', () => {
    expect(readWidgetSettings({ collectUnanswered: true })).toEqual({
      collectUnanswered: true,
      npsIntervalDays: undefined,
      hours: undefined,
    });
    expect(readWidgetSettings(null).collectUnanswered).toBe(false);
    expect(readWidgetSettings({ hours: { openNow: 'no', timeZone: 'UTC' } }).hours).toBeUndefined();
    expect(
      readWidgetSettings({ hours: { openNow: true, nextOpening: null, timeZone: 'UTC' } }).hours,
    ).toEqual({ openNow: true, nextOpening: undefined });
  });
});
