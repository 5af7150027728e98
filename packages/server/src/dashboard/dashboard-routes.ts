import { type Channel, channelSchema } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import { requireAgent } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { siteLabels, topicInfo } from '../inbox/site-topics.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type Messages, messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import {
  type CoreMetrics,
  computeDashboardFrom,
  computeDashboardFromSummary,
  type DashboardMetrics,
} from './compute-dashboard.js';
import { renderDistributions, renderTrend } from './dashboard-charts.js';
import { dashboardCsv } from './dashboard-csv.js';
import { dashboardMessagesFor } from './dashboard-messages.js';
import { targetsOf } from './dashboard-targets.js';
import { type FigureFormat, figureFormat, formatDay } from './figure-format.js';
import { type ContentGap, type KnowledgeBaseState, versionStarts } from './kb-figures.js';
import { kpiTiles, renderKpiTiles } from './kpi-tiles.js';
import { isoDay, lastDay, previousStart, readPeriod } from './period.js';
import { deriveDirtySessions, hoursKeyOf } from './pre-aggregate.js';
import { servedModel } from './served-model.js';
import { summarise } from './summary-queries.js';
import { teamMessagesFor } from './team-messages.js';
import { registerTeamRoutes } from './team-routes.js';

/** A parsed dashboard request: the site, the period and the filters. */
interface DashboardRequest {
  site: ResolvedSite;
  from: number;
  to: number;
  filter: { topic?: string; level?: 1 | 2 | 3; channel?: Channel };
}

/** The channels a conversation can come in by (`channelSchema` of `@lotse/sdk/schema`). */
const CHANNELS: readonly Channel[] = channelSchema.options;
const isChannel = (v: string): v is Channel => (CHANNELS as readonly string[]).includes(v);

async function parseRequest(
  c: AppContext,
  deps: AppDeps,
): Promise<{ ok: true; value: DashboardRequest } | { ok: false; response: Response }> {
  const fail = (message: string, field: string) => ({
    ok: false as const,
    response: apiError(c, 400, 'invalid_request', message, field),
  });
  const key = c.req.query('site') ?? deps.sites.all()[0]?.key ?? '';
  const site = await deps.sites.get(key);
  if (site === undefined) return fail(`Unknown site "${key.slice(0, 64)}".`, 'site');
  const now = deps.now();
  const period = readPeriod(
    { from: c.req.query('from'), to: c.req.query('to') },
    now,
    site.hours.timeZone,
  );
  if (!period.ok) return fail(period.message, period.field);
  const { from, to } = period;
  const filter: DashboardRequest['filter'] = {};
  const topic = c.req.query('topic');
  if (topic) filter.topic = topic;
  const level = c.req.query('level');
  if (level) {
    if (level !== '1' && level !== '2' && level !== '3') return fail('level: 1, 2 or 3', 'level');
    filter.level = Number(level) as 1 | 2 | 3;
  }
  const channel = c.req.query('channel');
  if (channel) {
    if (!isChannel(channel)) {
      return fail('channel: widget, email or api (empty for every channel)', 'channel');
    }
    filter.channel = channel;
  }
  return { ok: true, value: { site, from, to, filter } };
}

const CACHE_ENTRIES = 32;

/** Recently computed figures of one app, keyed by request, data version and minute (a small LRU). */
const caches = new WeakMap<AppDeps, Map<string, DashboardMetrics>>();

async function metricsFor(deps: AppDeps, r: DashboardRequest): Promise<DashboardMetrics> {
  let cache = caches.get(deps);
  if (cache === undefined) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const now = deps.now();
  const [eventsVersion, versions] = await Promise.all([
    deps.store.eventsVersion(r.site.key),
    deps.store.listKbVersions(r.site.key),
  ]);
  const model = servedModel(deps.models, r.site.key, deps.options.logger);
  // Any new event (or retention) changes the version, so a cached result is never older than a
  // minute or the site's latest event; the minute bounds how long "open" conversations stay open.
  // A publish adds a version and (usually) serves another model, which may close content gaps.
  const key = JSON.stringify([
    r.site.key,
    r.from,
    r.to,
    r.filter,
    eventsVersion,
    Math.floor(now / 60_000),
    r.site.hours,
    versions[0]?.version ?? 0,
    model?.etag ?? '',
  ]);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const m = await computeFresh(deps, r, now, {
    versions,
    ...(model === undefined ? {} : { answer: model.answer }),
  });
  cache.set(key, m);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return m;
}

