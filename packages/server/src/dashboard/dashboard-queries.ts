// The dashboard's query that reads the same on SQLite and PostgreSQL (Kysely): the data version its
// cached answers are keyed by. Its derivation and aggregates are dialect-specific (`Store`,
// summary-queries.ts).
import type { Kysely } from 'kysely';
import type { LotseTables } from '../store/schema.js';

/** What the dashboard reads through Kysely. */
export interface DashboardQueries {
  /** Newest and oldest receive time of a site's events (index lookups): a cheap data version. */
  eventsVersion(siteKey: string): Promise<string>;
}

/** The dashboard queries over a Kysely instance of either dialect (no JSON columns). */
export function createDashboardQueries(db: Kysely<LotseTables>): DashboardQueries {
  return {
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
  };
}
