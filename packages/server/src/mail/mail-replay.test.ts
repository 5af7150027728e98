// A customer's answer whose decision failed half-way (message stored, mail still `received`) is
// decided again at the next start; by then an agent may have closed the conversation, which the
// replay must leave closed.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import type { RunningServer } from '../server.js';
import { logIn } from '../test-support/login.js';
import { mailClient, startMailServer, startSmtpSink, writeMailSite } from '../test-support/mail.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

const SHOP = 'hilfe@nordlicht.test';

describeStores('a mail decided again after a restart', (target: StoreTarget) => {
  it('does not reopen a conversation the agent closed after reading it', async () => {
    const sink = await startSmtpSink();
    const location = await target.prepare();
    const site = writeMailSite(location.dataDir, {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [],
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
      const agent = await logIn(server.url, 'admin@example.com', 'test-password');
      const first = `<${randomUUID()}@kunde.example>`;
      await client.sendMail({
        to: SHOP,
        from: 'tom@kunde.example',
        messageId: first,
        subject: 'Verlorenes Paket',
        text: 'Mein Paket ist verloren gegangen, die Sendung kommt nicht an.',
      });
      await server.mail.settled();
      const [question] = await server.store.findMailsByMessageId('shop', [first]);
      const handoffId = question!.handoffId!;
      clock.now += 1000;
      await agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/close`);

      // The answer is stored in the conversation and reopens it, then recording the outcome fails.
      const store = server.store;
      const updateMail = store.updateMail;
      store.updateMail = async (id, patch) => {
        if (patch.status === 'threaded') throw new Error('disk full');
        return updateMail.call(store, id, patch);
      };
      clock.now += 1000;
      const answer = `<${randomUUID()}@kunde.example>`;
      await client.sendMail({
        to: SHOP,
        from: 'tom@kunde.example',
        messageId: answer,
        inReplyTo: first,
        references: [first],
        subject: 'Re: Verlorenes Paket',
        text: 'Danke, ich warte.',
      });
      await server.mail.settled();
      store.updateMail = updateMail;
      expect(errors.join('\n')).toContain('could not be decided');
      expect((await store.getHandoff(handoffId))!.status).toBe('open');
      // What was read from the mail (its Message-ID) is written with the outcome, so by status.
      const stuck = (await store.listMails('shop', 10)).filter((m) => m.status === 'received');
      expect(stuck).toHaveLength(1);

      // The agent reads the answer and closes again; then the server restarts.
      clock.now += 1000;
      await agent.post(`/inbox/c/${encodeURIComponent(handoffId)}/close`);
      client.close();
      await server.close();
      server = undefined;
      clock.now += 1000;
      server = await start();
      await server.mail.settled();

      const decided = await server.store.getMail(stuck[0]!.id);
      expect(decided).toMatchObject({ status: 'threaded', messageId: answer, handoffId });
      expect((await server.store.getHandoff(handoffId))!.status).toBe('closed');
      const messages = await server.store.listMessages(handoffId);
      expect(messages.filter((m) => m.from === 'visitor')).toHaveLength(1);
      const reopened = (await server.store.listEvents({ siteKey: 'shop', limit: 5000 })).filter(
        (e) => e.type === 'conversation.reopened',
      );
      expect(reopened).toHaveLength(1);
    } finally {
      await server?.close();
      await sink.close();
      await location.cleanup();
    }
  }, 120_000);
});
