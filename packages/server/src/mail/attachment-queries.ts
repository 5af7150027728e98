// A received mail's attachments, the same on SQLite and PostgreSQL (Kysely): kept apart from the raw
// mail so that listing them needs no parse; the content of one over the size limit is not kept.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { LotseTables } from '../store/schema.js';

/** One attachment as listed to agents (its content is read only for a download). */
export interface AttachmentInfo {
  id: string;
  mailId: string;
  /** Order within the mail (0, 1, …). */
  position: number;
  /** Cleaned of path parts and control characters (attachments.ts). */
  filename: string;
  contentType: string;
  /** Bytes of the attachment as received, whether kept or not. */
  size: number;
  /** Whether the content is kept (false: over the size limit). */
  kept: boolean;
  warning: string | null;
}

/** One attachment to store; `content` null when it is not kept. */
export interface AttachmentRow extends Omit<AttachmentInfo, 'kept'> {
  content: Buffer | null;
}

/** An attachment for a download, with what decides who may have it. */
export interface AttachmentDownload extends AttachmentInfo {
  content: Buffer | null;
  siteKey: string;
  /** The conversation its mail belongs to (null: the mail never reached the inbox). */
  handoffId: string | null;
}

/** The stored attachments of received mail. */
export interface AttachmentQueries {
  /** Stores a mail's attachments; ones already stored (the mail decided again) stay as they are. */
  insertAttachments(rows: readonly AttachmentRow[]): Promise<void>;
  /** The attachments of a conversation's mails, by mail and position (content not read). */
  listAttachmentsOfHandoff(handoffId: string): Promise<AttachmentInfo[]>;
  /** The attachments of these mails, by mail and position (content not read). */
  listAttachmentsOfMails(mailIds: readonly string[]): Promise<AttachmentInfo[]>;
  getAttachment(id: string): Promise<AttachmentDownload | undefined>;
}

const listed = [
  'a.id',
  'a.mail_id',
  'a.position',
  'a.filename',
  'a.content_type',
  'a.size',
  'a.warning',
] as const;

type ListedRow = Pick<
  LotseTables['mail_attachments'],
  'id' | 'mail_id' | 'position' | 'filename' | 'content_type' | 'size' | 'warning'
> & { kept: unknown };

// Whether the content is there, without reading it.
const kept = (eb: ExpressionBuilder<{ a: LotseTables['mail_attachments'] }, 'a'>) =>
  eb.case().when('a.content', 'is', null).then(0).else(1).end().as('kept');

function infoFromRow(r: ListedRow): AttachmentInfo {
  return {
    id: r.id,
    mailId: r.mail_id,
    position: Number(r.position),
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    kept: Number(r.kept) === 1,
    warning: r.warning,
  };
}

/** The attachment queries over a Kysely instance of either dialect. */
export function createAttachmentQueries(db: Kysely<LotseTables>): AttachmentQueries {
  return {
    async insertAttachments(rows) {
      // One statement per attachment: a few of up to the size limit each are a large statement.
      for (const a of rows) {
        await db
          .insertInto('mail_attachments')
          .values({
            id: a.id,
            mail_id: a.mailId,
            position: a.position,
            filename: a.filename,
            content_type: a.contentType,
            size: a.size,
            content: a.content,
            warning: a.warning,
          })
          .onConflict((oc) => oc.columns(['mail_id', 'position']).doNothing())
          .execute();
      }
    },
    async listAttachmentsOfHandoff(handoffId) {
      const rows = await db
        .selectFrom('mail_attachments as a')
        .innerJoin('mail_messages as m', 'm.id', 'a.mail_id')
        .select((eb) => [...listed, kept(eb)])
        .where('m.handoff_id', '=', handoffId)
        .orderBy('m.received_at')
        .orderBy('a.mail_id')
        .orderBy('a.position')
        .execute();
      return rows.map(infoFromRow);
    },
    async listAttachmentsOfMails(mailIds) {
      if (mailIds.length === 0) return [];
      const rows = await db
        .selectFrom('mail_attachments as a')
        .select((eb) => [...listed, kept(eb)])
        .where('a.mail_id', 'in', [...mailIds])
        .orderBy('a.mail_id')
        .orderBy('a.position')
        .execute();
      return rows.map(infoFromRow);
    },
    async getAttachment(id) {
      const r = await db
        .selectFrom('mail_attachments as a')
        .innerJoin('mail_messages as m', 'm.id', 'a.mail_id')
        .select((eb) => [...listed, kept(eb), 'a.content', 'm.site_key', 'm.handoff_id'])
        .where('a.id', '=', id)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      return {
        ...infoFromRow(r),
        content: r.content === null ? null : Buffer.from(r.content),
        siteKey: r.site_key,
        handoffId: r.handoff_id,
      };
    },
  };
}
