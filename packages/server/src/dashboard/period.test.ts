import { expect, it } from 'vitest';
import { lastDay, readPeriod } from './period.js';

const DAY = 86_400_000;
const now = Date.parse('2025-11-20T15:00:00Z');

it('reads a date-only `to` as the end of that day, so "to today" includes today', () => {
  const period = readPeriod({ from: '2025-11-01', to: '2025-11-20' }, now);
  expect(period).toEqual({
    ok: true,
    from: Date.parse('2025-11-01T00:00:00Z'),
    to: Date.parse('2025-11-21T00:00:00Z'),
  });
  // The form shows the day it was sent with, so sending it back unchanged keeps the period.
  if (period.ok) expect(lastDay(period.to)).toBe('2025-11-20');
});

it('takes epoch milliseconds and full ISO times as they are, and defaults to the last 30 days', () => {
  const from = String(now - DAY);
  expect(readPeriod({ from, to: '2025-11-20T12:00:00Z' }, now)).toEqual({
    ok: true,
    from: now - DAY,
    to: Date.parse('2025-11-20T12:00:00Z'),
  });
  expect(readPeriod({}, now)).toEqual({ ok: true, from: now - 30 * DAY, to: now });
});

it('names the field of a period that cannot be read', () => {
  expect(readPeriod({ from: 'gestern' }, now)).toMatchObject({ ok: false, field: 'from' });
  // A bad `to` alone is named, not the `from` its default would be computed from.
  for (const to of ['abc', '2026-13-45', '2026-02-30']) {
    expect(readPeriod({ to }, now), to).toMatchObject({ ok: false, field: 'to' });
  }
  expect(readPeriod({ from: '2025-02-29' }, now)).toMatchObject({ ok: false, field: 'from' });
  expect(readPeriod({ from: '2024-02-29', to: '2024-03-01' }, now)).toMatchObject({ ok: true });
  expect(readPeriod({ from: '2025-11-20', to: '2025-11-19' }, now)).toMatchObject({
    ok: false,
    field: 'to',
  });
  expect(readPeriod({ from: '2023-01-01', to: '2025-01-01' }, now)).toMatchObject({
    ok: false,
    field: 'from',
  });
});
