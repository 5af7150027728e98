// The inbox's queries, the same on SQLite and PostgreSQL (Kysely): handoffs with their working state
// (assignee, first reply, close, tags), the messages of each conversation, which the visitor's
// conversation routes (ingest/) read and write too, and the agents' internal notes, which only the
// inbox reads.
import type { Kysely } from 'kysely';
import { chunks, type Row, rowReaders } from '../store/rows.js';
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
  /** Only handoffs with this tag (as stored: trimmed, lower-cased). */
  tag?: string;
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

/** An agent's internal note on a conversation: shown in the inbox, never to the visitor. */
export interface NoteRow {
  id: string;
  handoffId: string;
  /** Id of the agent who wrote it. */
  agentId: string;
  text: string;
  ts: number;
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
  insertNote(row: NoteRow): Promise<void>;
  /** A conversation's notes, oldest first. */
  listNotes(handoffId: string): Promise<NoteRow[]>;
  /** Replaces a conversation's tags with `tags` (already normalised and distinct). */
  setTags(handoffId: string, tags: readonly string[]): Promise<void>;
  /** The tags of each of these handoffs, sorted; a handoff without tags is absent. */
  tagsOf(handoffIds: readonly string[]): Promise<Map<string, string[]>>;
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
        .$if(options.tag !== undefined, (q) =>
          q.where(
            'id',
            'in',
            db.selectFrom('conversation_tags').select('handoff_id').where('tag', '=', options.tag!),
          ),
        )
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

    async insertNote(n) {
      await db
        .insertInto('notes')
        .values({ id: n.id, handoff_id: n.handoffId, agent_id: n.agentId, text: n.text, ts: n.ts })
        .execute();
    },
    async listNotes(handoffId) {
      const rows = await db
        .selectFrom('notes')
        .selectAll()
        .where('handoff_id', '=', handoffId)
        .orderBy('ts')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        handoffId: r.handoff_id,
        agentId: r.agent_id,
        text: r.text,
        ts: Number(r.ts),
      }));
    },
    async setTags(handoffId, tags) {
      // Removing the tags that go and adding the new ones (rather than delete-all, insert-all)
      // leaves the tags that stay in place, so two agents saving at once never see none.
      await db
        .deleteFrom('conversation_tags')
        .where('handoff_id', '=', handoffId)
        .$if(tags.length > 0, (q) => q.where('tag', 'not in', [...tags]))
        .execute();
      if (tags.length === 0) return;
      await db
        .insertInto('conversation_tags')
        .values(tags.map((tag) => ({ handoff_id: handoffId, tag })))
        .onConflict((oc) => oc.columns(['handoff_id', 'tag']).doNothing())
        .execute();
    },
    async tagsOf(handoffIds) {
      const out = new Map<string, string[]>();
      // The list page asks for up to 1000 handoffs; 500 ids keep a statement's parameters small.
      for (const ids of chunks(handoffIds, 500)) {
        const rows = await db
          .selectFrom('conversation_tags')
          .select(['handoff_id', 'tag'])
          .where('handoff_id', 'in', ids)
          .orderBy('handoff_id')
          .orderBy('tag')
          .execute();
        for (const r of rows) out.set(r.handoff_id, [...(out.get(r.handoff_id) ?? []), r.tag]);
      }
      return out;
    },
  };
}
