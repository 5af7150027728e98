import { randomUUID } from 'node:crypto';
import type { Classification, EventPropsMap, TranscriptLine } from '@lotse/sdk/schema';
import { answerToPlainText, type Decision } from '@lotse/triage';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { visitorFollowedUp } from '../inbox/record-event.js';
import { createHandoff } from '../ingest/create-handoff.js';
import type { ModelRegistry } from '../kb/model-registry.js';
import { onlyThanks, servedTriage } from '../kb/served-triage.js';
import type { LiveHub } from '../live/live-hub.js';
import type { Notifier } from '../notify/notifier.js';
import type { Logger } from '../options.js';
import { sha256 } from '../secrets.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { ResolvedSite } from '../sites/site-settings.js';
import type { EventRow, HandoffRow, RateRule, Store } from '../store/store.js';
import { storeAttachments } from './attachments.js';
import { automaticKind } from './automatic-mail.js';
import { TOO_LARGE_HEADER } from './imap-poller.js';
import { mailMessages } from './mail-messages.js';
import type { MailPatch, MailRow } from './mail-queries.js';
import { ratingToken, replySubject, sendChannelMail } from './send-mail.js';
import { stripQuoted, writesOnlyAbove } from './strip-quoted.js';

/** What deciding mail needs of the server. */
export interface MailDeps {
  store: Store;
  sites: SiteRegistry;
  models: ModelRegistry;
  logger: Logger;
  secret: Buffer;
  notifier?: Notifier | undefined;
  /** Live updates of the inbox and the visitor's panel. */
  live?: LiveHub | undefined;
  transport: Transporter | undefined;
  /** Origin of the rating links. */
  publicUrl: () => string;
  now: () => number;
  /** Automatic replies per sender and site. */
  replyRule: RateRule;
}

// The message and each transcript line of a handoff hold at most this much (the widget's limit,
// MAX_MESSAGE_LENGTH of @lotse/sdk/schema).
const MAX_TEXT = 5000;
// mailparser turns HTML into text; a larger HTML part is not parsed (a hostile mail could nest it
// deep or make it huge) and the mail is kept with a warning.
const MAX_HTML = 2 * 1024 * 1024;

const emailShape = /^[^\s@<>()",;:]{1,64}@[^\s@<>()",;:]{1,255}$/;

/** Parses a raw mail as the channel reads it: HTML only as text, no links or images made. */
export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: MAX_HTML,
  });
}

/**
 * What the customer wrote in a mail: subject, their own words (no quoted history, no signature),
 * and both as the text triage decides.
 */
export function customerText(parsed: ParsedMail): { subject: string; own: string; text: string } {
  const subject = clip(
    clean(parsed.subject ?? '')
      .replace(/[\r\n\t]+/g, ' ')
      .trim(),
    500,
  );
  const own = clip(clean(stripQuoted(parsed.text ?? '', { subject: parsed.subject })), MAX_TEXT);
  return {
    subject,
    own,
    text: clip([subject, own].filter((s) => s !== '').join('\n\n'), MAX_TEXT) || '(—)',
  };
}

/**
 * The customer's address, which replies go to: the first `Reply-To` address, else the header
 * `From`, else the envelope sender, whichever is a valid address and not one of the site's own.
 * Contact forms send `From` their own (or the site's) address with the visitor in `Reply-To`, and
 * replying to the site's own address would mail Lotse itself; empty when no address is left.
 */
export function customerAddress(
  site: ResolvedSite,
  parsed: ParsedMail,
  envelopeFrom: string,
): string {
  const own = new Set(site.settings.mail?.addresses.map((a) => a.toLowerCase()) ?? []);
  return (
    [firstAddress(parsed.replyTo), firstAddress(parsed.from), envelopeFrom].find(
      (a) => emailShape.test(a) && !own.has(a.toLowerCase()),
    ) ?? ''
  );
}

/** The first address of a header (groups opened), empty without one. */
const firstAddress = (field: ParsedMail['from']) =>
  (field?.value ?? [])
    .flatMap((a) => [a, ...(a.group ?? [])])
    .find((a) => a.address !== undefined && a.address !== '')?.address ?? '';

/**
 * Whether an automatic answer may go to `address`: the sender's own (header `From` or envelope), or
 * a `Reply-To` in the `From`'s domain. Nobody checks a Reply-To: anyone could name a stranger there
 * and have the shop mail them its answer, so a Reply-To elsewhere (a contact form's visitor) is
 * answered by a person, whose reply goes there.
 */
