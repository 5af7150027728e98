import type { Hono } from 'hono';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { topicInfo } from '../inbox/site-topics.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import { mayReview } from '../scorecards/review-section.js';
import { type ResolvedSite, TEAM_TARGET_KEYS, type TeamTargetKey } from '../sites/site-settings.js';
import type { AgentRow } from '../store/store.js';
import { csvField } from './dashboard-csv.js';
import { formatDay } from './figure-format.js';
import { isoDay, lastDay, previousStart, readPeriod } from './period.js';
import { deriveDirtySessions } from './pre-aggregate.js';
import {
  computeTeamFigures,
  type Figure,
  inTargetUnit,
  lowerIsBetter,
  type TeamFigures,
  type TeamRow,
  targetGap,
} from './team-figures.js';
import { type TeamMessages, teamMessagesFor } from './team-messages.js';

/** A parsed team-view request and what its viewer may see. */
interface TeamRequest {
  site: ResolvedSite;
  from: number;
  to: number;
  /** The agent filter (`agent=<id>`), if any. */
  agent: string | undefined;
  viewer: AgentRow;
  /** Whether the viewer may see colleagues' rows and the team row (an admin, or the site allows it). */
  seesColleagues: boolean;
  /**
   * Whether the viewer may see colleagues' scorecard scores: the owner and reviewers, agents once
   * the owner released them (`teamScoresVisible()`, as `/scorecards/team` asks).
   */
  seesColleagueScores: boolean;
}

async function parseTeamRequest(
  c: AppContext,
  deps: AppDeps,
): Promise<{ ok: true; value: TeamRequest } | { ok: false; response: Response }> {
  const fail = (message: string, field: string) => ({
    ok: false as const,
    response: apiError(c, 400, 'invalid_request', message, field),
  });
  const viewer = c.get('agent');
  if (viewer === undefined)
    return { ok: false, response: apiError(c, 401, 'login_required', 'Sign in first.') };
  const key = c.req.query('site') ?? deps.sites.all()[0]?.key ?? '';
  const site = await deps.sites.get(key);
  if (site === undefined) return fail(`Unknown site "${key.slice(0, 64)}".`, 'site');
  const period = readPeriod(
    { from: c.req.query('from'), to: c.req.query('to') },
    deps.now(),
    site.hours.timeZone,
  );
  if (!period.ok) return fail(period.message, period.field);
  const { from, to } = period;
  const agent = c.req.query('agent') || undefined;
  if (agent !== undefined && agent.length > 200) return fail('agent: an agent id', 'agent');
  const seesColleagues = viewer.role === 'admin' || site.team.agentsSeeColleagues;
  if (agent !== undefined && agent !== viewer.id && !seesColleagues) {
    return {
      ok: false,
      response: apiError(
        c,
        403,
        'forbidden',
        "agent: only the owner, or every agent when the site allows it, may see a colleague's figures",
        'agent',
      ),
    };
  }
  const seesColleagueScores = mayReview(viewer) || (await deps.store.teamScoresVisible());
  return {
    ok: true,
    value: { site, from, to, agent, viewer, seesColleagues, seesColleagueScores },
  };
}

/**
 * The team figures of a request: sessions still to derive are derived first (CSAT and NPS come
 * from the derived facts), then the period and the one before it are read and computed.
 */
export async function loadTeamFigures(
  deps: AppDeps,
  site: ResolvedSite,
  from: number,
  to: number,
  include: readonly string[] = [],
): Promise<TeamFigures> {
  const pending = await deps.store.countDirtySessions(site.key);
  if (pending > 0) {
    await deriveDirtySessions(deps.store, {
      hoursOf: () => site.hours,
      siteKey: site.key,
      max: pending,
    });
  }
  const steps = new Map<string | null, number>();
  const playbookSteps = (topic: string | null) => {
    let n = steps.get(topic);
    if (n === undefined) {
      n = topicInfo(deps.models, site.key, topic, 'en').playbook.length;
      steps.set(topic, n);
    }
    return n;
  };
  const rows = await deps.store.teamRows(
    site.key,
    previousStart(from, to, site.hours.timeZone),
    to,
    {
      playbookSteps,
    },
  );
  return computeTeamFigures(rows, {
    from,
    to,
    now: deps.now(),
    hours: site.hours,
    team: site.team,
    include,
    playbookSteps,
  });
}

