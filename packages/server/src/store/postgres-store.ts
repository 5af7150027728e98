import type { BusinessHours } from '@lotse/sdk/metrics';
import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type postgres from 'postgres';
import {
  CONVERSATION_COLUMNS,
  FACT_COLUMNS,
  metricFactFromRaw,
  storedConversationFromRaw,
} from './derived-rows.js';
import { migrationSql, migrations } from './migrations.js';
import { createPostgresClient } from './postgres-client.js';
import { METRIC_SELECT, metricEventFromRow } from './postgres-derive.js';
import type { DeriveData, DeriveReply, DeriveRequest } from './postgres-derive-thread.js';
import { createQueries, visitorAnonymousIds } from './queries.js';
import { str } from './rows.js';
import type { JsonCodec, LotseTables } from './schema.js';
import type { AggregateQuery, DeleteVisitorResult, Store } from './store.js';
import { SESSION_EVENT_CAP } from './store.js';
import { retryAfterMs } from './token-bucket.js';
import { createWorkerClient, storeThread } from './worker-client.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** @default 10 */
  maxConnections?: number;
  /** Events stored per session at most; later new ones are refused. @default SESSION_EVENT_CAP */
  maxSessionEvents?: number;
}

// Arbitrary constant for pg_advisory_xact_lock, so two instances starting together migrate once.
const MIGRATION_LOCK = 4_207_310_118;

// The driver serialises jsonb parameters (it asks the server for their types) and parses jsonb
// results, so values pass through as they are.
const POSTGRES_JSON: JsonCodec = { write: (value) => value, read: (column) => column };

