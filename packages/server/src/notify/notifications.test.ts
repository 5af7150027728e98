import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelBuilder } from '../kb/knowledge-base.js';
import { silentLogger } from '../options.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { logIn } from '../test-support/login.js';
import { mailClient, startMailServer, startSmtpSink, writeMailSite } from '../test-support/mail.js';
import { startTestServer, type TestServer, writeSiteFile } from '../test-support/server.js';
import { sqliteTarget } from '../test-support/stores.js';
import { checkOverdue, signWebhook } from './create-notifier.js';

/** A webhook receiver that fails the first `failures` requests with 503. */
async function startHook(failures: number) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = seen++ < failures ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Until the condition holds or 20 s have passed (a loaded CI machine delivers mail slowly).
const until = async (check: () => boolean | Promise<boolean>) => {
  const end = Date.now() + 20_000;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
};

/** A knowledge base whose team writes `defaultLocale`, with named levels and topics. */
const kbConfig = (defaultLocale: 'de' | 'en') =>
  JSON.stringify({
    title: { de: 'Hilfe', en: 'Help' },
    locales: ['de', 'en'],
    defaultLocale,
    levels: {
      '1': { de: 'Standard', en: 'Standard' },
      '2': { de: 'Service-Team', en: 'Service team' },
      '3': { de: 'Spezialisten', en: 'Specialists' },
    },
    topics: {
      shipping: { name: { de: 'Versand & Lieferung', en: 'Shipping & delivery' }, level: 1 },
      hostile: {
        name: { de: 'Versand\r\nBcc: evil@example.com', en: 'Ship\nBcc: evil@example.com' },
      },
    },
  });

/** Stands in for triage: the model is the `site` block a real build copies from the config. */
const siteBlockBuilder: ModelBuilder = async (source) => {
  const json = JSON.stringify({ site: JSON.parse(source.config) });
  return {
    json,
    hash: createHash('sha256').update(json).digest('hex'),
    checks: { total: 0, failed: [] },
  };
};

