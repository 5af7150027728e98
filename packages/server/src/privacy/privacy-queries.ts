// What is stored about one visitor, read the same on SQLite and PostgreSQL (Kysely), for the CLI's
// export. Deleting a visitor stays with each dialect (`Store.deleteVisitor`, in one transaction),
// which finds the visitor's rows with the same two helpers.
import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { createInboxQueries } from '../inbox/inbox-queries.js';
import { createAttachmentQueries } from '../mail/attachment-queries.js';
import { createMailQueries } from '../mail/mail-queries.js';
import { parseMail } from '../mail/process-mail.js';
import { type Row, rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import type { EventRow, HandoffRow, MessageRow, VisitorQuery } from '../store/store.js';

/**
 * Everything stored about one visitor as they are handed it: secrets such as token hashes left out,
 * and the agents' internal notes too (the inbox promises agents that a note never reaches the
 * visitor; an operator answering a request for access reads them in the inbox).
 */
export interface VisitorData {
  events: EventRow[];
  handoffs: Omit<HandoffRow, 'tokenHash' | 'tokenNonce' | 'requestHash'>[];
  messages: MessageRow[];
  /** Mail from or to the visitor (by e-mail), and the mail of their conversations, oldest first. */
  mails: VisitorMail[];
}

/** One stored mail as its visitor is handed it: what was written, not how it was decided. */
export interface VisitorMail {
  id: string;
  direction: 'in' | 'out';
  from: string;
  to: string[];
  subject: string | null;
  /** The whole text as sent (an HTML part as text); empty when the mail cannot be read. */
  text: string;
  receivedAt: number;
  /** Names and sizes; the content stays with the operator's download. */
  attachments: { filename: string; contentType: string; size: number }[];
}

/** The visitor export: what a person may ask to see of their own data. */
export interface PrivacyQueries {
  exportVisitor(query: VisitorQuery): Promise<VisitorData>;
}

/** Handoffs of one visitor, by e-mail or anonymous id (see {@link VisitorQuery}). */
export function visitorHandoffs(db: Kysely<LotseTables>, q: VisitorQuery) {
  const handoffs = db.selectFrom('handoffs').selectAll();
  return 'email' in q
    ? handoffs.where('email_key', '=', q.email.trim().toLowerCase())
    : handoffs.where('anonymous_id', '=', q.anonymousId);
}

/**
 * The mails of one visitor: by e-mail, from or to their address (also what was answered
 * automatically and so never became a handoff, and the bounces of mail to them, which the mail
 * channel's warning names: see `bouncedAddresses` in mail/process-mail.ts); either way, the mail of
 * their handoffs.
 */
export function visitorMails(q: VisitorQuery, handoffIds: readonly string[]) {
  return (w: ExpressionBuilder<LotseTables, 'mail_messages'>) => {
    const ofHandoffs = handoffIds.length > 0 ? [w('handoff_id', 'in', [...handoffIds])] : [];
    if (!('email' in q)) return w.or(ofHandoffs);
    const key = q.email.trim().toLowerCase();
    // "_" is common in addresses and a wildcard in LIKE; "!" escapes it (on SQLite and PostgreSQL).
    const bounce = `bounce: kept, never answered (for %<${key.replace(/[!%_]/g, '!$&')}>%`;
    return w.or([
      w.and([
        w('status', '=', 'ignored'),
        sql<SqlBool>`lower(${w.ref('warning')}) like ${bounce} escape '!'`,
      ]),
      w(w.fn('lower', ['from_address']), '=', key),
      w(w.fn('lower', ['envelope_from']), '=', key),
      w.and([w('direction', '=', 'out'), w(w.fn('lower', ['envelope_to']), '=', key)]),
      ...ofHandoffs,
    ]);
  };
}

/** The anonymous ids whose events belong to a visitor: the one asked for and their handoffs'. */
export function visitorAnonymousIds(q: VisitorQuery, handoffs: readonly Row[]): string[] {
  const ids = new Set<string>();
  if ('anonymousId' in q) ids.add(q.anonymousId);
  for (const h of handoffs) if (typeof h.anonymous_id === 'string') ids.add(h.anonymous_id);
  return [...ids];
}

// A handoff as exported to its visitor: without the token hash, nonce and request hash.
function exportedHandoff(h: HandoffRow): VisitorData['handoffs'][number] {
  const { tokenHash: _t, tokenNonce: _n, requestHash: _r, ...rest } = h;
  return rest;
}

/** The visitor export over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createPrivacyQueries(db: Kysely<LotseTables>, json: JsonCodec): PrivacyQueries {
  const read = rowReaders(json.read);
  // The visitor's messages, conversation by conversation, as the inbox lists them.
  const { listMessages } = createInboxQueries(db, json);
  const { listAttachmentsOfMails } = createAttachmentQueries(db);
  const { getMail } = createMailQueries(db);

  // Read one at a time: a mail may be as large as the listener's limit.
  async function exportMails(q: VisitorQuery, handoffIds: string[]): Promise<VisitorMail[]> {
    const ids = await db
      .selectFrom('mail_messages')
      .select('id')
      .where(visitorMails(q, handoffIds))
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    const files = await listAttachmentsOfMails(ids.map((m) => m.id));
    const mails: VisitorMail[] = [];
    for (const { id } of ids) {
      const m = await getMail(id);
      if (m === undefined) continue;
      const text = await parseMail(m.raw).then(
        (p) => p.text ?? '',
        () => '',
      );
      mails.push({
        id: m.id,
        direction: m.direction,
        from: m.fromAddress ?? m.envelopeFrom,
        to: m.envelopeTo,
        subject: m.subject,
        text,
        receivedAt: m.receivedAt,
        attachments: files
          .filter((f) => f.mailId === m.id)
          .map((f) => ({ filename: f.filename, contentType: f.contentType, size: f.size })),
      });
    }
    return mails;
  }

  return {
    async exportVisitor(q) {
      // Oldest first on both stores (PostgreSQL returns rows in no promised order).
      const handoffs = await visitorHandoffs(db, q).orderBy('created_at').orderBy('id').execute();
      const anonymousIds = visitorAnonymousIds(q, handoffs);
      // A visitor has a handful of anonymous ids (one per browser), so one statement holds them.
      const events =
        anonymousIds.length === 0
          ? []
          : await db
              .selectFrom('events')
              .selectAll()
              .where('anonymous_id', 'in', anonymousIds)
              .orderBy('received_at')
              .orderBy('id')
              .execute();
      const messages: MessageRow[] = [];
      for (const h of handoffs) messages.push(...(await listMessages(h.id)));
      return {
        events: events.map(read.eventFromRow),
        handoffs: handoffs.map((h) => exportedHandoff(read.handoffFromRow(h))),
        messages,
        mails: await exportMails(
          q,
          handoffs.map((h) => String(h.id)),
        ),
      };
    },
  };
}
