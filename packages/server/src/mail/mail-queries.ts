// The mail channel's queries, the same on SQLite and PostgreSQL (Kysely): the stored mails, in and
// out, looked up by status (what is left to decide after a crash), Message-ID (threading) and
// conversation.
import type { Kysely } from 'kysely';
import type { LotseTables } from '../store/schema.js';

/** What a stored mail is now (see `MailMessagesTable` in store/schema.ts). */
export type MailStatus =
  | 'received'
  | 'answered'
  | 'handed_off'
  | 'threaded'
  | 'ignored'
  | 'failed'
  | 'sent';

/** One stored mail. */
export interface MailRow {
  id: string;
  siteKey: string;
  direction: 'in' | 'out';
  status: MailStatus;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  messageId: string | null;
  fromAddress: string | null;
  subject: string | null;
  handoffId: string | null;
  replyToId: string | null;
  entryId: string | null;
  rating: boolean | null;
  warning: string | null;
  receivedAt: number;
  processedAt: number | null;
}

/** What deciding a mail adds to its row; absent fields stay as they are. */
export interface MailPatch {
  status?: MailStatus;
  messageId?: string | null;
  fromAddress?: string | null;
  subject?: string | null;
  handoffId?: string | null;
  entryId?: string | null;
  rating?: boolean | null;
  warning?: string | null;
  processedAt?: number | null;
}

/** Where the IMAP poller stands in one account's mailbox. */
export interface ImapPosition {
  siteKey: string;
  /** `user@host/mailbox`. */
  account: string;
  /** The mailbox's UIDVALIDITY; `lastUid` means nothing under another. */
  uidValidity: string;
  /** The highest UID stored. */
  lastUid: number;
  updatedAt: number;
}

/** The stored mails of the mail channel. */
export interface MailQueries {
  /**
   * Stores mails (raw bytes included) in one statement, so mails arriving together share one commit;
   * the rows are durable when this resolves.
   */
  insertMails(rows: readonly MailRow[]): Promise<void>;
  /**
   * Stores one fetched mail unless the site has a mail of this `source` already
   * (`imap:<account>:<uidvalidity>:<uid>`); true when it was stored now.
   */
  insertMailOnce(row: MailRow, source: string): Promise<boolean>;
  getImapPosition(siteKey: string, account: string): Promise<ImapPosition | undefined>;
  setImapPosition(position: ImapPosition): Promise<void>;
  updateMail(id: string, patch: MailPatch): Promise<void>;
  getMail(id: string): Promise<MailRow | undefined>;
  /** Received mails not yet decided, oldest first (after a restart). */
  listUndecidedMails(limit: number): Promise<MailRow[]>;
  /** The site's stored mails with one of these Message-IDs, newest first. */
  findMailsByMessageId(siteKey: string, messageIds: readonly string[]): Promise<MailRow[]>;
  /**
   * Agents' replies that could not be sent (`failed`, out, of a conversation, not an automatic
   * answer), first tried at or after `since`, oldest first, raw bytes included.
   */
  listFailedReplies(since: number, limit: number): Promise<MailRow[]>;
  /**
   * The site's conversations of one customer address created at or after `since`, newest first:
   * their ids and first messages (a mail conversation's starts with its subject).
   */
  listConversationsOf(
    siteKey: string,
    address: string,
    since: number,
    limit: number,
  ): Promise<{ id: string; message: string }[]>;
  /**
   * The site's conversation with this ticket id whose customer is `address` (ignoring case), for a
   * mail naming the ticket in its subject; undefined for another customer's or an unknown ticket.
   */
  findConversationByTicket(
    siteKey: string,
    ticketId: string,
    address: string,
  ): Promise<string | undefined>;
  /** A conversation's mails, oldest first. */
  listMailsOfHandoff(handoffId: string): Promise<MailRow[]>;
  /** A site's mails, newest first (without raw bytes: `raw` is empty). */
  listMails(siteKey: string, limit: number): Promise<MailRow[]>;
}

type Selected = Omit<LotseTables['mail_messages'], 'raw' | 'size' | 'source'> & {
  raw?: Uint8Array;
};

const columns = [
  'id',
  'site_key',
  'direction',
  'status',
  'envelope_from',
  'envelope_to',
  'message_id',
  'from_address',
  'subject',
  'handoff_id',
  'reply_to_id',
  'entry_id',
  'rating',
  'warning',
  'received_at',
  'processed_at',
] as const;

function mailValues(m: MailRow) {
  return {
    id: m.id,
    site_key: m.siteKey,
    direction: m.direction,
    status: m.status,
    envelope_from: m.envelopeFrom,
    envelope_to: m.envelopeTo.join(','),
    raw: m.raw,
    size: m.raw.length,
    message_id: m.messageId,
    from_address: m.fromAddress,
    subject: m.subject,
    handoff_id: m.handoffId,
    reply_to_id: m.replyToId,
    entry_id: m.entryId,
    rating: m.rating === null ? null : m.rating ? 1 : 0,
    warning: m.warning,
    received_at: m.receivedAt,
    processed_at: m.processedAt,
  };
}

