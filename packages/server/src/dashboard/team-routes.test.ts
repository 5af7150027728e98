import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import type { EventRow } from '../store/store.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { logIn } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import {
  AGENT_A,
  AGENT_B,
  fixtureHandoff,
  TEAM_NOW,
  teamFixture,
  teamFixtureEvents,
} from './team-fixture.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// A week: a date-only `to` is the period's last day.
const PERIOD = 'site=demo&from=2025-11-03&to=2025-11-09';
const PASSWORD = 'ein langes Passwort';

/** One CSV line's cells (the fixture's texts hold no commas or quotes). */
const csvLines = (text: string) =>
  text
    .trim()
    .split('\r\n')
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));

describeStores('team view routes', (target) => {
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => TEAM_NOW });
    const passwordHash = await hashPassword(PASSWORD);
    for (const [id, email] of [
      [AGENT_A, 'anna@example.com'],
      [AGENT_B, 'ben@example.com'],
    ] as const) {
      await t.server.store.insertAgent({ id, email, passwordHash, role: 'agent', createdAt: 0 });
    }
    await t.server.store.importTeamRows(teamFixture('demo'));
    await t.server.store.insertEvents(teamFixtureEvents('demo'));
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows the owner every agent, the team, trends, targets and each definition, and the same figures as CSV', async () => {
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const api = await admin.get(`/dashboard/api/team?${PERIOD}`);
    expect(api.status).toBe(200);
    expect(api.json.agents.map((a: { key: string }) => a.key)).toEqual(
      expect.arrayContaining([AGENT_A, AGENT_B]),
    );
    expect(api.json.team.current.figures.handled).toEqual({ value: 4, n: 4 });
    expect(api.json.team.current.figures.frtMedian).toEqual({ value: 25 * MIN, n: 4 });

    const page = await admin.get(`/dashboard/team?${PERIOD}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('anna@example.com');
    expect(page.text).toContain('ben@example.com');
    expect(page.text).toContain('Begrüßung');
    for (const name of ['Conversations handled', 'Active time (median)', 'SLA met, level 3']) {
      expect(page.text).toContain(name);
    }
    // 18 figures, each with its one-line definition.
    expect(page.text.match(/<dt id="def-/g)).toHaveLength(18);
    const de = await admin.get(`/dashboard/team?${PERIOD}`, { 'accept-language': 'de' });
    expect(de.text).toContain('Bearbeitete Gespräche');
    expect(de.text).toContain('Erstlösungsquote (FCR)');
    // The week before, its last day inclusive, as the dashboard writes days.
    expect(de.text).toContain('Vorperiode: 27.10.2025 bis 02.11.2025');

    const csv = await admin.get(`/dashboard/team/export.csv?${PERIOD}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csvLines(csv.text);
    expect(lines[0]).toEqual([
      'subject',
      'agent',
      'period',
      'metric',
      'value',
      'n',
      'target',
      'gap',
    ]);
    const cell = (agent: string, period: string, metric: string) =>
      lines.find((l) => l[1] === agent && l[2] === period && l[3] === metric);
    expect(cell('anna@example.com', 'current', 'frt_median_ms')?.slice(4, 6)).toEqual([
      String(65 * MIN),
      '2',
    ]);
    expect(cell('anna@example.com', 'previous', 'frt_median_ms')?.[4]).toBe(String(30 * MIN));
    expect(cell('', 'current', 'handled')?.slice(0, 6)).toEqual([
      'team',
      '',
      'current',
      'handled',
      '4',
      '4',
    ]);
    expect(cell('ben@example.com', 'current', 'sla_met_level_3')?.[4]).toBe('0.5');
    expect(cell('anna@example.com', 'current', 'criterion:Basis/Gelöst')?.slice(4, 6)).toEqual([
      '0.5',
      '2',
    ]);
    // Every figure of the page is a CSV metric, for every row and both periods.
    expect(lines.filter((l) => l[0] === 'team' && l[2] === 'current')).toHaveLength(18 + 2);
  });

  it("shows an agent only its own figures and refuses a colleague's with 403 on every route", async () => {
    const anna = await logIn(t.url, 'anna@example.com', PASSWORD);
    const api = await anna.get(`/dashboard/api/team?${PERIOD}`);
    expect(api.status).toBe(200);
    expect(api.json.agents.map((a: { key: string }) => a.key)).toEqual([AGENT_A]);
    expect(api.json.team).toBeUndefined();
    const page = await anna.get(`/dashboard/team?${PERIOD}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('ben@example.com');
    expect(page.text).toContain('You see your own figures');
    const csv = await anna.get(`/dashboard/team/export.csv?${PERIOD}`);
    expect(csv.text).not.toContain('ben@example.com');
    expect(csvLines(csv.text).some((l) => l[0] === 'team')).toBe(false);
    for (const path of ['/dashboard/team', '/dashboard/api/team', '/dashboard/team/export.csv']) {
      const other = await anna.get(`${path}?${PERIOD}&agent=${AGENT_B}`);
      expect(other.status, path).toBe(403);
      expect(other.json.error).toMatchObject({ code: 'forbidden', field: 'agent' });
      expect((await anna.get(`${path}?${PERIOD}&agent=${AGENT_A}`)).status, path).toBe(200);
    }
    expect((await t.get(`/dashboard/api/team?${PERIOD}`)).status).toBe(401);
  });

  it('lets agents see colleagues once the owner allows it in the site settings', async () => {
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const stored = (await t.server.store.getSite('demo'))!.settings as Record<string, unknown>;
    const bad = await admin.post('/admin/sites/demo', {
      settings: JSON.stringify({ ...stored, team: { targets: { speed: 3 } } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('team.targets');
    const saved = await admin.post('/admin/sites/demo', {
      settings: JSON.stringify({
        ...stored,
        team: { agentsSeeColleagues: true, costPerHour: 30, targets: { frtMedian: 60 } },
      }),
    });
    expect(saved.status).toBeLessThan(400);
    const anna = await logIn(t.url, 'anna@example.com', PASSWORD);
    const other = await anna.get(`/dashboard/api/team?${PERIOD}&agent=${AGENT_B}`);
    expect(other.status).toBe(200);
    expect(other.json.agents.map((a: { key: string }) => a.key)).toEqual([AGENT_B]);
    // Two agents' 40 paid hours at 30 EUR ÷ the 3 closed cases (h1, h2, h4; h6 and h7 are open).
    expect(other.json.team.current.figures.costPerCase).toEqual({ value: 800, n: 3 });
    const csv = csvLines((await anna.get(`/dashboard/team/export.csv?${PERIOD}`)).text);
    // A: 65 min against a 60 min target, 5 min worse.
    expect(
      csv
        .find((l) => l[1] === 'anna@example.com' && l[2] === 'current' && l[3] === 'frt_median_ms')
        ?.slice(6),
    ).toEqual(['60', '-5']);
  });

  it('refuses a team target outside its range, naming it in the admin language', async () => {
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const stored = (await t.server.store.getSite('demo'))!.settings as Record<string, unknown>;
    const fields = {
      _csrf: admin.csrf,
      settings: JSON.stringify({ ...stored, team: { targets: { csat: 250, fcr: -50 } } }),
    };
    const post = (headers: Record<string, string>) =>
      send(`${t.url}/admin/sites/demo`, {
        method: 'POST',
        headers: {
          cookie: admin.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      });
    const api = await post({});
    expect(api.status).toBe(400);
    expect(api.json.error.field).toBe('settings.team.targets.fcr');
    expect(api.json.error.message).toContain('settings.team.targets.csat: must be at most 100');
    expect(api.json.error.message).toContain('settings.team.targets.fcr: must be at least 0');
    const de = await post({ accept: 'text/html', 'accept-language': 'de' });
    expect(de.status).toBe(400);
    expect(de.text).toContain('<code>team.targets.csat</code>: darf höchstens 100 sein');
    expect(de.text).toContain('<code>team.targets.fcr</code>: muss mindestens 0 sein');
    expect((await t.server.store.getSite('demo'))!.settings).toEqual(stored);
  });

  it('labels the gap to a lower-is-better target by which side of it the figure is, with the unit', async () => {
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const stored = (await t.server.store.getSite('demo'))!.settings as Record<string, unknown>;
    const saved = await admin.post('/admin/sites/demo', {
      settings: JSON.stringify({
        ...stored,
        team: { targets: { frtMedian: 120, reopenRate: 10, fcr: 92.5, handled: 1 } },
      }),
    });
    expect(saved.status).toBeLessThan(400);
    const anna = await logIn(t.url, 'anna@example.com', PASSWORD);
    const cells = async (lang: string) => {
      const page = await anna.get(`/dashboard/team?${PERIOD}`, { 'accept-language': lang });
      return (key: string) => {
        const row = new RegExp(`<tr><th scope="row"><a href="#def-${key}">.*?</tr>`).exec(
          page.text,
        )?.[0];
        return [...(row ?? '').matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
      };
    };
    // Value, n, previous, change, target, gap. A: 65 min against 120, reopened 1 of 2 against 10 %.
    const de = await cells('de');
    expect(de('frtMedian').slice(4)).toEqual(['120 min', '-55 (besser)']);
    expect(de('reopenRate').slice(4)).toEqual(['10 %', '+40 (schlechter)']);
    expect(de('fcr')[4]).toBe('92,5 %');
    expect(de('handled').slice(4)).toEqual(['1', '+1 (besser)']);
    const en = await cells('en');
    expect(en('frtMedian').slice(4)).toEqual(['120 min', '-55 (better)']);
    expect(en('reopenRate').slice(4)).toEqual(['10 %', '+40 (worse)']);
    expect(en('fcr')[4]).toBe('92.5 %');
  });

  it("hides colleagues' scorecard scores from agents until the owner releases them", async () => {
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const stored = (await t.server.store.getSite('demo'))!.settings as Record<string, unknown>;
    await admin.post('/admin/sites/demo', {
      settings: JSON.stringify({ ...stored, team: { agentsSeeColleagues: true } }),
    });
    const ben = await logIn(t.url, 'ben@example.com', PASSWORD);
    const anna = await logIn(t.url, 'anna@example.com', PASSWORD);
    type Row = { key: string; current: { figures: Record<string, unknown>; criteria: unknown[] } };
    const annaRow = async (viewer: typeof ben) => {
      const api = await viewer.get(`/dashboard/api/team?${PERIOD}`);
      expect(api.status).toBe(200);
      return {
        anna: (api.json.agents as Row[]).find((a) => a.key === AGENT_A)!,
        team: api.json.team as Row,
      };
    };
    // Only A has reviews (two, 1 and 0.25).
    const released = { value: 0.625, n: 2 };
    const hidden = await annaRow(ben);
    expect(hidden.anna.current.figures.scorecard).toEqual({ value: null, n: 0 });
    expect(hidden.anna.current.criteria).toEqual([]);
    expect(hidden.team.current.figures.scorecard).toEqual({ value: null, n: 0 });
    // Her other figures follow agentsSeeColleagues, and she sees her own scores.
    expect(hidden.anna.current.figures.handled).toEqual({ value: 2, n: 2 });
    expect((await annaRow(anna)).anna.current.figures.scorecard).toEqual(released);
    const page = await ben.get(`/dashboard/team?${PERIOD}`, { 'accept-language': 'de' });
    expect(page.text).toContain('anna@example.com');
    expect(page.text).not.toContain('Begrüßung');
    expect(page.text).toContain('die Werte Ihrer Kollegen gibt der Inhaber nicht frei');
    const csv = csvLines((await ben.get(`/dashboard/team/export.csv?${PERIOD}`)).text);
    expect(csv.some((l) => l[3]?.startsWith('criterion:'))).toBe(false);
    expect(csv.find((l) => l[1] === 'anna@example.com' && l[3] === 'scorecard')?.[4]).toBe('');
    expect((await ben.get(`/scorecards/team`)).status).toBe(403);

    await t.server.store.setTeamScoresVisible(true);
    const shown = await annaRow(ben);
    expect(shown.anna.current.figures.scorecard).toEqual(released);
    expect(shown.anna.current.criteria).toHaveLength(2);
    expect(shown.team.current.figures.scorecard).toEqual(released);
    expect((await ben.get(`/dashboard/team?${PERIOD}`)).text).toContain('Begrüßung');
  });

  it('renders hostile scorecard names and criteria as text', async () => {
    const hostile = [...blns.slice(0, 40), ...h5sc.slice(0, 40)];
    await t.server.store.importTeamRows({
      scorecards: [
        {
          id: 'evil',
          site_key: 'demo',
          name: hostile.join(' '),
          topic: null,
          criteria: JSON.stringify(
            hostile.map((label, i) => ({ id: `x${i}`, label, scale: '1-5', weight: 1 })),
          ),
          created_by: 'owner',
          created_at: 0,
          archived_at: null,
        },
      ],
      reviews: [
        {
          id: 'evil-review',
          handoff_id: 'h1',
          scorecard_id: 'evil',
          reviewer_id: 'someone',
          agent_id: AGENT_A,
          scores: JSON.stringify(
            Object.fromEntries(hostile.map((_, i) => [`x${i}`, { score: 3, comment: '' }])),
          ),
          score: 0.5,
          ts: 0,
        },
      ],
    });
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const page = await admin.get(`/dashboard/team?${PERIOD}`);
    expect(page.status).toBe(200);
    expectInertPage(page.text);
    const csv = await admin.get(`/dashboard/team/export.csv?${PERIOD}`);
    expect(csv.status).toBe(200);
    // Every text cell is quoted and none starts a formula (csvField of dashboard-csv.ts).
    expect(csv.text).not.toMatch(/(^|,)"?[=+@]/m);
  });

  it('gives the same FCR as the dashboard: a visitor back on the topic by self-service is a second contact', async () => {
    // Site `other` (UTC), 1 to 12 December 2025; each visitor one browser, each handoff closed after an hour.
    const start = Date.parse('2025-12-01T09:00:00Z');
    let n = 0;
    const event = (
      visitor: string,
      session: string,
      type: string,
      ts: number,
      props: Record<string, unknown>,
    ): EventRow => ({
      id: `10000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      siteKey: 'other',
      type,
      ts,
      receivedAt: ts,
      sessionId: session,
      anonymousId: `anon-${visitor}`,
      conversationId: null,
      userId: null,
      props,
      clientHash: null,
    });
    const handoffs: ReturnType<typeof fixtureHandoff>[] = [];
    const events: EventRow[] = [];
    const handOff = (visitor: string, day: number) => {
      const id = `fcr-${visitor}`;
      const at = start + day * DAY;
      const h = fixtureHandoff(
        id,
        {
          assignee: AGENT_A,
          level: 2,
          topic: 'returns',
          email: `${visitor}@example.com`,
          anonymousId: `anon-${visitor}`,
          created: new Date(at).toISOString(),
          reply: new Date(at + 10 * MIN).toISOString(),
          closed: new Date(at + HOUR).toISOString(),
          respondBy: new Date(at + 4 * HOUR).toISOString(),
        },
        'other',
      );
      handoffs.push(h);
      const ticketId = h.ticket_id;
      events.push(
        event(visitor, `s-${id}`, 'query.submitted', at - MIN, { locale: 'de', length: 20 }),
        event(visitor, `s-${id}`, 'handoff.created', at, { ticketId, level: 2, topic: 'returns' }),
        event(visitor, `s-${id}`, 'agent.replied', at + 10 * MIN, { ticketId, first: true }),
        event(visitor, `s-${id}`, 'conversation.closed', at + HOUR, { ticketId, by: 'agent' }),
      );
    };
    // The visitor's own answer from the knowledge base, "Yes" it helped: no handoff, no e-mail.
    const selfService = (visitor: string, day: number) => {
      const at = start + day * DAY;
      const session = `s-${visitor}-again`;
      events.push(
        event(visitor, session, 'query.submitted', at, { locale: 'de', length: 20 }),
        event(visitor, session, 'triage.decided', at + 1000, {
          kind: 'answer',
          level: 1,
          topic: 'returns',
          confidence: 0.9,
          signals: [],
        }),
        event(visitor, session, 'answer.rated', at + 30_000, {
          entryId: 'returns-label',
          helpful: true,
          topic: 'returns',
        }),
      );
    };
    handOff('ada', 0);
    selfService('ada', 2); // back two days later: not resolved at first contact
    handOff('cem', 1);
    selfService('cem', 10); // back nine days later: resolved
    handOff('dan', 10);
    selfService('dan', 12); // back within 7 days, but after the period: resolved in it
    await t.server.store.importTeamRows({ handoffs });
    await t.server.store.insertEvents(events);

    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const period = 'site=other&from=2025-12-01&to=2025-12-12';
    const dashboard = await admin.get(`/dashboard/api/metrics?${period}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.json.firstContactResolution).toBeCloseTo(2 / 3, 12);
    const team = await admin.get(`/dashboard/api/team?${period}`);
    expect(team.status).toBe(200);
    expect(team.json.team.current.figures.fcr.n).toBe(3);
    expect(team.json.team.current.figures.fcr.value).toBe(dashboard.json.firstContactResolution);
    expect(
      team.json.agents.find((a: { key: string }) => a.key === AGENT_A).current.figures.fcr,
    ).toEqual(team.json.team.current.figures.fcr);
  });
});
