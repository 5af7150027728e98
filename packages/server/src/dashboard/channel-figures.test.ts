import { randomUUID } from 'node:crypto';
import type { BusinessHours } from '@lotse/sdk/metrics';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sessionOf } from '../mail/process-mail.js';
import type { EventRow } from '../store/store.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import { computeDashboard } from './compute-dashboard.js';

const MIN = 60_000;
const H = 60 * MIN;
const from = Date.parse('2025-11-01T00:00:00Z');
const to = Date.parse('2025-12-01T00:00:00Z');
const now = Date.parse('2025-11-28T12:00:00Z');
const at = (day: number) => Date.parse(`2025-11-${String(day).padStart(2, '0')}T10:00:00Z`);
const weekday = [['09:00', '17:00']] as const;
/** The test site `demo`'s hours (see startTestServer). */
const hours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday },
  holidays: [],
};

type Props = Record<string, unknown>;

/** A widget session's events, as the SDK sends them and the inbox records its replies. */
function widget(session: string, conversationId: string) {
  return (type: string, ts: number, props: Props = {}): EventRow => ({
    id: randomUUID(),
    siteKey: 'demo',
    type,
    ts,
    receivedAt: ts,
    sessionId: session,
    anonymousId: `anon-${session}`,
    conversationId,
    userId: null,
    props,
    clientHash: null,
  });
}

/** A mail conversation's events, named as mail/process-mail.ts names them (one session per question). */
function mail(address: string) {
  const session = sessionOf(randomUUID(), address);
  return (type: string, ts: number, props: Props = {}): EventRow => ({
    id: randomUUID(),
    siteKey: 'demo',
    type,
    ts,
    receivedAt: ts,
    ...session,
    userId: null,
    props,
    clientHash: null,
  });
}

const decided = (level: number, topic: string, kind = 'answer') => ({
  kind,
  level,
  topic,
  confidence: 0.9,
  signals: [],
});

/** An automatically answered mail question, as processMail records it (1 ms apart). */
function autoAnswered(e: ReturnType<typeof mail>, ts: number): EventRow[] {
  return [
    e('query.submitted', ts, { channel: 'email', locale: 'de', length: 80 }),
    e('triage.decided', ts + 1, { ...decided(1, 'shipping'), entryId: 'delivery-time' }),
    e('answer.shown', ts + 2, { entryId: 'delivery-time', topic: 'shipping', level: 1 }),
  ];
}

