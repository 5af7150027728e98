// An agent's reply that could not be sent (the SMTP server down) is tried again with backoff, also
// after a restart, and sent once however many tries race for it.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import type { RunningServer } from '../server.js';
import { logIn } from '../test-support/login.js';
import { mailClient, startMailServer, startSmtpSink, writeMailSite } from '../test-support/mail.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';
import { retriesDue } from './retry-failed-replies.js';

const SHOP = 'hilfe@nordlicht.test';

it('retries after 1, 6, 36 and 156 minutes, then every 2 hours for a day', () => {
  const minutes = [0, 0.5, 1, 5.9, 6, 36, 156, 275, 276, 24 * 60, 30 * 60];
  expect(minutes.map((m) => retriesDue(m * 60_000))).toEqual([0, 0, 1, 1, 2, 3, 4, 4, 5, 14, 14]);
});

describeStores('an agent’s reply while the SMTP server is down', (target: StoreTarget) => {
  it('is sent on a later try, after a restart, once', async () => {
    const sink = await startSmtpSink();
    const location = await target.prepare();
    const site = writeMailSite(location.dataDir, {
      key: 'shop',
      title: 'Nordlicht',
      mail: { addresses: [SHOP], listener: { host: '127.0.0.1', port: 0 } },
    });
    const clock = { now: Date.parse('2025-11-24T09:00:00Z') };
    const errors: string[] = [];
    const start = () =>
      startMailServer(location, [site], sink.url, {
        logger: { ...silentLogger, error: (...parts) => errors.push(parts.map(String).join(' ')) },
        now: () => clock.now,
      });
    let server: RunningServer | undefined = await start();
    try {
      const client = mailClient(server.mail.listeners()[0]!.port);
      const first = `<${randomUUID()}@kunde.example>`;
      await client.sendMail({
        to: SHOP,
        from: 'tom@kunde.example',
        messageId: first,
        subject: 'Verlorenes Paket',
        text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
      });
      client.close();
      await server.mail.settled();
      const [question] = await server.store.findMailsByMessageId('shop', [first]);
      const handoffId = question!.handoffId!;
      const agent = await logIn(server.url, 'admin@example.com', 'test-password');

      sink.refuse(true);
      clock.now += 1000;
      const r = await agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/reply`, {
        text: 'Wir haben einen Nachforschungsauftrag gestellt.',
      });
      expect(r.status).toBe(303);
      await server.notifier.settled();
      const reply = () =>
        server!.store
          .listMailsOfHandoff(handoffId)
          .then((m) => m.find((x) => x.direction === 'out'));
      expect(await reply()).toMatchObject({ status: 'failed' });
      // The conversation says so, since its transcript shows the reply like any other.
      const page = async () =>
        (await agent.get(`/inbox/c/${encodeURIComponent(handoffId)}?lang=de`)).text;
      expect(await page()).toContain('Noch nicht zugestellt: die Antwort per E-Mail von');
      // Not due yet, and still refused when it is.
      clock.now += 30_000;
      expect(await server.mail.retryFailed()).toBe(0);
      clock.now += 60_000;
      expect(await server.mail.retryFailed()).toBe(0);
      expect((await reply())!.warning).toMatch(/^not sent \(try 2\): .*451/);
      expect(await server.mail.retryFailed()).toBe(0);

      // The server restarts while the SMTP server comes back.
      await server.close();
      server = undefined;
      sink.refuse(false);
      server = await start();
      clock.now += 5 * 60_000;
      // Two instances (or two ticks) at once: one sends.
      const sent = await Promise.all([server.mail.retryFailed(), server.mail.retryFailed()]);
      expect(sent.sort()).toEqual([0, 1]);
      const toTom = sink.mails.filter((m) => m.to.includes('tom@kunde.example'));
      expect(toTom).toHaveLength(1);
      expect(toTom[0]!.parsed.inReplyTo).toBe(first);
      expect(toTom[0]!.parsed.text).toContain('Nachforschungsauftrag');
      expect(await reply()).toMatchObject({ status: 'sent', warning: null });
      const again = await logIn(server.url, 'admin@example.com', 'test-password');
      expect(
        (await again.get(`/inbox/c/${encodeURIComponent(handoffId)}?lang=de`)).text,
      ).not.toMatch(/nicht zugestellt/i);
      clock.now += 3 * 3_600_000;
      expect(await server.mail.retryFailed()).toBe(0);
      expect(sink.mails.filter((m) => m.to.includes('tom@kunde.example'))).toHaveLength(1);

      // A permanent refusal (no such mailbox) is final: never tried again, and said so.
      sink.refuse('permanently');
      clock.now += 1000;
      await again.post(`/inbox/c/${encodeURIComponent(handoffId)}/reply`, {
        text: 'Noch eine Frage dazu?',
      });
      await server.notifier.settled();
      const latest = async () =>
        (await server!.store.listMailsOfHandoff(handoffId))
          .filter((m) => m.direction === 'out')
          .at(-1);
      expect(await latest()).toMatchObject({ status: 'failed' });
      expect((await latest())!.warning).toMatch(/^undeliverable: .*550/);
      clock.now += 10 * 60_000;
      expect(await server.mail.retryFailed()).toBe(0);
      expect((await again.get(`/inbox/c/${encodeURIComponent(handoffId)}?lang=de`)).text).toContain(
        'Nicht zugestellt: die Antwort per E-Mail von',
      );
      expect(errors).toEqual([]);
    } finally {
      await server?.close();
      await sink.close();
      await location.cleanup();
    }
  }, 120_000);
});
