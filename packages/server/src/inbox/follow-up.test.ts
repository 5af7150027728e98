import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { handoffRequest } from '../test-support/fixtures.js';
import { until, useMailSuite } from '../test-support/mail.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';
const SHOP_ORIGIN = 'http://nordlicht.test';

// The customer writes again after the team's answer, by mail or in the widget: the inbox shows the
// conversation as awaiting a reply and its assignee (else the team) hears of it, unless the message
// only thanks. Decided with the demo shop's knowledge base (German team).
describeStores('inbox: the customer writes again after the reply', (target: StoreTarget) => {
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
  const suite = useMailSuite(target, {
    site: {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [SHOP_ORIGIN],
      mail: {
        addresses: [SHOP],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0, maxBytes: 256 * 1024 },
      },
    },
    clock,
  });

  const repliesTo = (address: string) => suite.sink.mails.filter((m) => m.to.includes(address));
  // The agents' mails about a customer's new message on this ticket.
  const followUps = (ticketId: string) =>
    suite.sink.mails.filter((m) =>
      m.parsed.subject?.startsWith(`[Nordlicht] Neue Nachricht ${ticketId}`),
    );
  const visitor = (method: string, route: string, body: unknown) =>
    fetch(`${suite.server.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', origin: SHOP_ORIGIN },
      body: JSON.stringify(body),
    });

  const mailShop = (fields: Record<string, unknown>) =>
    suite.mail({ from: 'tom@kunde.example', ...fields }, 60_000);

  it('lists the conversation as awaiting reply when the customer answers the agent’s mail', async () => {
    const first = await mailShop({
      subject: 'Verlorenes Paket',
      text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
    });
    const [stored] = await suite.server.store.findMailsByMessageId('shop', [first]);
    const h = (await suite.server.store.getHandoff(stored!.handoffId!))!;
    const state = async () =>
      new RegExp(`>${h.ticketId}</a></th>\\s*<td class="state-([a-z]+)">`).exec(
        (await suite.agent.get('/inbox/?state=all&lang=en')).text,
      )?.[1];

    clock.now += 60_000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Wir haben einen Nachforschungsauftrag gestellt.',
    });
    await until(() => suite.sink.mails.some((m) => m.to.includes('tom@kunde.example')));
    const reply = suite.sink.mails.find((m) => m.to.includes('tom@kunde.example'))!;
    expect(await state()).toBe('answered');

    await mailShop({
      subject: 'Re: Verlorenes Paket',
      inReplyTo: reply.parsed.messageId,
      references: [first, reply.parsed.messageId!],
      text: 'Gibt es schon etwas Neues? Ich brauche das Paket bis Freitag.',
    });
    expect((await suite.server.store.listMessages(h.id)).map((m) => m.from)).toEqual([
      'agent',
      'visitor',
    ]);
    expect(await state()).toBe('waiting');
    expect((await suite.agent.get('/inbox/?state=waiting')).text).toContain(h.ticketId);
    expect((await suite.agent.get('/inbox/?state=answered')).text).not.toContain(h.ticketId);
    // Nobody took it: the team hears of it, in its language, with the new words.
    await until(() => followUps(h.ticketId).length === 1);
    const [told] = followUps(h.ticketId);
    expect(told!.to).toEqual(['admin@example.com']);
    expect(told!.parsed.text).toContain('Ich brauche das Paket bis Freitag.');

    clock.now += 60_000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Es ist heute angekommen.',
    });
    await until(() => repliesTo('tom@kunde.example').length === 2);
    const latest = repliesTo('tom@kunde.example')[1]!;
    await mailShop({
      subject: 'Re: Verlorenes Paket',
      inReplyTo: latest.parsed.messageId,
      references: [first, latest.parsed.messageId!],
      text: 'Vielen Dank, hat geklappt!',
    });
    expect((await suite.server.store.listMessages(h.id)).at(-1)).toMatchObject({
      from: 'visitor',
      thanksOnly: true,
    });
    expect(await state()).toBe('answered');
    await suite.server.notifier.settled();
    expect(followUps(h.ticketId)).toHaveLength(1);
  });

  it('tells the assignee once when the visitor writes again in the widget, never for thanks', async () => {
    const created = await visitor('POST', '/v1/handoffs', {
      ...handoffRequest({ siteKey: 'shop', locale: 'de' }),
      message: 'Wo bleibt meine Bestellung? Die Sendungsverfolgung zeigt nichts.',
    });
    expect(created.status).toBe(201);
    const { conversationToken: token, ticketId } = (await created.json()) as {
      conversationToken: string;
      ticketId: string;
    };
    const h = (await suite.server.store.listHandoffs()).find((x) => x.ticketId === ticketId)!;
    await suite.server.store.insertAgent({
      id: 'a-ina',
      email: 'ina@nordlicht.test',
      passwordHash: 'x',
      role: 'agent',
      createdAt: 0,
    });
    await suite.server.store.updateHandoff(h.id, { assignee: 'a-ina' });
    clock.now += 60_000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Sie ist heute rausgegangen.',
    });
    const write = async (text: string) => {
      clock.now += 60_000;
      const r = await visitor('POST', `/v1/conversations/${token}/messages`, {
        id: randomUUID(),
        text,
      });
      expect(r.status).toBe(201);
      await suite.server.notifier.settled();
    };
    const state = async () =>
      new RegExp(`>${ticketId}</a></th>\\s*<td class="state-([a-z]+)">`).exec(
        (await suite.agent.get('/inbox/?state=all&lang=en')).text,
      )?.[1];

    await write('Danke!');
    expect(await state()).toBe('answered');
    expect(followUps(ticketId)).toEqual([]);

    await write('Mit welchem Versanddienst kommt sie denn?');
    await write('Und an welche Adresse?');
    expect(await state()).toBe('waiting');
    expect(followUps(ticketId).map((m) => m.to)).toEqual([['ina@nordlicht.test']]);
    expect(followUps(ticketId)[0]!.parsed.text).toContain('Mit welchem Versanddienst');

    // Closed: a thank-you leaves it closed and tells nobody; a question opens it and tells Ina.
    await suite.server.store.setHandoffStatus(h.id, 'closed');
    await write('Alles klar, danke schön');
    expect((await suite.server.store.getHandoff(h.id))!.status).toBe('closed');
    expect(followUps(ticketId)).toHaveLength(1);
    await write('Das Paket ist doch nicht angekommen.');
    expect((await suite.server.store.getHandoff(h.id))!.status).toBe('open');
    expect(followUps(ticketId)).toHaveLength(2);
  });
});
