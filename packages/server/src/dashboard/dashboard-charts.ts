import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import type { Messages, PageLocale } from '../pages/i18n.js';
import { tableRegion } from '../pages/table-region.js';
import type { DashboardMetrics, ScoreMetric } from './compute-dashboard.js';
import { dashboardMessagesFor } from './dashboard-messages.js';
import { figureFormat } from './figure-format.js';

const DAY_S = 86_400;

/** A site-local day (`YYYY-MM-DD`) as seconds at its start, on a UTC clock (the chart draws in UTC). */
function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/**
 * The trend chart's x range in seconds: from the start of the first day with data to the end of
 * the last, so one day of data spans that day's hours and a month its days (never years).
 */
export function trendRange(trend: DashboardMetrics['trend']): [number, number] | null {
  const first = trend[0];
  const last = trend.at(-1);
  if (first === undefined || last === undefined) return null;
  return [dayStart(first.day), dayStart(last.day) + DAY_S];
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/**
 * The daily trend: a uPlot chart (drawn by `/ui/dashboard.js` from `data-points`, one point at
 * each day's noon, and `data-range`) and the same figures as a table in a disclosure; without
 * conversations an empty state instead.
 */
export function renderTrend(t: Messages, m: DashboardMetrics, locale: PageLocale): SafeHtml {
  const d = dashboardMessagesFor(locale);
  const { percent } = figureFormat(locale);
  const range = trendRange(m.trend);
  if (range === null) return html`<p class="empty-state" id="trend-empty">${d.noTrend}</p>`;
  const points = m.trend.map((p) => [
    dayStart(p.day) + DAY_S / 2,
    p.conversations,
    pct(p.selfServiceRate),
    pct(p.csat),
  ]);
  return html`<figure class="chart-figure">
    <div id="chart-trend" class="chart" aria-hidden="true" data-points="${JSON.stringify(points)}" data-range="${JSON.stringify(range)}" data-label-day="${t.day}" data-label-conversations="${t.conversations}" data-label-self="${t.selfService} %"></div>
    <figcaption>${d.trendChart}</figcaption>
  </figure>
  <details class="chart-table">
    <summary>${d.trendTable}</summary>
    ${tableRegion(
      'table-trend',
      t.trend,
      html`<thead><tr><th scope="col">${t.day}</th><th scope="col">${t.conversations}</th><th scope="col">${t.selfService}</th><th scope="col">${t.escalation}</th><th scope="col">CSAT</th></tr></thead>`,
      html`<tbody>${m.trend.map((p) => html`<tr><th scope="row">${p.day}</th><td>${p.conversations}</td><td>${percent(p.selfServiceRate)}</td><td>${percent(p.escalationRate)}</td><td>${percent(p.csat)}</td></tr>`)}</tbody>`,
    )}
  </details>`;
}

/** The score scales the dashboard draws: CSAT 1–5, CES 1–7, NPS 0–10 (compute-dashboard.ts). */
export const SCALES = {
  csat: { name: 'CSAT', min: 1 },
  ces: { name: 'CES', min: 1 },
  nps: { name: 'NPS', min: 0 },
} as const;

/** Bar heights come in this many steps (classes `h-0` … `h-50` of dashboard.css: no inline style under the CSP). */
export const BAR_STEPS = 50;

/**
 * A score distribution as bars over its integer scale (one bar per scale point, its count above
 * it, the point below), drawn on the server in HTML so it needs no script; the table beside it
 * carries the same counts. Without answers: "No ratings yet" instead of a flat line.
 */
export function renderDistribution(
  key: keyof typeof SCALES,
  metric: ScoreMetric,
  locale: PageLocale,
  filtered: boolean,
): SafeHtml {
  const d = dashboardMessagesFor(locale);
  const { name, min } = SCALES[key];
  const max = min + metric.distribution.length - 1;
  const title = fill(d.distributionOf, { name, min, max });
  const head = html`<h3 id="dist-${key}-h">${title}</h3>`;
  if (metric.responses === 0) {
    const why = key === 'nps' && filtered ? html` <span>${d.filteredNps}</span>` : null;
    return html`<div class="distribution" id="dist-${key}" data-empty="true">${head}<p class="empty-state">${d.noRatings}</p>${why}</div>`;
  }
  const top = Math.max(1, ...metric.distribution);
  const bars = metric.distribution.map((count, i) => {
    const step = Math.round((count / top) * BAR_STEPS);
    return html`<div class="bar-col" data-score="${min + i}" data-count="${count}"><div class="bar-plot"><span class="bar-count">${count}</span><span class="bar h-${step}"></span></div><span class="tick">${min + i}</span></div>`;
  });
  return html`<div class="distribution" id="dist-${key}">${head}
  <figure class="chart-figure">
    <div class="bars" aria-hidden="true">${bars}</div>
  <figcaption>${name}: n = ${metric.responses}</figcaption>
  </figure>
  <details class="chart-table">
    <summary>${fill(d.distributionTable, { name })}</summary>
    ${tableRegion(
      `table-dist-${key}`,
      title,
      html`<thead><tr><th scope="col">${d.score}</th><th scope="col">${d.answers}</th></tr></thead>`,
      html`<tbody>${metric.distribution.map((count, i) => html`<tr><th scope="row">${min + i}</th><td>${count}</td></tr>`)}</tbody>`,
    )}
  </details>
</div>`;
}

/** The three distributions, CSAT, CES and NPS. */
export function renderDistributions(m: DashboardMetrics, locale: PageLocale): SafeHtml {
  const filtered =
    m.filter.topic !== undefined || m.filter.level !== undefined || m.filter.channel !== undefined;
  return html`<div class="distributions">${(['csat', 'ces', 'nps'] as const).map((k) =>
    renderDistribution(k, m[k], locale, filtered),
  )}</div>`;
}
