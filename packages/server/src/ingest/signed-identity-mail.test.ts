import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { signUserId } from '../sites/identity.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { type SunkMail, startSmtpSink, until } from '../test-support/mail.js';
import {
  SHOP_IDENTITY_SECRET,
  SHOP_ORIGIN,
  startTestServer,
  type TestServer,
} from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

const FIRST = '<q1@kunde.example>';

/** The headers the SDK sends after `identify({ userId, email, signature })`. */
const signedIn = (
  userId: string,
  email?: string,
  signature = signUserId(SHOP_IDENTITY_SECRET, userId, email),
): Record<string, string> => ({
  origin: SHOP_ORIGIN,
  'x-lotse-user': userId,
  'x-lotse-signature': signature,
  ...(email === undefined ? {} : { 'x-lotse-email': email }),
});

interface Listed {
  ticketId: string;
  conversationToken: string;
  messages: { id: string; from: string; text: string }[];
}

describeStores('a mail conversation seen in the widget', (target) => {
  let t: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let agent: AgentSession;
  let clock = Date.parse('2025-11-24T09:00:00Z');

  beforeEach(async () => {
    sink = await startSmtpSink();
    t = await startTestServer(target, { now: () => (clock += 1000), smtpUrl: sink.url });
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterEach(async () => {
    await t.close();
    await sink.close();
  });

  /** Eva's mail to the demo site, decided (no model: it goes to a person) and answered by an agent with a note beside. */
  async function mailConversation() {
    const raw = await new MailComposer({
      from: 'Eva Muster <Eva.Muster@Kunde.example>',
      to: 'hilfe@demo.test',
      subject: 'Paket fehlt',
      messageId: FIRST,
      text: 'Mein Paket ist nicht angekommen.',
    })
      .compile()
      .build();
    await t.server.mail.receive('demo', {
      envelopeFrom: 'Eva.Muster@Kunde.example',
      envelopeTo: ['hilfe@demo.test'],
      raw,
    });
    await t.server.mail.settled();
    const [mail] = await t.server.store.findMailsByMessageId('demo', [FIRST]);
    const h = (await t.server.store.getHandoff(mail!.handoffId!))!;
    const id = encodeURIComponent(h.id);
    expect((await agent.post(`/inbox/c/${id}/reply`, { text: 'Wir forschen nach.' })).status).toBe(
      303,
    );
    await agent.post(`/inbox/c/${id}/note`, { text: 'Interne Notiz: Kulanz prüfen' });
    return h;
  }

  /** What was sent to Eva (the agents' notifications go elsewhere). */
  const toEva = () =>
    sink.mails.filter((m) => m.to.map((a) => a.toLowerCase()).includes('eva.muster@kunde.example'));

  const list = (headers: Record<string, string>) => t.get('/v1/sites/demo/conversations', headers);

  it('shows the mail conversation to a signed identify whose signed address matches, in any case', async () => {
    const h = await mailConversation();
    // Another customer's mail and a widget visitor who typed Eva's address: neither is hers to see here.
    await t.post('/v1/handoffs', handoffRequest({ email: 'eva.muster@kunde.example' }), {
      origin: SHOP_ORIGIN,
    });

    const r = await list(signedIn('u-77', 'eva.muster@KUNDE.example'));
    expect(r.status).toBe(200);
    const listed = r.json.conversations as Listed[];
    expect(listed.map((c) => c.ticketId)).toEqual([h.ticketId]);
    expect(listed[0]!.messages.map((m) => [m.from, m.text])).toEqual([
      ['visitor', 'Paket fehlt\n\nMein Paket ist nicht angekommen.'],
      ['agent', 'Wir forschen nach.'],
    ]);
    expect(r.text).not.toContain('Interne Notiz');
    // The listed token opens it like any conversation token.
    const one = await t.get(`/v1/conversations/${listed[0]!.conversationToken}`, {
      origin: SHOP_ORIGIN,
    });
    expect(one.json.messages).toEqual(listed[0]!.messages);
  });

  it('never shows it without a signature that covers the address', async () => {
    await mailConversation();
    // An address alone, or beside a signature of the user id only, of another address or user.
    const unsigned = await list({
      origin: SHOP_ORIGIN,
      'x-lotse-email': 'eva.muster@kunde.example',
    });
    expect([unsigned.status, unsigned.json.error.code]).toEqual([401, 'invalid_identity']);
    for (const headers of [
      signedIn('u-77', 'eva.muster@kunde.example', signUserId(SHOP_IDENTITY_SECRET, 'u-77')),
      signedIn(
        'u-77',
        'eva.muster@kunde.example',
        signUserId(SHOP_IDENTITY_SECRET, 'u-77', 'mallory@example.com'),
      ),
      signedIn(
        'u-77',
        'eva.muster@kunde.example',
        signUserId(SHOP_IDENTITY_SECRET, 'u-78', 'eva.muster@kunde.example'),
      ),
    ]) {
      const r = await list(headers);
      expect([r.status, r.json.error.code, r.json.error.field]).toEqual([
        401,
        'invalid_identity',
        'x-lotse-signature',
      ]);
    }
    const malformed = await list(signedIn('u-77', 'eva muster@kunde.example'));
    expect(malformed.json.error).toMatchObject({
      code: 'invalid_identity',
      field: 'x-lotse-email',
    });
    // Signed in without an address, or with another: the list holds nothing of Eva's.
    expect((await list(signedIn('u-77'))).json.conversations).toEqual([]);
    expect((await list(signedIn('u-77', 'jan@kunde.example'))).json.conversations).toEqual([]);
  });

  it('sends the agent’s answer to a reply from the widget by mail, in the thread', async () => {
    const h = await mailConversation();
    await until(() => toEva().length >= 1);
    const [first] = toEva() as [SunkMail];
    expect(first.parsed.inReplyTo).toBe(FIRST);
    const [listed] = (await list(signedIn('u-77', 'eva.muster@kunde.example'))).json
      .conversations as Listed[];
    const reply = await t.post(
      `/v1/conversations/${listed!.conversationToken}/messages`,
      { id: randomUUID(), text: 'Die Sendungsnummer ist 00340434.' },
      { origin: SHOP_ORIGIN },
    );
    expect(reply.status).toBe(201);
    expect((await t.server.store.listMessages(h.id)).map((m) => m.from)).toEqual([
      'agent',
      'visitor',
    ]);

    await agent.post(`/inbox/c/${encodeURIComponent(h.id)}/reply`, {
      text: 'Gefunden, kommt morgen.',
    });
    await until(() => toEva().length >= 2);
    const second = toEva()[1]!;
    expect(second.parsed.subject).toBe('Re: Paket fehlt');
    expect(second.parsed.inReplyTo).toBe(first.parsed.messageId);
    expect(second.parsed.references).toEqual([FIRST, first.parsed.messageId]);
    expect(second.parsed.text).toContain('Gefunden, kommt morgen.');
  });
});
