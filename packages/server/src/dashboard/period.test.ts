import { expect, it } from 'vitest';
import { isoDay, lastDay, previousStart, readPeriod } from './period.js';

const DAY = 86_400_000;
const now = Date.parse('2025-11-20T15:00:00Z');

it('reads a date-only `to` as the end of that day, so "to today" includes today', () => {
  const period = readPeriod({ from: '2025-11-01', to: '2025-11-20' }, now, 'UTC');
  expect(period).toEqual({
    ok: true,
    from: Date.parse('2025-11-01T00:00:00Z'),
    to: Date.parse('2025-11-21T00:00:00Z'),
  });
  // The form shows the day it was sent with, so sending it back unchanged keeps the period.
  if (period.ok) expect(lastDay(period.to, 'UTC')).toBe('2025-11-20');
});

it('reads dates as the site’s local days, as the trend counts them', () => {
  // Berlin is UTC+1 in winter: 1 December starts at 23:00 UTC on 30 November.
  const period = readPeriod({ from: '2026-12-01', to: '2026-12-01' }, now, 'Europe/Berlin');
  expect(period).toEqual({
    ok: true,
    from: Date.parse('2026-11-30T23:00:00Z'),
    to: Date.parse('2026-12-01T23:00:00Z'),
  });
  if (period.ok) {
    expect(isoDay(period.from, 'Europe/Berlin')).toBe('2026-12-01');
    expect(lastDay(period.to, 'Europe/Berlin')).toBe('2026-12-01');
  }
  // A day with a change of offset is 23 hours long (29 March 2026, Berlin to summer time).
  expect(readPeriod({ from: '2026-03-29', to: '2026-03-29' }, now, 'Europe/Berlin')).toEqual({
    ok: true,
    from: Date.parse('2026-03-28T23:00:00Z'),
    to: Date.parse('2026-03-29T22:00:00Z'),
  });
});

it('starts a day at its first instant where midnight does not exist', () => {
  // Santiago moved its clocks from 00:00 to 01:00 on 6 September 2026.
  const period = readPeriod({ from: '2026-09-06', to: '2026-09-06' }, now, 'America/Santiago');
  expect(period).toMatchObject({ ok: true, from: Date.parse('2026-09-06T04:00:00Z') });
  if (period.ok) expect(isoDay(period.from, 'America/Santiago')).toBe('2026-09-06');
});

it('compares with as many of the site’s days before, across a change of clock', () => {
  const week = readPeriod({ from: '2026-10-25', to: '2026-10-31' }, now, 'Europe/Berlin');
  if (!week.ok) throw new Error('not read');
  // The week holds the 25-hour day of 25 October; the week before is 18–24 October, midnights.
  const start = previousStart(week.from, week.to, 'Europe/Berlin');
  expect(start).toBe(Date.parse('2026-10-17T22:00:00Z'));
  expect(isoDay(start, 'Europe/Berlin')).toBe('2026-10-18');
  // A period of other bounds goes back by its length.
  expect(previousStart(now - DAY, now, 'Europe/Berlin')).toBe(now - 2 * DAY);
});

it('takes epoch milliseconds and full ISO times as they are, and defaults to the last 30 days', () => {
  const from = String(now - DAY);
  expect(readPeriod({ from, to: '2025-11-20T12:00:00Z' }, now, 'UTC')).toEqual({
    ok: true,
    from: now - DAY,
    to: Date.parse('2025-11-20T12:00:00Z'),
  });
  expect(readPeriod({}, now, 'UTC')).toEqual({ ok: true, from: now - 30 * DAY, to: now });
});

it('names the field of a period that cannot be read', () => {
  expect(readPeriod({ from: 'gestern' }, now, 'UTC')).toMatchObject({ ok: false, field: 'from' });
  // A bad `to` alone is named, not the `from` its default would be computed from.
  for (const to of ['abc', '2026-13-45', '2026-02-30']) {
    expect(readPeriod({ to }, now, 'UTC'), to).toMatchObject({ ok: false, field: 'to' });
  }
  expect(readPeriod({ from: '2025-02-29' }, now, 'UTC')).toMatchObject({
    ok: false,
    field: 'from',
  });
  expect(readPeriod({ from: '2024-02-29', to: '2024-03-01' }, now, 'UTC')).toMatchObject({
    ok: true,
  });
  expect(readPeriod({ from: '2025-11-20', to: '2025-11-19' }, now, 'UTC')).toMatchObject({
    ok: false,
    field: 'to',
  });
  expect(readPeriod({ from: '2023-01-01', to: '2025-01-01' }, now, 'UTC')).toMatchObject({
    ok: false,
    field: 'from',
  });
});
