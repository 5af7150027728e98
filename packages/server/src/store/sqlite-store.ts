import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { prepareSqliteConnection, sqliteDialect } from './dialect.js';
import { createSharedStore } from './queries.js';
import type { LotseTables } from './schema.js';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-writer-thread.js';
import { type AggregateQuery, SESSION_EVENT_CAP, type Store, type StoreLimits } from './store.js';
import { createMemoryBuckets } from './token-bucket.js';
import { type Ask, createWorkerClient, storeThread } from './worker-client.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends StoreLimits {
  /** Database file (created if missing), or `:memory:`. */
  file: string;
  /**
   * SQLite `synchronous` mode. `full` syncs the WAL on every commit, so an acknowledged batch
   * survives power loss; `normal` survives a process crash (`kill -9`) but not power loss.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal';
}

/**
 * The query layer over a better-sqlite3 connection, each statement prepared once: Kysely prepares
 * per query, which costs more than running most of ours (a derivation twice as long, measured).
 * Statements differ by their shape only (the length of IN lists and unions), and the oldest go first.
 */
export function sqliteKysely(database: Database.Database): Kysely<LotseTables> {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > 1000) statements.delete(statements.keys().next().value!);
    }
    return statement;
  };
  return new Kysely<LotseTables>({
    dialect: new SqliteDialect({ database: { close: () => database.close(), prepare } }),
  });
}

/**
 * WAL pages (80 MB) after which the store's connections checkpoint as they commit: SQLite's default
 * of 1 000 cost a third more CPU per event (server README, ingest section).
 */
export const WAL_CHECKPOINT_PAGES = 20_000;

/** Message from the store to a reader thread (`worker/sqlite-reader.mjs`). */
type ReaderRequest =
  | { id: number; queries: readonly AggregateQuery[] }
  | { id: number; close: true };
/** Message from a reader thread: the rows of each query, as value arrays. */
type ReaderReply = { id: number; rows: unknown[][][] } | { id: number; error: string };

/**
 * Opens the embedded SQLite store (WAL mode): the default, for one process. Events are written and
 * derived by the writer thread (sqlite-writer-thread.ts), the dashboard's aggregates run on two
 * reader threads (`worker/sqlite-reader.mjs`, two cores), the first of which also checkpoints the
 * WAL; everything else runs the shared queries on this connection. Rate counters stay in memory:
 * the SQLite setup is one process by design.
 *
 * @example
 * const store = createSqliteStore({ file: '.lotse/lotse.db' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const database = new Database(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma('foreign_keys = ON');
  // The CLI may run while the server writes; wait for the lock instead of failing.
  database.pragma('busy_timeout = 5000');
  // Not at SQLite's default either: a checkpoint after a commit here would hold the event loop.
  database.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  prepareSqliteConnection(database);
  const db = sqliteKysely(database);
  const buckets = createMemoryBuckets();

  // The threads start on first use, after migrate() made the tables.
  const writer = createWorkerClient<WriterRequest, WriterReply>(
    storeThread('sqlite-writer-thread'),
    'SQLite writer',
    {
      file: options.file,
      synchronous: options.synchronous ?? 'full',
      maxSessionEvents: options.maxSessionEvents ?? SESSION_EVENT_CAP,
    } satisfies WriterData,
  );
  // The first reader also copies the WAL into the database, while the writer runs (every second:
  // every 200 ms gained nothing, server README); should it fail, the commits' checkpoints do it.
  const readers = [{ checkpointEveryMs: 1000 }, {}].map((settings) =>
    createWorkerClient<ReaderRequest, ReaderReply>(
      new URL('../../worker/sqlite-reader.mjs', import.meta.url),
      'SQLite read',
      { file: options.file, ...settings },
    ),
  );
  let closed = false;
  const toWriter = (request: Ask<WriterRequest>) => {
    // After close() neither thread starts again (a request would otherwise keep the process alive).
    if (closed) return Promise.reject(new Error('[lotse] SQLite store is closed'));
    readers[0]!.start();
    return writer.ask(request);
  };

  return {
    kind: 'sqlite',
    ...createSharedStore(db, sqliteDialect, {
      runAggregates: (groups) =>
        Promise.all(
          groups.map(
            async (queries, i) => (await readers[i % readers.length]!.ask({ queries })).rows,
          ),
        ),
      async storeBatch(rows) {
        const reply = await toWriter({ rows });
        if (!('accepted' in reply)) throw new Error('[lotse] SQLite writer: unexpected reply');
        return reply;
      },
      askDeriver: toWriter,
    }),
    takeToken: async (key, rule, now) => buckets.take(key, rule, now),
    giveBackToken: async (key, rule, now) => buckets.giveBack(key, rule, now),
    async close() {
      closed = true;
      await Promise.all(readers.map((r) => r.close().catch(() => {})));
      await writer.close();
      await db.destroy();
    },
  };
}