/**
 * Opens the PostgreSQL store (used when `DATABASE_URL` is set); several server instances may share it.
 *
 * @example
 * const store = createPostgresStore({ url: process.env.DATABASE_URL! });
 * await store.migrate();
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const sql = createPostgresClient(options.url, options.maxConnections ?? 10);
  // Derivation parses and folds events: on a thread of its own (postgres-derive-thread.ts).
  const deriver = createWorkerClient<DeriveRequest, DeriveReply>(
    storeThread('postgres-derive-thread'),
    'PostgreSQL derivation',
    { url: options.url } satisfies DeriveData,
  );

  const maxSessionEvents = options.maxSessionEvents ?? SESSION_EVENT_CAP;
  // After a deletion: the sizes of the sessions marked for derivation from scratch, counted again.
  const recountSizes = (tx: postgres.TransactionSql) => tx`
    update session_sizes z set events = (select count(*) from events e
      where e.site_key = z.site_key and e.session_id = z.session_id)
    from derive_marks d where d.site_key = z.site_key and d.session_id = z.session_id and d.low_ts is null`;

  const kysely = new Kysely<LotseTables>({ dialect: new PostgresJSDialect({ postgres: sql }) });

  return {
    kind: 'postgres',
    ...createQueries(kysely, POSTGRES_JSON),
    async migrate() {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
        await tx`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at bigint not null)`;
        const applied = new Set(
          (await tx`select version from schema_migrations`).map((r) => Number(r.version)),
        );
        let count = 0;
        for (const m of migrations) {
          if (applied.has(m.version)) continue;
          await tx.unsafe(migrationSql(m, 'postgres'));
          await tx`insert into schema_migrations (version, name, applied_at) values (${m.version}, ${m.name}, ${Date.now()})`;
          count++;
        }
        return count;
      });
    },
    async insertEvents(rows) {
      if (rows.length === 0) return { accepted: 0, duplicates: 0 };
      // One statement per batch: unnest turns column arrays into rows (atomic, one round trip). New
      // rows past a session's cap are not inserted; the inserted rows' sessions grow and are marked
      // for the dashboard's derivation from their earliest new event, in the same statement.
      const [r] = await sql`
        with u as (
          select * from unnest(
            ${rows.map((e) => e.id)}::text[], ${rows.map((e) => e.siteKey)}::text[],
            ${rows.map((e) => e.type)}::text[], ${rows.map((e) => String(e.ts))}::int8[],
            ${rows.map((e) => String(e.receivedAt))}::int8[], ${rows.map((e) => e.sessionId)}::text[],
            ${rows.map((e) => e.anonymousId)}::text[], ${rows.map((e) => e.conversationId)}::text[],
            ${rows.map((e) => e.userId)}::text[], ${rows.map((e) => JSON.stringify(e.props))}::text[],
            ${rows.map((e) => e.clientHash)}::text[]) with ordinality
            as u(id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash, i)),
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
      const accepted = Number(r?.n ?? 0);
      const overCap = (r?.capped ?? []) as number[];
      return overCap.length === 0
        ? { accepted, duplicates: rows.length - accepted }
        : { accepted, duplicates: rows.length - accepted - overCap.length, overCap };
    },
    async listMetricEvents(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(METRIC_SELECT)} from events
        where site_key = ${siteKey} and ts >= ${String(from)}::int8 and ts < ${String(to)}::int8
        order by ts, id`;
      return rows.map((r) => metricEventFromRow(siteKey, r));
    },
    async dirtySites() {
      return (await sql`select distinct site_key from derive_marks`).map((r) => str(r.site_key));
    },
    async deriveDirty(request) {
      const sites: [string, BusinessHours | null][] = [...request.sites].map(([k, h]) => [
        k,
        h ?? null,
      ]);
      let done = 0;
      // A hundred sessions per request to the thread, so that a stopped run ends between them.
      while (done < request.maxSessions && request.stopped?.() !== true) {
        const maxSessions = Math.min(100, request.maxSessions - done);
        const reply = await deriver.ask({ derive: { sites, maxSessions } });
        done += reply.derived;
        if (reply.idle) break;
      }
      return done;
    },
    async countDirtySessions(siteKey) {
      const [r] =
        siteKey === undefined
          ? await sql`select count(*)::int as n from (select distinct site_key, session_id from derive_marks) d`
          : await sql`select count(distinct session_id)::int as n from derive_marks where site_key = ${siteKey}`;
      return Number(r?.n ?? 0);
    },
    async listStoredConversations(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(CONVERSATION_COLUMNS)} from conversations_derived
        where site_key = ${siteKey} and started_at >= ${String(from)}::int8 and started_at < ${String(to)}::int8`.values();
      return rows.map((r) => storedConversationFromRaw(siteKey, r));
    },
    runAggregates(groups) {
      // Each aggregate on its own connection, with room to sort and hash in memory (the default
      // 4 MB spills the outcome counts of a month to disk).
      const run = (q: AggregateQuery) =>
        sql.begin(async (tx) => {
          await tx.unsafe(`set local work_mem = '64MB'`);
          return (await tx.unsafe(q.text, q.params as string[]).values()) as unknown[][];
        });
      return Promise.all(groups.map((group) => Promise.all(group.map(run))));
    },
    async listMetricFacts(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(FACT_COLUMNS)} from metric_facts
        where site_key = ${siteKey} and ts >= ${String(from)}::int8 and ts < ${String(to)}::int8
        order by ts, event_id`.values();
      return rows.map((r) => metricFactFromRaw(siteKey, r));
    },
    async takeToken(key, rule, now) {
      // The same arithmetic as takeFromBucket, in one atomic upsert so instances share the bucket
      // (the SET expressions all read the old row).
      const available = sql`least(${rule.capacity}::float8, b.tokens + greatest(0, ${String(now)}::int8 - b.updated_at) * ${rule.refillPerSecond}::float8 / 1000.0)`;
      const [r] = await sql`
        insert into rate_buckets as b (key, tokens, updated_at, allowed)
        values (${key}, ${rule.capacity - 1}, ${String(now)}::int8, true)
        on conflict (key) do update set
          tokens = case when ${available} >= 1 then ${available} - 1 else ${available} end,
          allowed = ${available} >= 1,
          updated_at = greatest(b.updated_at, excluded.updated_at)
        returning b.tokens, b.allowed`;
      const allowed = r?.allowed === true;
      return { allowed, retryAfterMs: allowed ? 0 : retryAfterMs(Number(r?.tokens ?? 0), rule) };
    },
    async deleteEventsBefore(cutoff) {
      const r = await sql.begin(async (tx) => {
        await tx`
          insert into derive_marks (site_key, session_id)
          select distinct site_key, session_id from events where received_at < ${String(cutoff)}::int8`;
        const deleted = await tx`delete from events where received_at < ${String(cutoff)}::int8`;
        await recountSizes(tx);
        return deleted;
      });
      await sql`delete from rate_buckets where updated_at < ${String(cutoff)}::int8`;
      return r.count;
    },
    async deleteVisitor(q): Promise<DeleteVisitorResult> {
      return sql.begin(async (tx) => {
        const handoffs = await ('email' in q
          ? tx`select id, anonymous_id from handoffs where email_key = ${q.email.toLowerCase()} for update`
          : tx`select id, anonymous_id from handoffs where anonymous_id = ${q.anonymousId} for update`);
        const anonymousIds = visitorAnonymousIds(q, [...handoffs]);
        const handoffIds = handoffs.map((h) => str(h.id));
        let events = 0;
        if (anonymousIds.length > 0) {
          await tx`
            insert into derive_marks (site_key, session_id)
            select distinct site_key, session_id from events where anonymous_id = any(${anonymousIds}::text[])`;
          events = (await tx`delete from events where anonymous_id = any(${anonymousIds}::text[])`)
            .count;
          await recountSizes(tx);
        }
        const messages =
          handoffIds.length === 0
            ? 0
            : (await tx`delete from messages where handoff_id = any(${handoffIds}::text[])`).count;
        const deleted =
          handoffIds.length === 0
            ? 0
            : (await tx`delete from handoffs where id = any(${handoffIds}::text[])`).count;
        return { events, messages, handoffs: deleted };
      });
    },
    async close() {
      await deriver.close();
      await sql.end({ timeout: 5 });
    },
  };
}