async function computeFresh(
  deps: AppDeps,
  r: DashboardRequest,
  now: number,
  knowledgeBase: KnowledgeBaseState,
): Promise<DashboardMetrics> {
  // Sessions whose events changed since the last derivation (usually a handful: the background
  // pre-aggregation keeps up) are derived first, so the answer includes every stored event.
  const pending = await deps.store.countDirtySessions(r.site.key);
  if (pending > 0) {
    await deriveDirtySessions(deps.store, {
      hoursOf: () => r.site.hours,
      siteKey: r.site.key,
      max: pending,
    });
  }
  const summary = await summarise(deps.store, {
    siteKey: r.site.key,
    from: r.from,
    to: r.to,
    now,
    filter: r.filter,
    hoursKey: hoursKeyOf(r.site.hours),
    versionStarts: versionStarts(knowledgeBase.versions, r.from, r.to).map((v) => v.createdAt),
  });
  const options = {
    from: r.from,
    to: r.to,
    now,
    hours: r.site.hours,
    filter: r.filter,
    knowledgeBase,
  };
  if (summary.cube.every((row) => Number(row[9]) === 0))
    return computeDashboardFromSummary(summary, options);
  // Some conversations were derived under other business hours (just changed): their business
  // FRT and local day are computed again here until the background derivation catches up.
  const [conversations, facts] = await Promise.all([
    deps.store.listStoredConversations(r.site.key, r.from, r.to),
    deps.store.listMetricFacts(r.site.key, r.from, r.to),
  ]);
  return computeDashboardFrom({ conversations, facts }, options);
}

function coreRows(t: Messages, m: CoreMetrics, locale: PageLocale, f: FigureFormat) {
  const de = locale === 'de';
  const { percent, minutes } = f;
  return [
    [de ? 'Gespräche' : 'Conversations', String(m.conversations)],
    [de ? 'Self-Service-Quote' : 'Self-service rate', percent(m.selfServiceRate)],
    [de ? 'Eskalationsquote' : 'Escalation rate', percent(m.escalationRate)],
    [de ? 'Abbruchquote' : 'Abandonment rate', percent(m.abandonmentRate)],
    [de ? 'Gelöst innerhalb 24 h' : 'Resolved within 24 h', percent(m.resolvedWithin24h)],
    ['FCR', percent(m.firstContactResolution)],
    [
      de ? 'Erste Antwort (Median / p90)' : 'First response (median / p90)',
      `${minutes(m.firstResponseTime.calendar.median)} / ${minutes(m.firstResponseTime.calendar.p90)}`,
    ],
    [
      de
        ? 'Erste Antwort in Geschäftszeit (Median / p90)'
        : 'First response in business hours (median / p90)',
      m.firstResponseTime.business === null
        ? t.none
        : `${minutes(m.firstResponseTime.business.median)} / ${minutes(m.firstResponseTime.business.p90)}`,
    ],
  ] as const;
}

function breakdownTable(
  t: Messages,
  { percent, minutes }: FigureFormat,
  id: string,
  caption: string,
  rows: DashboardMetrics['byTopic'],
  name: (key: string) => string = (key) => key,
) {
  return tableRegion(
    id,
    caption,
    html`<thead><tr><th scope="col">${caption}</th><th scope="col">${t.conversations}</th><th scope="col">${t.selfService}</th><th scope="col">${t.escalation}</th><th scope="col">${t.frtMedian}</th></tr></thead>`,
    html`<tbody>${rows.map(
      (r) =>
        html`<tr><th scope="row">${name(r.key)}</th><td>${r.conversations}</td><td>${percent(r.selfServiceRate)}</td><td>${percent(r.escalationRate)}</td><td>${minutes(r.firstResponseTime.calendar.median)}</td></tr>`,
    )}</tbody>`,
  );
}

/** A moment as a `time` element, shown in the page language and the site's time zone. */
function timeOf(ms: number, locale: PageLocale, timeZone: string): SafeHtml {
  const text = new Date(ms).toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return html`<time datetime="${new Date(ms).toISOString()}">${text}</time>`;
}

