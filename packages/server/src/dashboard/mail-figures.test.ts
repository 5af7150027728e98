import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { EventRow } from '../store/store.js';
import { cookiesOf, csrfOf, form, logIn } from '../test-support/login.js';
import { until, useMailSuite } from '../test-support/mail.js';
import { send } from '../test-support/server.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';
const MIN = 60_000;
const DAY = 86_400_000;
const start = Date.parse('2025-11-03T09:00:00Z');
const from = start - DAY;
const to = start + 30 * DAY;

/** Two widget conversations that have ended (so time passing changes none of their figures). */
function widgetTraffic(): EventRow[] {
  const row = (session: string, type: string, ts: number, props: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    siteKey: 'shop',
    type,
    ts,
    receivedAt: ts,
    sessionId: session,
    anonymousId: `anon-${session}`,
    conversationId: `c-${session}`,
    userId: null,
    props,
    clientHash: null,
  });
  const t = start - 6 * 60 * MIN;
  return [
    row('w1', 'query.submitted', t, { channel: 'widget' }),
    row('w1', 'answer.rated', t + MIN, { entryId: 'delivery-time', helpful: true }),
    row('w2', 'query.submitted', t + 2 * MIN, { channel: 'widget' }),
    row('w2', 'handoff.created', t + 3 * MIN, { ticketId: 'T-W2', level: 2, channel: 'widget' }),
    row('w2', 'agent.replied', t + 13 * MIN, { ticketId: 'T-W2', first: true }),
    row('w2', 'conversation.closed', t + 60 * MIN, { ticketId: 'T-W2', by: 'agent' }),
  ];
}

type Figures = Record<string, unknown>;

