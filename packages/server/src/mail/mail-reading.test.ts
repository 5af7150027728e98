// How the channel reads what arrives: whom to answer (Reply-To, never the site's own address), the
// customer's words under a quote and inside a forward, the same mail delivered twice, a mail
// without a subject, and bounces that name a visitor.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { type SunkMail, until, useMailSuite } from '../test-support/mail.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';

describeStores('reading mail: addresses, quotes, forwards, duplicates', (target: StoreTarget) => {
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
  const suite = useMailSuite(target, {
    site: {
      key: 'shop',
      title: 'Nordlicht',
      mail: {
        addresses: [SHOP, 'service@nordlicht.test'],
        from: `Nordlicht <${SHOP}>`,
        listener: { host: '127.0.0.1', port: 0 },
      },
    },
    clock,
  });

  const mailsTo = (address: string) => suite.sink.mails.filter((m) => m.to.includes(address));
  const storedMail = async (messageId: string) =>
    (await suite.server.store.findMailsByMessageId('shop', [messageId])).at(-1);
  const handoffOf = async (messageId: string) => {
    const mail = await storedMail(messageId);
    return mail?.handoffId == null ? undefined : suite.server.store.getHandoff(mail.handoffId);
  };
  /** The agent answers the conversation; resolves with the mail the customer got. */
  const agentReply = async (handoffId: string, to: string, text: string): Promise<SunkMail> => {
    const before = mailsTo(to).length;
    clock.now += 1000;
    const r = await suite.agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/reply`, { text });
    expect(r.status).toBe(303);
    await until(() => mailsTo(to).length > before);
    return mailsTo(to).at(-1)!;
  };

  it('answers a contact form’s mail at its Reply-To, never the form or the site itself', async () => {
    // A Reply-To in the sender's own domain gets the automatic answer.
    const own = await suite.mail({
      from: 'Shop Kontakt <kontakt@example.org>',
      replyTo: 'Lena <lena@example.org>',
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung?',
    });
    await until(() => mailsTo('lena@example.org').length >= 1);
    expect(await storedMail(own)).toMatchObject({
      status: 'answered',
      fromAddress: 'lena@example.org',
    });
    // One elsewhere could name anyone: the same standard question goes to a person, whose reply
    // goes to the Reply-To.
    const question = await suite.mail({
      from: 'Kontaktformular <formular@shop.example>',
      replyTo: 'Klaus <klaus@example.net>',
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung?',
    });
    const asked = (await handoffOf(question))!;
    expect(asked.email).toBe('klaus@example.net');
    expect(JSON.stringify(asked.classification)).toContain('Reply-To');
    await agentReply(asked.id, 'klaus@example.net', 'Zwei bis drei Werktage.');
    expect(mailsTo('klaus@example.net')).toHaveLength(1);

    // A form that sends From the shop's own address, through the shop's own mail server.
    const complaint = await suite.mail({
      envelope: { from: SHOP, to: SHOP },
      from: `Nordlicht Webformular <${SHOP}>`,
      replyTo: 'Greta <greta@example.net>',
      subject: 'Bestellung 4711',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    });
    const h = (await handoffOf(complaint))!;
    expect(h).toMatchObject({ email: 'greta@example.net' });
    const reply = await agentReply(h.id, 'greta@example.net', 'Das tut uns leid.');
    expect(reply.parsed.inReplyTo).toBe(complaint);
    await suite.server.notifier.settled();
    expect(mailsTo(SHOP)).toEqual([]);
    expect(mailsTo('formular@shop.example')).toEqual([]);

    // The customer's request for their data finds the conversation and its mails.
    const data = await suite.server.store.exportVisitor({ email: 'Greta@example.net' });
    expect(data.handoffs.map((x) => x.id)).toEqual([h.id]);
    expect(data.mails.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(
      (await suite.server.store.exportVisitor({ email: 'klaus@example.net' })).mails,
    ).toHaveLength(2);
    const deleted = await suite.server.store.deleteVisitor({ email: 'greta@example.net' });
    expect(deleted).toMatchObject({ handoffs: 1 });
    expect(await suite.server.store.getHandoff(h.id)).toBeUndefined();
    expect(await storedMail(complaint)).toBeUndefined();
  });

  it('hands on the words a customer wrote under the quote (bottom-posting)', async () => {
    const first = await suite.mail({
      from: 'tom@kunde.example',
      subject: 'Verlorenes Paket',
      text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
    });
    const h = (await handoffOf(first))!;
    const reply = await agentReply(h.id, 'tom@kunde.example', 'Wir haben nachgefragt.');
    await suite.mail({
      from: 'tom@kunde.example',
      subject: 'Re: Verlorenes Paket',
      inReplyTo: reply.parsed.messageId,
      references: [first, reply.parsed.messageId!],
      text: `Am 24.11.2025 um 10:00 schrieb Nordlicht <${SHOP}>:\n> Wir haben nachgefragt.\n>\n> — Ihr Team\n\nEs ist immer noch nicht da. Bitte schicken Sie Ersatz, Bestellung 4711.\n\n-- \nTom Muster\nMusterweg 1`,
    });
    const messages = await suite.server.store.listMessages(h.id);
    expect(messages.at(-1)).toMatchObject({
      from: 'visitor',
      text: 'Re: Verlorenes Paket\n\nEs ist immer noch nicht da. Bitte schicken Sie Ersatz, Bestellung 4711.',
    });
  });

  it('keeps a forwarded mail in what the agent reads and triage decides, and strips a reply’s quote', async () => {
    const forward = await suite.mail({
      from: 'ina@kunde.example',
      subject: 'Fwd: Ihre Bestellung',
      text: [
        'Können Sie sich das bitte ansehen?',
        '',
        '---------- Forwarded message ---------',
        'From: Ina Muster <ina@kunde.example>',
        'Date: Mon, 17 Nov 2025 at 08:00',
        'Subject: Ihre Bestellung',
        'To: Nachbar <nachbar@kunde.example>',
        '',
        'Die Lieferung zu Bestellung 4711 ist kaputt angekommen. Wenn das nicht geklärt wird, werde ich meinen Anwalt einschalten.',
      ].join('\n'),
    });
    const h = (await handoffOf(forward))!;
    expect(h.message).toContain('Können Sie sich das bitte ansehen?');
    expect(h.message).toContain('Bestellung 4711');
    expect(h.message).toContain('meinen Anwalt einschalten');
    // Read from the forwarded words: the customer's own line asks nothing of the kind.
    expect(h.classification).toMatchObject({ signals: expect.arrayContaining(['complaint']) });

    // An Outlook reply quoting the shop's answer: only the new words.
    const reply = await agentReply(h.id, 'ina@kunde.example', 'Wir kümmern uns darum.');
    await suite.mail({
      from: 'ina@kunde.example',
      subject: 'AW: Fwd: Ihre Bestellung',
      inReplyTo: reply.parsed.messageId,
      text: `Danke, und wann kommt der Ersatz?\n\n-----Ursprüngliche Nachricht-----\nVon: Nordlicht <${SHOP}>\nGesendet: Montag, 24. November 2025 10:00\nBetreff: Re: Fwd: Ihre Bestellung\n\nWir kümmern uns darum.`,
    });
    expect((await suite.server.store.listMessages(h.id)).at(-1)).toMatchObject({
      from: 'visitor',
      text: 'AW: Fwd: Ihre Bestellung\n\nDanke, und wann kommt der Ersatz?',
    });
  });

  it('decides a mail delivered twice once: one answer, the copy kept as a duplicate', async () => {
    const messageId = `<${randomUUID()}@kunde.example>`;
    const mail = {
      from: 'ute@kunde.example',
      to: SHOP,
      messageId,
      subject: 'Lieferzeit',
      text: 'Wie lange dauert die Lieferung?',
    };
    clock.now += 1000;
    await suite.client.sendMail(mail);
    await suite.server.mail.settled();
    clock.now += 1000;
    await suite.client.sendMail(mail);
    // The same mail read from the mailbox over IMAP too.
    const first = (await storedMail(messageId))!;
    const raw = (await suite.server.store.getMail(first.id))!.raw;
    await suite.server.mail.receive(
      'shop',
      { envelopeFrom: 'ute@kunde.example', envelopeTo: [SHOP], raw },
      'imap:lotse@imap.nordlicht.test/INBOX:1:7',
    );
    await suite.server.mail.settled();
    await suite.server.notifier.settled();
    expect(mailsTo('ute@kunde.example')).toHaveLength(1);
    const copies = await suite.server.store.findMailsByMessageId('shop', [messageId]);
    expect(copies.map((m) => m.status).sort()).toEqual(['answered', 'ignored', 'ignored']);
    for (const copy of copies.filter((m) => m.status === 'ignored'))
      expect(copy.warning).toBe(
        `duplicate of mail ${first.id} (same Message-ID): kept, not decided again`,
      );

    // A complaint delivered twice is one ticket; its copy goes with the conversation.
    const before = await suite.server.store.countHandoffs('shop');
    const complaint = {
      from: 'jan@kunde.example',
      to: SHOP,
      messageId: `<${randomUUID()}@kunde.example>`,
      subject: 'Bestellung 4712',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    };
    await suite.client.sendMail(complaint);
    await suite.server.mail.settled();
    clock.now += 1000;
    await suite.client.sendMail(complaint);
    await suite.server.mail.settled();
    expect(await suite.server.store.countHandoffs('shop')).toBe(before + 1);
    const both = await suite.server.store.findMailsByMessageId('shop', [complaint.messageId]);
    expect(new Set(both.map((m) => m.handoffId)).size).toBe(1);
    expect(both[0]!.handoffId).not.toBeNull();
  });

  it('gives a reply to a mail without a subject a subject in the customer’s language', async () => {
    const question = await suite.mail({
      from: 'eva@kunde.example',
      subject: '',
      text: 'Wie lange dauert die Lieferung?',
    });
    await until(() => mailsTo('eva@kunde.example').length >= 1);
    expect(mailsTo('eva@kunde.example')[0]!.parsed.subject).toBe('Re: Ihre Anfrage an Nordlicht');
    expect(await storedMail(question)).toMatchObject({ status: 'answered' });

    const complaint = await suite.mail({
      from: 'ole@kunde.example',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    });
    const h = (await handoffOf(complaint))!;
    const reply = await agentReply(h.id, 'ole@kunde.example', 'Das tut uns leid.');
    expect(reply.parsed.subject).toBe(`Re: Ihre Anfrage ${h.ticketId}`);
  });

  it('finds a bounce that names a visitor in their export and deletes it with them', async () => {
    const bounce = (to: string) =>
      [
        'From: MAILER-DAEMON@mx.example.net',
        `To: ${SHOP}`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${randomUUID()}@mx.example.net>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        `I could not deliver your message to <${to}>.`,
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.net',
        '',
        `Final-Recipient: rfc822; ${to}`,
        'Action: failed',
        'Status: 5.1.1',
        '--B',
        'Content-Type: message/rfc822',
        '',
        `From: ${SHOP}`,
        `To: ${to}`,
        'Subject: Re: Paket',
        '',
        'Ihr Paket ist unterwegs.',
        '--B--',
        '',
      ].join('\r\n');
    for (const to of ['Max_Muster@example.net', 'maxa_muster@example.net']) {
      clock.now += 1000;
      await suite.client.sendMail({ envelope: { from: '', to: [SHOP] }, raw: bounce(to) });
    }
    await suite.server.mail.settled();
    const data = await suite.server.store.exportVisitor({ email: 'max_muster@example.net' });
    expect(data.mails).toHaveLength(1);
    expect(data.mails[0]!.text).toContain('Final-Recipient: rfc822; Max_Muster@example.net');
    // "_" matches itself only: maxa_muster's bounce is not max_muster's, nor "max%muster"'s.
    expect(
      (await suite.server.store.exportVisitor({ email: 'max%muster@example.net' })).mails,
    ).toEqual([]);
    expect(
      await suite.server.store.deleteVisitor({ email: 'max_muster@example.net' }),
    ).toMatchObject({
      mails: 1,
    });
    expect(
      (await suite.server.store.exportVisitor({ email: 'max_muster@example.net' })).mails,
    ).toEqual([]);
    expect(
      (await suite.server.store.exportVisitor({ email: 'maxa_muster@example.net' })).mails,
    ).toHaveLength(1);
    expect(suite.errors).toEqual([]);
  });

  it('joins a reply that lost its thread headers to the same customer’s conversation by its subject', async () => {
    const first = await suite.mail({
      from: 'peter@kunde.example',
      subject: 'Beschädigte Lieferung',
      text: 'Das Paket kam zerdrückt an, der Inhalt ist kaputt. Ich will mit einem Menschen sprechen.',
    });
    const h = (await handoffOf(first))!;
    await agentReply(h.id, 'peter@kunde.example', 'Wir schicken Ihnen Ersatz.');
    // A new mail (no In-Reply-To, no References) with the subject of the reply.
    const again = await suite.mail({
      from: 'Peter <peter@kunde.example>',
      subject: 'AW: Re: Beschädigte Lieferung',
      text: 'Wann kommt der Ersatz?',
    });
    expect((await storedMail(again))!.handoffId).toBe(h.id);
    expect((await suite.server.store.listMessages(h.id)).at(-1)?.text).toContain(
      'Wann kommt der Ersatz?',
    );
    // Another customer under the same subject, and a new mail without "Re:", start their own.
    const other = await suite.mail({
      from: 'paula@kunde.example',
      subject: 'Re: Beschädigte Lieferung',
      text: 'Meine Lieferung war auch beschädigt.',
    });
    const fresh = await suite.mail({
      from: 'peter@kunde.example',
      subject: 'Beschädigte Lieferung',
      text: 'Noch ein zweites Paket kam beschädigt an.',
    });
    for (const id of [other, fresh]) {
      const mail = (await storedMail(id))!;
      expect(mail.handoffId).not.toBeNull();
      expect(mail.handoffId).not.toBe(h.id);
    }
    expect(suite.errors).toEqual([]);
  });
});