/** A question's language as a knowledge-base language (`de-AT` → `de`), if it is one. */
function gapLocale(locale: string | null): 'de' | 'en' | undefined {
  const lang = locale?.slice(0, 2).toLowerCase();
  return lang === 'de' || lang === 'en' ? lang : undefined;
}

/** The knowledge-base editor's page for a new entry, with the question as its first example. */
function createEntryHref(siteKey: string, locale: string, question: string): string {
  return `/admin/kb/${encodeURIComponent(siteKey)}/entry?new=1&locale=${encodeURIComponent(locale)}&question=${encodeURIComponent(question)}`;
}

/** The knowledge-base editor's page of an entry (in one language when given). */
function editEntryHref(siteKey: string, entryId: string, locale?: string): string {
  const lang = locale === undefined ? '' : `&locale=${encodeURIComponent(locale)}`;
  return `/admin/kb/${encodeURIComponent(siteKey)}/entry?id=${encodeURIComponent(entryId)}${lang}`;
}

/**
 * A content gap: open with a link to create an entry from it (in `entryLocale`), or closed with the
 * entry that answers it, since when, the rate before and after, and a link to edit that entry.
 */
function gapRow(
  t: Messages,
  { decimal }: FigureFormat,
  locale: PageLocale,
  site: ResolvedSite,
  g: ContentGap,
  entryLocale: string,
): SafeHtml {
  const c = g.closed;
  const state =
    c === null
      ? t.open
      : html`${t.answeredBy} <code>${c.entryId}</code>${
          c.at === null
            ? null
            : html`, ${t.since} ${timeOf(c.at, locale, site.hours.timeZone)} (${t.kbVersion} ${c.version})`
        }`;
  const link =
    c === null
      ? html`<a href="${createEntryHref(site.key, entryLocale, g.text)}">${t.createEntry}</a>`
      : html`<a href="${editEntryHref(site.key, c.entryId, c.locale)}">${t.editEntry}</a>`;
  return html`<tr><th scope="row" class="msg">${g.text}</th><td>${g.count}</td><td>${state}</td><td>${decimal(c?.perDayBefore ?? null)}</td><td>${decimal(c?.perDayAfter ?? null)}</td><td>${link}</td></tr>`;
}

