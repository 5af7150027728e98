// The dashboard a service lead reads at a glance (issue 15, item 4), in a real browser: KPI tiles
// first, the trend's time axis fitted to the days with data, CSAT/CES/NPS as bars over their integer
// scale or "no ratings yet", a table per chart; with 0, 1 and 2 days and a month of data, in German
// and English, on a desktop and a phone, axe-clean in each state. Screenshots of every state go to
// $TMPDIR/lotse-dashboard-glance/ for a person to look at; the assertions check structure and tick
// texts, never pixels (fonts differ between machines).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTraffic } from '../../packages/server/dist/dashboard/generate-traffic.js';
import { openStore } from '../../packages/server/dist/store/open-store.js';
import { signIn, WAIT } from './support/agent.js';
import { newPage, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const DAY = 86_400_000;
type Locale = 'de' | 'en';
type Size = 'desktop' | 'phone';
type State = 'none' | 'oneDay' | 'twoDays' | 'month';

const sizes: Record<Size, BrowserContextOptions> = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

const shots = path.join(tmpdir(), 'lotse-dashboard-glance');

// Whole UTC days before today, so every seeded conversation has ended; within the server's
// retention (395 days). Each state is a 30-day period holding that many days of traffic.
const today = Math.floor(Date.now() / DAY) * DAY;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const periods: Record<State, { from: number; dataDays: number[] }> = {
  none: { from: today - 230 * DAY, dataDays: [] },
  oneDay: { from: today - 180 * DAY, dataDays: [today - 170 * DAY] },
  twoDays: { from: today - 130 * DAY, dataDays: [today - 120 * DAY, today - 119 * DAY] },
  month: {
    from: today - 30 * DAY,
    dataDays: Array.from({ length: 30 }, (_, i) => today - (30 - i) * DAY),
  },
};
// Traffic before the month too, so its tiles have a previous period to compare with.
const previousDays = Array.from({ length: 10 }, (_, i) => today - (40 - i) * DAY);

/** Seeds the traffic into the running server's SQLite file through the server's own store. */
async function seed(dataDir: string): Promise<void> {
  const wanted = new Set([...Object.values(periods).flatMap((p) => p.dataDays), ...previousDays]);
  const start = today - 240 * DAY;
  // One run, cut to the wanted days, so ids, sessions and tickets never repeat.
  const rows = generateTraffic({ siteKey: 'demo', start, days: 240, perDay: 5 });
  const first = new Map<string, number>();
  for (const r of rows) first.set(r.sessionId, Math.min(first.get(r.sessionId) ?? r.ts, r.ts));
  const kept = rows.filter((r) =>
    wanted.has(Math.floor((first.get(r.sessionId) ?? 0) / DAY) * DAY),
  );
  const store = await openStore({ dataDir });
  try {
    for (let i = 0; i < kept.length; i += 500) await store.insertEvents(kept.slice(i, i + 500));
  } finally {
    await store.close();
  }
}

const texts = {
  de: { noRatings: 'Noch keine Bewertungen', noTrend: 'Keine Gespräche in diesem Zeitraum.' },
  en: { noRatings: 'No ratings yet', noTrend: 'No conversations in this period.' },
} as const;

type SignedIn = Exclude<BrowserContextOptions['storageState'], string | undefined>;
const sessions = new Map<Locale, SignedIn>();

/** A signed-in page (one sign-in per language: the login limit is 5 per account). */
async function dashboardPage(browser: Browser, locale: Locale, size: Size): Promise<Page> {
  let state = sessions.get(locale);
  if (state === undefined) {
    const page = await newPage(browser, locale, sizes.desktop);
    await signIn(page, suite.lotse.origin, locale);
    state = await page.context().storageState();
    sessions.set(locale, state);
    await page.context().close();
  }
  return newPage(browser, locale, { bypassCSP: true, ...sizes[size], storageState: state });
}

async function open(page: Page, locale: Locale, state: State): Promise<void> {
  const { from } = periods[state];
  await page.goto(
    `${suite.lotse.origin}/dashboard/?site=demo&from=${iso(from)}&to=${iso(from + 29 * DAY)}&lang=${locale}`,
  );
  await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
}

/** The x tick positions (seconds) and labels uPlot drew, once it has drawn them. */
async function xTicks(page: Page): Promise<{ splits: number[]; labels: string[] }> {
  const chart = page.locator('#chart-trend');
  await expect.poll(() => chart.getAttribute('data-x-ticks')).not.toBeNull();
  await chart.locator('canvas').waitFor(WAIT);
  return {
    splits: JSON.parse((await chart.getAttribute('data-x-splits')) ?? '[]'),
    labels: JSON.parse((await chart.getAttribute('data-x-ticks')) ?? '[]'),
  };
}

const combinations = (['de', 'en'] as const).flatMap((l) =>
  (['desktop', 'phone'] as const).map((s) => [l, s] as const),
);

describe('dashboard at a glance', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await seed(suite.lotse.dataDir);
  });

  it.each(combinations)(
    'every chart with 0, 1, 2 days and a month (%s, %s)',
    async (locale, size) => {
      const t = texts[locale];
      const page = await dashboardPage(suite.browser, locale, size);
      for (const state of ['none', 'oneDay', 'twoDays', 'month'] as const) {
        await open(page, locale, state);
        const tiles = page.locator('#kpi-tiles > li');
        await expect.poll(() => tiles.count()).toBe(8);
        // The tiles come first: before the trend's heading in the document and on screen.
        const tilesBox = await page.locator('#kpi-tiles').boundingBox();
        const trendBox = await page.locator('#trend-h').boundingBox();
        expect(tilesBox && trendBox && tilesBox.y < trendBox.y).toBe(true);

        const dataDays = periods[state].dataDays;
        if (dataDays.length === 0) {
          await expect
            .poll(() => page.getByText(t.noTrend, { exact: true }).isVisible())
            .toBe(true);
          await expect.poll(() => page.getByText(t.noRatings, { exact: true }).count()).toBe(3);
          await expect.poll(() => page.locator('.bars').count()).toBe(0);
        } else {
          const { splits, labels } = await xTicks(page);
          const lo = (dataDays[0] ?? 0) / 1000;
          const hi = ((dataDays.at(-1) ?? 0) + DAY) / 1000;
          expect(labels.length, `${state}: ticks`).toBeGreaterThan(1);
          for (const s of splits)
            expect(s >= lo && s <= hi, `${state}: tick ${s} in range`).toBe(true);
          // Never a year on the axis (the bug: 2027 to 2029 for one day of data).
          for (const label of labels) expect(label).not.toMatch(/\d{4}/);
          // The legend names the x axis in the page's language (uPlot's own word is "Time").
          await expect(
            page.locator('#chart-trend .u-legend .u-label').first().textContent(),
          ).resolves.toBe(locale === 'de' ? 'Tag' : 'Day');
          const hours = labels.filter((l) => /^\d{2}:\d{2}$/.test(l));
          if (state === 'oneDay') expect(hours.length).toBeGreaterThanOrEqual(3);
          if (state === 'month') expect(hours).toEqual([]);
          // One bar per point of each integer scale.
          for (const [key, size] of [
            ['csat', 5],
            ['ces', 7],
            ['nps', 11],
          ] as const) {
            const ticks = await page.locator(`#dist-${key} .bars .tick`).allTextContents();
            expect(ticks).toEqual(
              Array.from({ length: size }, (_, i) => String(i + (key === 'nps' ? 0 : 1))),
            );
            expect(await page.locator(`#dist-${key} .bars .bar`).count()).toBe(size);
          }
          await expect.poll(() => page.getByText(t.noRatings, { exact: true }).count()).toBe(0);
          // A table for screen readers beside every chart.
          for (const id of ['table-trend', 'table-dist-csat', 'table-dist-ces', 'table-dist-nps'])
            expect(await page.locator(`table:has(caption#${id})`).count()).toBe(1);
        }
        await page.screenshot({
          path: path.join(shots, `${locale}-${size}-${state}.png`),
          fullPage: true,
        });
        // Each part on its own, to look at closely.
        for (const part of ['glance', 'trend', 'scores'])
          await page
            .locator(`section[aria-labelledby="${part}-h"]`)
            .screenshot({ path: path.join(shots, `${locale}-${size}-${state}-${part}.png`) });
        expect(await runAxe(page), `${state}`).toEqual([]);
      }
      await page.context().close();
    },
  );

  it.each(['de', 'en'] as const)('opens a chart table by keyboard (%s)', async (locale) => {
    const page = await dashboardPage(suite.browser, locale, 'desktop');
    await open(page, locale, 'month');
    const summary = page.locator('#scores-h ~ .distributions #dist-csat summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const region = page.getByRole('region', { name: /CSAT/ });
    await region.waitFor(WAIT);
    await page.keyboard.press('Tab');
    await expect.poll(() => region.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await region.locator('tbody tr').count()).toBe(5);
    await page.context().close();
  });
});