// Four widget and five mail conversations, each figure worked out by hand below.
function traffic(): EventRow[] {
  const w1 = widget('w1', 'cw1');
  const w2 = widget('w2', 'cw2');
  const w3 = widget('w3', 'cw3');
  const w4 = widget('w4', 'cw4');
  const m1 = mail('m1@kunde.example');
  const m2 = mail('m2@kunde.example');
  const m3 = mail('m3@kunde.example');
  const m4 = mail('m4@kunde.example');
  const m5 = mail('m5@kunde.example');
  const m3Id = m3('x', 0).conversationId!;
  return [
    // W1: answered, "Yes" → self-service.
    w1('query.submitted', at(3), { channel: 'widget' }),
    w1('triage.decided', at(3), decided(1, 'returns')),
    w1('answer.rated', at(3) + MIN, { entryId: 'returns-label', helpful: true }),
    // W2: handed off, first reply after 20 min, closed after 3 h (within 24 h), CSAT 5.
    w2('query.submitted', at(4), { channel: 'widget' }),
    w2('triage.decided', at(4), decided(2, 'shipping', 'handoff')),
    w2('handoff.created', at(4) + 2 * MIN, {
      ticketId: 'T-W2',
      level: 2,
      topic: 'shipping',
      channel: 'widget',
    }),
    w2('agent.replied', at(4) + 22 * MIN, { ticketId: 'T-W2', first: true, channel: 'widget' }),
    w2('conversation.closed', at(4) + 2 * MIN + 3 * H, { ticketId: 'T-W2', by: 'agent' }),
    w2('csat.submitted', at(4) + 4 * H, { score: 5, conversationId: 'cw2' }),
    // W3: a question and nothing more → abandoned (no channel named: the widget).
    w3('query.submitted', at(5)),
    w3('triage.decided', at(5), decided(1, 'payment', 'suggest')),
    // W4: handed off, first reply after 2 h, closed after 30 h (not within 24 h), CSAT 2.
    w4('query.submitted', at(6), { channel: 'widget' }),
    w4('handoff.created', at(6) + MIN, { ticketId: 'T-W4', level: 3, topic: 'complaints' }),
    w4('agent.replied', at(6) + MIN + 2 * H, { ticketId: 'T-W4', first: true }),
    w4('conversation.closed', at(6) + MIN + 30 * H, { ticketId: 'T-W4', by: 'agent' }),
    w4('csat.submitted', at(6) + 31 * H, { score: 2, conversationId: 'cw4' }),
    // M1: automatic reply, no answer for over 7 days → resolved by the automatic reply.
    ...autoAnswered(m1, at(7)),
    // M2: automatic reply rated helpful 5 hours later → self-service.
    ...autoAnswered(m2, at(10)),
    m2('answer.rated', at(10) + 5 * H, {
      entryId: 'delivery-time',
      helpful: true,
      topic: 'shipping',
    }),
    // M3: a complaint → inbox; agent reply by mail after 90 min, closed after 5 h; CSAT 4 (given
    // in the widget by the customer signed in with the same address).
    m3('query.submitted', at(12), { channel: 'email', locale: 'de', length: 120 }),
    m3('triage.decided', at(12) + 1, decided(2, 'complaints', 'handoff')),
    m3('handoff.created', at(12) + 2, {
      ticketId: 'T-M3',
      level: 2,
      topic: 'complaints',
      channel: 'email',
      reason: 'complaint',
    }),
    m3('agent.replied', at(12) + 2 + 90 * MIN, { ticketId: 'T-M3', first: true, channel: 'email' }),
    m3('conversation.closed', at(12) + 5 * H, { ticketId: 'T-M3', by: 'agent', level: 2 }),
    m3('csat.submitted', at(12) + 6 * H, { score: 4, conversationId: m3Id }),
    // M4: automatic reply, the customer answers two days later → a person takes over.
    ...autoAnswered(m4, at(14)),
    m4('handoff.created', at(16), {
      ticketId: 'T-M4',
      level: 1,
      topic: 'shipping',
      channel: 'email',
      reason: 'not-helpful',
    }),
    // M5: automatic reply three days before `now` → still open.
    ...autoAnswered(m5, at(25)),
  ];
}

/** The figures a test compares, from the JSON API or computeDashboard. */
function figures(m: {
  conversations: number;
  selfService: number;
  handoffs: number;
  abandoned: number;
  open: number;
  selfServiceRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  resolvedWithin24h: number | null;
  firstContactResolution: number | null;
  firstResponseTime: { calendar: { count: number; median: number | null; p90: number | null } };
  csat: { value: number | null; responses: number };
}) {
  return {
    conversations: m.conversations,
    selfService: m.selfService,
    handoffs: m.handoffs,
    abandoned: m.abandoned,
    open: m.open,
    selfServiceRate: m.selfServiceRate,
    escalationRate: m.escalationRate,
    abandonmentRate: m.abandonmentRate,
    resolvedWithin24h: m.resolvedWithin24h,
    firstContactResolution: m.firstContactResolution,
    frt: m.firstResponseTime.calendar,
    csat: m.csat.value,
    csatResponses: m.csat.responses,
  };
}

