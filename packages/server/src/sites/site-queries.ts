// The stored sites, the same on SQLite and PostgreSQL (Kysely): what the admin pages save and the
// site registry (site-registry.ts) loads and refreshes on every instance.
import type { Kysely } from 'kysely';
import { rowReaders } from '../store/rows.js';
import type { JsonCodec, LotseTables } from '../store/schema.js';

/** A site as stored: its key and settings (validated by the site registry, stored as JSON). */
export interface SiteRow {
  key: string;
  settings: unknown;
  updatedAt: number;
}

/** The stored sites and their settings. */
export interface SiteQueries {
  upsertSite(key: string, settings: unknown, now: number): Promise<void>;
  /**
   * Stores a site only if no site has its key, in one statement, so that of two callers at once
   * exactly one succeeds; returns whether it did (a site already there is left as it is).
   */
  insertSite(key: string, settings: unknown, now: number): Promise<boolean>;
  getSite(key: string): Promise<SiteRow | undefined>;
  listSites(): Promise<SiteRow[]>;
}

/** The site queries over a Kysely instance of either dialect, with that dialect's JSON codec. */
export function createSiteQueries(db: Kysely<LotseTables>, json: JsonCodec): SiteQueries {
  const read = rowReaders(json.read);

  return {
    async upsertSite(key, settings, now) {
      await db
        .insertInto('sites')
        .values({ key, settings: json.write(settings), updated_at: now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            settings: eb.ref('excluded.settings'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },
    async insertSite(key, settings, now) {
      const r = await db
        .insertInto('sites')
        .values({ key, settings: json.write(settings), updated_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async getSite(key) {
      const r = await db.selectFrom('sites').selectAll().where('key', '=', key).executeTakeFirst();
      return r === undefined ? undefined : read.siteFromRow(r);
    },
    async listSites() {
      const rows = await db.selectFrom('sites').selectAll().orderBy('key').execute();
      return rows.map(read.siteFromRow);
    },
  };
}
