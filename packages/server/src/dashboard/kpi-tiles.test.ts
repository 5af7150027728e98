import type { BusinessHours } from '@lotse/sdk/metrics';
import { expect, it } from 'vitest';
import { parseSiteSettings } from '../sites/site-settings.js';
import { computeDashboard, type DashboardMetrics } from './compute-dashboard.js';
import { targetsOf } from './dashboard-targets.js';
import { kpiTiles, renderKpiTiles } from './kpi-tiles.js';

const hours: BusinessHours = { timeZone: 'Europe/Berlin', days: {}, holidays: [] };
const empty = computeDashboard([], { from: 0, to: 1, now: 1, hours });

/** Figures with the given fields set on top of an empty period. */
const metrics = (over: Partial<DashboardMetrics>): DashboardMetrics => ({ ...empty, ...over });

const score = (value: number | null, responses: number) => ({
  value,
  responses,
  distribution: [],
});

const current = metrics({
  conversations: 40,
  selfService: 20,
  handoffs: 10,
  open: 0,
  closed: 8,
  selfServiceRate: 20 / 30,
  escalationRate: 0.25,
  firstContactResolution: 0.75,
  firstResponseTime: {
    calendar: { count: 10, median: 12 * 60_000, p90: 30 * 60_000 },
    business: null,
  },
  csat: score(0.85, 20),
  ces: score(5.5, 20),
  nps: score(30, 10),
});
const previous = metrics({
  conversations: 50,
  selfService: 20,
  handoffs: 20,
  open: 0,
  closed: 10,
  selfServiceRate: 0.5,
  escalationRate: 0.4,
  firstContactResolution: 0.75,
  firstResponseTime: {
    calendar: { count: 20, median: 20 * 60_000, p90: 40 * 60_000 },
    business: null,
  },
  csat: score(0.9, 10),
  ces: score(null, 0),
  nps: score(40, 5),
});

it('compares each figure with the previous period and judges the direction', () => {
  const tiles = Object.fromEntries(kpiTiles(current, previous).map((t) => [t.key, t]));
  expect(tiles.conversations).toMatchObject({ value: 40, previous: 50, change: -10, trend: null });
  expect(tiles.selfServiceRate?.change).toBeCloseTo(20 / 30 - 0.5);
  expect(tiles.selfServiceRate).toMatchObject({ trend: 'better', n: 30 });
  // Fewer escalations and a faster first response are improvements.
  expect(tiles.escalationRate).toMatchObject({ trend: 'better', n: 40 });
  expect(tiles.frtMedian).toMatchObject({ value: 12, previous: 20, change: -8, trend: 'better' });
  expect(tiles.frtMedian?.n).toBe(10);
  expect(tiles.firstContactResolution).toMatchObject({ change: 0, trend: 'unchanged' });
  expect(tiles.csat?.trend).toBe('worse');
  // Nobody rated effort before: no change to show rather than a change from zero.
  expect(tiles.ces).toMatchObject({ value: 5.5, previous: null, change: null, trend: null });
  expect(tiles.nps).toMatchObject({ change: -10, trend: 'worse', n: 10 });
});

it('shows target and gap only where a target is set', () => {
  const tiles = Object.fromEntries(
    kpiTiles(current, previous, { csat: 0.8, frtMedianMinutes: 10, escalationRate: 0.3 }).map(
      (t) => [t.key, t],
    ),
  );
  expect(tiles.csat).toMatchObject({ target: 0.8, meetsTarget: true });
  expect(tiles.csat?.gap).toBeCloseTo(0.05);
  expect(tiles.frtMedian).toMatchObject({ target: 10, gap: 2, meetsTarget: false });
  expect(tiles.escalationRate).toMatchObject({ meetsTarget: true });
  expect(tiles.nps).toMatchObject({ target: null, gap: null, meetsTarget: null });
  const page = String(renderKpiTiles(Object.values(tiles), 'en'));
  expect(page.match(/<dt>Target<\/dt>/g)).toHaveLength(3);
  expect(page).toContain('10.0 min; gap: <span class="kpi-worse">+2.0 min</span>');
  expect(page).toContain('<span class="kpi-better">+5.0 pp</span> (target met)');
  // A fall gets a true minus sign, in the page's number format.
  expect(page).toContain('−8.0 min');
  expect(String(renderKpiTiles(Object.values(tiles), 'de'))).toContain('−8,0 min');
});

it('writes every tile in German and English, with n and its definition', () => {
  const tiles = kpiTiles(current, empty);
  const de = String(renderKpiTiles(tiles, 'de'));
  const en = String(renderKpiTiles(tiles, 'en'));
  for (const page of [de, en]) expect(page.match(/<li class="kpi card"/g)).toHaveLength(8);
  expect(de).toContain('<p class="kpi-value">66,7 %</p>');
  expect(en).toContain('<p class="kpi-value">66.7 %</p>');
  expect(de).toContain('keine Daten in der Vorperiode');
  expect(en).toContain('no data in the previous period');
  expect(de).toContain('Anteil der Bewertungen 4 und 5 auf der Skala 1–5.');
  expect(en).toContain('<dt>n</dt><dd>20</dd>');
});

const required = {
  key: 'demo',
  title: 'Demo',
  allowedOrigins: ['http://localhost:8080'],
  responseMinutes: { '1': 480, '2': 240, '3': 960 },
  timeZone: 'Europe/Berlin',
};

it('reads the targets of the tiles from the site settings, rates given in percent', () => {
  const site = (extra: object) => ({
    settings: parseSiteSettings({ ...required, ...extra }, 'demo'),
  });
  expect(targetsOf(site({}))).toEqual({});
  expect(targetsOf(site({ dashboard: { targets: { csat: 80, nps: 20 } } }))).toEqual({
    csat: 0.8,
    nps: 20,
  });
  expect(() => site({ dashboard: { targets: { csat: 180 } } })).toThrow(/dashboard\.targets\.csat/);
});
