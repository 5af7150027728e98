import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import type { DashboardMetrics } from './compute-dashboard.js';
import { type DashboardMessages, dashboardMessagesFor } from './dashboard-messages.js';
import type { DashboardTargets } from './dashboard-targets.js';
import { figureFormat } from './figure-format.js';

/** The figures a tile can show, in the order the tiles appear. */
export const KPI_KEYS = [
  'conversations',
  'selfServiceRate',
  'escalationRate',
  'firstContactResolution',
  'frtMedian',
  'csat',
  'ces',
  'nps',
] as const;

/** One tile's figure. */
export type KpiKey = (typeof KPI_KEYS)[number];

/** How a figure is written: a count, a share (shown in %), minutes, a mean score or NPS points. */
export type KpiUnit = 'count' | 'share' | 'minutes' | 'score' | 'points';

/** One KPI tile: the value, its change against the previous period, target and gap, and n. */
export interface KpiTile {
  key: KpiKey;
  unit: KpiUnit;
  /** `null`: nothing to compute it from (n = 0). */
  value: number | null;
  /** The same figure over the period of the same length just before. */
  previous: number | null;
  /** value − previous; `null` when either is missing. */
  change: number | null;
  /** Whether the change is an improvement (`null`: no change to judge, or a plain count). */
  trend: 'better' | 'worse' | 'unchanged' | null;
  target: number | null;
  /** value − target; `null` without a target or value. */
  gap: number | null;
  /** Whether the value reaches the target (`null` without a target or value). */
  meetsTarget: boolean | null;
  /** How many conversations or answers the value rests on. */
  n: number;
}

interface Figure {
  unit: KpiUnit;
  /** Which way is better; `null` for a volume, which is neither. */
  better: 'higher' | 'lower' | null;
  read: (m: DashboardMetrics) => { value: number | null; n: number };
  target: (t: DashboardTargets) => number | undefined;
}

const MINUTE = 60_000;

const figures: Record<KpiKey, Figure> = {
  conversations: {
    unit: 'count',
    better: null,
    read: (m) => ({ value: m.conversations, n: m.conversations }),
    target: () => undefined,
  },
  selfServiceRate: {
    unit: 'share',
    better: 'higher',
    read: (m) => ({ value: m.selfServiceRate, n: m.selfService + m.handoffs }),
    target: (t) => t.selfServiceRate,
  },
  escalationRate: {
    unit: 'share',
    better: 'lower',
    read: (m) => ({ value: m.escalationRate, n: m.conversations - m.open }),
    target: (t) => t.escalationRate,
  },
  firstContactResolution: {
    unit: 'share',
    better: 'higher',
    read: (m) => ({ value: m.firstContactResolution, n: m.closed }),
    target: (t) => t.firstContactResolution,
  },
  frtMedian: {
    unit: 'minutes',
    better: 'lower',
    read: (m) => {
      const frt = m.firstResponseTime.calendar;
      return { value: frt.median === null ? null : frt.median / MINUTE, n: frt.count };
    },
    target: (t) => t.frtMedianMinutes,
  },
  csat: {
    unit: 'share',
    better: 'higher',
    read: (m) => ({ value: m.csat.value, n: m.csat.responses }),
    target: (t) => t.csat,
  },
  ces: {
    unit: 'score',
    better: 'higher',
    read: (m) => ({ value: m.ces.value, n: m.ces.responses }),
    target: (t) => t.ces,
  },
  nps: {
    unit: 'points',
    better: 'higher',
    read: (m) => ({ value: m.nps.value, n: m.nps.responses }),
    target: (t) => t.nps,
  },
};

// Differences below this are rounding noise of the shown precision (0.1 % or 0.1 min).
const EPSILON = 1e-9;

/**
 * The dashboard's KPI tiles: each figure of `current` beside the same figure of `previous` (the
 * period of the same length just before) and, where `targets` sets one, its target and gap.
 * @example kpiTiles(thisMonth, lastMonth, { csat: 0.8 })[5].gap // 0.05 at a CSAT of 85 %
 */
