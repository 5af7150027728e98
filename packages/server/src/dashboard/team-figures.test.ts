import { randomUUID } from 'node:crypto';
import { type BusinessHours, businessMillis } from '@lotse/sdk/metrics';
import { expect, it } from 'vitest';
import type { ResolvedTeamSettings } from '../sites/site-settings.js';
import { handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';
import {
  businessClock,
  computeTeamFigures,
  type Figure,
  type TeamFigures,
  targetGap,
} from './team-figures.js';
import {
  AGENT_A,
  AGENT_B,
  TEAM_FROM,
  TEAM_NOW,
  TEAM_TO,
  teamFixture,
  teamFixtureEvents,
} from './team-fixture.js';

const MIN = 60_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const weekday = [['09:00', '17:00']] as const;
/** The test site's hours: Berlin (UTC+1 in November), Monday to Friday 09:00–17:00. */
const hours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday },
  holidays: [],
};
const team: ResolvedTeamSettings = {
  costPerHour: 30,
  currency: 'EUR',
  paidHoursPerWeek: 40,
  targets: { frtMedian: 60, fcr: 80, handled: 3 },
  agentsSeeColleagues: false,
};

const f = (value: number | null, n: number): Figure => ({ value, n });

/** A reopen as the server records it (inbox/record-event.ts), in `sessionId` of site `demo`. */
const reopenEvent = (
  sessionId: string,
  conversationId: string,
  ts: number,
  anonymousId = 'anon',
) => ({
  id: randomUUID(),
  siteKey: 'demo',
  type: 'conversation.reopened',
  ts,
  receivedAt: ts,
  sessionId,
  anonymousId,
  conversationId,
  userId: null,
  props: { by: 'visitor' },
  clientHash: null,
});

it('measures business time as businessMillis of @lotse/sdk/metrics does, across DST and holidays', () => {
  const clock = businessClock({ ...hours, holidays: ['2026-03-30'] });
  const start = Date.parse('2026-03-20T05:17:00Z');
  for (let i = 0; i < 200; i++) {
    const from = start + i * 97 * MIN;
    const to = from + ((i * 7919) % (6 * 86_400_000));
    expect(clock(from, to)).toBe(businessMillis(from, to, { ...hours, holidays: ['2026-03-30'] }));
  }
});

