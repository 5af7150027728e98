// Deleting stored events (retention) and everything about one visitor (privacy), written once for
// both dialects: the sessions that lose events are marked for derivation from scratch and their
// sizes counted again, in the same transaction.
import type { Kysely } from 'kysely';
import { type Dialect, inTransaction } from '../store/dialect.js';
import { refreshReopenedAfter } from '../store/handoff-figures.js';
import type { LotseTables } from '../store/schema.js';
import type { DeleteVisitorResult, Store, VisitorQuery } from '../store/store.js';
import { visitorAnonymousIds, visitorHandoffs, visitorMails } from './privacy-queries.js';

type EventFilter = { site: string; before: number } | { anonymousIds: readonly string[] };

/** Deletes the events the filter picks; marks their sessions and recounts their sizes. */
async function deleteEvents(tx: Kysely<LotseTables>, filter: EventFilter): Promise<number> {
  const events = tx.selectFrom('events');
  const chosen =
    'site' in filter
      ? events.where('site_key', '=', filter.site).where('received_at', '<', filter.before)
      : events.where('anonymous_id', 'in', [...filter.anonymousIds]);
  await tx
    .insertInto('derive_marks')
    .columns(['site_key', 'session_id'])
    .expression(chosen.select(['site_key', 'session_id']).distinct())
    .execute();
  const deleted =
    'site' in filter
      ? tx
          .deleteFrom('events')
          .where('site_key', '=', filter.site)
          .where('received_at', '<', filter.before)
      : tx.deleteFrom('events').where('anonymous_id', 'in', [...filter.anonymousIds]);
  // A visitor's deletion may take reopens of handoffs it keeps (another address in the session).
  const reopens =
    'site' in filter
      ? []
      : await chosen
          .where('type', '=', 'conversation.reopened')
          .select(['site_key', 'session_id', 'conversation_id', 'ts'])
          .execute();
  const r = await deleted.executeTakeFirst();
  await refreshReopenedAfter(
    tx,
    reopens.map((e) => ({
      siteKey: e.site_key,
      sessionId: e.session_id,
      conversationId: e.conversation_id,
      ts: Number(e.ts),
    })),
  );
  // The sessions now marked for derivation from scratch, counted again.
  await tx
    .updateTable('session_sizes')
    .set((eb) => ({
      events: eb
        .selectFrom('events as e')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('e.site_key', '=', 'session_sizes.site_key')
        .whereRef('e.session_id', '=', 'session_sizes.session_id'),
    }))
    .where((eb) =>
      eb(
        eb.refTuple('site_key', 'session_id'),
        'in',
        eb
          .selectFrom('derive_marks')
          .select(['site_key', 'session_id'])
          .where('low_ts', 'is', null)
          .$asTuple('site_key', 'session_id'),
      ),
    )
    .execute();
  return Number(r.numDeletedRows);
}

/** Retention and a visitor's deletion, on either dialect. */
export function createDeletions(
  db: Kysely<LotseTables>,
  dialect: Dialect,
): Pick<Store, 'deleteEventsBefore' | 'deleteVisitor'> {
  return {
    async deleteEventsBefore(cutoff) {
      let deleted = 0;
      const sites = await db.selectFrom('events').select('site_key').distinct().execute();
      // A transaction per site keeps each one short.
      for (const { site_key: site } of sites) {
        deleted += await inTransaction(db, dialect, (tx) =>
          deleteEvents(tx, { site, before: cutoff }),
        );
      }
      await db.deleteFrom('rate_buckets').where('updated_at', '<', cutoff).execute();
      // Mail kept only for its automatic answer ages out like the events it recorded, its
      // attachments with it (the reference's cascade); mail of a conversation stays as long as the
      // conversation.
      await db
        .deleteFrom('mail_messages')
        .where('handoff_id', 'is', null)
        .where('received_at', '<', cutoff)
        .execute();
      return deleted;
    },
    async deleteVisitor(q: VisitorQuery): Promise<DeleteVisitorResult> {
      const result = await inTransaction(db, dialect, async (tx) => {
        const handoffs = await visitorHandoffs(tx, q)
          .$if(dialect.kind === 'postgres', (h) => h.forUpdate())
          .execute();
        const anonymousIds = visitorAnonymousIds(q, handoffs);
        const handoffIds = handoffs.map((h) => h.id);
        const result: DeleteVisitorResult = {
          events: 0,
          handoffs: 0,
          messages: 0,
          notes: 0,
          mails: 0,
        };
        if (anonymousIds.length > 0) result.events = await deleteEvents(tx, { anonymousIds });
        // Mail from or to the visitor's address, also what was answered automatically and so never
        // became a handoff (mail of their handoffs follows them by the reference's cascade).
        if ('email' in q) {
          // Their attachments follow by the reference's cascade.
          const mails = await tx
            .deleteFrom('mail_messages')
            .where(visitorMails(q, handoffIds))
            .executeTakeFirst();
          result.mails = Number(mails.numDeletedRows);
        }
        if (handoffIds.length > 0) {
          const m = await tx
            .deleteFrom('messages')
            .where('handoff_id', 'in', handoffIds)
            .executeTakeFirst();
          // Notes are about the visitor, so they go with the conversation; tags follow the
          // handoffs by the reference's cascade.
          const n = await tx
            .deleteFrom('notes')
            .where('handoff_id', 'in', handoffIds)
            .executeTakeFirst();
          const h = await tx
            .deleteFrom('handoffs')
            .where('id', 'in', handoffIds)
            .executeTakeFirst();
          result.messages = Number(m.numDeletedRows);
          result.handoffs = Number(h.numDeletedRows);
          result.notes = Number(n.numDeletedRows);
        }
        return result;
      });
      // A checkpoint that a reader's snapshot blocks answers busy after the busy timeout instead of
      // failing: tried again, as readers' snapshots are short.
      for (let tries = 0; dialect.afterErase !== null && tries < 3; tries++) {
        const { rows } = await dialect.afterErase.execute(db);
        if (!rows.some((row) => (row as { busy?: unknown }).busy === 1)) break;
      }
      return result;
    },
  };
}
