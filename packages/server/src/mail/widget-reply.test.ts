// An agent's reply to a widget visitor on a site with a mail channel goes out like a reply in a mail
// thread: from the site's address, stored, retried while the mail server is down, shown as not
// delivered until it is, and the visitor's answer comes back into the conversation (by its thread
// headers, or by the ticket id in the subject when a client dropped them).
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { handoffRequest } from '../test-support/fixtures.js';
import { until, useMailSuite } from '../test-support/mail.js';
import { SHOP_ORIGIN, send } from '../test-support/server.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';

describeStores('an agent’s reply to a widget visitor', (target: StoreTarget) => {
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
  const suite = useMailSuite(target, {
    site: {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [SHOP_ORIGIN],
      mail: {
        addresses: [SHOP],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0 },
      },
    },
    clock,
  });

  /** A widget handoff of `email`; resolves with its conversation. */
  const widgetHandoff = async (email: string) => {
    const r = await send(`${suite.server.url}/v1/handoffs`, {
      method: 'POST',
      headers: { origin: SHOP_ORIGIN },
      body: handoffRequest({ siteKey: 'shop', email, locale: 'de' }),
    });
    expect(r.status).toBe(201);
    // The team's mail about it is out before a test turns the mail server off.
    await suite.server.notifier.settled();
    const ticketId = r.json.ticketId as string;
    const [h] = (await suite.server.store.listHandoffs({ limit: 100 })).filter(
      (x) => x.ticketId === ticketId,
    );
    return h!;
  };
  const mailsTo = (address: string) => suite.sink.mails.filter((m) => m.to.includes(address));

  it('is sent from the site’s address, retried while SMTP is down, and threads the answer back', async () => {
    const h = await widgetHandoff('wanda@kunde.example');
    const page = async (lang: string) =>
      (await suite.agent.get(`/inbox/c/${encodeURIComponent(h.id)}?lang=${lang}`)).text;

    suite.sink.refuse(true);
    clock.now += 1000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Bitte bestätigen Sie Ihre Adresse.',
    });
    await suite.server.notifier.settled();
    const [reply] = await suite.server.store.listMailsOfHandoff(h.id);
    expect(reply).toMatchObject({ direction: 'out', status: 'failed' });
    expect(await page('de')).toContain('Noch nicht zugestellt: die Antwort per E-Mail von');

    suite.sink.refuse(false);
    clock.now += 61_000;
    expect(await suite.server.mail.retryFailed()).toBe(1);
    const [sent] = mailsTo('wanda@kunde.example');
    expect(sent!.parsed.from?.value[0]?.address).toBe(SHOP);
    expect(sent!.parsed.messageId).toBe(reply!.messageId);
    expect(sent!.parsed.subject).toBe(`Nordlicht: Antwort auf Ihre Anfrage ${h.ticketId}`);
    expect(sent!.parsed.text).toContain('Bitte bestätigen Sie Ihre Adresse.');
    expect(await page('de')).not.toMatch(/nicht zugestellt/i);

    // Her answer in the thread joins the conversation instead of becoming a new ticket.
    clock.now += 1000;
    await suite.client.sendMail({
      from: 'Wanda <wanda@kunde.example>',
      to: SHOP,
      messageId: `<${randomUUID()}@kunde.example>`,
      subject: `Re: ${sent!.parsed.subject}`,
      inReplyTo: reply!.messageId!,
      references: [reply!.messageId!],
      text: 'Ja, die Adresse ist Hauptstr. 1, 12345 Berlin.',
    });
    await suite.server.mail.settled();
    // Another client drops the thread headers; the subject still names the ticket.
    clock.now += 1000;
    await suite.client.sendMail({
      from: 'wanda@kunde.example',
      to: SHOP,
      messageId: `<${randomUUID()}@kunde.example>`,
      subject: `AW: Ihre Anfrage ${h.ticketId.toLowerCase()}`,
      text: 'Und die Hausnummer ist 1a, nicht 1.',
    });
    await suite.server.mail.settled();
    const texts = (await suite.server.store.listMessages(h.id)).map((m) => [m.from, m.text]);
    expect(texts).toEqual([
      ['agent', 'Bitte bestätigen Sie Ihre Adresse.'],
      ['visitor', expect.stringContaining('Hauptstr. 1, 12345 Berlin')],
      ['visitor', expect.stringContaining('Hausnummer ist 1a')],
    ]);
    expect((await suite.server.store.listHandoffs({ limit: 100 })).length).toBe(1);

    // The next reply continues her thread.
    clock.now += 1000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, { text: 'Danke!' });
    await suite.server.notifier.settled();
    await until(() => mailsTo('wanda@kunde.example').length >= 2);
    const next = mailsTo('wanda@kunde.example')[1]!;
    expect(next.parsed.subject).toBe(`Re: Nordlicht: Antwort auf Ihre Anfrage ${h.ticketId}`);
    expect(next.parsed.references).toContain(reply!.messageId);
    // Still a widget conversation, though its replies are mails now.
    const replied = (await suite.server.store.listEvents({ siteKey: 'shop', limit: 5000 }))
      .filter((e) => e.type === 'agent.replied')
      .map((e) => e.props as { ticketId?: string; channel?: string })
      .filter((p) => p.ticketId === h.ticketId);
    expect(replied.map((p) => p.channel)).toEqual(['widget', 'widget']);
    expect(suite.errors).toEqual([]);
  });

  it('takes a ticket id in a subject only from that conversation’s customer', async () => {
    const h = await widgetHandoff('otto@kunde.example');
    clock.now += 1000;
    await suite.client.sendMail({
      from: 'mallory@evil.example',
      replyTo: 'otto@kunde.example',
      to: SHOP,
      messageId: `<${randomUUID()}@evil.example>`,
      subject: `AW: Ihre Anfrage ${h.ticketId}`,
      text: 'Bitte ändern Sie die Lieferadresse, ich möchte mit einem Menschen sprechen.',
    });
    await suite.server.mail.settled();
    expect(await suite.server.store.listMessages(h.id)).toEqual([]);
  });
});
