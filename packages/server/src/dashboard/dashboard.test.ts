import {
  abandonmentRate,
  type BusinessHours,
  ces,
  csat,
  deriveConversations,
  escalationRate,
  escalationRateByLevel,
  firstContactResolution,
  firstResponseTime,
  type MetricEvent,
  nps,
  resolvedWithin24h,
  selfServiceRate,
} from '@lotse/sdk/metrics';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EventRow } from '../store/store.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { fakeBuilder, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import { GENERATED_SHARES, generateTraffic } from './generate-traffic.js';

const from = Date.parse('2025-11-01T00:00:00Z');
const to = Date.parse('2025-12-01T00:00:00Z');
const now = to + 3 * 86_400_000;
const weekday = [['09:00', '17:00']] as const;
/** The test site `demo` (see startTestServer): Berlin, Monday to Friday 09:00–17:00. */
const hours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday },
  holidays: [],
};

/** Stored rows as `@lotse/sdk/metrics` reads events. */
function metricEvents(rows: readonly EventRow[]): MetricEvent[] {
  return rows.map((r) => ({
    type: r.type,
    ts: r.ts,
    sessionId: r.sessionId,
    anonymousId: r.anonymousId,
    ...(r.conversationId === null ? {} : { conversationId: r.conversationId }),
    props: r.props as Record<string, unknown>,
  }));
}

/** The SDK's view of the same events, written out here rather than shared with the server. */
function sdkFigures(rows: readonly EventRow[], topic?: string) {
  const events = metricEvents(rows);
  const all = deriveConversations(events, { now }).filter((c) => c.startedAt < to);
  const cs = topic === undefined ? all : all.filter((c) => c.topic === topic);
  const ids = new Set(cs.map((c) => c.id));
  const scores = (type: string) =>
    events
      .filter((e) => e.type === type && e.ts < to)
      .filter((e) => topic === undefined || ids.has(String(e.props?.conversationId)))
      .map((e) => Number(e.props?.score));
  return {
    conversations: cs.length,
    selfServiceRate: selfServiceRate(cs),
    escalationRate: escalationRate(cs),
    escalationRateByLevel: escalationRateByLevel(cs),
    abandonmentRate: abandonmentRate(cs),
    resolvedWithin24h: resolvedWithin24h(cs),
    firstContactResolution: firstContactResolution(cs),
    firstResponseTime: firstResponseTime(cs, hours),
    csat: csat(scores('csat.submitted')),
    ces: ces(scores('ces.submitted')),
    nps: topic === undefined ? nps(scores('nps.submitted')) : null,
  };
}

