// The store's queries that read the same on SQLite and PostgreSQL, written once with Kysely and kept
// in the folder of the feature that owns them: this file puts them together for the dialect stores
// (sqlite-store.ts, postgres-store.ts). Ingestion, the dashboard's derivation and aggregates, rate
// buckets and deletions stay with each dialect, where their measured, dialect-specific SQL lives.
import { type Kysely, sql } from 'kysely';
import { type AgentQueries, createAgentQueries } from '../agents/agent-queries.js';
import { type AuthQueries, createAuthQueries } from '../auth/auth-queries.js';
import { createDashboardQueries, type DashboardQueries } from '../dashboard/dashboard-queries.js';
import { createInboxQueries, type InboxQueries } from '../inbox/inbox-queries.js';
import { createIngestQueries, type IngestQueries } from '../ingest/ingest-queries.js';
import { createSiteQueries, type SiteQueries } from '../sites/site-queries.js';
import { type Row, rowReaders, str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';
import type { MessageRow, Store, VisitorData, VisitorQuery } from './store.js';
import { exportedHandoff } from './visitor.js';

/** The part of {@link Store} that {@link createQueries} implements for both dialects. */
export type SharedQueries = IngestQueries &
  InboxQueries &
  SiteQueries &
  AgentQueries &
  AuthQueries &
  DashboardQueries &
  Pick<Store, 'getOrSetMeta' | 'deleteMetaByPrefix' | 'exportVisitor'>;

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
  // The visitor's messages, conversation by conversation, as the inbox lists them.
  const { listMessages } = createInboxQueries(db, json);

  return {
    ...createIngestQueries(db, json),
    ...createInboxQueries(db, json),
    ...createSiteQueries(db, json),
    ...createAgentQueries(db, json),
    ...createAuthQueries(db, json),
    ...createDashboardQueries(db),

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