/** Worked out by hand from traffic() (see the comments there). */
const expected = {
  '': {
    conversations: 9,
    selfService: 3,
    handoffs: 4,
    abandoned: 1,
    open: 1,
    selfServiceRate: 3 / 7,
    escalationRate: 4 / 8,
    abandonmentRate: 1 / 8,
    resolvedWithin24h: 2 / 3,
    firstContactResolution: 1,
    frt: { count: 3, median: 90 * MIN, p90: 2 * H },
    csat: 2 / 3,
    csatResponses: 3,
  },
  widget: {
    conversations: 4,
    selfService: 1,
    handoffs: 2,
    abandoned: 1,
    open: 0,
    selfServiceRate: 1 / 3,
    escalationRate: 2 / 4,
    abandonmentRate: 1 / 4,
    resolvedWithin24h: 1 / 2,
    firstContactResolution: 1,
    frt: { count: 2, median: 70 * MIN, p90: 2 * H },
    csat: 1 / 2,
    csatResponses: 2,
  },
  email: {
    conversations: 5,
    selfService: 2,
    handoffs: 2,
    abandoned: 0,
    open: 1,
    selfServiceRate: 2 / 4,
    escalationRate: 2 / 4,
    abandonmentRate: 0,
    resolvedWithin24h: 1,
    firstContactResolution: 1,
    frt: { count: 1, median: 90 * MIN, p90: 90 * MIN },
    csat: 1,
    csatResponses: 1,
  },
  api: {
    conversations: 0,
    selfService: 0,
    handoffs: 0,
    abandoned: 0,
    open: 0,
    selfServiceRate: null,
    escalationRate: null,
    abandonmentRate: null,
    resolvedWithin24h: null,
    firstContactResolution: null,
    frt: { count: 0, median: null, p90: null },
    csat: null,
    csatResponses: 0,
  },
} as const;

describeStores('dashboard per channel', (target) => {
  let t: TestServer;
  let agent: AgentSession;
  let rows: EventRow[];

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => now });
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
    rows = traffic();
    await t.server.store.insertEvents(rows);
  });
  afterEach(async () => {
    await t.close();
  });

  it.each(['', 'widget', 'email', 'api'] as const)(
    'gives the hand-computed figures for channel "%s"',
    async (channel) => {
      const r = await agent.get(
        `/dashboard/api/metrics?site=demo&from=${from}&to=${to}&channel=${channel}`,
      );
      expect(r.status).toBe(200);
      expect(figures(r.json)).toEqual(expected[channel]);
      expect(r.json.filter).toEqual(channel === '' ? {} : { channel });
      // The same from the events directly (the path taken while business hours change).
      const direct = computeDashboard(rows, {
        from,
        to,
        now,
        hours,
        ...(channel === '' ? {} : { filter: { channel } }),
      });
      expect(figures(direct)).toEqual(expected[channel]);
    },
  );

  it('breaks the figures down by channel as the filter shows them', async () => {
    const r = await agent.get(`/dashboard/api/metrics?site=demo&from=${from}&to=${to}`);
    const byChannel = Object.fromEntries(
      r.json.byChannel.map((b: { key: string; selfServiceRate: number }) => [
        b.key,
        b.selfServiceRate,
      ]),
    );
    expect(byChannel).toEqual({ email: 2 / 4, widget: 1 / 3 });
  });

  it('names the chosen channel on the page, in the CSV file name, and refuses an unknown one', async () => {
    const page = await agent.get(
      `/dashboard/?site=demo&from=2025-11-01&to=2025-11-30&channel=email`,
      {
        'accept-language': 'de',
      },
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="glance-h">Auf einen Blick · E-Mail</h2>');
    expect(page.text).toContain('<option value="email" selected>E-Mail</option>');
    expect(page.text).toContain('7 Tage lang nicht zurückgeschrieben');
    expect(page.text).toContain('zählen alle Kanäle');
    const en = await agent.get(
      `/dashboard/?site=demo&from=2025-11-01&to=2025-11-30&channel=widget`,
      {
        'accept-language': 'en',
      },
    );
    expect(en.text).toContain('<h2 id="glance-h">At a glance · Widget</h2>');
    expect(en.text).toContain('did not write back for 7 days');
    const csv = await agent.get(
      `/dashboard/export.csv?site=demo&from=${from}&to=${to}&channel=email`,
    );
    expect(csv.headers['content-disposition']).toBe(
      // The days of the site's zone (Berlin): the period's last hour, UTC, is 1 December there.
      'attachment; filename="lotse-demo-email-2025-11-01-2025-12-01.csv"',
    );
    expect(csv.text).toContain('"total","","conversations",5\r\n');
    const bad = await agent.get(`/dashboard/api/metrics?site=demo&channel=fax`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_request', field: 'channel' });
  });
});
