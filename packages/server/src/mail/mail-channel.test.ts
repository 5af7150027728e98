import { expect, it } from 'vitest';
import { signUserId } from '../sites/identity.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { cookiesOf, csrfOf, form } from '../test-support/login.js';
import { type SunkMail, until, useMailSuite } from '../test-support/mail.js';
import { SHOP_IDENTITY_SECRET, SHOP_ORIGIN, send } from '../test-support/server.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';

describeStores('mail channel over SMTP', (target: StoreTarget) => {
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
  const suite = useMailSuite(target, {
    site: {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [SHOP_ORIGIN],
      identitySecret: SHOP_IDENTITY_SECRET,
      mail: {
        addresses: [SHOP, 'service@nordlicht.test'],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0, maxBytes: 256 * 1024 },
      },
    },
    clock,
    server: { mailReplyRule: { capacity: 1, refillPerSecond: 1e-9 } },
  });

  const mailsTo = (address: string) => suite.sink.mails.filter((m) => m.to.includes(address));
  /** Asks a standard question by mail as `from` and waits for the automatic reply. */
  const automaticReplyTo = async (from: string, subject: string): Promise<SunkMail> => {
    await suite.mail({ from, subject, text: 'Wie bekomme ich ein Rücksendeetikett?' });
    await until(() => mailsTo(from).length >= 1);
    return mailsTo(from)[0]!;
  };
  const handoffOf = async (mailMessageId: string) => {
    const mails = await suite.server.store.findMailsByMessageId('shop', [mailMessageId]);
    return mails[0]?.handoffId == null
      ? undefined
      : suite.server.store.getHandoff(mails[0].handoffId);
  };

  it('answers a German standard question with the prepared German answer, in its thread', async () => {
    const id = await suite.mail({
      from: 'Eva Muster <eva@kunde.example>',
      subject: 'Lieferzeit',
      text: 'Hallo,\n\nwie lange dauert die Lieferung nach Österreich?\n\nViele Grüße\nEva\n\n-- \nEva Muster\nMusterweg 1',
    });
    await until(() => mailsTo('eva@kunde.example').length >= 1);
    const [reply] = mailsTo('eva@kunde.example') as [SunkMail];
    expect(reply.parsed.subject).toBe('Re: Lieferzeit');
    expect(reply.parsed.inReplyTo).toBe(id);
    expect(reply.parsed.references).toEqual(id);
    expect(reply.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    // An automatic reply goes out with an empty envelope sender: its bounce cannot loop back.
    expect(reply.from).toBe('');
    expect(reply.parsed.text).toContain('Hat das Ihre Frage beantwortet?');
    expect(reply.parsed.text).toContain('Werktage');
    const [stored] = await suite.server.store.findMailsByMessageId('shop', [id]);
    expect(stored).toMatchObject({ status: 'answered', entryId: 'delivery-time' });
    expect(stored!.raw.length).toBe(0);
    expect((await suite.server.store.getMail(stored!.id))!.raw.toString('utf8')).toContain(
      'Musterweg 1',
    );
    expect(await suite.server.store.countHandoffs('shop')).toBe(0);

    // "Did this solve it?": the link asks to confirm (scanners follow links), the post records it.
    const link = /Ja: (\S+)/.exec(reply.parsed.text ?? '')![1]!;
    const page = await send(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ja, meine Frage ist beantwortet');
    expect((await suite.server.store.getMail(stored!.id))!.rating).toBeNull();
    const posted = await send(`${suite.server.url}${new URL(link).pathname}`, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), answer: 'yes' }),
    });
    expect(posted.status).toBe(200);
    expect((await suite.server.store.getMail(stored!.id))!.rating).toBe(true);
    const rated = (await suite.server.store.listEvents({ siteKey: 'shop' })).filter(
      (e) => e.type === 'answer.rated',
    );
    expect(rated.map((e) => e.props)).toEqual([
      expect.objectContaining({ entryId: 'delivery-time', helpful: true }),
    ]);
    const forged = await send(`${suite.server.url}/mail/rate/${stored!.id}.AAAA`);
    expect(forged.status).toBe(404);
  });

  it('answers an English question in English, and a "no" on the link hands it to a person', async () => {
    const id = await suite.mail({
      from: 'ann@customer.example',
      subject: 'Delivery',
      text: 'How long does delivery take?',
    });
    await until(() => mailsTo('ann@customer.example').length >= 1);
    const [reply] = mailsTo('ann@customer.example') as [SunkMail];
    expect(reply.parsed.text).toContain('Did this answer your question?');
    const link = /No: (\S+)/.exec(reply.parsed.text ?? '')![1]!;
    const page = await send(link);
    expect(page.text).toContain('No, I still need help');
    const posted = await send(`${suite.server.url}${new URL(link).pathname}?lang=en`, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), answer: 'no' }),
    });
    expect(posted.text).toContain('A person from our team will get back to you');
    const h = await handoffOf(id);
    expect(h).toMatchObject({ email: 'ann@customer.example', level: 1, topic: 'shipping' });
    expect(h!.classification).toMatchObject({
      reasons: expect.arrayContaining(['The customer said the automatic reply did not help.']),
    });
    // In the widget, with a signed identify for her address, the question shows once.
    const listed = await send(`${suite.server.url}/v1/sites/shop/conversations`, {
      headers: {
        origin: SHOP_ORIGIN,
        'x-lotse-user': 'u-ann',
        'x-lotse-email': 'ann@customer.example',
        'x-lotse-signature': signUserId(SHOP_IDENTITY_SECRET, 'u-ann', 'ann@customer.example'),
      },
    });
    expect(listed.status).toBe(200);
    const [conversation] = listed.json.conversations as {
      messages: { from: string; text: string }[];
    }[];
    expect(conversation!.messages.map((m) => [m.from, m.text])).toEqual([
      ['visitor', 'Delivery\n\nHow long does delivery take?'],
    ]);
  });

  it('hands a hidden complaint and a level-2 question to the inbox with level, topic and SLA', async () => {
    const complaint = await suite.mail({
      from: 'jan@kunde.example',
      subject: 'Bestellung 4711',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    });
    const lost = await suite.mail({
      from: 'ola@kunde.example',
      subject: 'Paket',
      text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
    });
    const c = await handoffOf(complaint);
    expect(c).toMatchObject({ level: 2, topic: 'complaints', email: 'jan@kunde.example' });
    expect(c!.classification).toMatchObject({ signals: ['complaint'] });
    // Level 2 answers within 240 minutes; the site is always open.
    expect(c!.respondBy).toBe(new Date(c!.createdAt + 240 * 60_000).toISOString());
    const l = await handoffOf(lost);
    expect(l).toMatchObject({ level: 2, topic: 'shipping', respondWithinMinutes: 240 });
    expect(mailsTo('jan@kunde.example')).toHaveLength(0);
    expect(mailsTo('ola@kunde.example')).toHaveLength(0);
    const page = await suite.agent.get(`/inbox/c/${encodeURIComponent(c!.id)}`);
    expect(page.text).toContain('Per E-Mail eingegangen.');
    const created = (await suite.server.store.listEvents({ siteKey: 'shop', limit: 5000 })).filter(
      (e) => e.type === 'handoff.created',
    );
    expect(created.map((e) => e.props)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          level: 2,
          topic: 'complaints',
          reason: 'complaint',
        }),
      ]),
    );
  });

  it('sends the agent’s reply in the mail thread and threads the customer’s answer back', async () => {
    const first = await suite.mail({
      from: 'tom@kunde.example',
      subject: 'Verlorenes Paket',
      text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
    });
    const h = (await handoffOf(first))!;
    clock.now += 1000;
    const r = await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Wir haben einen Nachforschungsauftrag gestellt.',
    });
    expect(r.status).toBe(303);
    await until(() => mailsTo('tom@kunde.example').length >= 1);
    const [reply] = mailsTo('tom@kunde.example') as [SunkMail];
    expect(reply.parsed.subject).toBe('Re: Verlorenes Paket');
    expect(reply.parsed.inReplyTo).toBe(first);
    expect(reply.parsed.text).toContain('Nachforschungsauftrag');
    expect(reply.parsed.headers.get('auto-submitted')).toBeUndefined();
    const replied = (await suite.server.store.listEvents({ siteKey: 'shop', limit: 5000 })).filter(
      (e) => e.type === 'agent.replied',
    );
    expect(replied.map((e) => e.props)).toEqual([
      expect.objectContaining({ channel: 'email', first: true }),
    ]);
    // Only the threaded reply: not the plain notification too.
    await suite.server.notifier.settled();
    expect(mailsTo('tom@kunde.example')).toHaveLength(1);

    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/close`);
    await suite.mail({
      from: 'tom@kunde.example',
      subject: 'Re: Verlorenes Paket',
      inReplyTo: reply.parsed.messageId,
      references: [first, reply.parsed.messageId!],
      text: `Danke, ich warte.\n\nAm 24.11.2025 schrieb Nordlicht <${SHOP}>:\n> Wir haben einen Nachforschungsauftrag gestellt.`,
    });
    const messages = await suite.server.store.listMessages(h.id);
    expect(messages.map((m) => [m.from, m.text])).toEqual([
      ['agent', 'Wir haben einen Nachforschungsauftrag gestellt.'],
      ['visitor', 'Re: Verlorenes Paket\n\nDanke, ich warte.'],
    ]);
    expect((await suite.server.store.getHandoff(h.id))!.status).toBe('open');
    expect(await suite.server.store.countHandoffs('shop')).toBe(4);
  });

  it('hands a customer who answers the automatic reply to a person', async () => {
    const auto = await automaticReplyTo('ute@kunde.example', 'Retoure');
    const answer = await suite.mail({
      from: 'ute@kunde.example',
      subject: 'Re: Retoure',
      inReplyTo: auto.parsed.messageId,
      text: 'Das Portal zeigt mir keinen Button an.',
    });
    const h = await handoffOf(answer);
    expect(h).toMatchObject({ email: 'ute@kunde.example' });
    expect(h!.classification).toMatchObject({
      reasons: expect.arrayContaining([
        'Die Kundin oder der Kunde hat auf die automatische Antwort geantwortet: ein Mensch übernimmt.',
      ]),
    });
    expect(h!.transcript).toEqual([
      expect.objectContaining({
        from: 'visitor',
        text: expect.stringContaining('Rücksendeetikett'),
      }),
      expect.objectContaining({ from: 'bot' }),
    ]);
    // No second automatic reply.
    await suite.server.notifier.settled();
    expect(mailsTo('ute@kunde.example')).toHaveLength(1);
  });

  it('keeps the answered topic for a reply to the automatic answer that names none', async () => {
    const auto = await automaticReplyTo('jo@kunde.example', 'Hilfe');
    const answer = await suite.mail({
      from: 'jo@kunde.example',
      subject: 'Re: Hilfe',
      inReplyTo: auto.parsed.messageId,
      references: [auto.parsed.inReplyTo!, auto.parsed.messageId!],
      text: 'Das geht leider nicht, der Button fehlt bei mir.',
    });
    const h = await handoffOf(answer);
    const [question] = await suite.server.store.findMailsByMessageId('shop', [
      auto.parsed.inReplyTo ?? '',
    ]);
    expect(question?.entryId).toBe('returns-label');
    expect(h).toMatchObject({ topic: 'returns' });
    expect(h!.classification).toMatchObject({
      signals: expect.not.arrayContaining(['out-of-scope']),
    });
    // The agent's answer continues the whole thread: the question, the automatic reply, the answer.
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h!.id)}/reply`, {
      text: 'Wir prüfen das.',
    });
    await until(() => mailsTo('jo@kunde.example').length >= 2);
    expect(mailsTo('jo@kunde.example')[1]!.parsed.references).toEqual([
      auto.parsed.inReplyTo,
      auto.parsed.messageId,
      answer,
    ]);
  });

  it('keeps a thank-you for the automatic reply, or after a close, without a person or a reopen', async () => {
    const auto = await automaticReplyTo('kai@kunde.example', 'Etikett');
    const handoffsBefore = await suite.server.store.countHandoffs('shop');
    const thanks = await suite.mail({
      from: 'kai@kunde.example',
      subject: 'Re: Etikett',
      inReplyTo: auto.parsed.messageId,
      text: 'Danke, hat geklappt!',
    });
    expect(await suite.server.store.countHandoffs('shop')).toBe(handoffsBefore);
    const [kept] = await suite.server.store.findMailsByMessageId('shop', [thanks]);
    expect(kept).toMatchObject({ status: 'ignored', handoffId: null });
    expect(kept!.warning).toContain('thanks only');
    // Words under the quote, or a new mail whose subject asks, reach a person.
    const below = await suite.mail({
      from: 'kai@kunde.example',
      subject: 'Re: Etikett',
      inReplyTo: auto.parsed.messageId,
      text: 'Danke für die Antwort.\n\nAm 24.11.2025 schrieb Nordlicht:\n> Das Etikett …\n\nAber der Drucker druckt es nicht.',
    });
    const fresh = await suite.mail({
      from: 'kai@kunde.example',
      subject: 'Rechnung 4711 bitte nochmal schicken',
      text: 'Danke!',
    });
    for (const id of [below, fresh]) expect(await handoffOf(id), id).toBeDefined();

    // After an agent's close, a thank-you joins the conversation and leaves it closed.
    const first = await suite.mail({
      from: 'lea@kunde.example',
      subject: 'Paket beschädigt',
      text: 'Mein Paket kam beschädigt an, der Karton war aufgerissen.',
    });
    const h = (await handoffOf(first))!;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Ersatz ist unterwegs.',
    });
    await until(() => mailsTo('lea@kunde.example').length >= 1);
    const [reply] = mailsTo('lea@kunde.example') as [SunkMail];
    await suite.agent.post(`/inbox/c/${encodeURIComponent(h.id)}/close`);
    await suite.mail({
      from: 'lea@kunde.example',
      subject: 'Re: Paket beschädigt',
      inReplyTo: reply.parsed.messageId,
      references: [first, reply.parsed.messageId!],
      text: 'Vielen Dank!',
    });
    const messages = await suite.server.store.listMessages(h.id);
    expect(messages.at(-1)).toMatchObject({
      from: 'visitor',
      text: 'Re: Paket beschädigt\n\nVielen Dank!',
    });
    expect((await suite.server.store.getHandoff(h.id))!.status).toBe('closed');
  });

  it('never answers an auto-reply, a bounce or a list, and limits replies per sender', async () => {
    const before = suite.sink.mails.length;
    await suite.mail({
      from: 'urlaub@kunde.example',
      subject: 'Abwesenheitsnotiz: Lieferzeit',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'Wie lange dauert die Lieferung?',
    });
    await suite.mail({
      envelope: { from: '', to: SHOP },
      from: 'MAILER-DAEMON@mx.kunde.example',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'Wie lange dauert die Lieferung?',
    });
    await suite.mail({
      from: 'liste@kunde.example',
      subject: 'Lieferzeit',
      headers: { 'List-Id': '<kunden.kunde.example>', Precedence: 'list' },
      text: 'Wie lange dauert die Lieferung?',
    });
    await suite.mail({
      from: 'max@kunde.example',
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung?',
    });
    const limited = await suite.mail({
      from: 'max@kunde.example',
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung?',
    });
    await suite.server.notifier.settled();
    // The agents hear of the handoffs; the senders get nothing but the one reply to max.
    const toCustomers = suite.sink.mails
      .slice(before)
      .filter((m) => !m.to.includes('admin@example.com'));
    expect(toCustomers.map((m) => m.to)).toEqual([['max@kunde.example']]);
    // The mails of this test (a thank-you of an earlier one is kept the same way).
    const ignored = (await suite.server.store.listMails('shop', 100)).filter(
      (m) => m.status === 'ignored' && !m.warning?.startsWith('thanks only'),
    );
    expect(ignored.map((m) => m.warning?.split(':')[0]).sort()).toEqual(['auto-reply', 'bounce']);
    expect((await handoffOf(limited))!.classification).toMatchObject({
      reasons: expect.arrayContaining([
        'Automatische Antworten an diesen Absender sind für jetzt ausgeschöpft.',
      ]),
    });
  });

  it('refuses other recipients and mail over the size limit, and acknowledges only stored mail', async () => {
    await expect(
      suite.client.sendMail({ from: 'a@kunde.example', to: 'fremd@nordlicht.test', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      suite.client.sendMail({ from: 'a@kunde.example', to: SHOP, text: 'x'.repeat(300 * 1024) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    clock.now += 1000;
    const info = await suite.client.sendMail({
      from: 'b@kunde.example',
      to: SHOP,
      subject: 'Hallo',
      text: 'Hallo',
    });
    expect(info.accepted).toEqual([SHOP]);
    // Acknowledged means stored: the row is there the moment the 250 arrived.
    const rows = await suite.server.store.listMails('shop', 1);
    expect(rows[0]?.envelopeFrom).toBe('b@kunde.example');
    await suite.server.mail.settled();
  });

  it('keeps hostile mail inert, stores broken MIME with a warning and keeps listening', async () => {
    const vectors = [...h5sc.slice(0, 40), ...blns.filter((_, i) => i % 40 === 0)];
    const ids: string[] = [];
    for (const [i, v] of vectors.entries()) {
      ids.push(
        await suite.mail({
          from: `h${i}@kunde.example`,
          subject: `${v}\r\nBcc: evil@evil.example`,
          text: `Ich will einen Menschen sprechen. ${v}`,
          html: `<p>Ich will einen Menschen sprechen.</p>${v}<script>alert(1)</script><img src=x onerror=alert(2)>`,
        }),
      );
    }
    // Header injection through a raw message and broken MIME: kept, never a crash.
    await suite.client.sendMail({
      envelope: { from: 'raw@kunde.example', to: [SHOP] },
      raw: `From: raw@kunde.example\r\nTo: ${SHOP}\r\nSubject: =?utf-8?B?broken\r\nContent-Type: multipart/mixed; boundary="x"\r\nMessage-ID: <raw-1@kunde.example>\r\n\r\n--x\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64<svg onload=alert(1)>\r\n--x`,
    });
    await suite.client.sendMail({
      envelope: { from: 'nul@kunde.example', to: [SHOP] },
      raw: Buffer.from('\u0000\u0001\u0002 not a mail at all \uffff', 'utf8'),
    });
    await suite.server.mail.settled();
    expect(suite.sink.mails.some((m) => m.to.includes('evil@evil.example'))).toBe(false);
    const list = await suite.agent.get('/inbox/');
    expect(list.status).toBe(200);
    expectInertPage(list.text, 'inbox list');
    for (const id of ids) {
      const h = await handoffOf(id);
      expect(h, id).toBeDefined();
      const page = await suite.agent.get(`/inbox/c/${encodeURIComponent(h!.id)}`);
      expect(page.status).toBe(200);
      expectInertPage(page.text, id);
      expect(page.text).not.toContain('<script>alert(1)');
    }
    const raw = (await suite.server.store.listMails('shop', 500)).find(
      (m) => m.envelopeFrom === 'raw@kunde.example',
    );
    expect(raw?.status).toMatch(/handed_off|failed/);
    expect(suite.errors).toEqual([]);
    // Still listening.
    const info = await suite.client.sendMail({ from: 'c@kunde.example', to: SHOP, text: 'Hallo' });
    expect(info.accepted).toEqual([SHOP]);
    await suite.server.mail.settled();
  }, 120_000);
});