/** A row without its scorecard score and criteria (a colleague's, or the team's that holds them). */
function withoutScores(row: TeamRow): TeamRow {
  const hide = (set: TeamRow['current']) => ({
    ...set,
    figures: { ...set.figures, scorecard: { value: null, n: 0 } },
    criteria: [],
  });
  return { ...row, current: hide(row.current), previous: hide(row.previous) };
}

/**
 * The rows a viewer may see: its own, or (when allowed) every agent's or the filtered one's, and the
 * team; colleagues' scorecard scores (in their rows and the team's) only when released to it.
 */
function visibleRows(
  r: TeamRequest,
  figures: TeamFigures,
): { agents: TeamRow[]; team: TeamRow | undefined } {
  const wanted = r.agent ?? (r.seesColleagues ? undefined : r.viewer.id);
  const scores = (row: TeamRow) =>
    r.seesColleagueScores || row.key === r.viewer.id ? row : withoutScores(row);
  return {
    agents: figures.agents.filter((a) => wanted === undefined || a.key === wanted).map(scores),
    team: r.seesColleagues ? scores(figures.team) : undefined,
  };
}

/** A figure's value for reading (percent, minutes, points, currency). */
function formatValue(
  key: TeamTargetKey,
  value: number | null,
  locale: PageLocale,
  currency: string,
): string {
  return value === null ? '–' : formatInUnit(key, inTargetUnit(key, value), locale, currency);
}

/** A number in a figure's target unit (a target, or a value converted) for reading, with the unit. */
function formatInUnit(key: TeamTargetKey, v: number, locale: PageLocale, currency: string): string {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  if (key === 'handled') return String(v);
  if (key === 'nps') return v.toLocaleString(tag, { maximumFractionDigits: 1 });
  if (key.startsWith('cost')) return v.toLocaleString(tag, { style: 'currency', currency });
  if (key.startsWith('frt') || key === 'handlingMedian' || key === 'activeMedian')
    return `${v.toLocaleString(tag, { maximumFractionDigits: 1 })} min`;
  return `${v.toLocaleString(tag, { maximumFractionDigits: 1 })} %`;
}

/** A difference in the target's unit, signed, with whether it is better or worse. */
function formatDelta(
  key: TeamTargetKey,
  delta: number | null,
  t: TeamMessages,
  locale: PageLocale,
): string {
  if (delta === null) return '–';
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  const text = delta.toLocaleString(tag, { maximumFractionDigits: 1, signDisplay: 'always' });
  if (delta === 0) return text;
  const better = lowerIsBetter(key) ? delta < 0 : delta > 0;
  return `${text} (${better ? t.better : t.worse})`;
}

/**
 * Value minus target, in the target unit, or null: signed like the change beside it (and the
 * dashboard's tiles), so that `formatDelta` judges it; `targetGap` (positive = better) is the CSV's.
 */
function differenceFromTarget(key: TeamTargetKey, now: Figure, target: number | undefined) {
  return now.value === null || target === undefined ? null : inTargetUnit(key, now.value) - target;
}

/** Current minus previous, in the target unit, or null when either is missing. */
function change(key: TeamTargetKey, now: Figure, before: Figure): number | null {
  if (now.value === null || before.value === null) return null;
  return inTargetUnit(key, now.value) - inTargetUnit(key, before.value);
}

function nameOf(key: string, agents: ReadonlyMap<string, string>, t: TeamMessages): string {
  return key === 'team' ? t.team : (agents.get(key) ?? key);
}

