import type { DeriveReply, DeriveRequest } from './derive-sessions.js';
import { postgresDialect } from './dialect.js';
import { createPostgresClient, postgresKysely } from './postgres-client.js';
import { createSharedStore, type DialectParts } from './queries.js';
import { type AggregateQuery, SESSION_EVENT_CAP, type Store, type StoreLimits } from './store.js';
import { coalesceTakes } from './token-bucket.js';
import { createWorkerClient, storeThread } from './worker-client.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions extends StoreLimits {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** The general pool's; the event insert, rate buckets and derivation add 4, 2 and 1. @default 10 */
  maxConnections?: number;
  /** A busy rate bucket takes ahead what its takes need for this long (`coalesceTakes`); 0: none. @default 100 */
  bucketLeaseMs?: number;
}

/**
 * Opens the PostgreSQL store (used when `DATABASE_URL` is set); several server instances may share it.
 * Its own SQL, where one statement does what the shared queries do in several: the event insert,
 * the shared rate buckets and the dashboard's aggregates.
 *
 * @example
 * const store = createPostgresStore({ url: process.env.DATABASE_URL! });
 * await store.migrate();
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const sql = createPostgresClient(options.url, options.maxConnections ?? 10);
  const db = postgresKysely(sql);
  // Derivation parses and folds events: on a thread of its own (postgres-derive-thread.ts).
  const deriver = createWorkerClient<DeriveRequest, DeriveReply>(
    storeThread('postgres-derive-thread'),
    'PostgreSQL derivation',
    { url: options.url },
  );
  const maxSessionEvents = options.maxSessionEvents ?? SESSION_EVENT_CAP;
  // Rate buckets: hot rows, a transaction per take, committed without waiting for the WAL flush (a
  // crash may only refill a bucket), else requests queue behind those flushes (bench/ingest.ts).
  const buckets = createPostgresClient(options.url, 2, { synchronous_commit: 'off' });
  // The event insert, planned once per connection (planning took 0.4 ms of its 1.1 ms a run); seq
  // scans and hash and merge joins priced out, that plan looks events and sessions up by index.
  const inserts = createPostgresClient(options.url, 4, {
    plan_cache_mode: 'force_generic_plan',
    enable_seqscan: 'off',
    enable_hashjoin: 'off',
    enable_mergejoin: 'off',
  });

  const runAggregates: DialectParts['runAggregates'] = (groups) => {
    // Each aggregate on its own connection, with room to sort and hash in memory (4 MB spilled a
    // month's outcome counts to disk), without JIT and without parallel workers (the aggregates of
    // a request already run side by side): both measured in the server README's dashboard section.
    const run = (q: AggregateQuery) =>
      sql.begin(async (tx) => {
        await tx.unsafe(`set local work_mem = '64MB'`);
        await tx.unsafe('set local jit = off');
        await tx.unsafe('set local max_parallel_workers_per_gather = 0');
        return (await tx.unsafe(q.text, q.params as string[]).values()) as unknown[][];
      });
    return Promise.all(groups.map((group) => Promise.all(group.map(run))));
  };

  const storeBatch: DialectParts['storeBatch'] = async (rows) => {
    // One statement per batch: unnest turns column arrays into rows (atomic, one round trip), an id
    // sent twice once. New rows past a session's cap are not inserted; the inserted rows' sessions grow and are marked
    // for the dashboard's derivation from their earliest new event, in the same statement.
    const [r] = await inserts`
      with u as (
        select distinct on (id) * from unnest(
          ${rows.map((e) => e.id)}::text[], ${rows.map((e) => e.siteKey)}::text[],
          ${rows.map((e) => e.type)}::text[], ${rows.map((e) => String(e.ts))}::int8[],
          ${rows.map((e) => String(e.receivedAt))}::int8[], ${rows.map((e) => e.sessionId)}::text[],
          ${rows.map((e) => e.anonymousId)}::text[], ${rows.map((e) => e.conversationId)}::text[],
          ${rows.map((e) => e.userId)}::text[], ${rows.map((e) => JSON.stringify(e.props))}::text[],
          ${rows.map((e) => e.clientHash)}::text[]) with ordinality
          as u(id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash, i) order by id, i),
      ranked as (
        select u.*, coalesce(z.events, 0) + row_number() over (partition by u.site_key, u.session_id order by u.i) as n
        from u left join session_sizes z on z.site_key = u.site_key and z.session_id = u.session_id
        where not exists (select 1 from events e where e.id = u.id)),
      ins as (
        insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash)
        select id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id,
          props::jsonb, client_hash
        from ranked where n <= ${maxSessionEvents}
        on conflict (id) do nothing
        returning site_key, session_id, ts, id),
      capped as (select i from ranked where n > ${maxSessionEvents}),
      dirty as (
        insert into derive_marks (site_key, session_id, low_ts, low_id)
        select distinct on (site_key, session_id) site_key, session_id, ts, id from ins
        order by site_key, session_id, ts, id collate "C"),
      grown as (
        insert into session_sizes (site_key, session_id, events)
        select site_key, session_id, count(*) from ins group by site_key, session_id
        on conflict (site_key, session_id) do update set events = session_sizes.events + excluded.events)
      select (select count(*)::int from ins) as n,
        (select coalesce(array_agg((i - 1)::int order by i), '{}') from capped) as capped`;
    return { accepted: Number(r?.n ?? 0), overCap: (r?.capped ?? []) as number[] };
  };

  return {
    kind: 'postgres',
    ...createSharedStore(db, postgresDialect, {
      runAggregates,
      storeBatch,
      askDeriver: (request) => deriver.ask(request),
    }),
    // The same arithmetic as takeFromBucket for `count` takes, in one atomic upsert so instances
    // share the bucket (the SET expressions all read the old row).
    takeToken: coalesceTakes(
      async (key, rule, now, count) => {
        const available = buckets`least(${rule.capacity}::float8, b.tokens + greatest(0, ${String(now)}::int8 - b.updated_at) * ${rule.refillPerSecond}::float8 / 1000.0)`;
        // least before the cast: a capacity may exceed int4, a statement's count never does.
        const granted = buckets`floor(least(${count}::float8, ${available}))::int4`;
        const first = Math.max(0, Math.min(count, Math.floor(rule.capacity)));
        const [r] = await buckets`
        insert into rate_buckets as b (key, tokens, updated_at, allowed, granted)
        values (${key}, ${rule.capacity - first}, ${String(now)}::int8, ${first > 0}, ${first})
        on conflict (key) do update set tokens = ${available} - ${granted}, granted = ${granted},
          allowed = ${granted} > 0, updated_at = greatest(b.updated_at, excluded.updated_at)
        returning b.tokens, b.granted`;
        return { granted: Number(r?.granted ?? 0), tokens: Number(r?.tokens ?? 0) };
      },
      options.bucketLeaseMs === undefined ? {} : { leaseMs: options.bucketLeaseMs },
    ),
    async close() {
      try {
        await deriver.close();
      } finally {
        // Timed: postgres.js never ends a connection reserved as an untimed end (db.destroy) began.
        await Promise.all([inserts, buckets, sql].map((client) => client.end({ timeout: 5 })));
        await db.destroy(); // settled now; later queries fail at once instead of reconnecting
      }
    },
  };
}
