// Mail on loopback for the mail channel's tests and benchmark: an SMTP sink that keeps what Lotse
// sends, a nodemailer client that sends to Lotse's listener, the server the mail tests start, and
// a suite's set-up of all three.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../options.js';
import { type RunningServer, type StartServerOptions, startServer } from '../server.js';
import { type AgentSession, logIn } from './login.js';
import type { StoreTarget } from './stores.js';

/** One mail the sink received. */
export interface SunkMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * An SMTP server on 127.0.0.1 and a free port that keeps every mail it receives; `refuse(true)`
 * answers every sender 451 (a mail server that is down for now) until `refuse(false)`, and
 * `refuse('permanently')` 550 (no such mailbox).
 */
export async function startSmtpSink(): Promise<{
  url: string;
  mails: SunkMail[];
  refuse(on: boolean | 'permanently'): void;
  close(): Promise<void>;
}> {
  const mails: SunkMail[] = [];
  let refusing: boolean | 'permanently' = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!refusing) return callback();
      if (refusing === 'permanently') {
        return callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
      }
      callback(
        Object.assign(new Error('4.3.2 Service not available, try later'), { responseCode: 451 }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString('utf8'),
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuse(on) {
      refusing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A nodemailer client for a listener on 127.0.0.1 (plain SMTP, as a mailbox forwarding to Lotse). */
export function mailClient(port: number, pool = false): Transporter {
  return createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    ...(pool ? { pool: true, maxConnections: 4, maxMessages: Number.POSITIVE_INFINITY } : {}),
  } as Parameters<typeof createTransport>[0]);
}

/** Sends one mail; resolves with the listener's answer. */
export function sendTo(client: Transporter, mail: SendMailOptions) {
  return client.sendMail(mail);
}

/** Waits until `check` holds or 20 s have passed (a loaded machine delivers mail slowly). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

/** The demo shop's knowledge base, which the mail tests decide mail with. */
export const kbShopDir = path.resolve(import.meta.dirname, '../../../../examples/kb-shop');

/** A mail test's site: the demo shop's knowledge base, UTC, the usual response times, and `settings`. */
export function writeMailSite(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `site-${String(settings.key)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      allowedOrigins: [],
      knowledgeBase: kbShopDir,
      responseMinutes: { '1': 480, '2': 240, '3': 960 },
      timeZone: 'UTC',
      ...settings,
    }),
  );
  return file;
}

/**
 * Starts the real server for a mail test on a prepared store: these site files, `sink` as its
 * outgoing SMTP server, no rate limits, the admin `admin@example.com` / `test-password`, and
 * `overrides` (a clock, a logger).
 */
export function startMailServer(
  location: { dataDir: string; databaseUrl?: string | undefined },
  siteFiles: string[],
  sinkUrl: string,
  overrides: Partial<StartServerOptions> = {},
): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: location.dataDir,
    ...(location.databaseUrl === undefined ? {} : { databaseUrl: location.databaseUrl }),
    siteFiles,
    logger: silentLogger,
    watchKnowledgeBases: false,
    rateLimit: { client: false, site: false },
    secret: 'test-secret-test-secret-test-secret',
    admin: { password: 'test-password' },
    smtpUrl: sinkUrl,
    ...overrides,
  });
}

/** What a mail suite's tests use; set before the first test, closed after the last. */
export interface MailSuite {
  server: RunningServer;
  sink: Awaited<ReturnType<typeof startSmtpSink>>;
  /** Sends to the server's first listener. */
  client: Transporter;
  /** The admin, signed in. */
  agent: AgentSession;
  /** What the server logged as errors. */
  errors: string[];
  /**
   * Sends a mail to the site's first address `advance` ms after the previous one (1 s by default)
   * and waits until the server has decided it; resolves with its Message-ID.
   */
  mail(fields: Record<string, unknown>, advance?: number): Promise<string>;
}

/**
 * A mail suite on `target`: an SMTP sink, one site written from `site` (writeMailSite), the server
 * on `clock` with `server`'s options, a client to the site's listener and the admin signed in; all
 * closed after the suite. `ready` runs last in the set-up (seed data).
 */
export function useMailSuite(
  target: StoreTarget,
  options: {
    site: Record<string, unknown>;
    clock: { now: number };
    server?: Partial<StartServerOptions>;
    ready?: (suite: MailSuite) => Promise<void>;
  },
): MailSuite {
  const { site, clock, ready } = options;
  // Filled in by beforeAll, before any test reads it.
  const suite = { errors: [] as string[] } as MailSuite;
  const [address] = (site.mail as { addresses: string[] }).addresses;
  suite.mail = async (fields, advance = 1000) => {
    const messageId = `<${randomUUID()}@kunde.example>`;
    clock.now += advance;
    await suite.client.sendMail({ to: address, messageId, ...fields });
    await suite.server.mail.settled();
    return messageId;
  };
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    suite.sink = await startSmtpSink();
    const location = await target.prepare();
    cleanup = location.cleanup;
    suite.server = await startMailServer(
      location,
      [writeMailSite(location.dataDir, site)],
      suite.sink.url,
      {
        logger: {
          ...silentLogger,
          error: (...parts) => suite.errors.push(parts.map(String).join(' ')),
        },
        now: () => clock.now,
        ...options.server,
      },
    );
    suite.client = mailClient(suite.server.mail.listeners()[0]!.port);
    suite.agent = await logIn(suite.server.url, 'admin@example.com', 'test-password');
    await ready?.(suite);
  }, 120_000);
  afterAll(async () => {
    suite.client?.close();
    await suite.server?.close();
    await suite.sink?.close();
    await cleanup?.();
  });
  return suite;
}
