// What differs between SQLite and PostgreSQL where the queries are written once (queries.ts,
// derive-queries.ts, deletions.ts, migrations.ts): each difference small and named here.
import type Database from 'better-sqlite3';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';

/**
 * How a large read's rows leave the database (the team view's, Store.runAggregates): SQLite's
 * reader threads hand over one JSON text the database builds, because a structured clone of tens
 * of thousands of row arrays costs twice what building and parsing the text does; PostgreSQL's
 * rows come as they are, because its driver reads plain rows in half the time the server takes to
 * build the JSON (both measured on the team view's month, 34 000 handoffs a query).
 */
export interface RowPacking {
  /** The select list of `values` (a name is a column reference), packed. */
  select(values: readonly (string | Expression<unknown>)[]): RawBuilder<unknown>;
  /** The rows of a query that selected `select(…)`, as value arrays. */
  unpack(result: readonly unknown[][]): unknown[][];
  /** An ISO 8601 text column (`respond_by`) as epoch milliseconds: a number reads faster than text. */
  isoMillis(column: string): RawBuilder<number>;
}

export interface Dialect {
  kind: 'sqlite' | 'postgres';
  json: JsonCodec;
  rows: RowPacking;
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
  /**
   * Runs after a visitor's rows were deleted, so that no copy stays in the database's files:
   * SQLite's writing connections zero what they delete, and this empties the WAL, which still
   * holds the pages as they were. PostgreSQL has no such step: deleted rows stay in its data files
   * until their space is reused after a vacuum (server README, "Privacy").
   */
  afterErase: RawBuilder<unknown> | null;
}

/** A value of `RowPacking.select`: a name is a column reference. */
const packedValue = (value: string | Expression<unknown>) =>
  typeof value === 'string' ? sql.ref(value) : value;

/** SQLite: JSON columns are text. */
export const sqliteDialect: Dialect = {
  kind: 'sqlite',
  json: { write: (value) => JSON.stringify(value), read: (column) => JSON.parse(str(column)) },
  rows: {
    // SQLite writes reals with 17 significant digits here, so they read back exactly.
    select: (values) =>
      sql`coalesce(json_group_array(json_array(${sql.join(values.map(packedValue))})), '[]')`,
    unpack(result) {
      const text = result[0]?.[0];
      const rows: unknown = typeof text === 'string' ? JSON.parse(text) : [];
      return Array.isArray(rows) ? rows : [];
    },
    isoMillis: (column) =>
      sql<number>`cast(round(unixepoch(${sql.ref(column)}, 'subsec') * 1000) as integer)`,
  },
  claimable: null,
  byCodePoint: (column) => sql.ref(column),
  begin: 'begin immediate',
  migrationLock: null,
  afterErase: sql`pragma wal_checkpoint(TRUNCATE)`,
};

/**
 * PostgreSQL: the driver serialises jsonb parameters (it asks the server for their types) and
 * parses jsonb results, so values pass through as they are.
 */
export const postgresDialect: Dialect = {
  kind: 'postgres',
  json: { write: (value) => value, read: (column) => column },
  rows: {
    // The values themselves: the alias a select list needs lands on the last one, unread.
    select: (values) => sql.join(values.map(packedValue)),
    unpack: (result) => [...result],
    isoMillis: (column) =>
      sql<number>`round(extract(epoch from ${sql.ref(column)}::timestamptz) * 1000)::float8`,
  },
  claimable: sql<SqlBool>`pg_try_advisory_xact_lock(hashtextextended(site_key || ' ' || session_id, 0))`,
  byCodePoint: (column) => sql`${sql.ref(column)} collate "C"`,
  begin: 'begin',
  // An arbitrary constant, the same in every instance.
  migrationLock: sql`select pg_advisory_xact_lock(4207310118)`,
  afterErase: null,
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
 * Sets up a SQLite connection of the store that writes. What it deletes is overwritten with zeros
 * (`secure_delete`), so that a visitor's deleted rows, or the older versions of rows written again,
 * cannot be read back from the file's free space (a visitor's deletion then empties the WAL:
 * {@link Dialect.afterErase}).
 *
 * And SQLite's `lower`, which folds ASCII letters only, is replaced with one that folds every
 * letter one by one as PostgreSQL's `lower` does in its default (libc, C.UTF-8) locale:
 * JavaScript's, except that "İ" becomes a plain "i" (not "i" and a combining dot) and a capital
 * sigma "σ" (not "ς" at a word's end). So the inbox search's `lower` finds the same rows on both
 * stores, written once. No index or stored value depends on `lower`.
 */
export function prepareSqliteConnection(database: Database.Database): void {
  database.pragma('secure_delete = ON');
  database.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldLikePostgres(value) : value,
  );
}

/** `text` lower-cased letter by letter, as PostgreSQL's `lower` in a libc UTF-8 locale. */
export function foldLikePostgres(text: string): string {
  return text.replaceAll('İ', 'i').replaceAll('Σ', 'σ').toLowerCase();
}
