import { describe, expect, it } from 'vitest';
import { type BusinessHours, businessMillis, fromWallClock, wallClock } from './business-time.js';

const H = 3_600_000;
const berlin: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: {
    1: [['09:00', '17:00']],
    2: [['09:00', '17:00']],
    3: [['09:00', '17:00']],
    4: [['09:00', '17:00']],
    5: [['09:00', '17:00']],
  },
  holidays: ['2026-12-25'],
};

describe('business time', () => {
  it('reads the wall clock of a time zone, also across DST', () => {
    // 2026-07-01 10:00 UTC is 12:00 in Berlin (CEST, UTC+2); 2026-01-15 10:00 UTC is 11:00 (CET).
    expect(wallClock(Date.UTC(2026, 6, 1, 10), 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 12));
    expect(wallClock(Date.UTC(2026, 0, 15, 10), 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 11));
    expect(fromWallClock(Date.UTC(2026, 6, 1, 9), 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 7));
  });

  it('counts only open hours on the same day', () => {
    // Wed 2026-11-25, 08:00 → 10:30 Berlin (UTC+1): open from 09:00, so 1.5 h.
    expect(businessMillis(Date.UTC(2026, 10, 25, 7), Date.UTC(2026, 10, 25, 9, 30), berlin)).toBe(
      1.5 * H,
    );
  });

  it('skips nights, weekends and holidays', () => {
    // Fri 2026-11-27 16:00 Berlin → Mon 2026-11-30 10:00 Berlin: 1 h Friday + 1 h Monday.
    expect(businessMillis(Date.UTC(2026, 10, 27, 15), Date.UTC(2026, 10, 30, 9), berlin)).toBe(
      2 * H,
    );
    // Thu 2026-12-24 16:00 → Mon 2026-12-28 09:30: 1 h Thursday, Friday is a holiday, 0.5 h Monday.
    expect(businessMillis(Date.UTC(2026, 11, 24, 15), Date.UTC(2026, 11, 28, 8, 30), berlin)).toBe(
      1.5 * H,
    );
  });

  it('keeps local opening hours across the DST change', () => {
    // Fri 2026-03-27 16:30 CET (15:30 UTC) → Mon 2026-03-30 09:30 CEST (07:30 UTC): 0.5 h + 0.5 h.
    expect(
      businessMillis(Date.UTC(2026, 2, 27, 15, 30), Date.UTC(2026, 2, 30, 7, 30), berlin),
    ).toBe(H);
  });

  it('gives 0 for an empty or reversed interval', () => {
    expect(businessMillis(10, 10, berlin)).toBe(0);
    expect(businessMillis(20, 10, berlin)).toBe(0);
  });
});
