import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, type BusinessCalendar, isTimeZone } from './business-time.js';

const nineToFive = { start: 9 * 60, end: 17 * 60 };
const weekdaysOnly = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  week: [[], [nineToFive], [nineToFive], [nineToFive], [nineToFive], [nineToFive], []],
  holidays: new Set(holidays),
});
const everyDay = (timeZone: string, interval = nineToFive): BusinessCalendar => ({
  timeZone,
  week: Array.from({ length: 7 }, () => [interval]),
  holidays: new Set(),
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
      everyDay('Europe/Berlin', { start: 0, end: 1440 }),
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
    const closed: BusinessCalendar = {
      timeZone: 'UTC',
      week: [[], [], [], [], [], [], []],
      holidays: new Set(),
    };
    expect(addBusinessMinutes(0, 90, closed)).toBe(90 * 60_000);
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