describeStores('mail on the dashboard, change by change', (target: StoreTarget) => {
  const clock = { now: start };
  const suite = useMailSuite(target, {
    site: {
      key: 'shop',
      title: 'Nordlicht',
      mail: {
        addresses: [SHOP],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0 },
      },
    },
    clock,
    ready: (suite) => suite.server.store.insertEvents(widgetTraffic()).then(() => {}),
  });

  /** The figures of one channel, as the JSON API gives them. */
  async function figures(channel: 'widget' | 'email'): Promise<Figures> {
    const r = await suite.agent.get(
      `/dashboard/api/metrics?site=shop&from=${from}&to=${to}&channel=${channel}`,
    );
    expect(r.status).toBe(200);
    const m = r.json;
    return {
      conversations: m.conversations,
      selfService: m.selfService,
      handoffs: m.handoffs,
      abandoned: m.abandoned,
      open: m.open,
      closed: m.closed,
      selfServiceRate: m.selfServiceRate,
      escalationRate: m.escalationRate,
      resolvedWithin24h: m.resolvedWithin24h,
      firstContactResolution: m.firstContactResolution,
      frt: m.firstResponseTime.calendar,
      csat: m.csat.responses,
    };
  }

  it('changes the e-mail figures by exactly each mail conversation and leaves the widget figures alone', async () => {
    const widget = await figures('widget');
    expect(widget).toMatchObject({ conversations: 2, selfService: 1, handoffs: 1, closed: 1 });
    const empty = await figures('email');
    expect(empty).toMatchObject({ conversations: 0, selfServiceRate: null });

    // A standard question, answered automatically: one more open e-mail conversation.
    await suite.mail({
      from: 'eva@kunde.example',
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung nach Österreich?',
    });
    await until(() => suite.sink.mails.some((m) => m.to.includes('eva@kunde.example')));
    const answered = await figures('email');
    expect(answered).toEqual({ ...empty, conversations: 1, open: 1 });
    expect(await figures('widget')).toEqual(widget);

    // Seven quiet days: the automatic reply closed the case (deflection 1 of 1).
    clock.now += 7 * DAY + MIN;
    // A week idle ends the agent's session too.
    suite.agent = await logIn(suite.server.url, 'admin@example.com', 'test-password');
    const deflected = await figures('email');
    expect(deflected).toEqual({
      ...answered,
      open: 0,
      selfService: 1,
      selfServiceRate: 1,
      escalationRate: 0,
    });
    expect(await figures('widget')).toEqual(widget);

    // A complaint goes to the inbox: one more handoff, nothing else.
    await suite.mail({
      from: 'jan@kunde.example',
      subject: 'Bestellung 4711',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    });
    const handedOff = await figures('email');
    expect(handedOff).toEqual({
      ...deflected,
      conversations: 2,
      handoffs: 1,
      selfServiceRate: 1 / 2,
      escalationRate: 1 / 2,
    });
    expect(await figures('widget')).toEqual(widget);

    // The agent answers 30 minutes later (by mail): one first response of 30 minutes.
    const [h] = await suite.server.store.listHandoffs({ siteKey: 'shop', limit: 10 });
    clock.now += 30 * MIN;
    expect(
      (
        await suite.agent.post(`/inbox/c/${encodeURIComponent(h!.id)}/reply`, {
          text: 'Das tut uns leid.',
        })
      ).status,
    ).toBe(303);
    const replied = await figures('email');
    const frt = (replied.frt as { median: number }).median;
    // The handoff is stored a millisecond or two after the mail's question (process-mail.ts).
    expect(frt).toBeGreaterThan(30 * MIN - 10);
    expect(frt).toBeLessThanOrEqual(30 * MIN);
    expect(replied).toEqual({ ...handedOff, frt: { count: 1, median: frt, p90: frt } });
    expect(await figures('widget')).toEqual(widget);

    // Closed within the day: resolved within 24 h and at first contact.
    clock.now += 60 * MIN;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h!.id)}/close`);
    const closed = await figures('email');
    expect(closed).toEqual({
      ...replied,
      closed: 1,
      resolvedWithin24h: 1,
      firstContactResolution: 1,
    });
    expect(await figures('widget')).toEqual(widget);

    // Eva answers the automatic reply after the 7 days: the reply had closed her first
    // conversation, so a second one starts and goes to a person.
    const auto = suite.sink.mails.find((m) => m.to.includes('eva@kunde.example'))!;
    await suite.mail({
      from: 'eva@kunde.example',
      subject: 'Re: Lieferzeit',
      inReplyTo: auto.parsed.messageId,
      text: 'Es ist immer noch nicht da.',
    });
    expect(await figures('email')).toEqual({
      ...closed,
      conversations: 3,
      handoffs: 2,
      selfServiceRate: 1 / 3,
      escalationRate: 2 / 3,
    });
    expect(await figures('widget')).toEqual(widget);
  });

  it('counts a "no" on the automatic reply after the 7 days as one more handoff', async () => {
    const widget = await figures('widget');
    await suite.mail({
      from: 'ann@customer.example',
      subject: 'Delivery',
      text: 'How long does delivery take?',
    });
    await until(() => suite.sink.mails.some((m) => m.to.includes('ann@customer.example')));
    const before = await figures('email');
    clock.now += 7 * DAY + MIN;
    suite.agent = await logIn(suite.server.url, 'admin@example.com', 'test-password');
    const deflected = await figures('email');
    expect(deflected).toMatchObject({
      conversations: before.conversations,
      selfService: (before.selfService as number) + 1,
      open: (before.open as number) - 1,
    });

    const reply = suite.sink.mails.find((m) => m.to.includes('ann@customer.example'))!;
    const link = /No: (\S+)/.exec(reply.parsed.text ?? '')![1]!;
    const page = await send(link);
    const posted = await send(`${suite.server.url}${new URL(link).pathname}?lang=en`, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), answer: 'no' }),
    });
    expect(posted.status).toBe(200);
    const after = await figures('email');
    expect(after).toMatchObject({
      conversations: (deflected.conversations as number) + 1,
      handoffs: (deflected.handoffs as number) + 1,
      selfService: deflected.selfService,
      open: deflected.open,
    });
    expect(await figures('widget')).toEqual(widget);
  });
});
