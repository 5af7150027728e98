import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { ModelRegistry } from '../kb/model-registry.js';
import type { LiveHub } from '../live/live-hub.js';
import type { Notifier } from '../notify/notifier.js';
import type { Logger } from '../options.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { HandoffRow, RateRule, Store } from '../store/store.js';
import {
  type ImapPoller,
  ImapSettingsError,
  imapPassword,
  startImapPoller,
} from './imap-poller.js';
import { type MailListener, startMailListener } from './mail-listener.js';
import { mailMessages } from './mail-messages.js';
import type { MailRow } from './mail-queries.js';
import { type MailDeps, processMail, referencesOf } from './process-mail.js';
import { retryFailedReplies } from './retry-failed-replies.js';
import { replySubject, sendChannelMail } from './send-mail.js';

/** Options of {@link createMailChannel}. */
export interface MailChannelOptions {
  store: Store;
  sites: SiteRegistry;
  models: ModelRegistry;
  logger: Logger;
  secret: Buffer;
  /** Live updates of the inbox and the visitor's panel, told of mail that arrives. */
  live?: LiveHub | undefined;
  transport: Transporter | undefined;
  publicUrl: () => string;
  now: () => number;
  /**
   * Sender of an agent's reply to a widget visitor on a site without a mail channel (the site's
   * `notifications.from` comes first). @default 'Lotse <lotse@localhost>'
   */
  mailFrom?: string | undefined;
  /**
   * Automatic replies per sender and site: 3 at once, then one every 20 minutes, so a sender (or a
   * loop that slipped past the header checks) gets at most a handful an hour.
   * @default { capacity: 3, refillPerSecond: 1 / 1200 }
   */
  replyRule?: RateRule;
}