function detailTable(
  id: string,
  row: TeamRow,
  r: TeamRequest,
  t: TeamMessages,
  locale: PageLocale,
  caption: string,
): SafeHtml {
  const targets = r.site.team.targets;
  const currency = r.site.team.currency;
  return tableRegion(
    id,
    caption,
    html`<thead><tr><th scope="col">${t.figure}</th><th scope="col">${t.value}</th><th scope="col">${t.n}</th><th scope="col">${t.previous}</th><th scope="col">${t.change}</th><th scope="col">${t.target}</th><th scope="col">${t.gap}</th></tr></thead>`,
    html`<tbody>${TEAM_TARGET_KEYS.map((key) => {
      const now = row.current.figures[key];
      const before = row.previous.figures[key];
      const target = targets[key];
      return html`<tr><th scope="row"><a href="#def-${key}">${t.figures[key].name}</a></th><td>${formatValue(key, now.value, locale, currency)}</td><td>${now.n}</td><td>${formatValue(key, before.value, locale, currency)}</td><td>${formatDelta(key, change(key, now, before), t, locale)}</td><td>${target === undefined ? '–' : formatInUnit(key, target, locale, currency)}</td><td>${formatDelta(key, differenceFromTarget(key, now, target), t, locale)}</td></tr>`;
    })}</tbody>`,
  );
}

function criteriaTable(
  id: string,
  row: TeamRow,
  t: TeamMessages,
  locale: PageLocale,
  caption: string,
): SafeHtml {
  const before = new Map(
    row.previous.criteria.map((c) => [`${c.scorecardId}\u0000${c.criterionId}`, c]),
  );
  const pct = (v: number | null) => formatValue('scorecard', v, locale, 'EUR');
  return tableRegion(
    id,
    caption,
    html`<thead><tr><th scope="col">${t.scorecard}</th><th scope="col">${t.criterion}</th><th scope="col">${t.value}</th><th scope="col">${t.n}</th><th scope="col">${t.previous}</th></tr></thead>`,
    html`<tbody>${row.current.criteria.map(
      (c) =>
        html`<tr><td>${c.scorecardName}</td><th scope="row">${c.label}</th><td>${pct(c.value)}</td><td>${c.n}</td><td>${pct(before.get(`${c.scorecardId}\u0000${c.criterionId}`)?.value ?? null)}</td></tr>`,
    )}</tbody>`,
  );
}