export function kpiTiles(
  current: DashboardMetrics,
  previous: DashboardMetrics,
  targets: DashboardTargets = {},
): KpiTile[] {
  return KPI_KEYS.map((key) => {
    const f = figures[key];
    const now = f.read(current);
    const before = f.read(previous);
    const prev = before.n === 0 ? null : before.value;
    const change = now.value === null || prev === null ? null : now.value - prev;
    const target = f.target(targets) ?? null;
    const gap = target === null || now.value === null ? null : now.value - target;
    const judge = (d: number): 'better' | 'worse' | 'unchanged' =>
      Math.abs(d) < EPSILON ? 'unchanged' : d > 0 === (f.better === 'higher') ? 'better' : 'worse';
    return {
      key,
      unit: f.unit,
      value: now.value,
      previous: prev,
      change,
      trend: change === null || f.better === null ? null : judge(change),
      target,
      gap,
      meetsTarget: gap === null ? null : judge(gap) !== 'worse',
      n: now.n,
    };
  });
}

/** Formats tile figures in the page language, as the dashboard's tables do (figure-format.ts). */
function formatter(locale: PageLocale, t: DashboardMessages) {
  const figures = figureFormat(locale);
  const digits = (unit: KpiUnit) => (unit === 'count' ? 0 : unit === 'score' ? 2 : 1);
  const signed = (s: string, v: number) => (v > 0 ? `+${s}` : v < 0 ? `−${s.replace('-', '')}` : s);
  const inUnit = (unit: KpiUnit, s: string) => (unit === 'minutes' ? `${s} min` : s);
  return {
    value(unit: KpiUnit, v: number | null): string {
      if (v === null) return '–';
      if (unit === 'share') return figures.percent(v);
      return inUnit(unit, figures.decimal(v, digits(unit)));
    },
    /** A difference: shares in percentage points, the rest in their own unit. */
    delta(unit: KpiUnit, d: number): string {
      if (unit === 'share') {
        return `${signed(figures.decimal(d * 100, 1), d)} ${t.percentPoints}`;
      }
      return inUnit(unit, signed(figures.decimal(d, digits(unit)), d));
    },
  };
}

const labels: Record<KpiKey, [keyof DashboardMessages, keyof DashboardMessages]> = {
  conversations: ['kpiConversations', 'defConversations'],
  selfServiceRate: ['kpiSelfService', 'defSelfService'],
  escalationRate: ['kpiEscalation', 'defEscalation'],
  firstContactResolution: ['kpiFcr', 'defFcr'],
  frtMedian: ['kpiFrt', 'defFrt'],
  csat: ['kpiCsat', 'defCsat'],
  ces: ['kpiCes', 'defCes'],
  nps: ['kpiNps', 'defNps'],
};

/**
 * The tiles as a list of cards (`#kpi-tiles`): name, value, change with "better"/"worse" in words
 * (never colour alone), target and gap when set, n, and the figure's one-line definition.
 */
export function renderKpiTiles(tiles: readonly KpiTile[], locale: PageLocale): SafeHtml {
  const t = dashboardMessagesFor(locale);
  const f = formatter(locale, t);
  return html`<ul class="kpi-tiles" id="kpi-tiles">${tiles.map((tile) => {
    const [name, definition] = labels[tile.key];
    const change =
      tile.change === null
        ? html`<span class="kpi-change">${t.noPrevious}</span>`
        : html`<span class="kpi-change${tile.trend === null ? '' : ` kpi-${tile.trend}`}">${f.delta(tile.unit, tile.change)}${tile.trend === null ? null : html` (${t[tile.trend]})`}</span>`;
    const target =
      tile.target === null
        ? null
        : html`<div class="kpi-target"><dt>${t.target}</dt><dd>${f.value(tile.unit, tile.target)}${
            tile.gap === null
              ? null
              : html`; ${t.gap}: <span class="${tile.meetsTarget ? 'kpi-better' : 'kpi-worse'}">${f.delta(tile.unit, tile.gap)}</span>${tile.meetsTarget ? html` (${t.targetMet})` : null}`
          }</dd></div>`;
    return html`<li class="kpi card" data-kpi="${tile.key}">
  <h3 id="kpi-${tile.key}">${t[name]}</h3>
  <p class="kpi-value">${f.value(tile.unit, tile.value)}</p>
  <dl>
    <div><dt>${t.change}</dt><dd>${change}</dd></div>
    ${target}
    <div><dt>${t.n}</dt><dd>${tile.n}</dd></div>
  </dl>
  <p class="kpi-def" id="kpi-${tile.key}-def">${t[definition]}</p>
</li>`;
  })}</ul>`;
}
