// An agent's saved inbox views (table `saved_views`), the same on SQLite and PostgreSQL (Kysely):
// a name and the list's canonical query string, visible to and deletable by that agent only.
import type { Kysely } from 'kysely';
import type { LotseTables } from '../store/schema.js';

/** One saved view of the inbox list. */
export interface SavedViewRow {
  id: string;
  /** The agent who saved it, the only one who sees it. */
  agentId: string;
  name: string;
  /** The list's filter as a canonical query string without `?` (`inbox-filter.ts`). */
  query: string;
  createdAt: number;
}

/** Saved views, each agent's own. */
export interface SavedViewQueries {
  insertSavedView(row: SavedViewRow): Promise<void>;
  /** An agent's saved views, oldest first. */
  listSavedViews(agentId: string): Promise<SavedViewRow[]>;
  getSavedView(id: string): Promise<SavedViewRow | undefined>;
  /** Deletes the view if it is this agent's; whether it did. */
  deleteSavedView(id: string, agentId: string): Promise<boolean>;
}

const fromRow = (r: LotseTables['saved_views']): SavedViewRow => ({
  id: r.id,
  agentId: r.agent_id,
  name: r.name,
  query: r.query,
  createdAt: Number(r.created_at),
});

/** The saved-view queries over a Kysely instance of either dialect. */
export function createSavedViewQueries(db: Kysely<LotseTables>): SavedViewQueries {
  return {
    async insertSavedView(v) {
      await db
        .insertInto('saved_views')
        .values({
          id: v.id,
          agent_id: v.agentId,
          name: v.name,
          query: v.query,
          created_at: v.createdAt,
        })
        .execute();
    },
    async listSavedViews(agentId) {
      const rows = await db
        .selectFrom('saved_views')
        .selectAll()
        .where('agent_id', '=', agentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },
    async getSavedView(id) {
      const r = await db
        .selectFrom('saved_views')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : fromRow(r);
    },
    async deleteSavedView(id, agentId) {
      const r = await db
        .deleteFrom('saved_views')
        .where('id', '=', id)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