/** The mail channel of a running server. */
export interface MailChannel {
  /**
   * Starts the sites' SMTP listeners, decides mail stored but not decided before a restart, then
   * starts the sites' IMAP pollers.
   */
  start(): Promise<void>;
  /** The listeners running, with their real ports. */
  listeners(): readonly { host: string; port: number }[];
  /** Has every IMAP poller look into its mailbox now; resolves when what was there is stored. */
  pollNow(): Promise<void>;
  /**
   * Sends an agent's reply to the customer by mail, stored first (so it is retried while the mail
   * server is down and the conversation shows it undelivered) and threaded: a conversation that
   * came in by mail in its thread; a widget visitor's (with `startThread`) from the site's mail
   * address, so their answer comes back into the conversation, or from the notification sender on
   * a site without a mail channel. False when nothing was sent: a widget conversation without
   * `startThread`, no SMTP transport for one, or the site is gone.
   */
  replyToVisitor(
    handoff: HandoffRow,
    text: string,
    options?: { startThread?: boolean },
  ): Promise<boolean>;
  /**
   * Stores a received mail and decides it (what the listener and the pollers do with each mail).
   * A mail with a `source` (`imap:…`) the site has stored already is not stored again: undefined.
   */
  receive(
    siteKey: string,
    envelope: { envelopeFrom: string; envelopeTo: string[]; raw: Buffer },
    source?: string,
  ): Promise<string | undefined>;
  /**
   * Tries again the agents' replies that could not be sent and are due (what the channel's timer
   * does every minute); resolves with how many went out.
   */
  retryFailed(): Promise<number>;
  /** Tells the team about handoffs from mail (set after creation: the notifier sends through the channel). */
  setNotifier(notifier: Notifier): void;
  /** Waits until every stored mail is decided. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

// The failed replies are looked at every minute, the shortest wait between two tries.
const RETRY_CHECK_MS = 60_000;

/** Default largest mail: 25 MiB, as large mail services take. */
export const DEFAULT_MAX_MAIL_BYTES = 25 * 1024 * 1024;

/** The site whose address `address` is, among `sites`. */
export function siteOfAddress(
  sites: readonly ResolvedSite[],
  address: string,
): ResolvedSite | undefined {
  const a = address.trim().toLowerCase();
  return sites.find((s) => s.settings.mail?.addresses.some((x) => x.toLowerCase() === a));
}

/**
 * E-mail as a second channel: SMTP listeners and IMAP pollers per the sites' `mail` settings (off
 * unless a site names one), each mail stored raw before it is acknowledged (or, fetched, before the
 * poller's position passes it), then decided one at a time in arrival order (process-mail.ts);
 * agents' replies on mail conversations go out in the thread.
 *
 * @example
 * const mail = createMailChannel({ store, sites, models, logger, secret, transport, publicUrl, now });
 * await mail.start();
 */
export function createMailChannel(options: MailChannelOptions): MailChannel {
  const { store, sites, logger } = options;
  const deps: MailDeps = {
    ...options,
    replyRule: options.replyRule ?? { capacity: 3, refillPerSecond: 1 / 1200 },
  };
  const running: MailListener[] = [];
  const pollers: ImapPoller[] = [];
  // One mail after another: a customer's answer is decided after the mail it answers.
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  let closed = false;
  let notifier: Notifier | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retrying: Promise<unknown> = Promise.resolve();
  const retryFailed = () => retryFailedReplies({ ...deps, sites });

  const decide = (mail: MailRow) => {
    pending++;
    queue = queue
      .then(() => processMail({ ...deps, notifier }, mail))
      .catch((error: unknown) => {
        // A bug must not stop the channel; the mail stays `received` and is decided again at the
        // next start.
        logger.error(`mail ${mail.id} could not be decided`, error);
      })
      .finally(() => {
        pending--;
      });
  };

  // Group commit: mails that arrive in the same turn of the event loop (several connections at
  // once) are written in one statement, so they wait for one disk flush instead of one each.
  let waiting: { row: MailRow; done: (error?: unknown) => void }[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      await store.insertMails(batch.map((w) => w.row));
      for (const w of batch) w.done();
    } catch (error) {
      for (const w of batch) w.done(error);
    }
  };
  const storeTogether = (row: MailRow) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(() => void flush());
      waiting.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });

  const receive: MailChannel['receive'] = async (siteKey, envelope, source) => {
    const row: MailRow = {
      id: randomUUID(),
      siteKey,
      direction: 'in',
      status: 'received',
      envelopeFrom: envelope.envelopeFrom,
      envelopeTo: envelope.envelopeTo,
      raw: envelope.raw,
      messageId: null,
      fromAddress: null,
      subject: null,
      handoffId: null,
      replyToId: null,
      entryId: null,
      rating: null,
      warning: null,
      receivedAt: options.now(),
      processedAt: null,
    };
    // A fetched mail is stored alone: whether it was new decides whether it is decided.
    if (source === undefined) await storeTogether(row);
    else if (!(await store.insertMailOnce(row, source))) return undefined;
    if (!closed) decide(row);
    return row.id;
  };

  return {
    async start() {
      // Sites naming the same host and port share one listener.
      const groups = new Map<string, ResolvedSite[]>();
      for (const site of sites.all()) {
        const l = site.settings.mail?.listener;
        if (l === undefined) continue;
        const key = `${l.host ?? '127.0.0.1'}\n${l.port}`;
        groups.set(key, [...(groups.get(key) ?? []), site]);
      }
      for (const group of groups.values()) {
        const l = group[0]!.settings.mail!.listener!;
        const keys = new Set(group.map((s) => s.key));
        // The sites are read again per mail: addresses edited in the product apply at once.
        const current = () => sites.all().filter((s) => keys.has(s.key));
        const listener = await startMailListener({
          host: l.host ?? '127.0.0.1',
          port: l.port,
          maxBytes: Math.max(
            ...group.map((s) => s.settings.mail?.listener?.maxBytes ?? DEFAULT_MAX_MAIL_BYTES),
          ),
          tlsKeyFile: l.tlsKeyFile,
          tlsCertFile: l.tlsCertFile,
          accepts: (address) => siteOfAddress(current(), address) !== undefined,
          async store(envelope) {
            const bySite = new Set(
              envelope.envelopeTo.flatMap((to) => siteOfAddress(current(), to)?.key ?? []),
            );
            for (const key of bySite) await receive(key, envelope);
          },
          logger,
        });
        running.push(listener);
        logger.info(
          `mail listener on ${listener.host}:${listener.port} for ${group.map((s) => s.key).join(', ')}`,
        );
      }
      for (const mail of await store.listUndecidedMails(10_000)) decide(mail);
      // Without a transport a retry cannot succeed either.
      if (options.transport !== undefined) {
        let busy = false;
        retryTimer = setInterval(() => {
          // A run still sending (a mail server that does not answer) is not queued behind.
          if (busy) return;
          busy = true;
          retrying = retrying
            .then(retryFailed)
            .catch((error: unknown) => {
              logger.error('failed mail replies could not be retried', error);
            })
            .finally(() => {
              busy = false;
            });
        }, RETRY_CHECK_MS);
        retryTimer.unref();
      }
      // After the undecided mails are queued: a poller's first mails must not be among them.
      for (const site of sites.all()) {
        const mail = site.settings.mail;
        if (mail?.imap === undefined) continue;
        let password: string;
        try {
          password = imapPassword(site.key, mail.imap);
        } catch (error) {
          if (!(error instanceof ImapSettingsError)) throw error;
          // One site's missing secret must not keep the others' mail (or the server) from running.
          logger.error(`${error.message}; its mailbox is not read`);
          continue;
        }
        const poller = startImapPoller({
          siteKey: site.key,
          imap: mail.imap,
          password,
          addresses: mail.addresses,
          maxBytes: mail.imap.maxBytes ?? DEFAULT_MAX_MAIL_BYTES,
          store,
          receive: (envelope, source) => receive(site.key, envelope, source),
          logger,
          now: options.now,
        });
        pollers.push(poller);
        logger.info(`mail of site "${site.key}" read over IMAP from ${poller.account}`);
      }
    },
    listeners: () => running.map((l) => ({ host: l.host, port: l.port })),
    async pollNow() {
      await Promise.all(pollers.map((p) => p.pollNow()));
    },
    receive,
    retryFailed,
    async replyToVisitor(handoff, text, how = {}) {
      const mails = (await store.listMailsOfHandoff(handoff.id)).filter(
        // Bounces, auto-replies and the like are kept with the conversation but are no thread.
        (m) => m.direction === 'out' || m.status !== 'ignored',
      );
      const byMail = mails.some((m) => m.direction === 'in');
      // Without SMTP at all a widget visitor gets no mail, as before: not an undelivered reply.
      if (!byMail && (how.startThread !== true || options.transport === undefined)) return false;
      const site = await sites.get(handoff.siteKey);
      if (site === undefined) return false;
      const first = mails.find((m) => m.direction === 'in');
      // The first mail's own references come first: a conversation that began as an answer to an
      // automatic reply stays one thread with the question and that reply in the customer's client.
      const stored = first === undefined ? undefined : await store.getMail(first.id);
      const before = stored === undefined ? [] : await referencesOf(stored);
      const own = mails.flatMap((m) => (m.messageId === null ? [] : [m.messageId]));
      const t = mailMessages(handoff.locale);
      const channel = (site.settings.mail?.addresses.length ?? 0) > 0;
      // A widget conversation's thread starts with the first reply, its subject naming the ticket
      // (process-mail.ts finds the conversation by it when a client drops the thread headers).
      const opening = `${site.title}: ${t.replyToRequest} ${handoff.ticketId}`;
      const subject = byMail
        ? replySubject(first?.subject ?? null, `${t.yourRequest} ${handoff.ticketId}`)
        : mails[0] === undefined
          ? opening
          : replySubject(mails[0].subject, opening);
      await sendChannelMail(deps, site, {
        to: handoff.email,
        subject,
        text: `${text}\n\n— ${t.agentTeam} ${site.title} (${handoff.ticketId})\n`,
        thread: [...new Set([...before, ...own])],
        handoffId: handoff.id,
        replyToId: null,
        entryId: null,
        automatic: false,
        // Without a mail channel nobody reads the site's address: the notification sender's.
        ...(byMail || channel
          ? {}
          : {
              from:
                site.settings.notifications?.from ?? options.mailFrom ?? 'Lotse <lotse@localhost>',
            }),
      });
      return true;
    },
    setNotifier(n) {
      notifier = n;
    },
    async settled() {
      while (pending > 0) await queue;
    },
    async close() {
      clearInterval(retryTimer);
      await retrying;
      await Promise.all(pollers.map((p) => p.close()));
      pollers.length = 0;
      closed = true;
      await Promise.all(running.map((l) => l.close()));
      running.length = 0;
      while (pending > 0) await queue;
    },
  };
}