describeOpenStores('team figures on hand-computed data', (t) => {
  async function figures(): Promise<TeamFigures> {
    await t.store.importTeamRows(teamFixture('demo'));
    await t.store.insertEvents(teamFixtureEvents('demo'));
    await t.store.deriveDirty({ sites: new Map([['demo', hours]]), maxSessions: 100 });
    // "returns" has a three-step playbook, the other topics none.
    const playbookSteps = (topic: string | null) => (topic === 'returns' ? 3 : 0);
    const rows = await t.store.teamRows('demo', TEAM_FROM - (TEAM_TO - TEAM_FROM), TEAM_TO, {
      playbookSteps,
    });
    return computeTeamFigures(rows, {
      from: TEAM_FROM,
      to: TEAM_TO,
      now: TEAM_NOW,
      hours,
      team,
      playbookSteps,
    });
  }

  it('computes every figure of agent A (h1, h2 handled; h3 unanswered and overdue)', async () => {
    const m = await figures();
    const a = m.agents.find((r) => r.key === AGENT_A)!;
    expect(a.current.figures).toEqual({
      handled: f(2, 2),
      // h1 10 min, h2 120 min (07:00 → 09:00 UTC).
      frtMedian: f(65 * MIN, 2),
      frtP90: f(120 * MIN, 2),
      // h2 was handed off at 08:00 Berlin, an hour before opening: 60 business minutes.
      frtBusinessMedian: f(35 * MIN, 2),
      frtBusinessP90: f(60 * MIN, 2),
      // h1 60 min, h2 a day.
      handlingMedian: f(750 * MIN, 2),
      // h1: note +5, tick +1, (B's note), reply +3, reply +3, tick +5 (7 capped), tick +1, close +5
      // = 23 min; h2: reply +5 (2 h capped), close +5 = 10 min.
      activeMedian: f(16.5 * MIN, 2),
      // Closed h1 and h2; h2 was reopened, h1's visitor came back only 9 days later.
      fcr: f(0.5, 2),
      reopenRate: f(0.5, 2),
      // 5 (by conversation id) and 2 (by ticket id).
      csat: f(0.5, 2),
      // One promoter in h2's session after the handoff.
      nps: f(100, 1),
      scorecard: f(0.625, 2),
      // h1 ticked steps 0 and 1 of 3 (step 7 no longer exists); h2's topic has no playbook.
      playbook: f(2 / 3, 1),
      // Level 1: h1 on time, h3 overdue without a reply; level 2: h2 replied after its promise.
      sla1: f(0.5, 2),
      sla2: f(0, 1),
      sla3: f(null, 0),
      // 40 paid hours × 30 EUR = 1200 EUR for the week, 2 closed cases, 33 active minutes.
      costPerCase: f(600, 2),
      costPerWorkingHour: f(1200 / (33 / 60), 2),
    });
    expect(a.current.activeTotal).toBe(33 * MIN);
    expect(a.current.criteria).toEqual([
      // Begrüßung 5 and 3 on 1–5: 1 and 0.5; Gelöst yes and no; the criterion without a scale is skipped.
      {
        scorecardId: 'sc1',
        scorecardName: 'Basis',
        criterionId: 'c1',
        label: 'Begrüßung',
        value: 0.75,
        n: 2,
      },
      {
        scorecardId: 'sc1',
        scorecardName: 'Basis',
        criterionId: 'c2',
        label: 'Gelöst',
        value: 0.5,
        n: 2,
      },
    ]);
    // The week before: h0 only (30 min first reply, closed after 60 min, 5 active minutes).
    expect(a.previous.figures.handled).toEqual(f(1, 1));
    expect(a.previous.figures.frtMedian).toEqual(f(30 * MIN, 1));
    expect(a.previous.figures.handlingMedian).toEqual(f(60 * MIN, 1));
    expect(a.previous.figures.activeMedian).toEqual(f(5 * MIN, 1));
    expect(a.previous.figures.csat).toEqual(f(null, 0));
    // Targets: first response 65 min against 60 (5 worse), FCR 50 % against 80 %, 2 cases against 3.
    expect(targetGap('frtMedian', a.current.figures.frtMedian.value, 60)).toBe(-5);
    expect(targetGap('fcr', a.current.figures.fcr.value, 80)).toBe(-30);
    expect(targetGap('handled', a.current.figures.handled.value, 3)).toBe(-1);
    expect(targetGap('csat', null, 80)).toBeNull();
  });

  it('computes every figure of agent B (h4 followed by a second contact, h6 open)', async () => {
    const m = await figures();
    const b = m.agents.find((r) => r.key === AGENT_B)!;
    expect(b.current.figures).toEqual({
      handled: f(2, 2),
      frtMedian: f(25 * MIN, 2),
      frtP90: f(30 * MIN, 2),
      frtBusinessMedian: f(25 * MIN, 2),
      frtBusinessP90: f(30 * MIN, 2),
      handlingMedian: f(60 * MIN, 1),
      // h4: reply +5, close +5; h6: tick +5 (15 capped), reply +5.
      activeMedian: f(10 * MIN, 2),
      // h4's visitor came back in the same browser on the same topic two days later (h6).
      fcr: f(0, 1),
      reopenRate: f(0, 1),
      csat: f(null, 0),
      nps: f(null, 0),
      scorecard: f(null, 0),
      // h4 none of 3 steps, h6 one of 3.
      playbook: f(1 / 6, 2),
      sla1: f(null, 0),
      sla2: f(null, 0),
      // h4 on time, h6 ten minutes late.
      sla3: f(0.5, 2),
      // 1200 EUR for the week ÷ 1 closed case (h6 is open), not ÷ the 2 handled.
      costPerCase: f(1200, 1),
      costPerWorkingHour: f(1200 / (20 / 60), 2),
    });
    expect(b.current.criteria).toEqual([]);
    expect(b.previous.figures.handled).toEqual(f(0, 0));
    expect(b.previous.figures.costPerCase).toEqual(f(null, 0));
  });

  it('computes the team row over every conversation, the unassigned one too', async () => {
    const m = await figures();
    expect(m.agents.map((r) => r.key)).toEqual([AGENT_A, AGENT_B]);
    expect(m.previousFrom).toBe(TEAM_FROM - 7 * 86_400_000);
    expect(m.team.current.figures).toEqual({
      handled: f(4, 4),
      // 10, 20, 30, 120 min.
      frtMedian: f(25 * MIN, 4),
      frtP90: f(120 * MIN, 4),
      // 10, 20, 30, 60 business minutes.
      frtBusinessMedian: f(25 * MIN, 4),
      frtBusinessP90: f(60 * MIN, 4),
      handlingMedian: f(60 * MIN, 3),
      activeMedian: f(10 * MIN, 4),
      fcr: f(1 / 3, 3),
      reopenRate: f(1 / 3, 3),
      csat: f(0.5, 2),
      nps: f(100, 1),
      scorecard: f(0.625, 2),
      playbook: f(3 / 9, 3),
      // h7 (level 1, unassigned) is not due until 20 November 10:00: pending, not counted.
      sla1: f(0.5, 2),
      sla2: f(0, 1),
      sla3: f(0.5, 2),
      // Two agents worked in the week: 2400 EUR, 3 closed cases (h1, h2, h4), 53 active minutes.
      costPerCase: f(800, 3),
      costPerWorkingHour: f(2400 / (53 / 60), 4),
    });
    // h8 starts exactly at the period's end and h5 after it: neither counts.
    expect(m.team.current.activeTotal).toBe(53 * MIN);
  });

  it('gives the viewer a row without conversations and no cost without a rate', async () => {
    await t.store.importTeamRows(teamFixture('demo'));
    const rows = await t.store.teamRows('demo', TEAM_FROM, TEAM_TO, {
      playbookSteps: () => 0,
    });
    const m = computeTeamFigures(rows, {
      from: TEAM_FROM + 3 * 86_400_000,
      to: TEAM_TO,
      now: TEAM_NOW,
      hours,
      team: { ...team, costPerHour: undefined },
      playbookSteps: () => 0,
      include: ['agent-new'],
    });
    const fresh = m.agents.find((r) => r.key === 'agent-new')!;
    expect(fresh.current.figures.handled).toEqual(f(0, 0));
    expect(fresh.current.figures.frtMedian).toEqual(f(null, 0));
    expect(m.team.current.figures.costPerCase.value).toBeNull();
    expect(m.team.current.figures.playbook).toEqual(f(null, 0));
  });
});