async function dashboardPage(c: AppContext, deps: AppDeps): Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const parsed = await parseRequest(c, deps);
  if (!parsed.ok) return parsed.response;
  const r = parsed.value;
  // The tiles compare with the period of the same length just before (same site and filters).
  const start = previousStart(r.from, r.to, r.site.hours.timeZone);
  const [m, before] = await Promise.all([
    metricsFor(deps, r),
    metricsFor(deps, { ...r, from: start, to: r.from }),
  ]);
  const d = dashboardMessagesFor(locale);
  const previousLabel = fill(d.previousPeriod, {
    from: formatDay(start, locale, r.site.hours.timeZone),
    to: formatDay(r.from - 1, locale, r.site.hours.timeZone),
  });
  const model = servedModel(deps.models, r.site.key, deps.options.logger);
  const query = new URL(c.req.url).search;
  // The chosen channel is named in the headings, so a screenshot or a reader never mistakes it.
  const channelLabel =
    r.filter.channel === undefined ? '' : ` · ${channelName(t, r.filter.channel)}`;
  const f = figureFormat(locale);
  const { percent } = f;
  // A level by the knowledge base's name for it ("Stufe 2 (Service-Team)"), else its number.
  const labels = siteLabels(deps.models, r.site.key);
  const levelName = (key: string) => {
    if (key === '–') return key;
    const name = labels?.levelName(Number(key), locale);
    return `${t.level} ${key}${name === undefined ? '' : ` (${name})`}`;
  };
  const scoreRows = [
    ['CSAT', percent(m.csat.value), m.csat.responses],
    ['CES', f.decimal(m.ces.value), m.ces.responses],
    ['NPS', f.decimal(m.nps.value, 1), m.nps.responses],
  ] as const;
  const body = html`<form method="get" action="/dashboard/" class="filters card" aria-label="${t.period}">
  <label for="d-site">${t.site}
    <select id="d-site" name="site">${deps.sites
      .all()
      .map(
        (s) =>
          html`<option value="${s.key}"${s.key === r.site.key ? html` selected` : null}>${s.title}</option>`,
      )}</select></label>
  <label for="d-from">${t.from} <input id="d-from" name="from" type="date" value="${isoDay(r.from, r.site.hours.timeZone)}"></label>
  <label for="d-to">${t.to} <input id="d-to" name="to" type="date" value="${lastDay(r.to, r.site.hours.timeZone)}"></label>
  <label for="d-topic">${t.topic} <input id="d-topic" name="topic" value="${r.filter.topic ?? ''}" size="12"></label>
  <label for="d-level">${t.level}
    <select id="d-level" name="level">${['', '1', '2', '3'].map((l) => html`<option value="${l}"${String(r.filter.level ?? '') === l ? html` selected` : null}>${l || t.all}</option>`)}</select></label>
  <label for="d-channel">${t.channel}
    <select id="d-channel" name="channel">${['', ...CHANNELS].map((ch) => html`<option value="${ch}"${(r.filter.channel ?? '') === ch ? html` selected` : null}>${channelName(t, ch)}</option>`)}</select></label>
  <button type="submit">${t.show}</button>
</form>
<p><a href="/dashboard/export.csv${query}" download>${t.exportCsv}</a> · <a href="/dashboard/team${query}">${teamMessagesFor(locale).teamView}</a> · ${m.timeZone}</p>
<section aria-labelledby="glance-h">
  <h2 id="glance-h">${d.atAGlance}${channelLabel}</h2>
  <p class="kpi-period">${previousLabel}</p>
  <p class="kpi-channel" id="kpi-channel">${d.channelShown} <strong>${channelName(t, r.filter.channel ?? '')}</strong>. ${d.deflectionDefinition}</p>
  ${renderKpiTiles(kpiTiles(m, before, targetsOf(r.site)), locale)}
</section>
<section aria-labelledby="trend-h">
  <h2 id="trend-h">${t.trend}</h2>
  ${renderTrend(t, m, locale)}
</section>
<section aria-labelledby="scores-h">
  <h2 id="scores-h">${d.distributions}</h2>
  ${renderDistributions(m, locale)}
</section>
<section aria-labelledby="all-figures-h" id="all-figures">
  <h2 id="all-figures-h">${d.allFigures}</h2>
${tableRegion(
  'table-metrics',
  t.dashboard,
  html`<thead><tr><th scope="col">${t.metric}</th><th scope="col">${t.value}</th></tr></thead>`,
  html`<tbody>
  ${coreRows(t, m, locale, f).map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}
  ${scoreRows.map(([k, v, n]) => html`<tr><th scope="row">${k}</th><td>${v} (n = ${n})</td></tr>`)}
  ${([1, 2, 3] as const).map((l) => html`<tr><th scope="row">${t.level} ${l}: ${t.escalation}</th><td>${percent(m.escalationRateByLevel[l])}</td></tr>`)}
  </tbody>`,
)}
<p>${d.defAbandonment}</p>
<p>${d.defResolved24h}</p>
</section>
<section aria-labelledby="breakdown-h">
  <h2 id="breakdown-h">${t.byTopic} · ${t.byLevel} · ${t.byChannel}</h2>
  ${breakdownTable(t, f, 'table-topic', t.byTopic, m.byTopic, (key) => (key === '–' ? key : topicInfo(deps.models, r.site.key, key, locale).name))}
  ${breakdownTable(t, f, 'table-level', t.byLevel, m.byLevel, (key) => levelName(key))}
  ${breakdownTable(t, f, 'table-channel', t.byChannel, m.byChannel, (key) => channelName(t, key))}
</section>
<section aria-labelledby="gaps-h">
  <h2 id="gaps-h">${t.contentGaps}</h2>
  ${r.filter.channel === undefined ? null : html`<p>${d.kbAllChannels}</p>`}
  ${tableRegion(
    'table-gaps',
    t.contentGaps,
    html`<thead><tr><th scope="col">${t.question}</th><th scope="col">${t.count}</th><th scope="col">${t.state}</th><th scope="col">${t.perDayBefore}</th><th scope="col">${t.perDayAfter}</th><th scope="col">${t.entry}</th></tr></thead>`,
    html`<tbody>${m.contentGaps.map((g) => gapRow(t, f, locale, r.site, g, gapLocale(g.locale) ?? model?.defaultLocale ?? locale))}</tbody>`,
  )}
</section>
<section aria-labelledby="unhelpful-h">
  <h2 id="unhelpful-h">${t.unhelpful}</h2>
  ${tableRegion(
    'table-unhelpful',
    t.unhelpful,
    html`<thead><tr><th scope="col">${t.entry}</th><th scope="col">${t.count}</th><th scope="col">${t.ratings}</th><th scope="col">${t.editEntry}</th></tr></thead>`,
    html`<tbody>${m.unhelpful.map((u) => html`<tr><th scope="row">${u.entryId}</th><td>${u.unhelpful}</td><td>${u.ratings}</td><td><a href="${editEntryHref(r.site.key, u.entryId)}">${t.editEntry}</a></td></tr>`)}</tbody>`,
  )}
</section>
<section aria-labelledby="versions-h">
  <h2 id="versions-h">${t.answersByVersion}</h2>
  ${tableRegion(
    'table-kb-answers',
    t.answersByVersion,
    html`<thead><tr><th scope="col">${t.kbVersion}</th><th scope="col">${t.answersShown}</th><th scope="col">${t.ratings}</th><th scope="col">${t.ratedHelpful}</th></tr></thead>`,
    html`<tbody>${m.answersByKbVersion.map((v) => html`<tr><th scope="row">${v.version}</th><td>${v.shown}</td><td>${v.rated}</td><td>${percent(v.helpfulRate)}</td></tr>`)}</tbody>`,
  )}
</section>
<section aria-labelledby="checks-h">
  <h2 id="checks-h">${t.mysteryChecks}</h2>
  ${tableRegion(
    'table-checks',
    t.mysteryChecks,
    html`<thead><tr><th scope="col">${t.kbVersion}</th><th scope="col">${t.publishedAt}</th><th scope="col">${t.author}</th><th scope="col">${t.checksPassed}</th><th scope="col">${t.passRate}</th><th scope="col">${t.overrideReason}</th></tr></thead>`,
    html`<tbody>${m.mysteryChecks.map((v) => html`<tr><th scope="row">${v.version}</th><td>${timeOf(v.publishedAt, locale, m.timeZone)}</td><td>${v.author ?? t.authorImport}</td><td>${v.passed} / ${v.total}</td><td>${percent(v.passRate)}</td><td class="msg">${v.overrideReason ?? t.none}</td></tr>`)}</tbody>`,
  )}
</section>`;
  return sendPage(c, {
    t,
    locale,
    title: `${t.dashboard}: ${r.site.title}${channelLabel}`,
    body,
    agent: c.get('agent'),
    csrf: c.get('session')?.csrf,
    scripts: ['/ui/uplot.js', '/ui/dashboard.js'],
    styles: ['/ui/uplot.css', '/ui/dashboard.css'],
  });
}

