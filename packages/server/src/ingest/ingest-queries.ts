// What ingestion stores, read back the same on SQLite and PostgreSQL (Kysely): the plain event reads
// and the handoffs a visitor's browser creates and follows. Storing events stays with each dialect
// (`Store.insertEvents`), where its measured SQL lives.
import type { Kysely } from 'kysely';
import { refreshReopened } from '../store/handoff-figures.js';
import { chunks, type Row, rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';
import type { EventRow, HandoffRow, HandoffStatus } from '../store/store.js';

/** Filter for {@link IngestQueries.listEvents}. */
export interface ListEventsOptions {
  siteKey?: string;
  /** @default 1000 */
  limit?: number;
}

/** The stored events and handoffs as ingestion writes and the conversation routes read them. */
export interface IngestQueries {
  listEvents(options?: ListEventsOptions): Promise<EventRow[]>;
  hasEvents(ids: readonly string[]): Promise<Set<string>>;
  countEvents(siteKey?: string): Promise<number>;
  /**
   * A site's events whose client time is in [from, to), oldest first. For tests: no index serves
   * it (migration 19), so it reads all of the site's events.
   */
  listEventsBetween(siteKey: string, from: number, to: number): Promise<EventRow[]>;
  /** Inserts unless the id exists; returns the stored row either way. */
  insertHandoff(row: HandoffRow): Promise<{ inserted: boolean; handoff: HandoffRow }>;
  getHandoffByTokenHash(tokenHash: string): Promise<HandoffRow | undefined>;
  /** A signed-in visitor's handoffs on one site, newest first. */
  listHandoffsOfUser(siteKey: string, userId: string, limit: number): Promise<HandoffRow[]>;
  /**
   * The conversations that came in by mail from one address on one site (`email_key`: the address
   * lower-cased), newest first: a signed identify whose signature covers that address sees them.
   */
  listMailHandoffsOfAddress(siteKey: string, email: string, limit: number): Promise<HandoffRow[]>;
  countHandoffs(siteKey?: string): Promise<number>;
  setHandoffStatus(id: string, status: HandoffStatus): Promise<void>;
}

/** The ingestion queries over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createIngestQueries(db: Kysely<LotseTables>, json: JsonCodec): IngestQueries {
  const read = rowReaders(json.read);
  const count = async (
    query: ReturnType<typeof db.selectFrom<'events' | 'handoffs'>>,
  ): Promise<number> => {
    const r = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  };

  return {
    async listEvents(options = {}) {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .$if(options.siteKey !== undefined, (q) => q.where('site_key', '=', options.siteKey!))
        .orderBy('received_at')
        .orderBy('id')
        .limit(options.limit ?? 1000)
        .execute();
      return rows.map(read.eventFromRow);
    },
    async hasEvents(ids) {
      const found = new Set<string>();
      for (const part of chunks([...ids], 500)) {
        const rows = await db.selectFrom('events').select('id').where('id', 'in', part).execute();
        for (const r of rows) found.add(r.id);
      }
      return found;
    },
    countEvents(siteKey) {
      const events = db.selectFrom('events');
      return count(siteKey === undefined ? events : events.where('site_key', '=', siteKey));
    },
    async listEventsBetween(siteKey, from, to) {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('site_key', '=', siteKey)
        .where('ts', '>=', from)
        .where('ts', '<', to)
        .orderBy('ts')
        .orderBy('id')
        .execute();
      return rows.map(read.eventFromRow);
    },

    async insertHandoff(h) {
      const inserted = await db
        .insertInto('handoffs')
        .values({
          id: h.id,
          site_key: h.siteKey,
          ticket_id: h.ticketId,
          token_hash: h.tokenHash,
          token_nonce: h.tokenNonce,
          request_hash: h.requestHash,
          email: h.email,
          email_key: h.email.toLowerCase(),
          anonymous_id: h.anonymousId,
          session_id: h.sessionId,
          conversation_id: h.conversationId,
          locale: h.locale,
          message: h.message,
          transcript: json.write(h.transcript),
          classification: json.write(h.classification),
          level: h.level,
          topic: h.topic,
          status: h.status,
          created_at: h.createdAt,
          respond_within_minutes: h.respondWithinMinutes,
          respond_by: h.respondBy,
          client_hash: h.clientHash,
          user_id: h.userId,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      const isNew = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      if (isNew) {
        // A reopen of an earlier handoff of its conversation may have been stored meanwhile.
        await refreshReopened(db, [h.id]);
      }
      const row = await db
        .selectFrom('handoffs')
        .selectAll()
        .where('id', '=', h.id)
        .executeTakeFirst();
      return {
        inserted: isNew,
        handoff: read.handoffFromRow(row as Row),
      };
    },
    async getHandoffByTokenHash(tokenHash) {
      const r = await db
        .selectFrom('handoffs')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r === undefined ? undefined : read.handoffFromRow(r);
    },
    async listHandoffsOfUser(siteKey, userId, limit) {
      const rows = await db
        .selectFrom('handoffs')
        .selectAll()
        .where('site_key', '=', siteKey)
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(read.handoffFromRow);
    },
    async listMailHandoffsOfAddress(siteKey, email, limit) {
      const rows = await db
        .selectFrom('handoffs as h')
        .selectAll('h')
        .where('h.email_key', '=', email.toLowerCase())
        .where('h.site_key', '=', siteKey)
        // Only a conversation a mail from the address started: a widget visitor may type any address.
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('mail_messages as m')
              .select('m.id')
              .whereRef('m.id', '=', 'h.id')
              .where('m.direction', '=', 'in'),
          ),
        )
        .orderBy('h.created_at', 'desc')
        .orderBy('h.id')
        .limit(limit)
        .execute();
      return rows.map(read.handoffFromRow);
    },
    countHandoffs(siteKey) {
      const handoffs = db.selectFrom('handoffs');
      return count(siteKey === undefined ? handoffs : handoffs.where('site_key', '=', siteKey));
    },
    async setHandoffStatus(id, status) {
      await db.updateTable('handoffs').set({ status }).where('id', '=', id).execute();
    },
  };
}