export function mayAnswerAutomatically(
  parsed: ParsedMail,
  envelopeFrom: string,
  address: string,
): boolean {
  const to = address.toLowerCase();
  const from = firstAddress(parsed.from).toLowerCase();
  if (to === from || to === envelopeFrom.toLowerCase()) return true;
  const domain = (a: string) => a.slice(a.lastIndexOf('@') + 1);
  return from.includes('@') && domain(to) === domain(from);
}

/**
 * The addresses a delivery report could not deliver to (RFC 3464's `Final-Recipient` and
 * `Original-Recipient`, which mailparser puts in the text, and Exim's `X-Failed-Recipients`),
 * lower-cased, at most 5: named in the kept bounce's warning, by which the visitor export and
 * `delete --email` find it.
 */
export function bouncedAddresses(parsed: ParsedMail): string[] {
  const reported = [
    ...(parsed.text ?? '').matchAll(
      /^\s*(?:final|original)-recipient:\s*rfc822\s*;\s*<?([^\s<>;]+)>?\s*$/gim,
    ),
  ].map((m) => m[1] ?? '');
  const failed = (headerText(parsed, 'x-failed-recipients') ?? '').split(/[\s,]+/);
  const found = [...reported, ...failed]
    .map((a) => a.trim().toLowerCase())
    .filter((a) => emailShape.test(a));
  return [...new Set(found)].slice(0, 5);
}

/** A header as text, whatever shape mailparser gave it. */
function headerText(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') {
    return value.value;
  }
  return String(value);
}

