import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import {
  CONVERSATION_COLUMNS,
  FACT_COLUMNS,
  metricFactFromRaw,
  storedConversationFromRaw,
} from './derived-rows.js';
import { migrationSql, migrations } from './migrations.js';
import { createQueries, visitorAnonymousIds, visitorHandoffs } from './queries.js';
import { type Row, str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';
import { METRIC_COLUMNS, metricEventFromRaw } from './sqlite-derive.js';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-writer-thread.js';
import type { AggregateQuery, DeleteVisitorResult, Store, VisitorQuery } from './store.js';
import { SESSION_EVENT_CAP } from './store.js';
import { createMemoryBuckets } from './token-bucket.js';
import { createWorkerClient, storeThread } from './worker-client.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file (created if missing), or `:memory:`. */
  file: string;
  /**
   * SQLite `synchronous` mode. `full` syncs the WAL on every commit, so an acknowledged batch
   * survives power loss; `normal` survives a process crash (`kill -9`) but not power loss.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal';
  /** Events stored per session at most; later new ones are refused. @default SESSION_EVENT_CAP */
  maxSessionEvents?: number;
}

// JSON columns are text in SQLite.
const SQLITE_JSON: JsonCodec = {
  write: (value) => JSON.stringify(value),
  read: (column) => JSON.parse(str(column)),
};

/** Message from the store to a reader thread (`worker/sqlite-reader.mjs`). */
type ReaderRequest =
  | { id: number; queries: readonly AggregateQuery[] }
  | { id: number; close: true };
/** Message from a reader thread: the rows of each query, as value arrays. */
type ReaderReply = { id: number; rows: unknown[][][] } | { id: number; error: string };

/**
 * Two reader threads (`worker/sqlite-reader.mjs`) for the dashboard's aggregates, each started on
 * first use: the queries run off the event loop, split between them (two cores).
 */
function createReaders(file: string): {
  run(groups: readonly (readonly AggregateQuery[])[]): Promise<unknown[][][][]>;
  close(): Promise<void>;
} {
  const entry = new URL('../../worker/sqlite-reader.mjs', import.meta.url);
  const readers = [0, 1].map(() =>
    createWorkerClient<ReaderRequest, ReaderReply>(entry, 'SQLite read', { file }),
  );
  return {
    run(groups) {
      return Promise.all(
        groups.map(
          async (queries, i) => (await readers[i % readers.length]!.ask({ queries })).rows,
        ),
      );
    },
    async close() {
      await Promise.all(readers.map((r) => r.close().catch(() => {})));
    },
  };
}

