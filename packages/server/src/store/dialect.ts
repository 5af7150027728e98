// What differs between SQLite and PostgreSQL where the queries are written once (queries.ts,
// derive-queries.ts, deletions.ts, migrations.ts): each difference small and named here.
import type Database from 'better-sqlite3';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';

export interface Dialect {
  kind: 'sqlite' | 'postgres';
  json: JsonCodec;
  /**
   * Keeps the sessions (`site_key`, `session_id` of the row) no other process derives right now;
   * PostgreSQL takes a transaction-scoped advisory lock, SQLite has one writer anyway.
   */
  claimable: Expression<SqlBool> | null;
  /** A text column compared by code point, as JavaScript and SQLite compare event ids. */
  byCodePoint(column: string): RawBuilder<string>;
  /**
   * Starts a transaction that reads, then writes: SQLite takes the write lock first (a deferred
   * transaction whose snapshot another connection's commit made stale cannot take it later).
   */
  begin: string;
  /** Serialises concurrent migrations (several PostgreSQL instances starting together). */
  migrationLock: RawBuilder<unknown> | null;
}

/** A value of `rowsAsJson`: a name is a column reference. */
const jsonValue = (value: string | Expression<unknown>) =>
  typeof value === 'string' ? sql.ref(value) : value;

/** SQLite: JSON columns are text. */
export const sqliteDialect: Dialect = {
  kind: 'sqlite',
  json: {
    write: (value) => JSON.stringify(value),
    read: (column) => JSON.parse(str(column)),
    // SQLite writes reals with 17 significant digits here, so they read back exactly.
    rowsAsJson: (values) =>
      sql<string>`coalesce(json_group_array(json_array(${sql.join(values.map(jsonValue))})), '[]')`,
  },
  claimable: null,
  byCodePoint: (column) => sql.ref(column),
  begin: 'begin immediate',
  migrationLock: null,
};

/**
 * PostgreSQL: the driver serialises jsonb parameters (it asks the server for their types) and
 * parses jsonb results, so values pass through as they are.
 */
export const postgresDialect: Dialect = {
  kind: 'postgres',
  json: {
    write: (value) => value,
    read: (column) => column,
    // As text: the driver would parse json itself, the reader parses either dialect's text alike.
    rowsAsJson: (values) =>
      sql<string>`coalesce(json_agg(json_build_array(${sql.join(values.map(jsonValue))}))::text, '[]')`,
  },
  claimable: sql<SqlBool>`pg_try_advisory_xact_lock(hashtextextended(site_key || ' ' || session_id, 0))`,
  byCodePoint: (column) => sql`${sql.ref(column)} collate "C"`,
  begin: 'begin',
  // An arbitrary constant, the same in every instance.
  migrationLock: sql`select pg_advisory_xact_lock(4207310118)`,
};

/** Runs `fn` in one transaction on one connection, begun as the dialect's {@link Dialect.begin}. */
export function inTransaction<T>(
  db: Kysely<LotseTables>,
  dialect: Dialect,
  fn: (tx: Kysely<LotseTables>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (tx) => {
    await sql.raw(dialect.begin).execute(tx);
    try {
      const result = await fn(tx);
      await sql`commit`.execute(tx);
      return result;
    } catch (error) {
      await sql`rollback`.execute(tx);
      throw error;
    }
  });
}

/**
 * Replaces SQLite's `lower`, which folds ASCII letters only, with JavaScript's, which folds every
 * letter as PostgreSQL's does: so `lower(x) like …` (the inbox search) is case-insensitive for
 * "Ä" and "ä" on both stores, written once. No index or stored value depends on `lower`.
 */
export function registerUnicodeLower(database: Database.Database): void {
  database.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
}
