import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffRequest } from '../test-support/fixtures.js';
import { logIn } from '../test-support/login.js';
import { startSmtpSink } from '../test-support/mail.js';
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
const until = async (check: () => boolean) => {
  const end = Date.now() + 20_000;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
};

describe('notifications', () => {
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let hook: Awaited<ReturnType<typeof startHook>>;
  let clock = Date.parse('2025-11-24T09:00:00Z');
  let siteDir: string;

  beforeEach(async () => {
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
    expect(smtp.mails[1]!.raw).toMatch(/Subject: \[Nordlicht\] overdue/);
  });
});