/**
 * Opens the embedded SQLite store (WAL mode): the default, for one process.
 *
 * @example
 * const store = createSqliteStore({ file: '.lotse/lotse.db' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  // The CLI may run while the server writes; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000');
  // Rate counters stay in memory: the SQLite setup is one process by design.
  const buckets = createMemoryBuckets();

  db.exec(
    'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at integer not null)',
  );

  // The writer thread (sqlite-writer-thread.ts) inserts the events and derives the dashboard's
  // conversations; it starts on first use, after migrate() made the tables.
  const writer = createWorkerClient<WriterRequest, WriterReply>(
    storeThread('sqlite-writer-thread'),
    'SQLite writer',
    {
      file: options.file,
      synchronous: options.synchronous ?? 'full',
      maxSessionEvents: options.maxSessionEvents ?? SESSION_EVENT_CAP,
    } satisfies WriterData,
  );
  const readers = createReaders(options.file);

  // After a deletion: the sizes of the sessions marked for derivation from scratch, counted again.
  const recountSizes = (site: string) =>
    db
      .prepare(
        `update session_sizes set events = (select count(*) from events e
             where e.site_key = session_sizes.site_key and e.session_id = session_sizes.session_id)
           where site_key = ? and session_id in (select session_id from derive_dirty where site_key = ? and low_ts is null)`,
      )
      .run(site, site);
  const recountAllSizes = () =>
    db
      .prepare(
        `update session_sizes set events = (select count(*) from events e
             where e.site_key = session_sizes.site_key and e.session_id = session_sizes.session_id)
           where (site_key, session_id) in (select site_key, session_id from derive_dirty where low_ts is null)`,
      )
      .run();
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

  // The shared queries (queries.ts) run on this same connection, on the event loop like before.
  const kysely = new Kysely<LotseTables>({ dialect: new SqliteDialect({ database: db }) });
  // The visitor's handoffs, compiled by the shared query and run inside deleteVisitor's transaction.
  const visitorHandoffRows = (q: VisitorQuery): Row[] => {
    const query = visitorHandoffs(kysely, q).compile();
    return db.prepare(query.sql).all(...query.parameters) as Row[];
  };

  return {
    kind: 'sqlite',
    ...createQueries(kysely, SQLITE_JSON),
    async migrate() {
      const applied = new Set(
        (db.prepare('select version from schema_migrations').all() as Row[]).map((r) =>
          Number(r.version),
        ),
      );
      let count = 0;
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        db.transaction(() => {
          db.exec(migrationSql(m, 'sqlite'));
          db.prepare(
            'insert into schema_migrations (version, name, applied_at) values (?, ?, ?)',
          ).run(m.version, m.name, Date.now());
        })();
        count++;
      }
      return count;
    },
    async insertEvents(rows) {
      if (rows.length === 0) return { accepted: 0, duplicates: 0 };
      const reply = await writer.ask({ rows });
      if (!('accepted' in reply)) throw new Error('[lotse] SQLite writer: unexpected reply');
      const { accepted, overCap } = reply;
      return overCap.length === 0
        ? { accepted, duplicates: rows.length - accepted }
        : { accepted, duplicates: rows.length - accepted - overCap.length, overCap };
    },
    async listMetricEvents(siteKey, from, to) {
      // Parsing the props in JavaScript beats nine `->>` extractions per row in SQLite (measured).
      const rows = db
        .prepare(
          `select ${METRIC_COLUMNS} from events where site_key = ? and ts >= ? and ts < ? order by ts, id`,
        )
        .raw(true)
        .all(siteKey, from, to) as unknown[][];
      return rows.map((r) => metricEventFromRaw(siteKey, r));
    },
    async dirtySites() {
      const reply = await writer.ask({ dirtySites: true });
      return 'sites' in reply ? reply.sites : [];
    },
    async deriveDirty(options) {
      const reply = await writer.ask({
        derive: {
          sites: [...options.sites].map(([k, h]) => [k, h ?? null]),
          maxSessions: options.maxSessions,
        },
      });
      return 'derived' in reply ? reply.derived : 0;
    },
    async countDirtySessions(siteKey) {
      const r = (
        siteKey === undefined
          ? db.prepare('select count(*) as n from derive_dirty').get()
          : db.prepare('select count(*) as n from derive_dirty where site_key = ?').get(siteKey)
      ) as Row;
      return Number(r.n);
    },
    async listStoredConversations(siteKey, from, to) {
      const rows = db
        .prepare(
          `select ${CONVERSATION_COLUMNS} from conversations_derived
           where site_key = ? and started_at >= ? and started_at < ?`,
        )
        .raw(true)
        .all(siteKey, from, to) as unknown[][];
      return rows.map((r) => storedConversationFromRaw(siteKey, r));
    },
    runAggregates(groups) {
      return readers.run(groups);
    },
    async listMetricFacts(siteKey, from, to) {
      const rows = db
        .prepare(
          `select ${FACT_COLUMNS} from metric_facts
           where site_key = ? and ts >= ? and ts < ? order by ts, event_id`,
        )
        .raw(true)
        .all(siteKey, from, to) as unknown[][];
      return rows.map((r) => metricFactFromRaw(siteKey, r));
    },
    async takeToken(key, rule, now) {
      return buckets.take(key, rule, now);
    },
    async deleteEventsBefore(cutoff) {
      let deleted = 0;
      const sites = db.prepare('select distinct site_key from events').pluck().all() as string[];
      const del = db.prepare('delete from events where site_key = ? and received_at < ?');
      const mark = db.prepare(
        `insert into derive_dirty (site_key, session_id, gen)
         select distinct site_key, session_id, 1 from events where site_key = ? and received_at < ? and true
         on conflict (site_key, session_id) do update set gen = gen + 1, low_ts = null, low_id = null`,
      );
      for (const site of sites) {
        // Immediate, as every read-then-write transaction here (sqlite-writer-thread.ts).
        deleted += db
          .transaction(() => {
            mark.run(site, cutoff);
            const n = del.run(site, cutoff).changes;
            recountSizes(site);
            return n;
          })
          .immediate();
      }
      return deleted;
    },
    async deleteVisitor(q): Promise<DeleteVisitorResult> {
      return db
        .transaction(() => {
          const handoffs = visitorHandoffRows(q);
          const anonymousIds = visitorAnonymousIds(q, handoffs);
          const result: DeleteVisitorResult = { events: 0, handoffs: 0, messages: 0 };
          if (anonymousIds.length > 0) {
            db.prepare(
              `insert into derive_dirty (site_key, session_id, gen)
             select distinct site_key, session_id, 1 from events
             where anonymous_id in (${placeholders(anonymousIds.length)}) and true
             on conflict (site_key, session_id) do update set gen = gen + 1, low_ts = null, low_id = null`,
            ).run(...anonymousIds);
            result.events = db
              .prepare(
                `delete from events where anonymous_id in (${placeholders(anonymousIds.length)})`,
              )
              .run(...anonymousIds).changes;
            recountAllSizes();
          }
          for (const h of handoffs) {
            result.messages += db
              .prepare('delete from messages where handoff_id = ?')
              .run(h.id).changes;
            result.handoffs += db.prepare('delete from handoffs where id = ?').run(h.id).changes;
          }
          return result;
        })
        .immediate();
    },
    async close() {
      await readers.close();
      await writer.close();
      db.close();
    },
  };
}
