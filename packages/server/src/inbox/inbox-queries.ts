// The inbox's queries, the same on SQLite and PostgreSQL (Kysely): handoffs with their working state
// (assignee, first reply, close) and the messages of each conversation, which the visitor's
// conversation routes (ingest/) read and write too.
import type { Kysely } from 'kysely';
import { type Row, rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import type { HandoffRow, HandoffStatus, MessageRow } from '../store/store.js';

/** A handoff with the inbox's working state. */
export interface InboxHandoff extends HandoffRow {
  /** Id of the agent it is assigned to. */
  assignee: string | null;
  firstReplyAt: number | null;
  closedAt: number | null;
}

/** Filter for {@link InboxQueries.listHandoffs}. */
export interface ListHandoffsOptions {
  siteKey?: string;
  status?: HandoffStatus;
  /** @default 500 */
  limit?: number;
}

/** Changes to a handoff's inbox state; absent fields stay as they are. */
export interface HandoffPatch {
  status?: HandoffStatus;
  assignee?: string | null;
  firstReplyAt?: number | null;
  closedAt?: number | null;
}

/** Handoffs as the inbox works them and the messages of their conversations. */
export interface InboxQueries {
  /** Handoffs newest first, with their inbox state. */
  listHandoffs(options?: ListHandoffsOptions): Promise<InboxHandoff[]>;
  getHandoff(id: string): Promise<InboxHandoff | undefined>;
  updateHandoff(id: string, patch: HandoffPatch): Promise<void>;
  /** Inserts unless the id exists; returns the stored row either way. */
  insertMessage(row: MessageRow): Promise<{ inserted: boolean; message: MessageRow }>;
  listMessages(handoffId: string): Promise<MessageRow[]>;
}

/** The inbox queries over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createInboxQueries(db: Kysely<LotseTables>, json: JsonCodec): InboxQueries {
  const read = rowReaders(json.read);

  return {
    async listHandoffs(options = {}) {
      const rows = await db
        .selectFrom('handoffs')
        .selectAll()
        .$if(options.siteKey !== undefined, (q) => q.where('site_key', '=', options.siteKey!))
        .$if(options.status !== undefined, (q) => q.where('status', '=', options.status!))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(options.limit ?? 500)
        .execute();
      return rows.map(read.inboxFromRow);
    },
    async getHandoff(id) {
      const r = await db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : read.inboxFromRow(r);
    },
    async updateHandoff(id, patch) {
      // Absent fields stay as they are; a null clears the column.
      const set = {
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.assignee !== undefined && { assignee: patch.assignee }),
        ...(patch.firstReplyAt !== undefined && { first_reply_at: patch.firstReplyAt }),
        ...(patch.closedAt !== undefined && { closed_at: patch.closedAt }),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('handoffs').set(set).where('id', '=', id).execute();
    },

    async insertMessage(m) {
      const inserted = await db
        .insertInto('messages')
        .values({ id: m.id, handoff_id: m.handoffId, author: m.from, text: m.text, ts: m.ts })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', m.id)
        .executeTakeFirst();
      return {
        inserted: Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1,
        message: read.messageFromRow(row as Row),
      };
    },
    async listMessages(handoffId) {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('handoff_id', '=', handoffId)
        .orderBy('ts')
        .orderBy('id')
        .execute();
      return rows.map(read.messageFromRow);
    },
  };
}