async function teamPage(c: AppContext, deps: AppDeps): Promise<Response> {
  const locale = pickLocale(c);
  const base = messagesFor(locale);
  const t = teamMessagesFor(locale);
  const parsed = await parseTeamRequest(c, deps);
  if (!parsed.ok) return parsed.response;
  const r = parsed.value;
  const agents = await deps.store.listAgents();
  const emails = new Map(agents.map((a) => [a.id, a.email]));
  const figures = await loadTeamFigures(deps, r.site, r.from, r.to, [r.agent ?? r.viewer.id]);
  const visible = visibleRows(r, figures);
  const currency = r.site.team.currency;
  const query = new URL(c.req.url).search;
  const overviewRows = [...(visible.team === undefined ? [] : [visible.team]), ...visible.agents];
  const selectable = r.seesColleagues ? agents : agents.filter((a) => a.id === r.viewer.id);
  const cost = r.site.team.costPerHour;
  const body = html`<p><a href="/dashboard/${query}">${t.overview}</a> · <strong>${t.teamView}</strong></p>
<form method="get" action="/dashboard/team" class="filters card" aria-label="${t.period}">
  <label for="t-site">${t.site}
    <select id="t-site" name="site">${deps.sites
      .all()
      .map(
        (s) =>
          html`<option value="${s.key}"${s.key === r.site.key ? html` selected` : null}>${s.title}</option>`,
      )}</select></label>
  <label for="t-from">${t.from} <input id="t-from" name="from" type="date" value="${isoDay(r.from, r.site.hours.timeZone)}"></label>
  <label for="t-to">${t.to} <input id="t-to" name="to" type="date" value="${lastDay(r.to, r.site.hours.timeZone)}"></label>
  <label for="t-agent">${t.agent}
    <select id="t-agent" name="agent">${r.seesColleagues ? html`<option value="">${t.allAgents}</option>` : null}${selectable.map(
      (a) =>
        html`<option value="${a.id}"${a.id === (r.agent ?? (r.seesColleagues ? '' : r.viewer.id)) ? html` selected` : null}>${a.email}</option>`,
    )}</select></label>
  <button type="submit">${t.show}</button>
</form>
<p><a href="/dashboard/team/export.csv${query}" download>${t.exportCsv}</a> · ${r.site.hours.timeZone} · ${t.previousPeriod.replace('{from}', formatDay(figures.previousFrom, locale, r.site.hours.timeZone)).replace('{to}', formatDay(r.from - 1, locale, r.site.hours.timeZone))}</p>
<p>${
    cost === undefined
      ? t.noCost
      : t.costNote
          .replace('{rate}', String(cost))
          .replace('{currency}', currency)
          .replace('{hours}', String(r.site.team.paidHoursPerWeek))
  }</p>
${r.seesColleagues ? null : html`<p>${t.ownOnly}</p>`}
${r.seesColleagues && !r.seesColleagueScores ? html`<p>${t.ownScoresOnly}</p>` : null}
${tableRegion(
  'team-overview',
  t.teamView,
  html`<thead><tr><th scope="col">${t.agent}</th>${TEAM_TARGET_KEYS.map((k) => html`<th scope="col">${t.figures[k].name}</th>`)}</tr></thead>`,
  html`<tbody>${overviewRows.map(
    (row) =>
      html`<tr><th scope="row">${row.key === 'team' ? t.team : html`<a href="/dashboard/team?site=${encodeURIComponent(r.site.key)}&from=${isoDay(r.from, r.site.hours.timeZone)}&to=${lastDay(r.to, r.site.hours.timeZone)}&agent=${encodeURIComponent(row.key)}">${nameOf(row.key, emails, t)}</a>`}</th>${TEAM_TARGET_KEYS.map(
        (k) => html`<td>${formatValue(k, row.current.figures[k].value, locale, currency)}</td>`,
      )}</tr>`,
  )}</tbody>`,
)}
${overviewRows.length === 0 || overviewRows.every((row) => row.current.figures.handled.n === 0 && row.previous.figures.handled.n === 0) ? html`<p>${t.noData}</p>` : null}
${overviewRows.map(
  (row, i) => html`<section aria-labelledby="team-h-${i}">
  <h2 id="team-h-${i}">${nameOf(row.key, emails, t)}</h2>
  ${detailTable(`team-detail-${i}`, row, r, t, locale, `${nameOf(row.key, emails, t)}: ${t.teamView}`)}
  ${row.current.criteria.length === 0 ? null : criteriaTable(`team-criteria-${i}`, row, t, locale, `${nameOf(row.key, emails, t)}: ${t.criteria}`)}
</section>`,
)}
<section aria-labelledby="team-defs">
  <h2 id="team-defs">${t.definitions}</h2>
  <dl>${TEAM_TARGET_KEYS.map((k) => html`<dt id="def-${k}">${t.figures[k].name}</dt><dd>${t.figures[k].definition}</dd>`)}</dl>
</section>`;
  return sendPage(c, {
    t: base,
    locale,
    title: `${t.teamView}: ${r.site.title}`,
    body,
    agent: c.get('agent'),
    csrf: c.get('session')?.csrf,
  });
}

/** The CSV column name of a figure (durations in ms, rates as fractions). */
const CSV_METRIC: Record<TeamTargetKey, string> = {
  handled: 'handled',
  frtMedian: 'frt_median_ms',
  frtP90: 'frt_p90_ms',
  frtBusinessMedian: 'frt_business_median_ms',
  frtBusinessP90: 'frt_business_p90_ms',
  handlingMedian: 'handling_median_ms',
  activeMedian: 'active_median_ms',
  fcr: 'fcr',
  reopenRate: 'reopen_rate',
  csat: 'csat',
  nps: 'nps',
  scorecard: 'scorecard',
  playbook: 'playbook_followed',
  sla1: 'sla_met_level_1',
  sla2: 'sla_met_level_2',
  sla3: 'sla_met_level_3',
  costPerCase: 'cost_per_case',
  costPerWorkingHour: 'cost_per_working_hour',
};

