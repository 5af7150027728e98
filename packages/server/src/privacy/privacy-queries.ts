// What is stored about one visitor, read the same on SQLite and PostgreSQL (Kysely), for the CLI's
// export. Deleting a visitor stays with each dialect (`Store.deleteVisitor`, in one transaction),
// which finds the visitor's rows with the same two helpers.
import type { Kysely } from 'kysely';
import { createInboxQueries } from '../inbox/inbox-queries.js';
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
}

/** The visitor export: what a person may ask to see of their own data. */
export interface PrivacyQueries {
  exportVisitor(query: VisitorQuery): Promise<VisitorData>;
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

  return {
    async exportVisitor(q) {
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