function mailFromRow(r: Selected): MailRow {
  return {
    id: r.id,
    siteKey: r.site_key,
    direction: r.direction === 'out' ? 'out' : 'in',
    status: r.status as MailStatus,
    envelopeFrom: r.envelope_from,
    envelopeTo: r.envelope_to === '' ? [] : r.envelope_to.split(','),
    raw: r.raw === undefined ? Buffer.alloc(0) : Buffer.from(r.raw),
    messageId: r.message_id,
    fromAddress: r.from_address,
    subject: r.subject,
    handoffId: r.handoff_id,
    replyToId: r.reply_to_id,
    entryId: r.entry_id,
    rating: r.rating === null ? null : Number(r.rating) === 1,
    warning: r.warning,
    receivedAt: Number(r.received_at),
    processedAt: r.processed_at === null ? null : Number(r.processed_at),
  };
}

/** The mail queries over a Kysely instance of either dialect. */
export function createMailQueries(db: Kysely<LotseTables>): MailQueries {
  return {
    async insertMails(rows) {
      if (rows.length === 0) return;
      await db.insertInto('mail_messages').values(rows.map(mailValues)).execute();
    },
    async insertMailOnce(row, source) {
      const inserted = await db
        .insertInto('mail_messages')
        .values({ ...mailValues(row), source })
        .onConflict((oc) => oc.columns(['site_key', 'source']).doNothing())
        .returning('id')
        .execute();
      return inserted.length > 0;
    },
    async getImapPosition(siteKey, account) {
      const r = await db
        .selectFrom('imap_positions')
        .selectAll()
        .where('site_key', '=', siteKey)
        .where('account', '=', account)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : {
            siteKey: r.site_key,
            account: r.account,
            uidValidity: r.uid_validity,
            lastUid: Number(r.last_uid),
            updatedAt: Number(r.updated_at),
          };
    },
    async setImapPosition(p) {
      const values = {
        uid_validity: p.uidValidity,
        last_uid: p.lastUid,
        updated_at: p.updatedAt,
      };
      await db
        .insertInto('imap_positions')
        .values({ site_key: p.siteKey, account: p.account, ...values })
        .onConflict((oc) => oc.columns(['site_key', 'account']).doUpdateSet(values))
        .execute();
    },
    async updateMail(id, p) {
      const set = {
        ...(p.status !== undefined && { status: p.status }),
        ...(p.messageId !== undefined && { message_id: p.messageId }),
        ...(p.fromAddress !== undefined && { from_address: p.fromAddress }),
        ...(p.subject !== undefined && { subject: p.subject }),
        ...(p.handoffId !== undefined && { handoff_id: p.handoffId }),
        ...(p.entryId !== undefined && { entry_id: p.entryId }),
        ...(p.rating !== undefined && { rating: p.rating === null ? null : p.rating ? 1 : 0 }),
        ...(p.warning !== undefined && { warning: p.warning }),
        ...(p.processedAt !== undefined && { processed_at: p.processedAt }),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('mail_messages').set(set).where('id', '=', id).execute();
    },
    async getMail(id) {
      const r = await db
        .selectFrom('mail_messages')
        .select([...columns, 'raw'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : mailFromRow(r);
    },
    async listUndecidedMails(limit) {
      const rows = await db
        .selectFrom('mail_messages')
        .select([...columns, 'raw'])
        .where('status', '=', 'received')
        .orderBy('received_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(mailFromRow);
    },
    async findMailsByMessageId(siteKey, messageIds) {
      if (messageIds.length === 0) return [];
      const rows = await db
        .selectFrom('mail_messages')
        .select(columns)
        .where('site_key', '=', siteKey)
        .where('message_id', 'in', [...messageIds].slice(0, 100))
        .orderBy('received_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(mailFromRow);
    },
    async listConversationsOf(siteKey, address, since, limit) {
      // `handoffs_email` finds them; `email_key` is the address lower-cased when stored.
      return db
        .selectFrom('handoffs')
        .select(['id', 'message'])
        .where('email_key', '=', address.trim().toLowerCase())
        .where('site_key', '=', siteKey)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    async findConversationByTicket(siteKey, ticketId, address) {
      // `ticket_id` is unique; `email_key` is the address lower-cased when stored.
      const r = await db
        .selectFrom('handoffs')
        .select('id')
        .where('ticket_id', '=', ticketId)
        .where('site_key', '=', siteKey)
        .where('email_key', '=', address.trim().toLowerCase())
        .executeTakeFirst();
      return r?.id;
    },
    async listFailedReplies(since, limit) {
      // The status index (status, received_at) finds them.
      const rows = await db
        .selectFrom('mail_messages')
        .select([...columns, 'raw'])
        .where('status', '=', 'failed')
        .where('received_at', '>=', since)
        .where('direction', '=', 'out')
        .where('handoff_id', 'is not', null)
        .where('reply_to_id', 'is', null)
        .orderBy('received_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(mailFromRow);
    },
    async listMailsOfHandoff(handoffId) {
      const rows = await db
        .selectFrom('mail_messages')
        .select(columns)
        .where('handoff_id', '=', handoffId)
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return rows.map(mailFromRow);
    },
    async listMails(siteKey, limit) {
      const rows = await db
        .selectFrom('mail_messages')
        .select(columns)
        .where('site_key', '=', siteKey)
        .orderBy('received_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(mailFromRow);
    },
  };
}