/**
 * The team view as CSV: `subject,agent,period,metric,value,n,target,gap` lines for the rows the
 * viewer may see (rates as fractions, durations in ms, costs in the site's currency; targets and
 * gaps in the target's unit), then the scorecard criteria as `criterion:<scorecard>/<criterion>`.
 */
export function teamCsv(
  rows: readonly TeamRow[],
  site: ResolvedSite,
  emails: ReadonlyMap<string, string>,
): string {
  const lines: (string | number | null)[][] = [
    ['subject', 'agent', 'period', 'metric', 'value', 'n', 'target', 'gap'],
  ];
  for (const row of rows) {
    const subject = row.key === 'team' ? 'team' : 'agent';
    const agent = row.key === 'team' ? '' : (emails.get(row.key) ?? row.key);
    for (const [period, set] of [
      ['current', row.current],
      ['previous', row.previous],
    ] as const) {
      for (const key of TEAM_TARGET_KEYS) {
        const f = set.figures[key];
        const target = site.team.targets[key];
        lines.push([
          subject,
          agent,
          period,
          CSV_METRIC[key],
          f.value,
          f.n,
          target ?? null,
          period === 'current' ? targetGap(key, f.value, target) : null,
        ]);
      }
      for (const c of set.criteria) {
        lines.push([
          subject,
          agent,
          period,
          `criterion:${c.scorecardName}/${c.label}`,
          c.value,
          c.n,
          null,
          null,
        ]);
      }
    }
  }
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * The team view at `/dashboard/team?site&from&to&agent`, its JSON at `/dashboard/api/team` and CSV at
 * `/dashboard/team/export.csv` (same parameters). Every one shows an agent only its own row unless
 * the viewer is an admin or the site sets `team.agentsSeeColleagues`; a colleague's filter is 403.
 * Registered under the dashboard's `requireAgent`.
 */
export function registerTeamRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/dashboard/team', (c) => teamPage(c, deps));
  app.get('/dashboard/api/team', async (c) => {
    const parsed = await parseTeamRequest(c, deps);
    if (!parsed.ok) return parsed.response;
    const r = parsed.value;
    const figures = await loadTeamFigures(deps, r.site, r.from, r.to, [r.agent ?? r.viewer.id]);
    const visible = visibleRows(r, figures);
    c.header('Cache-Control', 'no-store');
    return c.json({
      site: r.site.key,
      from: r.from,
      to: r.to,
      previousFrom: figures.previousFrom,
      agents: visible.agents,
      ...(visible.team === undefined ? {} : { team: visible.team }),
    });
  });
  app.get('/dashboard/team/export.csv', async (c) => {
    const parsed = await parseTeamRequest(c, deps);
    if (!parsed.ok) return parsed.response;
    const r = parsed.value;
    const [figures, agents] = await Promise.all([
      loadTeamFigures(deps, r.site, r.from, r.to, [r.agent ?? r.viewer.id]),
      deps.store.listAgents(),
    ]);
    const visible = visibleRows(r, figures);
    const rows = [...(visible.team === undefined ? [] : [visible.team]), ...visible.agents];
    c.header('Cache-Control', 'no-store');
    c.header(
      'Content-Disposition',
      `attachment; filename="lotse-team-${r.site.key}-${isoDay(r.from, r.site.hours.timeZone)}-${lastDay(r.to, r.site.hours.timeZone)}.csv"`,
    );
    return c.body(teamCsv(rows, r.site, new Map(agents.map((a) => [a.id, a.email]))), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
    });
  });
}
