import { MAX_EPOCH_MS } from '@lotse/sdk/schema';
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

it('takes epoch milliseconds and ISO times with an offset as they are', () => {
  const from = String(now - DAY);
  expect(readPeriod({ from, to: '2025-11-20T12:00:00Z' }, now, 'UTC')).toEqual({
    ok: true,
    from: now - DAY,
    to: Date.parse('2025-11-20T12:00:00Z'),
  });
  expect(
    readPeriod(
      { from: '2026-12-07T00:00:00+05:00', to: '2026-12-07T09:30:00.250-0130' },
      now,
      'Europe/Berlin',
    ),
  ).toEqual({
    ok: true,
    from: Date.parse('2026-12-06T19:00:00Z'),
    to: Date.parse('2026-12-07T11:00:00.250Z'),
  });
});

it('reads a date-time without an offset on the site’s clock, not the server’s', () => {
  // Two zones, so that the server's own zone cannot match both.
  expect(
    readPeriod({ from: '2026-12-07T00:00:00', to: '2026-12-07T09:30' }, now, 'Europe/Berlin'),
  ).toEqual({
    ok: true,
    from: Date.parse('2026-12-06T23:00:00Z'),
    to: Date.parse('2026-12-07T08:30:00Z'),
  });
  expect(readPeriod({ from: '2026-12-07 00:00', to: '2026-12-08' }, now, 'Asia/Tokyo')).toEqual({
    ok: true,
    from: Date.parse('2026-12-06T15:00:00Z'),
    to: Date.parse('2026-12-08T15:00:00Z'),
  });
  // A time of a day that does not exist, or past the day's end, is no time.
  for (const from of ['2026-02-30T10:00', '2026-12-07T24:00', '2026-12-07T10']) {
    expect(readPeriod({ from }, now, 'UTC'), from).toMatchObject({ ok: false, field: 'from' });
  }
});

it('defaults to whole days of the site, as the form shows them: 30 days back to today', () => {
  // 20 November, 16:00 in Berlin: from 21 October (summer time, UTC+2) to the end of 20 November.
  const period = readPeriod({}, now, 'Europe/Berlin');
  expect(period).toEqual({
    ok: true,
    from: Date.parse('2025-10-20T22:00:00Z'),
    to: Date.parse('2025-11-20T23:00:00Z'),
  });
  if (!period.ok) throw new Error('not read');
  const form = {
    from: isoDay(period.from, 'Europe/Berlin'),
    to: lastDay(period.to, 'Europe/Berlin'),
  };
  expect(form).toEqual({ from: '2025-10-21', to: '2025-11-20' });
  // The form sent back unchanged keeps the period, so the figures stay the same.
  expect(readPeriod(form, now, 'Europe/Berlin')).toEqual(period);
  // A `to` alone: the 30 days before its last day, from their start.
  expect(readPeriod({ to: '2025-11-10' }, now, 'UTC')).toEqual({
    ok: true,
    from: Date.parse('2025-10-11T00:00:00Z'),
    to: Date.parse('2025-11-11T00:00:00Z'),
  });
});

it('refuses a time outside 1970 to 9999 as a bad field, not as a server error', () => {
  const cases: [Record<string, string>, 'from' | 'to'][] = [
    [{ to: '99999999999999999999' }, 'to'],
    [{ to: String(MAX_EPOCH_MS + 1) }, 'to'],
    [{ from: '99999999999999999999', to: '2025-11-20' }, 'from'],
    [{ from: '1969-12-31' }, 'from'],
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ to: '+275760-09-13' }, 'to'],
    // Within the dates, outside the instants: half past midnight in Berlin is 1969 in UTC, and a
    // clock behind UTC ends 9999-12-31 in the year 10000.
    [{ from: '1970-01-01T00:30' }, 'from'],
    [{ from: '9999-12-01', to: '9999-12-31T23:00-12:00' }, 'to'],
  ];
  for (const [query, field] of cases) {
    const period = readPeriod(query, now, 'Europe/Berlin');
    expect(period, JSON.stringify(query)).toMatchObject({ ok: false, field });
    if (!period.ok) expect(period.message).toMatch(new RegExp(`^${field}: `));
  }
  expect(readPeriod({ to: '99999999999999999999' }, now, 'UTC')).toMatchObject({
    message: `to: a time from 1970-01-01 to 9999-12-31 (epoch milliseconds 0 to ${MAX_EPOCH_MS})`,
  });
  // The last day there is and the first are periods like any other.
  expect(readPeriod({ from: '9999-12-01', to: '9999-12-31' }, now, 'UTC')).toMatchObject({
    ok: true,
    to: MAX_EPOCH_MS + 1,
  });
  expect(readPeriod({ from: '0', to: '1970-01-31' }, now, 'UTC')).toMatchObject({ ok: true });
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
