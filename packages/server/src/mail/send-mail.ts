import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Logger } from '../options.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { Store } from '../store/store.js';
import type { MailRow } from './mail-queries.js';

/** What sending a mail of the channel needs of the server. */
export interface SendMailDeps {
  store: Store;
  transport: Transporter | undefined;
  logger: Logger;
  now: () => number;
}

/** One mail Lotse sends on a mail conversation. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Message-IDs of the thread, oldest first; the last is the one answered (In-Reply-To). */
  thread: readonly string[];
  handoffId: string | null;
  /** The question an automatic reply answers. */
  replyToId: string | null;
  entryId: string | null;
  /** An automatic reply: marked `Auto-Submitted: auto-replied` (RFC 3834) so no machine answers it. */
  automatic: boolean;
  /**
   * The sender instead of the site's mail address: a site without a mail channel answers a widget
   * visitor from its notification sender. @default senderOf(site)
   */
  from?: string | undefined;
}

/** The address replies are sent from: the site's `mail.from`, else its first address. */
export function senderOf(site: ResolvedSite): string {
  const mail = site.settings.mail;
  return mail?.from ?? mail?.addresses[0] ?? 'lotse@localhost';
}

// Header values from a received mail are text: no line breaks or NULs reach a header we write.
const oneLine = (s: string) => s.replace(/[\r\n\t\0]+/g, ' ').trim();

/** `Re: subject`, once; `Re: fallback` for a mail without a subject. */
export function replySubject(subject: string | null, fallback = ''): string {
  const s = oneLine(subject ?? '').slice(0, 300) || oneLine(fallback).slice(0, 300);
  return /^(re|aw|antw):/i.test(s) ? s : `Re: ${s}`.trim();
}

/**
 * Composes a mail, stores it (direction `out`, raw as sent) so the customer's answer threads back by
 * its Message-ID, then sends it with the shared transport. Without a transport it is stored as
 * `failed` and logged. Never throws for a delivery failure (the row says `failed`).
 */
export async function sendChannelMail(
  deps: SendMailDeps,
  site: ResolvedSite,
  mail: OutgoingMail,
): Promise<MailRow> {
  const from = mail.from ?? senderOf(site);
  const domain = from.replace(/^.*@/, '').replace(/[>\s].*$/, '') || 'localhost';
  const messageId = `<${randomUUID()}@${domain}>`;
  const thread = mail.thread.filter((id) => /^<[^<>\s]{1,250}>$/.test(id)).slice(-20);
  const inReplyTo = thread.at(-1);
  const composer = new MailComposer({
    from,
    to: mail.to,
    subject: oneLine(mail.subject),
    text: mail.text,
    messageId,
    ...(inReplyTo === undefined ? {} : { inReplyTo, references: thread }),
    headers: mail.automatic
      ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
      : {},
  });
  const raw = await composer.compile().build();
  const row: MailRow = {
    id: randomUUID(),
    siteKey: site.key,
    direction: 'out',
    status: 'sent',
    envelopeFrom: from,
    envelopeTo: [mail.to],
    raw,
    messageId,
    fromAddress: from,
    subject: oneLine(mail.subject),
    handoffId: mail.handoffId,
    replyToId: mail.replyToId,
    entryId: mail.entryId,
    rating: null,
    warning: null,
    receivedAt: deps.now(),
    processedAt: deps.now(),
  };
  await deps.store.insertMails([row]);
  try {
    if (deps.transport === undefined)
      throw new Error('no SMTP transport (LOTSE_SMTP_URL) configured');
    // The envelope sender is empty for an automatic reply (RFC 3834 §3.3): a bounce of it must not
    // come back to be answered again.
    await deps.transport.sendMail({
      envelope: { from: mail.automatic ? '' : from, to: [mail.to] },
      raw,
    });
  } catch (error) {
    const warning = failureWarning(error, 'not sent');
    deps.logger.warn(`mail to the customer of site "${site.key}" ${warning}`);
    await deps.store.updateMail(row.id, { status: 'failed', warning });
    return { ...row, status: 'failed', warning };
  }
  return row;
}

// Marks the warning of a mail that no later try would deliver.
const UNDELIVERABLE = 'undeliverable: ';

/**
 * The warning a failed send leaves on its row. A permanent refusal (a 5xx reply: no such mailbox,
 * rejected as spam) and a server without SMTP are final: trying again would only be refused again
 * or never run. Everything else (a connection refused or cut, a 4xx reply) is temporary.
 */
function failureWarning(error: unknown, temporary: string): string {
  const e = error as Error & { responseCode?: number; permanent?: boolean };
  const final =
    e.permanent === true ||
    (e.responseCode ?? 0) >= 500 ||
    e.message.startsWith('no SMTP transport');
  return `${final ? UNDELIVERABLE : `${temporary}: `}${e.message}`.slice(0, 500);
}

/** Whether a mail that could not be sent may still go out on a later try. */
export function mayRetry(row: Pick<MailRow, 'status' | 'warning'>): boolean {
  return row.status === 'failed' && row.warning?.startsWith(UNDELIVERABLE) !== true;
}

/**
 * Sends a stored mail that could not be sent before, as it was composed (its Message-ID keeps the
 * thread), and records the outcome on its row: `sent`, or `failed` with the new warning.
 */
export async function resendChannelMail(
  deps: SendMailDeps,
  site: ResolvedSite,
  row: MailRow,
  attempt: number,
): Promise<MailRow> {
  try {
    if (deps.transport === undefined)
      throw new Error('no SMTP transport (LOTSE_SMTP_URL) configured');
    // The sender it was composed with: a site's notification sender when it has no mail channel.
    await deps.transport.sendMail({
      envelope: { from: row.envelopeFrom || senderOf(site), to: row.envelopeTo },
      raw: row.raw,
    });
  } catch (error) {
    const warning = failureWarning(error, `not sent (try ${attempt})`);
    deps.logger.warn(`mail ${row.id} to the customer of site "${site.key}" ${warning}`);
    await deps.store.updateMail(row.id, { status: 'failed', warning });
    return { ...row, status: 'failed', warning };
  }
  const processedAt = deps.now();
  await deps.store.updateMail(row.id, { status: 'sent', warning: null, processedAt });
  deps.logger.info(`mail ${row.id} to the customer of site "${site.key}" sent on try ${attempt}`);
  return { ...row, status: 'sent', warning: null, processedAt };
}

/** The token of an automatic reply's rating links: its id and an HMAC of it with the server secret. */
export function ratingToken(secret: Buffer, mailId: string): string {
  return `${mailId}.${createHmac('sha256', secret).update(`mail-rating:${mailId}`).digest('base64url')}`;
}

/** The automatic reply's id when `token` is one of ours, else undefined (compared in constant time). */
export function readRatingToken(secret: Buffer, token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot < 1 || token.length > 200) return undefined;
  const id = token.slice(0, dot);
  const expected = Buffer.from(ratingToken(secret, id));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}
