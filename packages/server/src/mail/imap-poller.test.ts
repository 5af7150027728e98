import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import { parseSiteSettings, SiteSettingsError } from '../sites/site-settings.js';
import { openStore } from '../store/open-store.js';
import { startImapServer, type TestImapServer } from '../test-support/imap.js';
import { type SunkMail, startSmtpSink, until } from '../test-support/mail.js';
import { send, writeSiteFile } from '../test-support/server.js';
import { spawnSource, waitForPort } from '../test-support/spawn.js';
import { describeStores, type StoreTarget } from '../test-support/stores.js';
import { ImapSettingsError, imapPassword } from './imap-poller.js';

const kbShop = path.resolve(import.meta.dirname, '../../../../examples/kb-shop');
const SHOP = 'hilfe@nordlicht.test';
const PASSWORD = 'imap-secret-1';
const PASSWORD_ENV = 'LOTSE_TEST_IMAP_PASSWORD';

/** A site reading `imap`; without the shop's knowledge base every mail goes to the inbox. */
const site = (key: string, imap: Record<string, unknown>, withKb = true) => ({
  key,
  title: 'Nordlicht',
  allowedOrigins: [],
  ...(withKb ? { knowledgeBase: kbShop } : {}),
  responseMinutes: { '1': 480, '2': 240, '3': 960 },
  timeZone: 'UTC',
  mail: { addresses: [SHOP], from: `Nordlicht <${SHOP}>`, imap },
});

describe('mail.imap settings', () => {
  const base = { host: 'imap.nordlicht.test', user: SHOP };
  const problems = (imap: Record<string, unknown>) => {
    try {
      parseSiteSettings(site('shop', imap), 'site.json');
      return '';
    } catch (error) {
      expect(error).toBeInstanceOf(SiteSettingsError);
      return (error as Error).message;
    }
  };

  it('needs a password or the variable holding it, and TLS unless the server is local', () => {
    expect(problems(base)).toContain('mail.imap.password: needs `password` or `passwordEnv`');
    expect(problems({ ...base, passwordEnv: 'IMAP PASSWORD' })).toContain(
      'mail.imap.passwordEnv: must be an environment variable name',
    );
    expect(problems({ ...base, password: 'x', tls: 'none' })).toContain(
      'mail.imap.tls: may be "none" only for a server on this machine',
    );
    expect(problems({ ...base, password: 'x', pollSeconds: 1 })).toContain('mail.imap.pollSeconds');
    expect(problems({ ...base, host: '127.0.0.1', password: 'x', tls: 'none' })).toBe('');
  });

  it('takes the password from the environment, naming the variable when it is empty', () => {
    const imap = { ...base, passwordEnv: 'SHOP_IMAP_PASSWORD' };
    expect(imapPassword('shop', imap, { SHOP_IMAP_PASSWORD: 's3cret' })).toBe('s3cret');
    expect(() => imapPassword('shop', imap, { SHOP_IMAP_PASSWORD: '' })).toThrow(ImapSettingsError);
    expect(() => imapPassword('shop', imap, {})).toThrow(
      'site "shop": mail.imap.passwordEnv names SHOP_IMAP_PASSWORD, which is not set or empty',
    );
    expect(imapPassword('shop', { ...imap, password: 'fallback' }, {})).toBe('fallback');
  });
});