/** Message-IDs of `In-Reply-To` and `References`, as stored (angle brackets included). */
export function threadIds(parsed: ParsedMail): string[] {
  const refs = parsed.references === undefined ? [] : [parsed.references].flat();
  const ids = [...refs, ...(parsed.inReplyTo === undefined ? [] : [parsed.inReplyTo])]
    .flatMap((s) => s.match(/<[^<>\s]{1,250}>/g) ?? [])
    .slice(-50);
  return [...new Set(ids)];
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
// NUL and lone surrogates are refused by PostgreSQL's text; neither means anything in a mail.
const clean = (s: string) =>
  s
    .replaceAll('\0', '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** The events of one mail conversation share a session named after its first mail. */
export function sessionOf(questionId: string, address: string) {
  return {
    sessionId: `mail:${questionId}`,
    anonymousId: `mail:${sha256(address.toLowerCase()).slice(0, 32)}`,
    conversationId: questionId,
  };
}

/** Stores a server-side event of a mail conversation (channel `email`). */
export async function recordMailEvent<T extends keyof EventPropsMap>(
  store: Pick<Store, 'insertEvents'>,
  siteKey: string,
  session: ReturnType<typeof sessionOf>,
  type: T,
  props: EventPropsMap[T],
  ts: number,
): Promise<void> {
  await store.insertEvents([
    {
      id: randomUUID(),
      siteKey,
      type,
      ts,
      receivedAt: ts,
      ...session,
      userId: null,
      props,
      clientHash: null,
    },
  ]);
}

export const reasonsIn = (locale: string | null) =>
  locale?.startsWith('de') === true
    ? {
        email: 'Per E-Mail eingegangen.',
        noModel: 'Die Website hat noch kein Modell: ein Mensch entscheidet.',
        answeredAuto:
          'Die Kundin oder der Kunde hat auf die automatische Antwort geantwortet: ein Mensch übernimmt.',
        notHelpful: 'Die automatische Antwort hat laut Kunde nicht geholfen.',
        limited: 'Automatische Antworten an diesen Absender sind für jetzt ausgeschöpft.',
        autoOff: 'Automatische Antworten sind für diese Website ausgeschaltet.',
        list: 'Mail an eine Liste oder Massenmail: wird nie automatisch beantwortet.',
        replyToElsewhere:
          'Die Antwortadresse (Reply-To) gehört nicht zum Absender: keine automatische Antwort, ein Mensch antwortet.',
        tooLarge:
          'Die E-Mail war zu groß zum Lesen und liegt ungelesen im Postfach: ein Mensch öffnet sie dort.',
      }
    : {
        email: 'Came in by email.',
        noModel: 'The site has no model yet: a person decides.',
        answeredAuto: 'The customer answered the automatic reply: a person takes over.',
        notHelpful: 'The customer said the automatic reply did not help.',
        limited: 'Automatic replies to this sender are used up for now.',
        autoOff: 'Automatic replies are switched off for this site.',
        list: 'Mail to a list or bulk mail: never answered automatically.',
        replyToElsewhere:
          'The reply address (Reply-To) is not the sender’s: no automatic answer, a person replies.',
        tooLarge:
          'The mail was too large to read and is left unread in the mailbox: a person opens it there.',
      };

/**
 * Decides one stored mail: bounces and auto-replies are kept and never answered; a mail that answers
 * one of a conversation's mails joins that conversation; a confident level-1 question gets the
 * prepared answer by mail (when the site allows automatic replies and the sender has not had too
 * many); everything else becomes a handoff in the inbox with level, topic, signals, reasons and the
 * SLA of its level. Never throws for a bad mail: it is kept with a warning.
 */
export async function processMail(deps: MailDeps, mail: MailRow): Promise<void> {
  const now = deps.now();
  const site = await deps.sites.get(mail.siteKey);
  if (site === undefined) {
    await deps.store.updateMail(mail.id, {
      status: 'failed',
      warning: `site "${mail.siteKey}" no longer exists`,
      processedAt: now,
    });
    return;
  }
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(mail.raw);
  } catch (error) {
    const warning = `cannot be read: ${(error as Error).message}`.slice(0, 500);
    deps.logger.warn(`mail ${mail.id} for site "${site.key}" ${warning}; kept as received`);
    await deps.store.updateMail(mail.id, { status: 'failed', warning, processedAt: now });
    return;
  }
  const messageId =
    parsed.messageId !== undefined && /^<[^<>\s]{1,250}>$/.test(parsed.messageId)
      ? parsed.messageId
      : null;
  const address = customerAddress(site, parsed, mail.envelopeFrom);
  const { subject, own, text } = customerText(parsed);
  // The same mail delivered twice (the listener and the IMAP poller, or a sender retrying after a
  // lost 250) is decided once: a second ticket or automatic answer is worse than none. The copy
  // is kept with the first one's conversation, so it is deleted with it.
  const first =
    messageId === null
      ? undefined
      : (await deps.store.findMailsByMessageId(site.key, [messageId]))
          .filter((m) => m.direction === 'in' && m.id !== mail.id)
          .at(-1);
  if (first !== undefined) {
    deps.logger.info(
      `mail ${mail.id} for site "${site.key}" repeats mail ${first.id} (same Message-ID): kept, not decided again`,
    );
    await deps.store.updateMail(mail.id, {
      status: 'ignored',
      messageId,
      fromAddress: address === '' ? null : address,
      subject,
      handoffId: first.handoffId,
      warning: `duplicate of mail ${first.id} (same Message-ID): kept, not decided again`,
      processedAt: now,
    });
    return;
  }
  await storeAttachments(deps, site, mail.id, parsed);
  const warnings: string[] = [];
  const headerFrom = parsed.from?.value.find((a) => a.address !== undefined)?.address ?? '';
  if (
    headerFrom !== '' &&
    mail.envelopeFrom !== '' &&
    headerFrom.toLowerCase() !== mail.envelopeFrom.toLowerCase()
  ) {
    warnings.push(
      `header From <${clip(headerFrom, 200)}> differs from the envelope sender <${clip(mail.envelopeFrom, 200)}>`,
    );
  }
  if (
    parsed.textConversionError !== undefined ||
    (parsed.text === undefined && typeof parsed.html === 'string')
  ) {
    warnings.push('the HTML part could not be turned into text');
  }
  if (messageId === null) warnings.push('no valid Message-ID');
  // The IMAP poller's stand-in for a mail over its size limit (imap-poller.ts). A sender could
  // write the header too: that only sends their mail to a person.
  const tooLarge = headerText(parsed, TOO_LARGE_HEADER.toLowerCase()) !== undefined;
  const kind = automaticKind({
    envelopeFrom: mail.envelopeFrom,
    header: (name) => headerText(parsed, name),
    contentType: (headerText(parsed, 'content-type') ?? '').toLowerCase(),
  });
  const warning = warnings.length === 0 ? null : clip(warnings.join('; '), 1000);
  // What was read is written with the outcome, and the events in one batch at the end: each
  // commit waits for the disk (synchronous = full), and the listener's inserts wait behind them.
  const meta: MailPatch = {
    messageId,
    fromAddress: address === '' ? null : address,
    subject,
    warning,
  };
  const events: EventRow[] = [];
  const store: Store = {
    ...deps.store,
    async insertEvents(rows) {
      events.push(...rows);
      return { accepted: rows.length, duplicates: 0 };
    },
    updateMail: (id, patch) =>
      deps.store.updateMail(id, id === mail.id ? { ...meta, ...patch } : patch),
  };
  try {
    await decide(
      { ...deps, store },
      site,
      mail,
      parsed,
      { kind, warnings, warning, messageId, subject, own, text, address, tooLarge },
      now,
    );
  } finally {
    // One millisecond apart, in the order they happened: the figures order events of the same
    // millisecond by their (random) id, which could put the handoff before its question.
    if (events.length > 0)
      await deps.store.insertEvents(
        events.map((e, i) => ({ ...e, ts: e.ts + i, receivedAt: e.ts + i })),
      );
  }
}

interface ReadMail {
  kind: ReturnType<typeof automaticKind>;
  warnings: string[];
  warning: string | null;
  messageId: string | null;
  subject: string;
  own: string;
  text: string;
  address: string;
  /** A stand-in for a mail left unread in the mailbox: for a person, never answered automatically. */
  tooLarge: boolean;
}

async function decide(
  deps: MailDeps,
  site: ResolvedSite,
  mail: MailRow,
  parsed: ParsedMail,
  read: ReadMail,
  now: number,
): Promise<void> {
  const { kind, warnings, warning, messageId, subject, own, text, address, tooLarge } = read;
  const earlier = await deps.store.findMailsByMessageId(site.key, threadIds(parsed));
  // A machine's mail in a thread (a vacation notice marked only `Precedence: bulk`, a list's copy)
  // is kept with its conversation but reopens nothing and tells no one.
  const machine =
    kind === 'bounce' ||
    kind === 'auto-reply' ||
    (kind === 'list' && earlier.some((m) => m.handoffId !== null && m.id !== mail.id));
  if (machine) {
    deps.logger.info(
      `mail ${mail.id} for site "${site.key}" is ${kind === 'bounce' ? 'a bounce' : kind === 'list' ? 'bulk or list mail' : 'an auto-reply'}: kept, not answered`,
    );
    const bounced = kind === 'bounce' ? bouncedAddresses(parsed) : [];
    // privacy/privacy-queries.ts (visitorMails) reads the addresses back from this text.
    const about = bounced.length === 0 ? '' : ` (for ${bounced.map((a) => `<${a}>`).join(', ')})`;
    const returned = kind === 'bounce' ? await markBounced(deps, site, mail, parsed) : undefined;
    const thread = earlier.find((m) => m.handoffId !== null && m.id !== mail.id);
    const handoffId = returned?.handoffId ?? thread?.handoffId ?? null;
    await deps.store.updateMail(mail.id, {
      status: 'ignored',
      ...(handoffId === null ? {} : { handoffId }),
      warning: clip(
        [
          `${kind}: kept, never answered${about}`,
          ...(returned === undefined ? [] : [`returns mail ${returned.id}`]),
          ...warnings,
        ].join('; '),
        1000,
      ),
      processedAt: now,
    });
    return;
  }
  if (warning !== null) deps.logger.warn(`mail ${mail.id} for site "${site.key}": ${warning}`);

  const served = servedTriage(deps.models, site.key, deps.logger);
  const autoReply = earlier.find((m) => m.direction === 'out' && m.replyToId !== null);
  const conversation =
    earlier.find((m) => m.handoffId !== null && m.id !== mail.id)?.handoffId ??
    (await conversationByTicket(deps.store, site.key, subject, senderOf(parsed, mail))) ??
    (earlier.length === 0
      ? await conversationBySubject(deps.store, site.key, subject, address, now)
      : undefined);
  // A reply (to an agent or an automatic answer) whose own words only thank or say goodbye
  // ("Danke, hat geklappt!") asks nothing: kept, it reopens nothing and reaches no one. Read by
  // the own words, as a reply's subject is the old one, and only when nothing of theirs is under
  // the quote; a new mail always reaches someone.
  const thanks =
    (conversation !== undefined || autoReply !== undefined) &&
    own !== '' &&
    writesOnlyAbove(parsed.text ?? '', { subject: parsed.subject }) &&
    onlyThanks(() => served, own);
  if (conversation != null && kind === 'list') {
    // Found by its ticket id or subject instead of its thread headers: still nobody's answer.
    deps.logger.info(
      `mail ${mail.id} for site "${site.key}" is bulk or list mail: kept, not answered`,
    );
    await deps.store.updateMail(mail.id, {
      status: 'ignored',
      handoffId: conversation,
      warning: clip(['list: kept, never answered', ...warnings].join('; '), 1000),
      processedAt: now,
    });
    return;
  }
  if (conversation != null) {
    const joined = await joinConversation(
      deps,
      conversation,
      mail,
      { text, sender: senderOf(parsed, mail), warnings },
      now,
      thanks,
    );
    if (joined) return;
  }
  if (thanks) {
    deps.logger.info(`mail ${mail.id} for site "${site.key}" only thanks: kept, not answered`);
    await deps.store.updateMail(mail.id, {
      status: 'ignored',
      warning: clip(['thanks only: kept, not answered', ...warnings].join('; '), 1000),
      processedAt: now,
    });
    return;
  }
  const decision = served?.triage.decide(text);
  const locale = decision?.locale ?? null;
  const r = reasonsIn(locale);
  const question =
    autoReply?.replyToId == null ? undefined : await deps.store.getMail(autoReply.replyToId);
  const session = sessionOf(question?.id ?? mail.id, address || mail.envelopeFrom);
  // An answer to an automatic reply asks again: within the 7 days in which the conversation is
  // still open this continues it; later (it counted as resolved by the reply) it starts the one the
  // handoff ends, so the handoff is counted either way.
  await recordMailEvent(
    deps.store,
    site.key,
    session,
    'query.submitted',
    { channel: 'email', ...(locale === null ? {} : { locale }), length: text.length },
    now,
  );
  if (decision !== undefined && question === undefined) {
    await recordMailEvent(
      deps.store,
      site.key,
      session,
      'triage.decided',
      {
        kind: decision.kind,
        level: decision.level,
        ...(decision.topic === undefined ? {} : { topic: decision.topic }),
        ...(decision.entry === undefined ? {} : { entryId: decision.entry.id }),
        confidence: decision.confidence,
        signals: decision.signals,
      },
      now,
    );
  }

  const extraReasons: string[] = [r.email, ...warnings.map((w) => clip(w, 300))];
  if (decision === undefined) extraReasons.push(r.noModel);
  if (question !== undefined) extraReasons.push(r.answeredAuto);
  const confident =
    decision?.kind === 'answer' &&
    decision.level === 1 &&
    decision.entry !== undefined &&
    question === undefined;
  if (confident && kind === 'list') extraReasons.push(r.list);
  if (tooLarge) extraReasons.push(r.tooLarge);
  const vouched = address !== '' && mayAnswerAutomatically(parsed, mail.envelopeFrom, address);
  if (confident && address !== '' && !vouched) extraReasons.push(r.replyToElsewhere);
  const autoOn = site.settings.mail?.autoReplies !== false;
  if (confident && !autoOn) extraReasons.push(r.autoOff);
  if (confident && autoOn && !tooLarge && vouched && kind === undefined && decision !== undefined) {
    const taken = await deps.store.takeToken(
      `mail-reply:${site.key}:${address.toLowerCase()}`,
      deps.replyRule,
      now,
    );
    if (taken.allowed) {
      await answerAutomatically(
        deps,
        site,
        mail,
        { messageId, text, subject, address, decision, session, served },
        now,
      );
      return;
    }
    deps.logger.warn(
      `automatic replies to a sender of site "${site.key}" are used up for now; handing mail ${mail.id} to a person`,
    );
    extraReasons.push(r.limited);
  }
  // A reply to an automatic answer is about that answer's question: without a topic of its own
  // ("Das geht leider nicht, der Button fehlt"), it keeps the answered entry's topic and queue, as
  // a "no" on the rating link does, and is not out of scope.
  const answered =
    question?.entryId == null || decision?.topic !== undefined
      ? undefined
      : served?.triage.model.entry(question.entryId, decision?.locale ?? 'de');
  const topic = decision?.topic ?? answered?.topic;
  const classification: Classification = {
    level: decision?.level ?? 2,
    ...(topic === undefined ? {} : { topic }),
    signals: (decision?.signals ?? []).filter(
      (s) => answered === undefined || s !== 'out-of-scope',
    ),
    confidence: decision?.confidence ?? 0,
    reasons: [...(decision?.reasons ?? []), ...extraReasons].map((x) => clip(x, 300)).slice(0, 20),
  };
  const transcript: TranscriptLine[] =
    question === undefined
      ? []
      : [
          { from: 'visitor', text: await questionText(question), ts: question.receivedAt },
          {
            from: 'bot',
            text: clip(autoReplyText(autoReply), MAX_TEXT),
            ts: autoReply?.receivedAt ?? now,
          },
        ];
  await handOff(
    deps,
    site,
    mail,
    {
      address,
      text,
      transcript,
      classification,
      locale,
      session,
      reason: question === undefined ? reasonOf(decision) : 'not-helpful',
    },
    now,
  );
}

/** Marks a bounce's warning on the mail it returns: that mail was not delivered (mail-queries.ts). */
export const BOUNCED = 'undeliverable: bounced: ';

/**
 * Whether a mail classed `bounce` reports that delivery failed: RFC 3464's `Action: failed` or a
 * permanent `Status: 5.x.x` in its body, or Exim's `X-Failed-Recipients`. Not a delay report
 * (`Action: delayed`, `4.x.x`), a read receipt (RFC 8098) or a vacation notice from an empty
 * envelope sender (RFC 3834 §3.3 asks for one), which are `bounce` too but returned nothing.
 */
export function reportsFailure(parsed: ParsedMail, body: string): boolean {
  if ((headerText(parsed, 'x-failed-recipients') ?? '').trim() !== '') return true;
  return /^[ \t]*(?:action:[ \t]*failed\b|status:[ \t]*5\.\d{1,3}\.\d{1,3}\b)/im.test(body);
}

/**
 * The mail of ours a failed-delivery report returns, found by the Message-ID in the returned
 * headers (RFC 3464's `message/rfc822-headers` or `message/rfc822` part; never the report's own
 * thread headers, which an auto-reply to our reply carries too), marked `failed` with the report's
 * reason, so the conversation shows it as not delivered and it is never retried; undefined when the
 * report is no failure (see reportsFailure) or names none of ours.
 */
async function markBounced(
  deps: MailDeps,
  site: ResolvedSite,
  mail: MailRow,
  parsed: ParsedMail,
): Promise<MailRow | undefined> {
  const raw = mail.raw.toString('latin1');
  const body = raw.slice(Math.max(0, raw.search(/\r?\n\r?\n/)));
  if (!reportsFailure(parsed, body)) return undefined;
  const returned = [...body.matchAll(/^message-id:[ \t]*(<[^<>\s]{1,250}>)/gim)].map((m) => m[1]!);
  const ids = [...new Set(returned)].slice(0, 20);
  const ours = (await deps.store.findMailsByMessageId(site.key, ids)).find(
    (m) => m.direction === 'out',
  );
  if (ours === undefined) return undefined;
  const report = parsed.text ?? '';
  const reason =
    /^\s*diagnostic-code:\s*(?:smtp;\s*)?(.+)$/im.exec(report)?.[1] ??
    /^\s*status:\s*(\d\.\d{1,3}\.\d{1,3})\s*$/im.exec(report)?.[1] ??
    report.split('\n').find((line) => line.trim() !== '') ??
    '';
  const warning = `${BOUNCED}${clip(clean(reason).replace(/\s+/g, ' ').trim(), 300) || '(—)'}`;
  deps.logger.warn(`mail ${ours.id} of site "${site.key}" came back undelivered (mail ${mail.id})`);
  await deps.store.updateMail(ours.id, { status: 'failed', warning });
  return ours;
}

/** The text of a stored question, read again from its raw mail. */
export async function questionText(question: MailRow): Promise<string> {
  try {
    return customerText(await parseMail(question.raw)).text;
  } catch {
    return question.subject || '(—)';
  }
}

/** The Message-IDs a stored mail refers to (its thread before it); none when it cannot be read. */
export async function referencesOf(mail: MailRow): Promise<string[]> {
  try {
    return threadIds(await parseMail(mail.raw));
  } catch {
    return [];
  }
}

function autoReplyText(reply: MailRow | undefined): string {
  return reply?.entryId == null ? '(—)' : `→ ${reply.entryId}`;
}

function reasonOf(decision: Decision | undefined): EventPropsMap['handoff.created']['reason'] {
  if (decision === undefined) return 'level';
  if (decision.signals.includes('complaint')) return 'complaint';
  if (decision.signals.includes('wants-human')) return 'wants-human';
  if (decision.signals.includes('out-of-scope')) return 'out-of-scope';
  return 'level';
}

// "Re:" and its German and translated forms, also counted ("Re[2]:"); forwards start new mail.
const REPLY_PREFIXES = /^(\s*(re|aw|antw|sv|vs)\s*(\[\d+\])?\s*:)+/i;
const BARE_SUBJECT_DAYS = 30;

/** A subject without its reply prefixes, white space folded, lower-cased. */
const bareSubject = (subject: string) =>
  subject.replace(REPLY_PREFIXES, '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The conversation a reply belongs to when its thread headers were lost (a new mail with the old
 * subject, "Re: …", as some clients and forwarding rules send): the same customer's newest
 * conversation of the last 30 days that began with that subject. Only a subject marked as a reply
 * counts, so a new question under a common subject ("Frage") starts a conversation of its own.
 */
async function conversationBySubject(
  store: Pick<Store, 'listConversationsOf'>,
  siteKey: string,
  subject: string,
  address: string,
  now: number,
): Promise<string | undefined> {
  const bare = bareSubject(subject);
  if (address === '' || !REPLY_PREFIXES.test(subject) || bare === '') return undefined;
  const since = now - BARE_SUBJECT_DAYS * 86_400_000;
  const found = await store.listConversationsOf(siteKey, address, since, 20);
  // A mail conversation's first message is its subject, then the customer's words.
  return found.find((h) => bareSubject(h.message.split('\n', 1)[0] ?? '') === bare)?.id;
}

// A ticket id as secrets.ts makes them: `T-` and 10 Crockford base-32 characters.
const TICKET_ID = /\bT-[0-9A-HJKMNP-TV-Z]{10}\b/gi;

/** The sender a mail names in `From` (else its envelope sender), lower-cased; empty without one. */
function senderOf(parsed: ParsedMail, mail: Pick<MailRow, 'envelopeFrom'>): string {
  return (
    [firstAddress(parsed.from), mail.envelopeFrom].find((a) => emailShape.test(a)) ?? ''
  ).toLowerCase();
}

/**
 * The conversation whose ticket id the subject names ("AW: Ihre Anfrage T-KG3JZQ39HE") when the
 * thread headers were lost: only the site's own ticket, and only when the mail's `From` (else its
 * envelope sender) names that conversation's customer's address, not a `Reply-To`. Nobody verifies
 * `From`: like the subject match, this keeps a mistyped or guessed ticket id out of another
 * customer's conversation, but someone who knows both the ticket id and the customer's address can
 * still write into it, as they could by threading headers.
 */
async function conversationByTicket(
  store: Pick<Store, 'findConversationByTicket'>,
  siteKey: string,
  subject: string,
  sender: string,
): Promise<string | undefined> {
  if (sender === '') return undefined;
  const named = new Set([...subject.matchAll(TICKET_ID)].map((m) => m[0].toUpperCase()));
  for (const ticketId of [...named].slice(0, 3)) {
    const found = await store.findConversationByTicket(siteKey, ticketId, sender);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Starts the warning of a mail in a conversation whose sender is not its customer. */
export const OTHER_SENDER = 'sender is not the conversation’s customer: ';

/**
 * Adds a customer's answer to its conversation (reopened when closed, unless it only thanks);
 * false when the conversation is gone. A mail from another address than the customer's (anyone can
 * answer a thread they were copied on, or forge its headers) joins too, but its row names the
 * sender, which the conversation page shows on the message.
 */
async function joinConversation(
  deps: MailDeps,
  handoffId: string,
  mail: MailRow,
  m: { text: string; sender: string; warnings: readonly string[] },
  now: number,
  thanks: boolean,
): Promise<boolean> {
  const { text } = m;
  const h = await deps.store.getHandoff(handoffId);
  if (h === undefined) return false;
  const other = m.sender !== '' && m.sender !== h.email.trim().toLowerCase();
  if (other) {
    deps.logger.warn(
      `mail ${mail.id} for site "${h.siteKey}" joins a conversation of another customer's address`,
    );
  }
  const stored = await deps.store.insertMessage({
    id: mail.id,
    handoffId,
    from: 'visitor',
    text,
    ts: now,
    thanksOnly: thanks,
  });
  deps.live?.publish({ kind: 'message', handoffId, from: 'visitor' });
  // A thank-you after the agent closed it is in the conversation but leaves it closed.
  await visitorFollowedUp(deps, h, stored, now);
  await deps.store.updateMail(mail.id, {
    status: 'threaded',
    handoffId,
    processedAt: now,
    ...(other && {
      fromAddress: m.sender,
      warning: clip([`${OTHER_SENDER}<${m.sender}>`, ...m.warnings].join('; '), 1000),
    }),
  });
  return true;
}

interface Answering {
  messageId: string | null;
  text: string;
  subject: string;
  address: string;
  decision: Decision;
  session: ReturnType<typeof sessionOf>;
  served: ReturnType<typeof servedTriage>;
}

/** Sends the entry's prepared answer in the mail's language, with the "did this solve it?" links. */
async function answerAutomatically(
  deps: MailDeps,
  site: ResolvedSite,
  mail: MailRow,
  a: Answering,
  now: number,
): Promise<void> {
  const found = a.decision.entry!;
  const entry = a.served?.triage.model.entry(found.id, a.decision.locale) ?? found;
  const t = mailMessages(a.decision.locale);
  // The rating links name the question; its reply is found by `reply_to_id`.
  const token = ratingToken(deps.secret, mail.id);
  const lang = a.decision.locale === 'de' ? 'de' : 'en';
  const link = (answer: 'yes' | 'no') =>
    `${deps.publicUrl()}/mail/rate/${encodeURIComponent(token)}?answer=${answer}&lang=${lang}`;
  const text = [
    t.autoReplyIntro,
    `${entry.title}\n\n${answerToPlainText(entry.answer)}`,
    `${t.solvedQuestion}\n${t.yes}: ${link('yes')}\n${t.no}: ${link('no')}`,
    t.replyForPerson,
    `— ${site.title}\n${t.autoNote}`,
  ].join('\n\n');
  const sent = await sendChannelMail(deps, site, {
    to: a.address,
    subject: replySubject(a.subject, `${t.yourRequestTo} ${site.title}`),
    text,
    thread: a.messageId === null ? [] : [a.messageId],
    handoffId: null,
    replyToId: mail.id,
    entryId: entry.id,
    automatic: true,
  });
  if (sent.status === 'failed') {
    // The customer must not be left without an answer: a person takes over.
    await handOff(
      deps,
      site,
      mail,
      {
        address: a.address,
        text: a.text,
        transcript: [],
        classification: {
          level: a.decision.level,
          ...(a.decision.topic === undefined ? {} : { topic: a.decision.topic }),
          signals: a.decision.signals,
          confidence: a.decision.confidence,
          reasons: [...a.decision.reasons, sent.warning ?? 'not sent']
            .map((x) => clip(x, 300))
            .slice(0, 20),
        },
        locale: a.decision.locale,
        session: a.session,
        reason: 'level',
      },
      now,
    );
    return;
  }
  const kbVersion = deps.models.get(site.key)?.version;
  await recordMailEvent(
    deps.store,
    site.key,
    a.session,
    'answer.shown',
    {
      entryId: entry.id,
      ...(a.decision.topic === undefined ? {} : { topic: a.decision.topic }),
      level: a.decision.level,
      ...(kbVersion === undefined ? {} : { kbVersion }),
    },
    now,
  );
  await deps.store.updateMail(mail.id, { status: 'answered', entryId: entry.id, processedAt: now });
}

interface HandingOff {
  address: string;
  text: string;
  transcript: TranscriptLine[];
  classification: Classification;
  locale: string | null;
  session: ReturnType<typeof sessionOf>;
  reason: EventPropsMap['handoff.created']['reason'];
}

/** Makes the mail a conversation in the inbox (the same path as the widget's handoffs). */
export async function handOff(
  deps: Pick<MailDeps, 'store' | 'secret' | 'notifier' | 'live'>,
  site: ResolvedSite,
  mail: MailRow,
  h: HandingOff,
  now: number,
): Promise<HandoffRow> {
  const { handoff } = await createHandoff(
    deps,
    site,
    {
      // One handoff per mail, whoever decides it (a restart deciding it again finds this one).
      id: mail.id,
      requestHash: sha256(`mail:${mail.id}`),
      // Never the envelope sender as such: it may be the site's own address (see customerAddress).
      email: h.address || 'unknown@invalid',
      message: h.text || '(—)',
      transcript: h.transcript,
      classification: h.classification,
      locale: h.locale,
      ...h.session,
      clientHash: null,
      userId: null,
    },
    now,
  );
  await recordMailEvent(
    deps.store,
    site.key,
    h.session,
    'handoff.created',
    {
      ticketId: handoff.ticketId,
      level: h.classification.level,
      ...(h.classification.topic === undefined ? {} : { topic: h.classification.topic }),
      channel: 'email',
      ...(h.reason === undefined ? {} : { reason: h.reason }),
    },
    now,
  );
  await deps.store.updateMail(mail.id, {
    status: 'handed_off',
    handoffId: handoff.id,
    processedAt: now,
  });
  return handoff;
}