describeOpenStores('team figures kept as the conversation changes', (t) => {
  it('keeps active time and ticked steps on the row through every write', async () => {
    const t0 = Date.parse('2025-11-03T09:00:00Z');
    const at = (minutes: number) => t0 + minutes * MIN;
    const first = handoffRow({ topic: 'returns', createdAt: t0, email: 'Kim@Example.com' });
    await t.store.insertHandoff(first);
    await t.store.updateHandoff(first.id, { assignee: 'agent-a' });
    const message = (n: number, from: 'visitor' | 'agent', minutes: number) =>
      t.store.insertMessage({
        id: `${first.id}-${n}`,
        handoffId: first.id,
        from,
        text: 'Hallo',
        ts: at(minutes),
      });
    await message(1, 'visitor', 1);
    await message(2, 'agent', 4); // 3 min after the visitor's message
    await message(2, 'agent', 4); // the same message again changes nothing
    await t.store.insertNote({
      id: 'note-1',
      handoffId: first.id,
      agentId: 'agent-a',
      text: 'Rückruf',
      ts: at(20), // 16 min: at most 5
    });
    await t.store.insertNote({
      id: 'note-2',
      handoffId: first.id,
      agentId: 'agent-b',
      text: 'Kenne ich',
      ts: at(21), // a colleague's note is no action of the assignee
    });
    await t.store.setTicks(
      first.id,
      [
        { step: 0, stepText: 'Grüßen' },
        { step: 5, stepText: 'Not in the playbook of three' },
      ],
      'agent-a',
      at(23), // 2 min after the colleague's note, once (two steps, one moment)
    );
    await t.store.updateHandoff(first.id, { status: 'closed', closedAt: at(30) }); // 7: at most 5

    const rows = await t.store.teamRows('demo', t0, at(3 * 24 * 60), {
      playbookSteps: (topic) => (topic === 'returns' ? 3 : 0),
    });
    const row = rows.handoffs.find((h) => h.createdAt === first.createdAt)!;
    expect(row.activeMs).toBe((3 + 5 + 2 + 5) * MIN);
    expect(row.tickedSteps).toBe(1);

    // Handing the conversation over makes the colleague's note the assignee's action (1 min after
    // the previous note), and the earlier one the colleague's; unticking leaves no step.
    await t.store.updateHandoff(first.id, { assignee: 'agent-b' });
    await t.store.setTicks(first.id, [], 'agent-b', at(31));
    const again = await t.store.teamRows('demo', t0, at(3 * 24 * 60), { playbookSteps: () => 3 });
    const handedOver = again.handoffs.find((h) => h.createdAt === first.createdAt)!;
    expect(handedOver.activeMs).toBe((3 + 1 + 5) * MIN);
    expect(handedOver.tickedSteps).toBe(0);
  });

  it('counts a CSAT answer for the latest conversation its id names, NPS for the latest of its session before it', async () => {
    const t0 = Date.parse('2025-11-10T09:00:00Z');
    const shared = { conversationId: 'conv-shared', sessionId: 's-shared' };
    const earlier = handoffRow({ ...shared, createdAt: t0 });
    const later = handoffRow({ ...shared, createdAt: t0 + DAY });
    for (const [h, assignee] of [
      [later, 'agent-late'],
      [earlier, 'agent-early'],
    ] as const) {
      await t.store.insertHandoff(h);
      await t.store.updateHandoff(h.id, { assignee });
    }
    const answer = (type: string, ts: number, props: Record<string, unknown>) => ({
      id: randomUUID(),
      siteKey: 'demo',
      type,
      ts,
      receivedAt: ts,
      sessionId: 's-shared',
      anonymousId: 'anon-shared',
      conversationId: null,
      userId: null,
      props,
      clientHash: null,
    });
    await t.store.insertEvents([
      answer('csat.submitted', t0 + 2 * DAY, { score: 5, conversationId: 'conv-shared' }),
      answer('nps.submitted', t0 + 2 * 60 * MIN, { score: 0 }),
    ]);
    await t.store.deriveDirty({ sites: new Map([['demo', hours]]), maxSessions: 10 });
    const rows = await t.store.teamRows('demo', t0, t0 + 3 * DAY, { playbookSteps: () => 0 });
    expect(rows.ratings).toHaveLength(2);
    expect(rows.ratings).toEqual(
      expect.arrayContaining([
        { type: 'csat.submitted', score: 5, assignee: 'agent-late', createdAt: later.createdAt },
        { type: 'nps.submitted', score: 0, assignee: 'agent-early', createdAt: earlier.createdAt },
      ]),
    );
  });

  it('marks a conversation reopened only by reopens after its own handoff', async () => {
    const t0 = Date.parse('2025-11-10T09:00:00Z');
    const shared = { conversationId: 'conv-again', sessionId: 's-again' };
    const first = handoffRow({ ...shared, createdAt: t0 });
    const second = handoffRow({ ...shared, createdAt: t0 + DAY });
    await t.store.insertHandoff(first);
    await t.store.insertHandoff(second);
    await t.store.insertEvents([reopenEvent('s-again', 'conv-again', t0 + 60 * MIN)]);
    const rows = await t.store.teamRows('demo', t0, t0 + 2 * DAY, { playbookSteps: () => 0 });
    const reopened = (createdAt: number) =>
      rows.handoffs.find((h) => h.createdAt === createdAt)?.reopened;
    expect(reopened(first.createdAt)).toBe(true);
    expect(reopened(second.createdAt)).toBe(false);
  });

  it('marks a handoff reopened whether its reopen is stored after it or imported before it', async () => {
    const t0 = Date.parse('2025-11-12T09:00:00Z');
    // Without a session the server records the reopen in `handoff:<id>` (inbox/record-event.ts).
    const lone = handoffRow({ sessionId: null, conversationId: 'conv-lone', createdAt: t0 });
    await t.store.insertHandoff(lone);
    await t.store.insertEvents([reopenEvent(`handoff:${lone.id}`, 'conv-lone', t0 + MIN)]);
    // A bulk import after its events (the benchmark's order): the import reads the reopens stored.
    await t.store.insertEvents([reopenEvent('s-imported', 'conv-imported', t0 + 2 * MIN)]);
    const imported = {
      ...teamFixture('demo').handoffs![0]!,
      id: 'h-imported',
      ticket_id: 'T-imported',
      token_hash: 'hash-imported',
      token_nonce: 'nonce-imported',
      request_hash: 'req-imported',
      session_id: 's-imported',
      conversation_id: 'conv-imported',
      created_at: t0 + 30_000,
    };
    await t.store.importTeamRows({ handoffs: [imported] });
    const rows = await t.store.teamRows('demo', t0, t0 + DAY, { playbookSteps: () => 0 });
    const reopened = (createdAt: number) =>
      rows.handoffs.find((h) => h.createdAt === createdAt)?.reopened;
    expect(reopened(lone.createdAt)).toBe(true);
    expect(reopened(t0 + 30_000)).toBe(true);
  });

  it("clears a kept handoff's reopen when a visitor's deletion takes the reopen event", async () => {
    const t0 = Date.parse('2025-11-14T09:00:00Z');
    // One browser (anonymous id) handed off under two addresses; the second was reopened.
    const first = handoffRow({ email: 'one@example.com', anonymousId: 'anon-both', createdAt: t0 });
    const second = handoffRow({
      email: 'two@example.com',
      anonymousId: 'anon-both',
      sessionId: 's-second',
      conversationId: 'conv-second',
      createdAt: t0 + HOUR,
    });
    await t.store.insertHandoff(first);
    await t.store.insertHandoff(second);
    await t.store.insertEvents([
      reopenEvent('s-second', 'conv-second', t0 + 2 * HOUR, 'anon-both'),
    ]);
    const reopened = async () =>
      (await t.store.teamRows('demo', t0, t0 + DAY, { playbookSteps: () => 0 })).handoffs.find(
        (h) => h.createdAt === second.createdAt,
      )?.reopened;
    expect(await reopened()).toBe(true);
    // Deleting the first address takes every event of its browser, the reopen too.
    await t.store.deleteVisitor({ email: 'one@example.com' });
    expect(await reopened()).toBe(false);
  });

  it('reads the second contact the dashboard counts: the browser back on the topic, self-service too', async () => {
    const t0 = Date.parse('2025-11-10T09:00:00Z');
    const widget = (
      sessionId: string,
      anonymousId: string,
      type: string,
      ts: number,
      props: Record<string, unknown>,
    ) => ({
      id: randomUUID(),
      siteKey: 'demo',
      type,
      ts,
      receivedAt: ts,
      sessionId,
      anonymousId,
      conversationId: null,
      userId: null,
      props,
      clientHash: null,
    });
    const handedOff = (h: ReturnType<typeof handoffRow>) => [
      widget(h.sessionId!, h.anonymousId!, 'query.submitted', h.createdAt - MIN, { length: 9 }),
      widget(h.sessionId!, h.anonymousId!, 'handoff.created', h.createdAt, {
        ticketId: h.ticketId,
        level: 2,
        topic: h.topic,
      }),
    ];
    const asked = (sessionId: string, ts: number, topic: string) => [
      widget(sessionId, 'anon-lu', 'query.submitted', ts, { length: 9 }),
      widget(sessionId, 'anon-lu', 'triage.decided', ts + 1000, {
        kind: 'answer',
        level: 1,
        topic,
        confidence: 0.9,
        signals: [],
      }),
      widget(sessionId, 'anon-lu', 'answer.rated', ts + 2000, {
        entryId: 'e1',
        helpful: true,
        topic,
      }),
    ];
    const first = handoffRow({
      topic: 'returns',
      createdAt: t0,
      email: 'lu@example.com',
      anonymousId: 'anon-lu',
      sessionId: 's-lu-1',
    });
    // The same address from another browser is another contact for the dashboard, as for FCR here.
    const elsewhere = handoffRow({
      topic: 'returns',
      createdAt: t0 + HOUR,
      email: 'Lu@Example.com',
      anonymousId: 'anon-office',
      sessionId: 's-office',
    });
    // The browser's own handoff made without events (consent pending): no stored conversation.
    const silent = handoffRow({
      topic: 'returns',
      createdAt: t0 + 2 * HOUR,
      anonymousId: 'anon-lu',
    });
    for (const h of [elsewhere, first, silent]) await t.store.insertHandoff(h);
    // Stored out of order: the later questions first, the handoff's own events last.
    await t.store.insertEvents([
      ...asked('s-lu-3', t0 + 2 * DAY, 'returns'),
      ...asked('s-lu-2', t0 + DAY, 'shipping'),
      ...handedOff(elsewhere),
    ]);
    await t.store.insertEvents(handedOff(first));
    await t.store.deriveDirty({ sites: new Map([['demo', hours]]), maxSessions: 100 });
    const rows = await t.store.teamRows('demo', t0, t0 + 3 * DAY, { playbookSteps: () => 0 });
    const next = (h: ReturnType<typeof handoffRow>) =>
      rows.handoffs.find((r) => r.createdAt === h.createdAt)?.nextContactAt;
    // Not the other browser's handoff an hour later, nor the question on shipping: the self-service
    // answer on returns two days later.
    expect(next(first)).toBe(t0 + 2 * DAY);
    expect(next(elsewhere)).toBeNull();
    expect(next(silent)).toBeNull();
  });
});