describeStores('mail channel over IMAP', (target: StoreTarget) => {
  let server: RunningServer;
  let imap: TestImapServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let location: Awaited<ReturnType<StoreTarget['prepare']>>;
  let siteFiles: string[];
  const logs: string[] = [];
  const clock = { now: Date.parse('2025-11-24T09:00:00Z') };

  const start = () =>
    startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: location.dataDir,
      ...(location.databaseUrl === undefined ? {} : { databaseUrl: location.databaseUrl }),
      siteFiles,
      logger: {
        info: (m) => logs.push(`info ${m}`),
        warn: (m) => logs.push(`warn ${m}`),
        error: (m) => logs.push(`error ${m}`),
      },
      watchKnowledgeBases: false,
      rateLimit: { client: false, site: false },
      secret: 'test-secret-test-secret-test-secret',
      admin: { password: 'test-password' },
      smtpUrl: sink.url,
      now: () => clock.now,
    });

  beforeAll(async () => {
    sink = await startSmtpSink();
    imap = await startImapServer(SHOP, PASSWORD);
    process.env[PASSWORD_ENV] = PASSWORD;
    // A port nothing listens on: the connection is refused, as by a mail server that is down.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    location = await target.prepare();
    const imapAt = { host: '127.0.0.1', port: imap.port, tls: 'none', user: SHOP };
    siteFiles = [
      // Polled by the tests alone (`pollNow`) and by IDLE: the interval never comes.
      site('shop', {
        ...imapAt,
        passwordEnv: PASSWORD_ENV,
        pollSeconds: 86_400,
        maxBytes: 64 * 1024,
      }),
      site('wrong', { ...imapAt, password: 'not-the-password', pollSeconds: 86_400 }, false),
      site('unset', { ...imapAt, passwordEnv: 'LOTSE_TEST_IMAP_UNSET' }, false),
      site('down', { ...imapAt, port: downPort, password: PASSWORD }, false),
    ].map((settings) => {
      const file = path.join(location.dataDir, `site-${settings.key}.json`);
      writeFileSync(file, JSON.stringify(settings));
      return file;
    });
    server = await start();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await imap?.close();
    await sink?.close();
    await location?.cleanup();
    delete process.env[PASSWORD_ENV];
  });

  /** Delivers a mail into the mailbox; resolves with its Message-ID. */
  async function deliver(fields: Record<string, unknown>): Promise<string> {
    const messageId = `<${randomUUID()}@kunde.example>`;
    clock.now += 1000;
    await imap.deliver({ to: SHOP, messageId, ...fields });
    return messageId;
  }
  const poll = async () => {
    await server.mail.pollNow();
    await server.mail.settled();
  };
  /** How often each Message-ID is stored as a received mail of the shop. */
  const stored = async () => {
    const counts = new Map<string, number>();
    for (const m of await server.store.listMails('shop', 1000)) {
      if (m.direction === 'in') counts.set(m.messageId!, (counts.get(m.messageId!) ?? 0) + 1);
    }
    return counts;
  };
  const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));
  const handoffOf = async (messageId: string) => {
    const [mail] = await server.store.findMailsByMessageId('shop', [messageId]);
    return mail?.handoffId == null ? undefined : server.store.getHandoff(mail.handoffId);
  };
  const lost = (from: string) =>
    deliver({ from, subject: 'Paket', text: 'Mein Paket ist verloren gegangen.' });

  it('answers a German standard question from the mailbox and hands a hidden complaint to the inbox', async () => {
    const question = await deliver({
      from: 'Eva Muster <eva@kunde.example>',
      subject: 'Lieferzeit',
      text: 'Hallo,\n\nwie lange dauert die Lieferung nach Österreich?\n\nViele Grüße\nEva',
    });
    const complaint = await deliver({
      from: 'jan@kunde.example',
      subject: 'Bestellung 4711',
      text: 'Das ist schon das dritte Mal, dass meine Bestellung zu spät kommt. Toll gemacht.',
    });
    await poll();
    await until(() => mailsTo('eva@kunde.example').length >= 1);
    const [reply] = mailsTo('eva@kunde.example') as [SunkMail];
    expect(reply.parsed.subject).toBe('Re: Lieferzeit');
    expect(reply.parsed.inReplyTo).toBe(question);
    expect(reply.parsed.text).toContain('Hat das Ihre Frage beantwortet?');
    expect(reply.parsed.text).toContain('Werktage');
    const [answered] = await server.store.findMailsByMessageId('shop', [question]);
    expect(answered).toMatchObject({
      status: 'answered',
      entryId: 'delivery-time',
      envelopeFrom: 'eva@kunde.example',
      envelopeTo: [SHOP],
    });
    const c = await handoffOf(complaint);
    expect(c).toMatchObject({ level: 2, topic: 'complaints', email: 'jan@kunde.example' });
    expect(c!.classification).toMatchObject({ signals: ['complaint'] });
    expect(c!.respondBy).toBe(new Date(c!.createdAt + 240 * 60_000).toISOString());
    expect(mailsTo('jan@kunde.example')).toHaveLength(0);
    // Read, not removed: the mailbox keeps both, marked \Seen.
    expect(imap.messages()).toEqual([
      { uid: 1, flags: ['\\Seen'] },
      { uid: 2, flags: ['\\Seen'] },
    ]);
    expect(await server.store.getImapPosition('shop', `${SHOP}@127.0.0.1/INBOX`)).toMatchObject({
      uidValidity: '1',
      lastUid: 2,
    });
  });

  it('picks up mail that arrives later, woken by IDLE before the next poll', async () => {
    const later = await lost('ola@kunde.example');
    await expect.poll(async () => (await stored()).get(later)).toBe(1);
    await server.mail.settled();
    expect(await handoffOf(later)).toMatchObject({ level: 2, topic: 'shipping' });
  });

  it('stores every mail exactly once across a restart, with mail that arrived while it was down', async () => {
    const before = await lost('piet@kunde.example');
    await poll();
    const handoffs = await server.store.countHandoffs('shop');
    await server.close();
    const whileDown = [await lost('ute@kunde.example'), await lost('kai@kunde.example')];
    server = await start();
    await poll();
    const counts = await stored();
    for (const id of [before, ...whileDown]) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(imap.messages().length);
    expect(await server.store.countHandoffs('shop')).toBe(handoffs + 2);
    expect(await server.store.listUndecidedMails(10)).toEqual([]);
  });

  it('does not store a mail twice when the position was not advanced after storing it', async () => {
    const setPosition = server.store.setImapPosition;
    let crashed = false;
    server.store.setImapPosition = async (p) => {
      if (p.lastUid > 0 && !crashed) {
        crashed = true;
        throw new Error('simulated crash before the position moved');
      }
      return setPosition(p);
    };
    try {
      const handoffs = await server.store.countHandoffs('shop');
      const id = await lost('mia@kunde.example');
      await poll();
      expect(crashed).toBe(true);
      expect(logs).toContainEqual(
        expect.stringMatching(
          /^warn IMAP .* of site "shop": simulated crash before the position moved; trying again in 2 s$/,
        ),
      );
      expect((await stored()).get(id)).toBe(1);
      await poll();
      expect((await stored()).get(id)).toBe(1);
      expect(await server.store.countHandoffs('shop')).toBe(handoffs + 1);
      const last = imap.messages().at(-1)!.uid;
      expect(await server.store.getImapPosition('shop', `${SHOP}@127.0.0.1/INBOX`)).toMatchObject({
        lastUid: last,
      });
    } finally {
      server.store.setImapPosition = setPosition;
    }
  });

  it('reads the mailbox again after a new UIDVALIDITY without storing any mail twice', async () => {
    const before = await stored();
    imap.renumber(77);
    await poll();
    expect(logs).toContainEqual(expect.stringMatching(/UIDVALIDITY changed from 1 to 77/));
    expect(await stored()).toEqual(before);
    const fresh = await lost('bo@kunde.example');
    await poll();
    const after = await stored();
    expect(after.get(fresh)).toBe(1);
    expect(after.size).toBe(before.size + 1);
    expect(await server.store.getImapPosition('shop', `${SHOP}@127.0.0.1/INBOX`)).toMatchObject({
      uidValidity: '77',
      lastUid: imap.messages().at(-1)!.uid,
    });
  });

  it('goes on recognising stored mail when a re-read after a new UIDVALIDITY is cut short', async () => {
    const before = await stored();
    imap.renumber(91);
    const second = imap.messages()[1]!.uid;
    const setPosition = server.store.setImapPosition;
    let cut = false;
    // The re-read stops after its second mail (a crash or a network fault)…
    server.store.setImapPosition = async (p) => {
      if (p.lastUid === second && !cut) {
        cut = true;
        throw new Error('simulated fault while reading the mailbox again');
      }
      return setPosition(p);
    };
    try {
      await poll();
      expect(cut).toBe(true);
      // …and the next look goes on from there, still checking Message-IDs.
      await poll();
    } finally {
      server.store.setImapPosition = setPosition;
    }
    expect(await stored()).toEqual(before);
    expect(await server.store.getImapPosition('shop', `${SHOP}@127.0.0.1/INBOX`)).toMatchObject({
      uidValidity: '91',
      lastUid: imap.messages().at(-1)!.uid,
    });
  });

  it('leaves a mail over the size limit in the mailbox, unread, hands a note of it to a person, and reads the next', async () => {
    // A standard question, which would be answered automatically if it could be read.
    const big = await deliver({
      from: 'Max Müller <max@kunde.example>',
      subject: 'Wie lange dauert die Lieferung?',
      text: 'Hier die Fotos.',
      attachments: [{ filename: 'foto.txt', content: 'x'.repeat(100 * 1024) }],
    });
    const next = await lost('lea@kunde.example');
    await poll();
    const counts = await stored();
    expect(counts.get(big)).toBe(1);
    expect(counts.get(next)).toBe(1);
    // Not answered: a conversation for a person, naming the mail's size and place.
    expect(mailsTo('max@kunde.example')).toEqual([]);
    const h = await handoffOf(big);
    expect(h?.email).toBe('max@kunde.example');
    expect(h?.message).toContain('Wie lange dauert die Lieferung?');
    expect(h?.message).toMatch(
      /größer als die Grenze von 64 KB und liegt ungelesen im Postfach \(INBOX, UID \d+\)/,
    );
    expect(JSON.stringify(h?.classification)).toContain('zu groß zum Lesen');
    expect(await server.store.listAttachmentsOfHandoff(h!.id)).toEqual([]);
    const [tooBig, read] = imap.messages().slice(-2);
    expect(logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warn IMAP .* of site "shop": mail UID ${tooBig!.uid} has \\d+ bytes, over the limit of 65536; left in the mailbox unread$`,
        ),
      ),
    );
    expect(tooBig!.flags).toEqual([]);
    expect(read!.flags).toEqual(['\\Seen']);
  });

  it('logs a refused login, a missing password and a server that is down, and keeps serving', async () => {
    const from = logs.length;
    await poll();
    await poll();
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^error IMAP hilfe@nordlicht\.test@127\.0\.0\.1:\d+ \(INBOX\) of site "wrong": the server refused the login .*Trying again in 15 minutes$/,
      ),
    );
    expect(logs).toContainEqual(
      'error site "unset": mail.imap.passwordEnv names LOTSE_TEST_IMAP_UNSET, which is not set or empty; set it to the mailbox password, or give mail.imap.password; its mailbox is not read',
    );
    // Refused connections are retried after longer and longer waits.
    const waits = logs.slice(from).flatMap((line) => {
      const m = /^warn IMAP .* of site "down": .*ECONNREFUSED.*; trying again in (\d+) s$/.exec(
        line,
      );
      return m === null ? [] : [Number(m[1])];
    });
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i]).toBe(Math.min(300, waits[i - 1]! * 2));
    }
    expect((await send(`${server.url}/healthz`)).status).toBe(200);
    expect(await server.store.listMails('wrong', 10)).toEqual([]);
  });
});

describe('kill -9 while mail is fetched over IMAP (SQLite)', () => {
  let dataDir: string;
  let imap: TestImapServer;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    await imap?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every mail of the mailbox exactly once across the crash', async () => {
    const total = 60;
    imap = await startImapServer(SHOP, PASSWORD);
    const ids: string[] = [];
    for (let i = 0; i < total; i++) {
      const messageId = `<${randomUUID()}@kunde.example>`;
      ids.push(messageId);
      await imap.deliver({
        from: `k${i}@kunde.example`,
        to: SHOP,
        messageId,
        subject: 'Paket',
        text: 'Mein Paket ist nicht angekommen.',
      });
    }
    dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-imap-crash-'));
    const siteFile = writeSiteFile(
      dataDir,
      site(
        'shop',
        { host: '127.0.0.1', port: imap.port, tls: 'none', user: SHOP, passwordEnv: PASSWORD_ENV },
        false,
      ),
    );
    const env = {
      PORT: '0',
      LOTSE_DATA_DIR: dataDir,
      LOTSE_SITE_FILES: siteFile,
      LOTSE_ADMIN_PASSWORD: 'crash-test-password',
      DATABASE_URL: '',
      [PASSWORD_ENV]: PASSWORD,
    };
    const seen = () => imap.messages().filter((m) => m.flags.includes('\\Seen')).length;

    const server = spawnSource('main.ts', [], env);
    children.push(server);
    await until(() => seen() >= 5);
    server.kill('SIGKILL');
    await new Promise((resolve) =>
      server.exitCode !== null || server.signalCode !== null
        ? resolve(null)
        : server.once('exit', resolve),
    );
    const readBeforeKill = seen();
    expect(readBeforeKill).toBeGreaterThanOrEqual(5);
    expect(readBeforeKill).toBeLessThan(total);

    const again = spawnSource('main.ts', [], env);
    children.push(again);
    await waitForPort(again);
    const store = await openStore({ dataDir });
    try {
      const end = Date.now() + 60_000;
      const done = async () => seen() === total && (await store.listUndecidedMails(1)).length === 0;
      while (!(await done()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(seen()).toBe(total);
      expect(await store.listUndecidedMails(1)).toEqual([]);
      const counts = new Map<string | null, number>();
      for (const m of await store.listMails('shop', 10_000)) {
        counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      }
      for (const id of ids) expect(counts.get(id), id).toBe(1);
      expect(counts.size).toBe(total);
      expect(await store.countHandoffs('shop')).toBe(total);
    } finally {
      await store.close();
    }
    again.kill('SIGTERM');
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
  }, 180_000);
});
