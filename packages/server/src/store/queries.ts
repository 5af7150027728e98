// The store's queries that read the same on SQLite and PostgreSQL, written once with Kysely and kept
// in the folder of the feature that owns them: this file puts them together for the dialect stores
// (sqlite-store.ts, postgres-store.ts). Ingestion, the dashboard's derivation and aggregates, rate
// buckets and deletions stay with each dialect, where their measured, dialect-specific SQL lives.
import { type Kysely, sql } from 'kysely';
import { type AgentQueries, createAgentQueries } from '../agents/agent-queries.js';
import { type AuthQueries, createAuthQueries } from '../auth/auth-queries.js';
import { createInboxQueries, type InboxQueries } from '../inbox/inbox-queries.js';
import { createSiteQueries, type SiteQueries } from '../sites/site-queries.js';
import { type Row, rowReaders, str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';
import type { MessageRow, Store, VisitorData, VisitorQuery } from './store.js';
import { exportedHandoff } from './visitor.js';

/** The part of {@link Store} that {@link createQueries} implements for both dialects. */
export type SharedQueries = InboxQueries &
  SiteQueries &
  AgentQueries &
  AuthQueries &
  Pick<
    Store,
    | 'listEvents'
    | 'hasEvents'
    | 'countEvents'
    | 'listEventsBetween'
    | 'eventsVersion'
    | 'insertHandoff'
    | 'getHandoffByTokenHash'
    | 'listHandoffsOfUser'
    | 'countHandoffs'
    | 'setHandoffStatus'
    | 'getOrSetMeta'
    | 'deleteMetaByPrefix'
    | 'exportVisitor'
  >;

// Bound parameters per statement, well under SQLite's limit (32 766) and PostgreSQL's (65 535).
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(items.slice(i, i + IN_CHUNK));
  return out;
}

/** Handoffs of one visitor, by e-mail or anonymous id (see {@link VisitorQuery}). */
export function visitorHandoffs(db: Kysely<LotseTables>, q: VisitorQuery) {
  const handoffs = db.selectFrom('handoffs').selectAll();
  return 'email' in q
    ? handoffs.where('email_key', '=', q.email.toLowerCase())
    : handoffs.where('anonymous_id', '=', q.anonymousId);
}

/** The anonymous ids whose events belong to a visitor: the one asked for and their handoffs'. */
export function visitorAnonymousIds(q: VisitorQuery, handoffs: readonly Row[]): string[] {
  const ids = new Set<string>();
  if ('anonymousId' in q) ids.add(q.anonymousId);
  for (const h of handoffs) if (typeof h.anonymous_id === 'string') ids.add(h.anonymous_id);
  return [...ids];
}

/** The shared queries over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createQueries(db: Kysely<LotseTables>, json: JsonCodec): SharedQueries {
  const read = rowReaders(json.read);
  const count = async (
    query: ReturnType<typeof db.selectFrom<'events' | 'handoffs'>>,
  ): Promise<number> => {
    const r = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  // The visitor's messages, conversation by conversation, as the inbox lists them.
  const { listMessages } = createInboxQueries(db, json);
  const handoffById = (id: string) =>
    db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    ...createInboxQueries(db, json),
    ...createSiteQueries(db, json),
    ...createAgentQueries(db, json),
    ...createAuthQueries(db, json),
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
      for (const part of chunks([...ids])) {
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
    async eventsVersion(siteKey) {
      // Two subqueries: SQLite seeks the index for a lone min() or max(), not for both at once.
      const bound = (fn: 'max' | 'min') =>
        db
          .selectFrom('events')
          .select((eb) => eb.fn[fn]('received_at').as('t'))
          .where('site_key', '=', siteKey);
      const r = await db
        .selectNoFrom([bound('max').as('newest'), bound('min').as('oldest')])
        .executeTakeFirst();
      return `${r?.newest ?? ''}:${r?.oldest ?? ''}`;
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
      const row = await handoffById(h.id);
      return {
        inserted: Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1,
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
    countHandoffs(siteKey) {
      const handoffs = db.selectFrom('handoffs');
      return count(siteKey === undefined ? handoffs : handoffs.where('site_key', '=', siteKey));
    },
    async setHandoffStatus(id, status) {
      await db.updateTable('handoffs').set({ status }).where('id', '=', id).execute();
    },

    async getOrSetMeta(key, value) {
      await db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const r = await db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return str(r?.value);
    },
    async deleteMetaByPrefix(prefix, keep) {
      const r = await db
        .deleteFrom('meta')
        .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
        .where('key', '<>', keep)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async exportVisitor(q): Promise<VisitorData> {
      const handoffs = await visitorHandoffs(db, q).execute();
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
      };
    },
  };
}
