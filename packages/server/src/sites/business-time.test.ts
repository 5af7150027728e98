import { type BusinessHours, businessMillis } from '@lotse/sdk/metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, isTimeZone } from './business-time.js';

const nineToFive = ['09:00', '17:00'] as const;
const weekdaysOnly = (timeZone: string, holidays: string[] = []): BusinessHours => ({
  timeZone,
  days: { 1: [nineToFive], 2: [nineToFive], 3: [nineToFive], 4: [nineToFive], 5: [nineToFive] },
  holidays,
});
const everyDay = (
  timeZone: string,
  interval: readonly [string, string] = nineToFive,
): BusinessHours => ({
  timeZone,
  days: {
    0: [interval],
    1: [interval],
    2: [interval],
    3: [interval],
    4: [interval],
    5: [interval],
    6: [interval],
  },
});

const berlin = weekdaysOnly('Europe/Berlin', ['2026-12-25']);

describe('addBusinessMinutes', () => {
  it.each([
    ['inside opening hours', berlin, '2026-11-25T09:00:00Z', 120, '2026-11-25T11:00:00.000Z'],
    ['after closing: next morning', berlin, '2026-11-25T17:00:00Z', 60, '2026-11-26T09:00:00.000Z'],
    [
      'before opening: from opening',
      berlin,
      '2026-11-25T05:00:00Z',
      30,
      '2026-11-25T08:30:00.000Z',
    ],
    [
      'Friday afternoon over the weekend',
      berlin,
      '2026-11-27T15:00:00Z',
      240,
      '2026-11-30T11:00:00.000Z',
    ],
    ['on a Saturday', berlin, '2026-11-28T09:00:00Z', 30, '2026-11-30T08:30:00.000Z'],
    [
      'over a holiday and a weekend',
      berlin,
      '2026-12-24T15:30:00Z',
      60,
      '2026-12-28T08:30:00.000Z',
    ],
    [
      'zero minutes outside hours: next opening',
      berlin,
      '2026-11-28T12:00:00Z',
      0,
      '2026-11-30T08:00:00.000Z',
    ],
    [
      'zero minutes inside hours: now',
      berlin,
      '2026-11-25T10:00:00Z',
      0,
      '2026-11-25T10:00:00.000Z',
    ],
    [
      'three full days end at Friday closing',
      berlin,
      '2026-11-25T08:00:00Z',
      3 * 480,
      '2026-11-27T16:00:00.000Z',
    ],
    [
      'in New York time',
      weekdaysOnly('America/New_York'),
      '2026-11-25T22:00:00Z',
      60,
      '2026-11-26T15:00:00.000Z',
    ],
    [
      'in Tokyo time (no DST)',
      weekdaysOnly('Asia/Tokyo'),
      '2026-11-25T07:30:00Z',
      60,
      '2026-11-26T00:30:00.000Z',
    ],
    [
      'across spring DST in Berlin',
      everyDay('Europe/Berlin'),
      '2026-03-28T15:00:00Z',
      120,
      '2026-03-29T08:00:00.000Z',
    ],
    [
      'across autumn DST in Berlin',
      everyDay('Europe/Berlin'),
      '2026-10-24T14:30:00Z',
      60,
      '2026-10-25T08:30:00.000Z',
    ],
    [
      'across US spring DST',
      everyDay('America/New_York'),
      '2026-03-07T21:00:00Z',
      120,
      '2026-03-08T14:00:00.000Z',
    ],
    [
      'round-the-clock hours count real minutes through the DST night',
      everyDay('Europe/Berlin', ['00:00', '24:00']),
      '2026-03-28T22:30:00Z',
      180,
      '2026-03-29T01:30:00.000Z',
    ],
  ])('%s', (_name, calendar, start, minutes, expected) => {
    expect(new Date(addBusinessMinutes(Date.parse(start), minutes, calendar)).toISOString()).toBe(
      expected,
    );
  });

  it('falls back to calendar time when the site is never open', () => {
    const closed: BusinessHours = { timeZone: 'UTC', days: {} };
    expect(addBusinessMinutes(0, 90, closed)).toBe(90 * 60_000);
  });

  it('is the inverse of businessMillis of @lotse/sdk/metrics', () => {
    const hours = [berlin, weekdaysOnly('America/New_York'), everyDay('Europe/Berlin')];
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('2026-01-01T00:00:00Z'),
          max: Date.parse('2027-12-31T00:00:00Z'),
        }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(...hours),
        (start, minutes, calendar) => {
          const end = addBusinessMinutes(start, minutes, calendar);
          expect(businessMillis(start, end, calendar)).toBe(minutes * 60_000);
        },
      ),
    );
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
