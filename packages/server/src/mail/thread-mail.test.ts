// What comes into a conversation's mail thread besides the customer's answers: a vacation notice
// marked only as bulk mail, a stranger's mail, a bounce of an agent's reply; and a mail too long
// for the conversation, which agents can still read whole.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { until, useMailSuite } from '../test-support/mail.js';
import { send } from '../test-support/server.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';
const TEAM = 'admin@example.com';

describeStores('mail in a conversation’s thread', (target: StoreTarget) => {
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
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
  });

  /** A conversation of `from` with one reply of an agent, closed when `close`. */
  async function answeredConversation(from: string, text: string, close = false) {
    const id = await suite.mail({ from, subject: 'Beschädigte Lieferung', text });
    const [question] = await suite.server.store.findMailsByMessageId('shop', [id]);
    const handoffId = question!.handoffId!;
    await suite.server.notifier.settled();
    clock.now += 1000;
    await suite.agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/reply`, {
      text: 'Bitte schicken Sie uns ein Foto.',
    });
    await suite.server.notifier.settled();
    if (close) await suite.agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/close`);
    const reply = (await suite.server.store.listMailsOfHandoff(handoffId)).find(
      (m) => m.direction === 'out',
    )!;
    await until(() => suite.sink.mails.some((m) => m.parsed.messageId === reply.messageId));
    return { handoffId, reply };
  }
  const page = async (handoffId: string, lang: string) =>
    (await suite.agent.get(`/inbox/c/${encodeURIComponent(handoffId)}?lang=${lang}`)).text;
  const toTeam = () => suite.sink.mails.filter((m) => m.to.includes(TEAM)).length;

  it('keeps a vacation notice marked only as bulk mail from reopening or notifying', async () => {
    const { handoffId, reply } = await answeredConversation(
      'urlaub@kunde.example',
      'Ich möchte mit einem Mitarbeiter sprechen, die Lieferung ist beschädigt.',
      true,
    );
    const before = toTeam();
    const id = await suite.mail({
      from: 'urlaub@kunde.example',
      subject: 'Abwesenheitsnotiz',
      inReplyTo: reply.messageId!,
      references: [reply.messageId!],
      headers: { Precedence: 'bulk' },
      text: 'Ich bin bis zum 15.12. im Urlaub und lese meine E-Mails nicht.',
    });
    await suite.server.notifier.settled();
    expect(await suite.server.store.getHandoff(handoffId)).toMatchObject({ status: 'closed' });
    expect(toTeam()).toBe(before);
    const [kept] = await suite.server.store.findMailsByMessageId('shop', [id]);
    expect(kept).toMatchObject({ status: 'ignored', handoffId });
    expect(kept!.warning).toMatch(/^list: kept, never answered/);
    // Nor when it names the ticket instead of threading.
    const { ticketId } = (await suite.server.store.getHandoff(handoffId))!;
    await suite.mail({
      from: 'urlaub@kunde.example',
      subject: `Abwesenheitsnotiz: AW: Ihre Anfrage ${ticketId}`,
      headers: { Precedence: 'junk' },
      text: 'Ich bin bis zum 15.12. im Urlaub.',
    });
    await suite.server.notifier.settled();
    expect(await suite.server.store.getHandoff(handoffId)).toMatchObject({ status: 'closed' });
    expect(toTeam()).toBe(before);
    expect((await suite.server.store.listMessages(handoffId)).map((m) => m.from)).not.toContain(
      'visitor',
    );
  });

  it('shows a stranger’s mail in the thread under its real sender', async () => {
    const { handoffId, reply } = await answeredConversation(
      'nosub@kunde.example',
      'Ich will mit einem Mitarbeiter sprechen, meine Lieferung ist beschädigt angekommen.',
    );
    await suite.mail({
      from: 'Nosub Kunde <trudy@other.example>',
      subject: 'AW: Beschädigte Lieferung',
      inReplyTo: reply.messageId!,
      references: [reply.messageId!],
      text: 'Bitte stornieren Sie die Bestellung und überweisen Sie das Geld auf IBAN DE00 1234.',
    });
    const de = await page(handoffId, 'de');
    expect(de).toContain('trudy@other.example');
    expect(de).toContain(
      'Anderer Absender: Diese E-Mail kam von trudy@other.example, nicht von der Adresse der Kundin oder des Kunden (nosub@kunde.example).',
    );
    expect(await page(handoffId, 'en')).toContain(
      'Different sender: this mail came from trudy@other.example',
    );
    // The customer's own answer is not marked.
    await suite.mail({
      from: 'Nosub <NoSub@Kunde.example>',
      subject: 'AW: Beschädigte Lieferung',
      inReplyTo: reply.messageId!,
      references: [reply.messageId!],
      text: 'Das Foto schicke ich morgen, die Kamera ist kaputt.',
    });
    expect((await page(handoffId, 'de')).split('Anderer Absender:')).toHaveLength(2);
  });

  it('shows a bounced reply as not delivered, with the reason, and links the bounce to its conversation', async () => {
    const { handoffId, reply } = await answeredConversation(
      'weg@kunde.example',
      'Ich möchte mit einem Menschen sprechen, das Paket ist beschädigt.',
    );
    expect(await page(handoffId, 'de')).not.toContain('Nicht zugestellt');
    clock.now += 1000;
    const dsn = [
      'From: MAILER-DAEMON@mx.kunde.example',
      `To: ${SHOP}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <b1@mx.kunde.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="XX"',
      '',
      '--XX',
      'Content-Type: text/plain',
      '',
      'Mail could not be delivered.',
      '--XX',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.kunde.example',
      '',
      'Final-Recipient: rfc822; weg@kunde.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <weg@kunde.example>: Recipient address rejected',
      '--XX',
      'Content-Type: message/rfc822-headers',
      '',
      `Message-ID: ${reply.messageId}`,
      'Subject: Re: Beschädigte Lieferung',
      '--XX--',
      '',
    ].join('\r\n');
    await suite.client.sendMail({ envelope: { from: '', to: [SHOP] }, raw: dsn });
    await suite.server.mail.settled();
    expect(await suite.server.store.getMail(reply.id)).toMatchObject({ status: 'failed' });
    const [bounce] = await suite.server.store.findMailsByMessageId('shop', [
      '<b1@mx.kunde.example>',
    ]);
    expect(bounce).toMatchObject({ status: 'ignored', handoffId });
    expect(bounce!.warning).toContain(`returns mail ${reply.id}`);
    expect(bounce!.warning).toMatch(/^bounce: kept, never answered \(for <weg@kunde\.example>\)/);
    expect(await page(handoffId, 'de')).toContain('Nicht zugestellt: Die Antwort per E-Mail von');
    expect(await page(handoffId, 'de')).toContain('Recipient address rejected');
    expect(await page(handoffId, 'en')).toContain('came back undeliverable (550 5.1.1');
    // Never sent again, and the next reply does not thread to the bounce.
    clock.now += 10 * 60_000;
    expect(await suite.server.mail.retryFailed()).toBe(0);
    expect(await suite.server.store.getMail(reply.id)).toMatchObject({ status: 'failed' });
    await suite.agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/reply`, {
      text: 'Haben Sie eine andere Adresse?',
    });
    await suite.server.notifier.settled();
    const next = (await suite.server.store.listMailsOfHandoff(handoffId)).find(
      (m) => m.direction === 'out' && m.id !== reply.id,
    )!;
    await until(() => suite.sink.mails.some((m) => m.parsed.messageId === next.messageId));
    const sent = suite.sink.mails.find((m) => m.parsed.messageId === next.messageId)!;
    const thread = [sent.parsed.references ?? [], sent.parsed.inReplyTo ?? []].flat().join(' ');
    expect(thread).toContain(reply.messageId!);
    expect(thread).not.toContain('b1@mx.kunde.example');
  });

  it('keeps a delivered reply sent when a vacation notice, delay report or read receipt answers it', async () => {
    const { handoffId, reply } = await answeredConversation(
      'da@kunde.example',
      'Ich möchte mit einem Menschen sprechen, das Paket ist beschädigt.',
    );
    const sent = await suite.server.store.getMail(reply.id);
    expect(sent!.status).not.toBe('failed');
    const report = (id: string, type: string, part: string[]) =>
      [
        'From: MAILER-DAEMON@mx.kunde.example',
        `To: ${SHOP}`,
        'Subject: Delivery report',
        `Message-ID: ${id}`,
        `In-Reply-To: ${reply.messageId}`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=${type}; boundary="XX"`,
        '',
        '--XX',
        'Content-Type: text/plain',
        '',
        'Report.',
        '--XX',
        ...part,
        '--XX',
        'Content-Type: message/rfc822-headers',
        '',
        `Message-ID: ${reply.messageId}`,
        'Subject: Re: Beschädigte Lieferung',
        '--XX--',
        '',
      ].join('\r\n');
    const mails = [
      // A Sieve or Exchange out-of-office notice: an empty envelope sender (RFC 3834 §3.3).
      [
        'From: da@kunde.example',
        `To: ${SHOP}`,
        'Subject: Abwesenheitsnotiz: Re: Beschädigte Lieferung',
        'Message-ID: <v1@kunde.example>',
        `In-Reply-To: ${reply.messageId}`,
        `References: ${reply.messageId}`,
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Ich bin bis zum 15.12. nicht im Büro.',
        '',
      ].join('\r\n'),
      report('<d1@mx.kunde.example>', 'delivery-status', [
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.kunde.example',
        '',
        'Final-Recipient: rfc822; da@kunde.example',
        'Action: delayed',
        'Status: 4.4.7',
        'Will-Retry-Until: Tue, 25 Nov 2025 09:00:00 +0000',
      ]),
      report('<r1@kunde.example>', 'disposition-notification', [
        'Content-Type: message/disposition-notification',
        '',
        'Reporting-UA: kunde.example; Mail',
        'Final-Recipient: rfc822; da@kunde.example',
        `Original-Message-ID: ${reply.messageId}`,
        'Disposition: manual-action/MDN-sent-manually; displayed',
      ]),
    ];
    for (const raw of mails) {
      clock.now += 1000;
      await suite.client.sendMail({ envelope: { from: '', to: [SHOP] }, raw });
      await suite.server.mail.settled();
      expect(await suite.server.store.getMail(reply.id)).toMatchObject({
        status: sent!.status,
        warning: sent!.warning,
      });
    }
    expect(await page(handoffId, 'de')).not.toContain('Nicht zugestellt');
    // Each is kept with the conversation it answers.
    for (const id of ['<v1@kunde.example>', '<d1@mx.kunde.example>', '<r1@kunde.example>']) {
      const [kept] = await suite.server.store.findMailsByMessageId('shop', [id]);
      expect(kept).toMatchObject({ status: 'ignored', handoffId });
      expect(kept!.warning).not.toContain('returns mail');
    }
  });

  it('lets agents read a long mail whole, as text and as the original', async () => {
    const long = `Ich möchte mit einem Mitarbeiter sprechen.\n\n${'Sehr lange Beschreibung. '.repeat(400)}\nENDE-DER-MAIL`;
    const id = await suite.mail({ from: 'lang@kunde.example', subject: 'Lange Mail', text: long });
    const [mail] = await suite.server.store.findMailsByMessageId('shop', [id]);
    const handoffId = mail!.handoffId!;
    const de = await page(handoffId, 'de');
    expect(de).not.toContain('ENDE-DER-MAIL');
    expect(de).toContain(`href="/inbox/mails/${mail!.id}/text"`);
    // Each link's accessible name says which mail: the links repeat under every mail.
    const names = (body: string) => {
      const item = body.slice(body.lastIndexOf('<li', body.indexOf('class="mail-links"')));
      const shown = /<time [^>]*>([^<]+)<\/time>/.exec(item)?.[1];
      const links = [...item.matchAll(/<a href="\/inbox\/mails\/[^"]+"[^>]*>(.*?)<\/a>/g)];
      return { shown, links: links.map((m) => m[1]!.replace(/<[^>]+>/g, '')) };
    };
    const inDe = names(de);
    expect(inDe.shown).toBeTruthy();
    expect(inDe.links).toEqual([
      `Ganze E-Mail lesen (E-Mail vom ${inDe.shown})`,
      `Original (.eml) herunterladen (E-Mail vom ${inDe.shown})`,
    ]);
    const inEn = names(await page(handoffId, 'en'));
    expect(inEn.links).toEqual([
      `Read the whole mail (mail of ${inEn.shown})`,
      `Download the original (.eml) (mail of ${inEn.shown})`,
    ]);
    expect(de).toContain('<p class="mail-links">');
    expect(de).not.toMatch(/<p [^>]*aria-label/);

    const text = await suite.agent.get(`/inbox/mails/${mail!.id}/text`);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.headers['content-security-policy']).toContain('sandbox');
    expect(text.headers['x-content-type-options']).toBe('nosniff');
    expect(text.text).toContain('Subject: Lange Mail');
    expect(text.text).toContain('ENDE-DER-MAIL');
    const raw = await suite.agent.get(`/inbox/mails/${mail!.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('application/octet-stream');
    expect(raw.headers['content-disposition']).toMatch(/^attachment; filename="mail-.*\.eml"/);
    expect(raw.text).toContain(`Message-ID: ${id}`);

    // Agents only; and only a mail of a conversation.
    for (const path of [`/inbox/mails/${mail!.id}/text`, `/inbox/mails/${mail!.id}/raw`]) {
      const anonymous = await send(`${suite.server.url}${path}`);
      expect(anonymous.status).not.toBe(200);
      expect(anonymous.text).not.toContain('ENDE-DER-MAIL');
    }
    const out = (await suite.server.store.listMailsOfHandoff(handoffId)).find(
      (m) => m.direction === 'out',
    );
    expect(out).toBeUndefined();
    expect((await suite.agent.get(`/inbox/mails/${randomUUID()}/text`)).status).toBe(404);
  });
});