describeStores('dashboard', (target) => {
  let t: TestServer;
  let agent: AgentSession;
  let rows: EventRow[];

  beforeEach(async () => {
    t = await startTestServer(target, {
      now: () => now,
      // The fake model with the one part the breakdown reads: a topic's names.
      buildModel: async (source) => {
        const built = await fakeBuilder(source);
        const site = { topics: { shipping: { name: { de: 'Versand', en: 'Shipping' } } } };
        return { ...built, json: JSON.stringify({ ...JSON.parse(built.json), site }) };
      },
    });
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
    rows = generateTraffic({ siteKey: 'demo', start: from, days: 30, perDay: 20 });
    for (let i = 0; i < rows.length; i += 500) {
      await t.server.store.insertEvents(rows.slice(i, i + 500));
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('equals @lotse/sdk/metrics on a generated month of traffic', async () => {
    const r = await agent.get(`/dashboard/api/metrics?site=demo&from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    const m = r.json;
    const sdk = sdkFigures(rows);
    expect(m.conversations).toBe(600);
    expect({
      conversations: m.conversations,
      selfServiceRate: m.selfServiceRate,
      escalationRate: m.escalationRate,
      escalationRateByLevel: m.escalationRateByLevel,
      abandonmentRate: m.abandonmentRate,
      resolvedWithin24h: m.resolvedWithin24h,
      firstContactResolution: m.firstContactResolution,
      firstResponseTime: m.firstResponseTime,
      csat: m.csat.value,
      ces: m.ces.value,
      nps: m.nps.value,
    }).toEqual(sdk);
    // The answers the traffic was built with.
    expect(m.selfServiceRate).toBe(GENERATED_SHARES.selfServiceRate);
    expect(m.escalationRate).toBe(GENERATED_SHARES.escalationRate);
    expect(m.abandonmentRate).toBe(GENERATED_SHARES.abandonmentRate);
    expect(m.resolvedWithin24h).toBe(0.5); // shipping closes within the hour, complaints after 26 h
    expect(m.csat.responses).toBe(120);
    expect(m.csat.distribution).toEqual([24, 24, 24, 24, 24]);
    expect(m.csat.value).toBe(0.4);
    expect(m.nps.responses).toBe(30);
    expect(m.escalationRateByLevel).toEqual({ 1: 0, 2: 1, 3: 1 });
    // Business-hours FRT is shorter than calendar FRT: complaints are answered after hours.
    expect(m.firstResponseTime.business.p90).toBeLessThan(m.firstResponseTime.calendar.p90);
    // The test server's model is a stand-in (no triage model), so no gap shows as closed.
    expect(m.contentGaps).toEqual([
      { text: 'Wo ist meine Rechnung?', count: 80, locale: 'de', closed: null },
      { text: 'Gibt es Gutscheine?', count: 40, locale: 'de', closed: null },
    ]);
    expect(m.unhelpful).toEqual([{ entryId: 'payment-methods', unhelpful: 120, ratings: 120 }]);
    expect(m.trend).toHaveLength(30);
    expect(m.byTopic.map((x: { key: string }) => x.key)).toEqual([
      'complaints',
      'payment',
      'returns',
      'shipping',
    ]);
    expect(m.byChannel.map((x: { key: string }) => x.key)).toEqual(['email', 'widget']);
  });

  it('filters by topic with the same functions', async () => {
    const r = await agent.get(
      `/dashboard/api/metrics?site=demo&from=${from}&to=${to}&topic=shipping`,
    );
    const sdk = sdkFigures(rows, 'shipping');
    expect(r.json.conversations).toBe(sdk.conversations);
    expect(r.json.firstResponseTime).toEqual(sdk.firstResponseTime);
    expect(r.json.csat.value).toBe(sdk.csat);
    expect(r.json.escalationRate).toBe(1);
    const level = await agent.get(`/dashboard/api/metrics?site=demo&from=${from}&to=${to}&level=3`);
    expect(level.json.conversations).toBe(120);
  });

  it('renders the page and exports CSV', async () => {
    const page = await agent.get(`/dashboard/?site=demo&from=2025-11-01&to=2025-11-30`, {
      'accept-language': 'de',
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<caption id="table-gaps">Unbeantwortete Fragen</caption>');
    // Every scrollable table box is a named, focusable region without any script.
    const boxes = page.text.match(/<div class="table-wrap"[^>]*>/g) ?? [];
    expect(boxes).toHaveLength(12);
    for (const box of boxes) {
      const id = /aria-labelledby="([^"]+)"/.exec(box)?.[1];
      expect(box).toContain('tabindex="0" role="region"');
      expect(page.text).toContain(`<caption id="${id}">`);
    }
    expect(page.text).toContain('Wo ist meine Rechnung?');
    // Figures in the page language, in the tables as in the tiles.
    expect(page.text).toContain('<th scope="row">Self-Service-Quote</th><td>50,0 %</td>');
    // Topics and channels by their names, as the filters and the inbox name them.
    const rowsOf = (id: string) =>
      [
        ...(page.text.split(`<caption id="${id}">`)[1]?.split('</table>')[0] ?? '').matchAll(
          /<th scope="row">([^<]*)<\/th>/g,
        ),
      ].map((m) => m[1]);
    expect(rowsOf('table-topic')).toEqual(['complaints', 'payment', 'returns', 'Versand']);
    expect(rowsOf('table-channel')).toEqual(['E-Mail', 'Widget']);
    // Levels named as levels (and by the knowledge base's names where it has them, as the agents'
    // mails do); the figures without a tile say what they count.
    expect(rowsOf('table-level')).toEqual(['Stufe 1', 'Stufe 2', 'Stufe 3']);
    expect(page.text).toContain('<p>Abbruchquote: Gespräche, die ohne Antwort');
    // Abandoned ÷ ended conversations (abandonmentRate of @lotse/sdk/metrics), as the page says.
    expect(page.text).toMatch(/<p>Abbruchquote: [^<]*, von allen beendeten Gesprächen\.<\/p>/);
    const en = await agent.get(`/dashboard/?site=demo&from=2025-11-01&to=2025-11-30&lang=en`);
    expect(en.text).toMatch(/<p>Abandonment rate: [^<]*, of all ended conversations\.<\/p>/);
    expect(page.text).toContain('<p>Gelöst innerhalb 24 h: innerhalb von 24 Stunden');
    expect(page.text).toContain('<script src="/ui/uplot.js" defer></script>');
    expect(page.text).toContain('<caption id="table-trend">Verlauf pro Tag</caption>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const chartLibrary = await t.get('/ui/uplot.js');
    expect(chartLibrary.status).toBe(200);
    expect(chartLibrary.headers['content-type']).toMatch(/^text\/javascript/);
    expect(chartLibrary.text).toContain('uPlot');
    expect((await t.get('/ui/dashboard.js')).text).toContain('new uPlot(');
    const csv = await agent.get(`/dashboard/export.csv?site=demo&from=${from}&to=${to}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    // The days of the site's zone (Berlin): the period's last hour, UTC, is 1 December there.
    expect(csv.headers['content-disposition']).toContain('lotse-demo-2025-11-01-2025-12-01.csv');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('"section","key","metric","value"');
    expect(lines).toContain('"total","","self_service_rate",0.5');
    expect(lines).toContain('"content_gap","Wo ist meine Rechnung?","count",80');
  });

  /** An event of the generated kind, received at `now` (so the data version changes). */
  const event = (
    id: string,
    type: string,
    ts: number,
    sessionId: string,
    props: Record<string, unknown>,
  ): EventRow => ({
    id,
    siteKey: 'demo',
    type,
    ts,
    receivedAt: now,
    sessionId,
    anonymousId: sessionId,
    conversationId: null,
    userId: null,
    props,
    clientHash: null,
  });
  const core = (m: Record<string, unknown>) => ({
    conversations: m.conversations,
    selfServiceRate: m.selfServiceRate,
    escalationRate: m.escalationRate,
    escalationRateByLevel: m.escalationRateByLevel,
    abandonmentRate: m.abandonmentRate,
    resolvedWithin24h: m.resolvedWithin24h,
    firstContactResolution: m.firstContactResolution,
    firstResponseTime: m.firstResponseTime,
    csat: (m.csat as { value: unknown }).value,
    ces: (m.ces as { value: unknown }).value,
    nps: (m.nps as { value: unknown }).value,
  });

  it('reflects events stored after a first read', async () => {
    const url = `/dashboard/api/metrics?site=demo&from=${from}&to=${to}`;
    const first = (await agent.get(url)).json;
    expect(first.conversations).toBe(600);
    const session = '11111111-1111-4111-8111-111111111111';
    const t0 = Date.parse('2025-11-20T10:00:00Z');
    const more = [
      event('21111111-1111-4111-8111-000000000001', 'query.submitted', t0, session, {
        channel: 'api',
      }),
      event('21111111-1111-4111-8111-000000000002', 'answer.rated', t0 + 5000, session, {
        entryId: 'returns-label',
        helpful: true,
      }),
      event('21111111-1111-4111-8111-000000000003', 'csat.submitted', t0 + 9000, session, {
        score: 5,
        conversationId: 'conv-2',
      }),
    ];
    await t.server.store.insertEvents(more);
    const second = (await agent.get(url)).json;
    expect(second.conversations).toBe(601);
    expect(second.csat.responses).toBe(121);
    expect(second.byChannel.map((x: { key: string }) => x.key)).toEqual(['api', 'email', 'widget']);
    expect(core(second)).toEqual(sdkFigures([...rows, ...more]));
  });

  it('takes late events into the older day they belong to', async () => {
    const url = `/dashboard/api/metrics?site=demo&from=${from}&to=${to}`;
    const first = (await agent.get(url)).json;
    // Conversation 3 of the first day was abandoned after an unhelpful answer; a "Yes" that
    // arrives weeks later (its client time on that day) makes it a self-service resolution.
    const start = rows.find(
      (e) => e.type === 'query.submitted' && e.sessionId === '00000000-0000-4000-8000-000000000031',
    )!;
    expect(start.ts).toBeLessThan(from + 86_400_000);
    const late = [
      event(
        '31111111-1111-4111-8111-000000000001',
        'answer.rated',
        start.ts + 25_000,
        start.sessionId,
        {
          entryId: 'payment-methods',
          helpful: true,
        },
      ),
    ];
    await t.server.store.insertEvents(late);
    const second = (await agent.get(url)).json;
    expect(second.conversations).toBe(600);
    expect(second.selfService).toBe(first.selfService + 1);
    expect(second.abandoned).toBe(first.abandoned - 1);
    expect(second.trend[0].selfServiceRate).toBeGreaterThan(first.trend[0].selfServiceRate);
    expect(second.trend.slice(1)).toEqual(first.trend.slice(1));
    expect(core(second)).toEqual(sdkFigures([...rows, ...late]));
    const level1 = (await agent.get(`${url}&level=1`)).json;
    const sdkLevel1 = sdkFigures([...rows, ...late]).escalationRateByLevel[1];
    expect(level1.escalationRate).toBe(sdkLevel1);
  });

  it('gives FCR as @lotse/sdk/metrics in every breakdown and filter, with late second contacts', async () => {
    const url = `/dashboard/api/metrics?site=demo&from=${from}&to=${to}`;
    await agent.get(url);
    // A complaint of day 3 (closed, not reopened) gets a second contact on its topic in a new
    // session of the same visitor two days later, by e-mail: it no longer counts as resolved in the
    // total and by level, but still does by channel (the second contact came by another one).
    const first = rows.find(
      (e) =>
        e.type === 'conversation.closed' &&
        e.ts > from + 3 * 86_400_000 &&
        (e.props as { topic?: string }).topic === 'complaints' &&
        !rows.some((r) => r.type === 'conversation.reopened' && r.sessionId === e.sessionId),
    )!;
    const session = '41111111-1111-4111-8111-111111111111';
    const t0 = first.ts + 2 * 86_400_000;
    const more = [
      {
        ...event('41111111-1111-4111-8111-000000000001', 'query.submitted', t0, session, {
          channel: 'email',
        }),
        anonymousId: first.anonymousId,
      },
      {
        ...event('41111111-1111-4111-8111-000000000002', 'triage.decided', t0 + 1000, session, {
          kind: 'handoff',
          level: 3,
          topic: 'complaints',
          confidence: 0.7,
          signals: [],
          latencyMs: 3,
        }),
        anonymousId: first.anonymousId,
      },
    ];
    await t.server.store.insertEvents(more);
    const all = [...rows, ...more];
    const events = metricEvents(all);
    const cs = deriveConversations(events, { now }).filter((c) => c.startedAt < to);
    const channelOf = new Map(
      all
        .filter((e) => e.type === 'query.submitted')
        .map((e) => [
          `${e.sessionId}@${e.ts}`,
          String((e.props as { channel?: string }).channel ?? 'widget'),
        ]),
    );
    const channel = (c: (typeof cs)[number]) =>
      channelOf.get(`${c.sessionId}@${c.startedAt}`) ?? 'widget';
    const fcrBy = (list: typeof cs, key: (c: (typeof cs)[number]) => string) =>
      [...new Set(list.map(key))].sort().map((k) => ({
        key: k,
        fcr: firstContactResolution(list.filter((c) => key(c) === k)),
      }));
    const filters: [string, (c: (typeof cs)[number]) => boolean][] = [
      ['', () => true],
      ['&level=3', (c) => c.level === 3],
      ['&channel=widget', (c) => channel(c) === 'widget'],
      ['&level=3&channel=email', (c) => c.level === 3 && channel(c) === 'email'],
      ['&topic=complaints', (c) => c.topic === 'complaints'],
    ];
    for (const [query, keep] of filters) {
      const m = (await agent.get(`${url}${query}`)).json;
      const list = cs.filter(keep);
      const pick = (xs: { key: string; firstContactResolution: number | null }[]) =>
        xs.map((x) => ({ key: x.key, fcr: x.firstContactResolution }));
      expect(m.firstContactResolution, query).toBe(firstContactResolution(list));
      expect(pick(m.byTopic), query).toEqual(fcrBy(list, (c) => c.topic ?? '–'));
      expect(pick(m.byLevel), query).toEqual(fcrBy(list, (c) => String(c.level ?? '–')));
      expect(pick(m.byChannel), query).toEqual(fcrBy(list, channel));
    }
    const before = firstContactResolution(
      cs.filter((c) => !more.some((e) => e.sessionId === c.sessionId)),
    );
    expect(firstContactResolution(cs)).toBeLessThan(before!);
    // A period that ends before the second contact keeps the complaint resolved.
    const early = (await agent.get(`/dashboard/api/metrics?site=demo&from=${from}&to=${t0}`)).json;
    const upTo = cs.filter((c) => c.startedAt < t0);
    expect(early.firstContactResolution).toBe(firstContactResolution(upTo));
  });

  it('refuses a bad period', async () => {
    const r = await agent.get(`/dashboard/api/metrics?site=demo&from=${to}&to=${from}`);
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('to');
    expect((await agent.get('/dashboard/api/metrics?site=nope')).json.error.field).toBe('site');
  });

  it('refuses a time beyond the year 9999 on every route, naming the field', async () => {
    const routes = [
      '/dashboard/',
      '/dashboard/export.csv',
      '/dashboard/api/metrics',
      '/dashboard/team',
      '/dashboard/team/export.csv',
      '/dashboard/api/team',
    ];
    for (const route of routes) {
      for (const [query, field] of [
        ['to=99999999999999999999', 'to'],
        ['from=99999999999999999999&to=2025-11-30', 'from'],
      ] as const) {
        const r = await agent.get(`${route}?site=demo&${query}`);
        expect(r.status, `${route}?${query}`).toBe(400);
        expect(r.json.error).toMatchObject({ code: 'invalid_request', field });
        expect(r.json.error.message).toContain(`${field}: a time from 1970-01-01 to 9999-12-31`);
      }
    }
  });

  it('keeps the figures when the form is sent back as the default period shows it', async () => {
    // `now` is 4 December, 01:00 in Berlin: the default is whole days there, as the form's dates.
    const page = (await agent.get('/dashboard/?site=demo')).text;
    const field = (name: string) =>
      new RegExp(`name="${name}" type="date" value="([^"]+)"`).exec(page)?.[1];
    expect([field('from'), field('to')]).toEqual(['2025-11-04', '2025-12-04']);
    const shown = (
      await agent.get(`/dashboard/api/metrics?site=demo&from=${field('from')}&to=${field('to')}`)
    ).json;
    const byDefault = (await agent.get('/dashboard/api/metrics?site=demo')).json;
    expect([byDefault.from, byDefault.to]).toEqual([
      Date.parse('2025-11-03T23:00:00Z'),
      Date.parse('2025-12-04T23:00:00Z'),
    ]);
    expect(core(byDefault)).toEqual(core(shown));
    expect([byDefault.from, byDefault.to]).toEqual([shown.from, shown.to]);
  });
});
