import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import {
  mailClient,
  startMailServer,
  startSmtpSink,
  until,
  writeMailSite,
} from '../test-support/mail.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';

describeStores('inbox: a mail follow-up after the reply', (target: StoreTarget) => {
  let server: RunningServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let cleanup: () => Promise<void>;
  let client: ReturnType<typeof mailClient>;
  let agent: AgentSession;
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };

  beforeAll(async () => {
    sink = await startSmtpSink();
    const location = await target.prepare();
    cleanup = location.cleanup;
    const site = writeMailSite(location.dataDir, {
      key: 'shop',
      title: 'Nordlicht',
      mail: {
        addresses: [SHOP],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0, maxBytes: 256 * 1024 },
      },
    });
    server = await startMailServer(location, [site], sink.url, { now: () => clock.now });
    client = mailClient(server.mail.listeners()[0]!.port);
    agent = await logIn(server.url, 'admin@example.com', 'test-password');
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.close();
    await sink?.close();
    await cleanup?.();
  });

  async function mailShop(fields: Record<string, unknown>): Promise<string> {
    const messageId = `<${randomUUID()}@kunde.example>`;
    clock.now += 60_000;
    await client.sendMail({ to: SHOP, from: 'tom@kunde.example', messageId, ...fields });
    await server.mail.settled();
    return messageId;
  }

  it('lists the conversation as awaiting reply when the customer answers the agent’s mail', async () => {
    const first = await mailShop({
      subject: 'Verlorenes Paket',
      text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
    });
    const [stored] = await server.store.findMailsByMessageId('shop', [first]);
    const h = (await server.store.getHandoff(stored!.handoffId!))!;
    const state = async () =>
      new RegExp(`>${h.ticketId}</a></th>\\s*<td class="state-([a-z]+)">`).exec(
        (await agent.get('/inbox/?state=all&lang=en')).text,
      )?.[1];

    clock.now += 60_000;
    await agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Wir haben einen Nachforschungsauftrag gestellt.',
    });
    await until(() => sink.mails.some((m) => m.to.includes('tom@kunde.example')));
    const reply = sink.mails.find((m) => m.to.includes('tom@kunde.example'))!;
    expect(await state()).toBe('answered');

    await mailShop({
      subject: 'Re: Verlorenes Paket',
      inReplyTo: reply.parsed.messageId,
      references: [first, reply.parsed.messageId!],
      text: 'Gibt es schon etwas Neues? Ich brauche das Paket bis Freitag.',
    });
    expect((await server.store.listMessages(h.id)).map((m) => m.from)).toEqual([
      'agent',
      'visitor',
    ]);
    expect(await state()).toBe('waiting');
    expect((await agent.get('/inbox/?state=waiting')).text).toContain(h.ticketId);
    expect((await agent.get('/inbox/?state=answered')).text).not.toContain(h.ticketId);
  });
});
