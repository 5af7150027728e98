// The `meta` table, the same on SQLite and PostgreSQL (Kysely): small values that every instance
// must agree on, such as the day's address salt (privacy/) and overdue-notice claims (notify/).
import { type Kysely, sql } from 'kysely';
import { str } from './rows.js';
import type { LotseTables } from './schema.js';

/** Shared key-value entries where the first writer wins. */
export interface MetaQueries {
  /** Returns the value under `key`, storing `value` first if there is none (first writer wins). */
  getOrSetMeta(key: string, value: string): Promise<string>;
  /** Deletes meta keys that start with `prefix`, except `keep`. */
  deleteMetaByPrefix(prefix: string, keep: string): Promise<number>;
}

/** The meta queries over a Kysely instance of either dialect (no JSON columns). */
export function createMetaQueries(db: Kysely<LotseTables>): MetaQueries {
  return {
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
  };
}