describe('notifications', () => {
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let hook: Awaited<ReturnType<typeof startHook>>;
  let clock = Date.parse('2025-11-24T09:00:00Z');
  let siteDir: string;
  // What the server warned of; a test may act on a warning as it is logged.
  let onWarn: (line: string) => void = () => {};

  beforeEach(async () => {
    onWarn = () => {};
    clock = Date.parse('2025-11-24T09:00:00Z');
    smtp = await startSmtpSink();
    hook = await startHook(2);
    siteDir = mkdtempSync(path.join(tmpdir(), 'lotse-notify-'));
    const site = writeSiteFile(siteDir, {
      key: 'demo',
      title: 'Nordlicht',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
      notifications: {
        agentEmails: ['team@example.com'],
        from: 'Nordlicht <hilfe@nordlicht.test>',
        webhookUrl: hook.url,
        webhookSecret: 'webhook-secret-0123456789',
      },
    });
    t = await startTestServer(sqliteTarget, {
      siteFiles: [site],
      smtpUrl: smtp.url,
      now: () => clock,
      webhookRetryDelaysMs: [10, 20, 40],
      logger: { ...silentLogger, warn: (...parts) => onWarn(parts.map(String).join(' ')) },
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await hook.close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('mails the agents about a new conversation and signs and retries the webhook', async () => {
    const r = await t.post('/v1/handoffs', handoffRequest());
    expect(r.status).toBe(201);
    await until(() => smtp.mails.length >= 1 && hook.received.length >= 3);
    expect(smtp.mails[0]!.to).toEqual(['team@example.com']);
    expect(smtp.mails[0]!.from).toBe('hilfe@nordlicht.test');
    expect(smtp.mails[0]!.raw).toContain(r.json.ticketId);
    // No knowledge base: English, the topic's id, the level's number, the due time in the site's zone.
    expect(smtp.mails[0]!.parsed.subject).toBe(
      `[Nordlicht] New request ${r.json.ticketId}: shipping, Level 2`,
    );
    expect(smtp.mails[0]!.parsed.text).toContain('Respond by: Mon 24 Nov, 10:00 (UTC)\n');
    expect(hook.received).toHaveLength(3);
    for (const call of hook.received) {
      expect(call.headers['x-lotse-signature']).toBe(
        signWebhook('webhook-secret-0123456789', call.body),
      );
    }
    expect(JSON.parse(hook.received[2]!.body)).toMatchObject({
      type: 'handoff.created',
      siteKey: 'demo',
      ticketId: r.json.ticketId,
      level: 2,
    });
    // A replay of the same handoff notifies nobody again.
    await t.post('/v1/handoffs', handoffRequest());
  });

  it('mails every active agent when the site names no addresses, never a deactivated one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lotse-notify-all-'));
    const site = writeSiteFile(dir, {
      key: 'demo',
      title: 'Nordlicht',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
      notifications: { from: 'Nordlicht <hilfe@nordlicht.test>' },
    });
    const all = await startTestServer(sqliteTarget, { siteFiles: [site], smtpUrl: smtp.url });
    try {
      for (const [id, email] of [
        ['a-ina', 'ina@example.com'],
        ['a-ole', 'ole@example.com'],
      ] as const) {
        await all.server.store.insertAgent({
          id,
          email,
          passwordHash: 'x',
          role: 'agent',
          createdAt: 0,
        });
      }
      const changed = await all.server.store.changeAgent('a-ole', { deactivatedAt: 1 }, 1);
      expect(changed.ok).toBe(true);
      await all.post('/v1/handoffs', handoffRequest());
      await until(() => smtp.mails.length >= 1);
      expect(smtp.mails[0]!.to.sort()).toEqual(['admin@example.com', 'ina@example.com']);
    } finally {
      await all.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves out an address the site lists once its account is deactivated', async () => {
    const team = {
      id: 'a-team',
      email: 'Team@Example.com',
      passwordHash: 'x',
      role: 'agent' as const,
    };
    await t.server.store.insertAgent({ ...team, createdAt: 0 });
    expect((await t.server.store.changeAgent('a-team', { deactivatedAt: 1 }, 1)).ok).toBe(true);
    await t.post('/v1/handoffs', handoffRequest());
    // The webhook still hears of it; the only listed address gets no mail.
    await until(() => hook.received.length >= 3);
    await t.server.notifier.settled();
    expect(smtp.mails).toEqual([]);
  });

  it("mails the visitor the agent's reply", async () => {
    await t.post('/v1/handoffs', handoffRequest({ email: 'eva@example.com', locale: 'de' }));
    await until(() => smtp.mails.length >= 1);
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const [h] = await t.server.store.listHandoffs();
    await agent.post(`/inbox/c/${h!.id}/reply`, { text: 'Ihr Paket ist unterwegs.' });
    await until(() => smtp.mails.length >= 2);
    const mail = smtp.mails[1]!;
    expect(mail.to).toEqual(['eva@example.com']);
    expect(mail.raw).toContain('Ihr Paket ist unterwegs.');
    expect(mail.raw).toMatch(/Subject: Nordlicht: Antwort auf Ihre Anfrage/);
  });

  it('retries the agents’ mail and the visitor’s reply while the SMTP server is down, and says so', async () => {
    // The mail server refuses for now until the first retry is announced.
    smtp.refuse(true);
    onWarn = (line) => {
      if (/^notification ".*" of site "demo" not sent .*retrying/.test(line)) smtp.refuse(false);
    };
    await t.post('/v1/handoffs', handoffRequest({ email: 'eva@example.com', locale: 'de' }));
    await until(() => smtp.mails.length >= 1);
    await t.server.notifier.settled();
    expect(smtp.mails.map((m) => m.to)).toEqual([['team@example.com']]);
    expect(smtp.mails[0]!.parsed.subject).toMatch(/New request/);

    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const [h] = await t.server.store.listHandoffs();
    onWarn = () => {};
    smtp.refuse(true);
    clock += 1000;
    await agent.post(`/inbox/c/${h!.id}/reply`, { text: 'Ihr Paket ist unterwegs.' });
    await t.server.notifier.settled();
    // Kept and shown as not delivered instead of lost with a log line.
    const [reply] = await t.server.store.listMailsOfHandoff(h!.id);
    expect(reply).toMatchObject({ direction: 'out', status: 'failed' });
    expect((await agent.get(`/inbox/c/${h!.id}?lang=de`)).text).toContain(
      'Noch nicht zugestellt: die Antwort per E-Mail von',
    );
    expect((await agent.get(`/inbox/c/${h!.id}?lang=en`)).text).toContain(
      'Not delivered yet: the reply by e-mail of',
    );
    smtp.refuse(false);
    clock += 61_000;
    expect(await t.server.mail.retryFailed()).toBe(1);
    const toEva = smtp.mails.filter((m) => m.to.includes('eva@example.com'));
    expect(toEva).toHaveLength(1);
    expect(toEva[0]!.raw).toContain('Ihr Paket ist unterwegs.');
    // From the site's notification sender, as before: the site has no mail channel.
    expect(toEva[0]!.parsed.from?.value[0]?.address).toBe('hilfe@nordlicht.test');
    expect(toEva[0]!.from).toBe('hilfe@nordlicht.test');
    expect((await agent.get(`/inbox/c/${h!.id}?lang=de`)).text).not.toMatch(/nicht zugestellt/i);
  });

  it('never mails or posts an internal note', async () => {
    await t.post('/v1/handoffs', handoffRequest({ email: 'eva@example.com', locale: 'de' }));
    await until(() => smtp.mails.length >= 1 && hook.received.length >= 3);
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const [h] = await t.server.store.listHandoffs();
    const note = await agent.post(`/inbox/c/${h!.id}/note`, { text: 'Intern: Kulanz prüfen.' });
    expect(note.status).toBe(303);
    // The reply after the note is the marker: once its mail is in, the note's would be too.
    await agent.post(`/inbox/c/${h!.id}/reply`, { text: 'Ihr Paket ist unterwegs.' });
    await until(() => smtp.mails.length >= 2 && hook.received.length >= 4);
    await t.server.notifier.settled();
    // The handoff's and the reply's: nothing for the note.
    expect(smtp.mails).toHaveLength(2);
    expect(hook.received.map((c) => JSON.parse(c.body).type)).toEqual([
      'handoff.created',
      'handoff.created',
      'handoff.created',
      'agent.replied',
    ]);
    const sent = [...smtp.mails.map((m) => m.raw), ...hook.received.map((c) => c.body)];
    for (const text of sent) expect(text).not.toContain('Kulanz');
  });

  it('mails the agents once about an overdue conversation', async () => {
    await t.post('/v1/handoffs', handoffRequest());
    await until(() => smtp.mails.length >= 1);
    const notifier = t.server.notifier;
    expect(await checkOverdue({ store: t.server.store, notifier, now: clock })).toBe(0);
    clock += 61 * 60_000;
    expect(await checkOverdue({ store: t.server.store, notifier, now: clock })).toBe(1);
    expect(await checkOverdue({ store: t.server.store, notifier, now: clock })).toBe(0);
    await until(() => smtp.mails.length >= 2);
    expect(smtp.mails[1]!.parsed.subject).toMatch(
      /^\[Nordlicht\] Overdue T-\w+: shipping, Level 2$/,
    );
    expect(smtp.mails[1]!.parsed.text).toContain('still unanswered and overdue');
  });
});

describe.each([
  {
    locale: 'de' as const,
    subject: 'Neue Anfrage {ticket}: Versand & Lieferung, Stufe 2 (Service-Team)',
    lines: [
      'Neue Anfrage an Nordlicht Outdoor.',
      'Thema: Versand & Lieferung',
      'Stufe: 2 (Service-Team)',
      'Antwort bis: Mo., 24. Nov., 11:00 (Europe/Berlin)',
      'Im Posteingang öffnen: ',
    ],
    overdue: 'Überfällig {ticket}: Versand & Lieferung, Stufe 2 (Service-Team)',
  },
  {
    locale: 'en' as const,
    subject: 'New request {ticket}: Shipping & delivery, Level 2 (Service team)',
    lines: [
      'New request to Nordlicht Outdoor.',
      'Topic: Shipping & delivery',
      'Level: 2 (Service team)',
      'Respond by: Mon 24 Nov, 11:00 (Europe/Berlin)',
      'Open in the inbox: ',
    ],
    overdue: 'Overdue {ticket}: Shipping & delivery, Level 2 (Service team)',
  },
])('agent mails of a team whose knowledge base is in "$locale"', (want) => {
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let siteDir: string;
  let clock = Date.parse('2025-11-24T09:00:00Z');

  beforeEach(async () => {
    clock = Date.parse('2025-11-24T09:00:00Z');
    smtp = await startSmtpSink();
    siteDir = mkdtempSync(path.join(tmpdir(), 'lotse-notify-'));
    mkdirSync(path.join(siteDir, 'kb'));
    writeFileSync(path.join(siteDir, 'kb', 'lotse.config.json'), kbConfig(want.locale));
    writeFileSync(path.join(siteDir, 'kb', 'returns.md'), '# Returns\n');
    const site = writeSiteFile(siteDir, {
      key: 'demo',
      title: 'Nordlicht Outdoor',
      allowedOrigins: [],
      knowledgeBase: 'kb',
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'Europe/Berlin',
      notifications: { agentEmails: ['team@example.com'] },
    });
    t = await startTestServer(sqliteTarget, {
      siteFiles: [site],
      smtpUrl: smtp.url,
      now: () => clock,
      buildModel: siteBlockBuilder,
    });
    await until(async () => (await t.server.store.latestKbVersions()).length > 0);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('names topic and level, and shows the due time in the site’s time zone', async () => {
    const r = await t.post('/v1/handoffs', handoffRequest());
    expect(r.status).toBe(201);
    await until(() => smtp.mails.length >= 1);
    const created = smtp.mails[0]!;
    expect(created.parsed.subject).toBe(
      `[Nordlicht Outdoor] ${want.subject.replace('{ticket}', r.json.ticketId)}`,
    );
    for (const line of want.lines) expect(created.parsed.text).toContain(line);
    // The visitor's message once, below the fields.
    expect(created.parsed.text!.split('seit zwei Wochen')).toHaveLength(2);

    clock += 61 * 60_000;
    await checkOverdue({ store: t.server.store, notifier: t.server.notifier, now: clock });
    await until(() => smtp.mails.length >= 2);
    expect(smtp.mails[1]!.parsed.subject).toBe(
      `[Nordlicht Outdoor] ${want.overdue.replace('{ticket}', r.json.ticketId)}`,
    );
    expect(smtp.mails[1]!.parsed.text).toContain(want.lines[3]);
  });

  it('keeps a topic name with a line break from adding a header', async () => {
    const r = await t.post(
      '/v1/handoffs',
      handoffRequest({
        classification: { level: 2, topic: 'hostile', signals: [], confidence: 0.5, reasons: [] },
      }),
    );
    expect(r.status).toBe(201);
    await until(() => smtp.mails.length >= 1);
    const sunk = smtp.mails[0]!;
    expect(sunk.to).toEqual(['team@example.com']);
    const header = sunk.raw.split('\r\n\r\n')[0]!;
    expect(header).not.toMatch(/^bcc:/im);
    expect(sunk.parsed.headers.has('bcc')).toBe(false);
    expect(sunk.parsed.subject).toMatch(/: (Versand|Ship) Bcc: evil@example\.com, /);
  });
});

describe('agent mail about a conversation that came in by mail', () => {
  it('shows the customer’s reply and its subject once, in the team’s language', async () => {
    const smtp = await startSmtpSink();
    const location = await sqliteTarget.prepare();
    const site = writeMailSite(location.dataDir, {
      key: 'shop',
      title: 'Nordlicht Outdoor',
      timeZone: 'Europe/Berlin',
      mail: {
        addresses: ['hilfe@nordlicht.test'],
        listener: { host: '127.0.0.1', port: 0 },
      },
      notifications: { agentEmails: ['team@nordlicht.test'] },
    });
    const server = await startMailServer(location, [site], smtp.url, {
      now: () => Date.parse('2025-11-24T09:00:00Z'),
    });
    const client = mailClient(server.mail.listeners()[0]!.port);
    try {
      const toTeam = () => smtp.mails.filter((m) => m.to.includes('team@nordlicht.test'));
      await client.sendMail({
        from: 'ute@kunde.example',
        to: 'hilfe@nordlicht.test',
        subject: 'Retoure',
        messageId: `<${randomUUID()}@kunde.example>`,
        text: 'Wie bekomme ich ein Rücksendeetikett?',
      });
      await until(() => smtp.mails.some((m) => m.to.includes('ute@kunde.example')));
      const auto = smtp.mails.find((m) => m.to.includes('ute@kunde.example'))!;
      await client.sendMail({
        from: 'ute@kunde.example',
        to: 'hilfe@nordlicht.test',
        subject: 'Re: Retoure',
        inReplyTo: auto.parsed.messageId,
        text: 'Das Portal zeigt mir keinen Button an.\n\nAm 24.11.2025 schrieb Nordlicht:\n> Rücksendeetikett drucken',
      });
      await client.sendMail({
        from: 'ola@kunde.example',
        to: 'hilfe@nordlicht.test',
        subject: 'Paket',
        text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
      });
      await server.mail.settled();
      await until(() => toTeam().length >= 2);
      await server.notifier.settled();
      const reply = toTeam().find((m) => m.parsed.text?.includes('Retoure'))!;
      const lost = toTeam().find((m) => m.parsed.text?.includes('verloren'))!;
      // A reply to the automatic answer keeps the answered entry's topic.
      expect(reply.parsed.subject).toMatch(
        /^\[Nordlicht Outdoor\] Neue Anfrage T-\w+: Rücksendung & Erstattung, Stufe 2 \(Service-Team\)$/,
      );
      expect(reply.parsed.text!.split('Re: Retoure')).toHaveLength(2);
      expect(reply.parsed.text).toContain('Das Portal zeigt mir keinen Button an.');
      expect(reply.parsed.text).toContain('Antwort bis: Mo., 24. Nov., 14:00 (Europe/Berlin)');
      // Names from the demo shop's knowledge base (examples/kb-shop), whose default is German.
      expect(lost.parsed.subject).toMatch(
        /^\[Nordlicht Outdoor\] Neue Anfrage T-\w+: Versand & Lieferung, Stufe 2 \(Service-Team\)$/,
      );
    } finally {
      client.close();
      await server.close();
      await smtp.close();
      await location.cleanup();
    }
  }, 120_000);
});