/**
 * The dashboard at `/dashboard/`, its JSON at `/dashboard/api/metrics?site&from&to&topic&level&channel`
 * and the CSV export at `/dashboard/export.csv` (same parameters).
 */
export function registerDashboardRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.use('/dashboard/*', requireAgent(deps));
  app.get('/dashboard', (c) => c.redirect('/dashboard/', 301));
  app.get('/dashboard/', (c) => dashboardPage(c, deps));
  registerTeamRoutes(app, deps);
  app.get('/dashboard/api/metrics', async (c) => {
    const parsed = await parseRequest(c, deps);
    if (!parsed.ok) return parsed.response;
    c.header('Cache-Control', 'no-store');
    return c.json({ site: parsed.value.site.key, ...(await metricsFor(deps, parsed.value)) });
  });
  app.get('/dashboard/export.csv', async (c) => {
    const parsed = await parseRequest(c, deps);
    if (!parsed.ok) return parsed.response;
    const m = await metricsFor(deps, parsed.value);
    const channel = parsed.value.filter.channel;
    c.header('Cache-Control', 'no-store');
    c.header(
      'Content-Disposition',
      `attachment; filename="lotse-${parsed.value.site.key}${channel === undefined ? '' : `-${channel}`}-${isoDay(m.from, m.timeZone)}-${lastDay(m.to, m.timeZone)}.csv"`,
    );
    return c.body(dashboardCsv(m), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });
}

/** The channel filter's option label; the empty value means every channel. */
function channelName(t: Messages, channel: string): string {
  if (channel === 'widget') return t.channelWidget;
  if (channel === 'email') return t.channelEmail;
  if (channel === 'api') return t.channelApi;
  return t.all;
}
