import { createHmac, randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { siteLabels } from '../inbox/site-topics.js';
import type { ModelRegistry } from '../kb/model-registry.js';
import type { Logger } from '../options.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { HandoffRow, Store } from '../store/store.js';
import { agentMail, excerpt, singleLine } from './agent-mail.js';
import type { Notifier } from './notifier.js';

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  store: Store;
  sites: SiteRegistry;
  logger: Logger;
  /** `smtp://user:pass@host:port` or `smtps://…`; without it no e-mail is sent. */
  smtpUrl?: string | undefined;
  /** A transport to send with instead of one made from `smtpUrl` (the server shares one). */
  transport?: Transporter | undefined;
  /**
   * Sends an agent's reply to the visitor itself, stored and retried (mail-channel.ts): in its mail
   * thread for a conversation that came in by e-mail, and with `startThread` (the site's
   * `emailVisitor`) for a widget visitor; resolves true when it did, so the plain notification is
   * not sent too.
   */
  replyToVisitor?: (
    handoff: HandoffRow,
    text: string,
    options: { startThread: boolean },
  ) => Promise<boolean>;
  /** Sender of the e-mails. @default 'Lotse <lotse@localhost>' */
  from?: string;
  /** Origin of the inbox links in the agents' e-mails. */
  publicUrl: () => string;
  /** The served knowledge bases: the agents' mails take their language, topic and level names. */
  models?: ModelRegistry | undefined;
  /**
   * Waits before the 2nd, 3rd, … webhook attempt and agents' mail attempt: 1 s, 10 s, 1 min,
   * 10 min (exponential, as GitHub and Stripe retry). @default [1000, 10000, 60000, 600000]
   */
  webhookRetryDelaysMs?: readonly number[];
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A nodemailer transport for `smtp://…` or `smtps://…`; undefined without a URL (no e-mail). */
export function createMailTransport(smtpUrl: string | undefined): Transporter | undefined {
  return smtpUrl === undefined || smtpUrl === '' ? undefined : createTransport(smtpUrl);
}

/** Signature header value of a webhook body: `sha256=` + hex HMAC-SHA256 with the site's secret. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Waits `ms`, or less when `signal` aborts (shutdown); resolves whether it waited out. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (waited: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      resolve(waited);
    };
    const stop = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    timer.unref();
    signal.addEventListener('abort', stop);
  });

/**
 * Tells people about conversations: agents by e-mail in the team's language on new and overdue
 * handoffs (agent-mail.ts), the visitor by e-mail on an agent's reply (SMTP with nodemailer), and
 * the site's webhook on each of them (signed with HMAC-SHA256, retried with backoff). Deliveries run in the background and never throw.
 *
 * @example
 * const notifier = createNotifier({ store, sites, logger, smtpUrl, publicUrl: () => url });
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store, sites, logger } = options;
  const transport: Transporter | undefined =
    options.transport ?? createMailTransport(options.smtpUrl);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const delays = options.webhookRetryDelaysMs ?? [1000, 10_000, 60_000, 600_000];
  const pending = new Set<Promise<void>>();
  // Aborted by close(): a retry waiting minutes must not hold up a shutdown.
  const stopping = new AbortController();

  const track = (work: () => Promise<void>) => {
    const p = work()
      .catch((error: unknown) => logger.error('notification failed', error))
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  // An SMTP server that is down or refuses for now (a network fault, a 4xx reply) is tried again
  // after the webhooks' delays; a 5xx reply is final. Either way the outcome is logged with what
  // the mail was about, so no notification is lost without a trace.
  const mail = async (site: ResolvedSite, to: string[], subject: string, text: string) => {
    if (transport === undefined || to.length === 0) return;
    const message = {
      from: site.settings.notifications?.from ?? options.from ?? 'Lotse <lotse@localhost>',
      to,
      // Every subject passes here, so it stays one line whatever a site title holds.
      subject: singleLine(subject),
      text,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.sendMail(message);
        if (attempt > 0)
          logger.info(`notification "${message.subject}" sent on try ${attempt + 1}`);
        return;
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode ?? 0;
        const wait = delays[attempt];
        if (wait === undefined || code >= 500) {
          logger.error(
            `notification "${message.subject}" of site "${site.key}" could not be sent after ${attempt + 1} ${attempt === 0 ? 'try' : 'tries'}; giving up`,
            error,
          );
          return;
        }
        logger.warn(
          `notification "${message.subject}" of site "${site.key}" not sent (${(error as Error).message}); retrying in ${wait} ms`,
        );
        if (!(await sleep(wait, stopping.signal))) {
          logger.error(
            `notification "${message.subject}" of site "${site.key}" not retried: shutting down`,
          );
          return;
        }
      }
    }
  };

  // A deactivated account gets no more customer messages, also when the site lists its address.
  const agentEmails = async (site: ResolvedSite): Promise<string[]> => {
    const agents = await store.listAgents();
    const listed = site.settings.notifications?.agentEmails;
    if (listed === undefined) {
      return agents.filter((a) => a.deactivatedAt === undefined).map((a) => a.email);
    }
    const gone = new Set(
      agents.filter((a) => a.deactivatedAt !== undefined).map((a) => a.email.toLowerCase()),
    );
    return listed.filter((email) => !gone.has(email.toLowerCase()));
  };

  // Whoever took the conversation hears of the customer's answer; without one (or when that
  // account is gone) whoever hears of new requests does.
  const followUpRecipients = async (site: ResolvedSite, handoff: HandoffRow) => {
    const assignee = (await store.getHandoff(handoff.id))?.assignee ?? null;
    const taker =
      assignee === null
        ? undefined
        : (await store.listAgents()).find(
            (a) => a.id === assignee && a.deactivatedAt === undefined,
          );
    return taker === undefined ? agentEmails(site) : [taker.email];
  };

  // The agents' mail in the team's language: the knowledge base's default language (the one its
  // content is written in first), English without one. Not the visitor's language (the customer's,
  // not the team's), nor an agent's page language (a cookie of one browser, unknown here).
  const mailAgents = async (
    site: ResolvedSite,
    handoff: HandoffRow,
    kind: 'created' | 'overdue' | 'follow-up',
    to: string[],
    visitorText?: string,
  ) => {
    if (transport === undefined || to.length === 0) return;
    const labels = options.models && siteLabels(options.models, site.key);
    const locale = labels?.locale ?? 'en';
    const { subject, text } = agentMail({
      kind,
      handoff,
      text: visitorText,
      locale,
      siteTitle: site.title,
      timeZone: site.hours.timeZone,
      topicName: handoff.topic === null ? undefined : labels?.topicName(handoff.topic, locale),
      levelName: labels?.levelName(handoff.level, locale),
      inboxUrl: `${options.publicUrl()}/inbox/c/${encodeURIComponent(handoff.id)}`,
    });
    await mail(site, to, subject, text);
  };

  const webhook = async (site: ResolvedSite, type: string, handoff: HandoffRow) => {
    const url = site.settings.notifications?.webhookUrl;
    const secret = site.settings.notifications?.webhookSecret;
    if (url === undefined || secret === undefined) return;
    const body = JSON.stringify({
      id: randomUUID(),
      type,
      siteKey: site.key,
      ticketId: handoff.ticketId,
      level: handoff.level,
      topic: handoff.topic,
      respondBy: handoff.respondBy,
      ts: Date.now(),
    });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'lotse-webhook',
      'x-lotse-event': type,
      'x-lotse-signature': signWebhook(secret, body),
    };
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const r = await fetchFn(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(10_000),
        });
        status = r.status;
        await r.body?.cancel();
        if (r.ok) return;
      } catch {
        status = 0;
      }
      const wait = delays[attempt];
      // 4xx other than 408/429 will not get better by retrying.
      if (
        wait === undefined ||
        (status >= 400 && status < 500 && status !== 408 && status !== 429)
      ) {
        logger.warn(
          `webhook ${type} of site "${site.key}" to ${url} failed (${status || 'network error'}); giving up`,
        );
        return;
      }
      if (!(await sleep(wait, stopping.signal))) {
        logger.warn(`webhook ${type} of site "${site.key}" to ${url} not retried: shutting down`);
        return;
      }
    }
  };

  const withSite = (handoff: HandoffRow, work: (site: ResolvedSite) => Promise<void>) =>
    track(async () => {
      const site = await sites.get(handoff.siteKey);
      if (site !== undefined) await work(site);
    });

  return {
    async handoffCreated(handoff) {
      withSite(handoff, async (site) => {
        await Promise.all([
          mailAgents(site, handoff, 'created', await agentEmails(site)),
          webhook(site, 'handoff.created', handoff),
        ]);
      });
    },
    async agentReplied(handoff, text) {
      withSite(handoff, async (site) => {
        const toVisitor = site.settings.notifications?.emailVisitor ?? true;
        const german = (handoff.locale ?? '').startsWith('de');
        // A conversation that came in by e-mail has no other way to the customer: answered in its
        // thread whatever `emailVisitor` says. A widget visitor's reply is stored and retried too.
        const threaded =
          options.replyToVisitor === undefined
            ? false
            : await options.replyToVisitor(handoff, text, { startThread: toVisitor });
        await Promise.all([
          toVisitor && !threaded
            ? mail(
                site,
                [handoff.email],
                german
                  ? `${site.title}: Antwort auf Ihre Anfrage ${handoff.ticketId}`
                  : `${site.title}: reply to your request ${handoff.ticketId}`,
                `${excerpt(text, 10_000)}\n\n— ${site.title} (${handoff.ticketId})\n`,
              )
            : Promise.resolve(),
          webhook(site, 'agent.replied', handoff),
        ]);
      });
    },
    async visitorWrote(handoff, text) {
      withSite(handoff, async (site) => {
        await Promise.all([
          mailAgents(site, handoff, 'follow-up', await followUpRecipients(site, handoff), text),
          webhook(site, 'visitor.replied', handoff),
        ]);
      });
    },
    async handoffOverdue(handoff) {
      withSite(handoff, async (site) => {
        await Promise.all([
          mailAgents(site, handoff, 'overdue', await agentEmails(site)),
          webhook(site, 'handoff.overdue', handoff),
        ]);
      });
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      stopping.abort();
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Options of {@link checkOverdue}. */
export interface CheckOverdueOptions {
  store: Store;
  notifier: Notifier;
  now: number;
}

/**
 * Tells the agents once about each open conversation past its promised time without a reply. The
 * first instance to claim a conversation in the store's `meta` table sends, so several instances
 * never send twice.
 */
export async function checkOverdue(options: CheckOverdueOptions): Promise<number> {
  const { store, notifier, now } = options;
  const claim = randomUUID();
  let sent = 0;
  for (const h of await store.listHandoffs({ status: 'open', limit: 5000 })) {
    if (h.firstReplyAt !== null || Date.parse(h.respondBy) > now) continue;
    if ((await store.getOrSetMeta(`overdue-notified:${h.id}`, claim)) !== claim) continue;
    await notifier.handoffOverdue(h);
    sent++;
  }
  return sent;
}
