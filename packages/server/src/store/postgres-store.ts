import postgres from 'postgres';
import { summaryQueries } from './derived-queries.js';
import {
  CONVERSATION_COLUMNS,
  FACT_COLUMNS,
  metricFactFromRaw,
  NEXT_CONTACT_SELECT,
  nextContactChanges,
  storedConversationFromRaw,
} from './derived-rows.js';
import { postgresMigrations } from './migrations.js';
import { type Row, rowReaders, str, strOrNull } from './rows.js';
import type {
  DeleteVisitorResult,
  EventRow,
  HandoffPatch,
  Store,
  VisitorData,
  VisitorQuery,
} from './store.js';
import { METRIC_PROPS } from './store.js';
import { retryAfterMs } from './token-bucket.js';
import { exportedHandoff } from './visitor.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** @default 10 */
  maxConnections?: number;
}

// Arbitrary constant for pg_advisory_xact_lock, so two instances starting together migrate once.
const MIGRATION_LOCK = 4_207_310_118;

// jsonb columns come back parsed.
const {
  eventFromRow,
  handoffFromRow,
  inboxFromRow,
  agentFromRow,
  invitationFromRow,
  messageFromRow,
  sessionFromRow,
  siteFromRow,
} = rowReaders((column) => column);

/**
 * Opens the PostgreSQL store (used when `DATABASE_URL` is set); several server instances may share it.
 *
 * @example
 * const store = createPostgresStore({ url: process.env.DATABASE_URL! });
 * await store.migrate();
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const sql = postgres(options.url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    // JIT compilation costs ~0.5 s on the dashboard's aggregates and gains nothing on short queries.
    connection: { jit: 'off' },
    // int8 columns hold epoch milliseconds, well inside Number's exact range.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  });

  const visitorHandoffs = async (q: VisitorQuery): Promise<Row[]> =>
    'email' in q
      ? await sql`select * from handoffs where email_key = ${q.email.toLowerCase()}`
      : await sql`select * from handoffs where anonymous_id = ${q.anonymousId}`;
  const visitorAnonymousIds = (q: VisitorQuery, handoffs: Row[]): string[] => {
    const ids = new Set<string>();
    if ('anonymousId' in q) ids.add(q.anonymousId);
    for (const h of handoffs) if (typeof h.anonymous_id === 'string') ids.add(h.anonymous_id);
    return [...ids];
  };

  return {
    kind: 'postgres',
    async migrate() {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
        await tx`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at bigint not null)`;
        const applied = new Set(
          (await tx`select version from schema_migrations`).map((r) => Number(r.version)),
        );
        let count = 0;
        for (const m of postgresMigrations) {
          if (applied.has(m.version)) continue;
          await tx.unsafe(m.sql);
          await tx`insert into schema_migrations (version, name, applied_at) values (${m.version}, ${m.name}, ${Date.now()})`;
          count++;
        }
        return count;
      });
    },
    async insertEvents(rows) {
      if (rows.length === 0) return { accepted: 0, duplicates: 0 };
      // One statement per batch: unnest turns column arrays into rows (atomic, one round trip).
      // The inserted rows' sessions are marked for the dashboard's pre-aggregation in the same statement.
      const [inserted] = await sql`
        with ins as (
        insert into events (id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash)
        select u.id, u.site_key, u.type, u.ts, u.received_at, u.session_id, u.anonymous_id,
          u.conversation_id, u.user_id, u.props::jsonb, u.client_hash
        from unnest(
          ${rows.map((e) => e.id)}::text[], ${rows.map((e) => e.siteKey)}::text[],
          ${rows.map((e) => e.type)}::text[], ${rows.map((e) => String(e.ts))}::int8[],
          ${rows.map((e) => String(e.receivedAt))}::int8[], ${rows.map((e) => e.sessionId)}::text[],
          ${rows.map((e) => e.anonymousId)}::text[], ${rows.map((e) => e.conversationId)}::text[],
          ${rows.map((e) => e.userId)}::text[], ${rows.map((e) => JSON.stringify(e.props))}::text[],
          ${rows.map((e) => e.clientHash)}::text[])
          as u(id, site_key, type, ts, received_at, session_id, anonymous_id, conversation_id, user_id, props, client_hash)
        on conflict (id) do nothing
        returning site_key, session_id),
        dirty as (
          insert into derive_dirty (site_key, session_id, gen)
          select distinct site_key, session_id, 1 from ins
          on conflict (site_key, session_id) do update set gen = derive_dirty.gen + 1)
        select count(*)::int as n from ins`;
      const accepted = Number(inserted?.n ?? 0);
      return { accepted, duplicates: rows.length - accepted };
    },
    async listEvents(options = {}) {
      const limit = options.limit ?? 1000;
      const rows =
        options.siteKey === undefined
          ? await sql`select * from events order by received_at, id limit ${limit}`
          : await sql`select * from events where site_key = ${options.siteKey} order by received_at, id limit ${limit}`;
      return rows.map(eventFromRow);
    },
    async hasEvents(ids) {
      if (ids.length === 0) return new Set();
      const rows = await sql`select id from events where id = any(${[...ids]}::text[])`;
      return new Set(rows.map((r) => str(r.id)));
    },
    async countEvents(siteKey) {
      const [r] =
        siteKey === undefined
          ? await sql`select count(*)::int as n from events`
          : await sql`select count(*)::int as n from events where site_key = ${siteKey}`;
      return Number(r?.n ?? 0);
    },
    async insertHandoff(h) {
      const inserted = await sql`
        insert into handoffs (id, site_key, ticket_id, token_hash, token_nonce, request_hash, email, email_key,
          anonymous_id, session_id, conversation_id, locale, message, transcript, classification, level, topic,
          status, created_at, respond_within_minutes, respond_by, client_hash, user_id)
        values (${h.id}, ${h.siteKey}, ${h.ticketId}, ${h.tokenHash}, ${h.tokenNonce}, ${h.requestHash},
          ${h.email}, ${h.email.toLowerCase()}, ${h.anonymousId}, ${h.sessionId}, ${h.conversationId},
          ${h.locale}, ${h.message}, ${JSON.stringify(h.transcript)}::text::jsonb,
          ${JSON.stringify(h.classification)}::text::jsonb, ${h.level}, ${h.topic}, ${h.status},
          ${String(h.createdAt)}::int8, ${h.respondWithinMinutes}, ${h.respondBy}, ${h.clientHash},
          ${h.userId})
        on conflict (id) do nothing
        returning 1`;
      const [row] = await sql`select * from handoffs where id = ${h.id}`;
      return { inserted: inserted.count === 1, handoff: handoffFromRow(row as Row) };
    },
    async getHandoffByTokenHash(tokenHash) {
      const [row] = await sql`select * from handoffs where token_hash = ${tokenHash}`;
      return row === undefined ? undefined : handoffFromRow(row);
    },
    async listHandoffsOfUser(siteKey, userId, limit) {
      const rows = await sql`
        select * from handoffs where site_key = ${siteKey} and user_id = ${userId}
        order by created_at desc, id limit ${limit}`;
      return rows.map(handoffFromRow);
    },
    async countHandoffs(siteKey) {
      const [r] =
        siteKey === undefined
          ? await sql`select count(*)::int as n from handoffs`
          : await sql`select count(*)::int as n from handoffs where site_key = ${siteKey}`;
      return Number(r?.n ?? 0);
    },
    async setHandoffStatus(id, status) {
      await sql`update handoffs set status = ${status} where id = ${id}`;
    },
    async insertMessage(m) {
      const inserted = await sql`
        insert into messages (id, handoff_id, author, text, ts)
        values (${m.id}, ${m.handoffId}, ${m.from}, ${m.text}, ${String(m.ts)}::int8)
        on conflict (id) do nothing
        returning 1`;
      const [row] = await sql`select * from messages where id = ${m.id}`;
      return { inserted: inserted.count === 1, message: messageFromRow(row as Row) };
    },
    async listMessages(handoffId) {
      const rows =
        await sql`select * from messages where handoff_id = ${handoffId} order by ts, id`;
      return rows.map(messageFromRow);
    },
    async upsertSite(key, settings, now) {
      await sql`
        insert into sites (key, settings, updated_at) values (${key}, ${JSON.stringify(settings)}::text::jsonb, ${String(now)}::int8)
        on conflict (key) do update set settings = excluded.settings, updated_at = excluded.updated_at`;
    },
    async getSite(key) {
      const [row] = await sql`select * from sites where key = ${key}`;
      return row === undefined ? undefined : siteFromRow(row);
    },
    async listSites() {
      return (await sql`select * from sites order by key`).map(siteFromRow);
    },
    async countAgents() {
      const [r] = await sql`select count(*)::int as n from agents`;
      return Number(r?.n ?? 0);
    },
    async insertAgent(a) {
      const inserted = await sql`
        insert into agents (id, email, password_hash, role, created_at)
        values (${a.id}, ${a.email.toLowerCase()}, ${a.passwordHash}, ${a.role}, ${String(a.createdAt)}::int8)
        on conflict (email) do nothing
        returning 1`;
      return inserted.count === 1;
    },
    async getAgentByEmail(email) {
      const [r] = await sql`select * from agents where email = ${email.toLowerCase()}`;
      return r === undefined ? undefined : agentFromRow(r);
    },
    async getAgentById(id) {
      const [r] = await sql`select * from agents where id = ${id}`;
      return r === undefined ? undefined : agentFromRow(r);
    },
    async listAgents() {
      return (await sql`select * from agents order by email`).map(agentFromRow);
    },
    async setAgentPassword(email, passwordHash) {
      const r =
        await sql`update agents set password_hash = ${passwordHash} where email = ${email.toLowerCase()}`;
      return r.count === 1;
    },
    async insertSession(row) {
      await sql`
        insert into agent_sessions (id_hash, agent_id, csrf, created_at, expires_at)
        values (${row.idHash}, ${row.agentId}, ${row.csrf}, ${String(row.createdAt)}::int8, ${String(row.expiresAt)}::int8)`;
    },
    async getSession(idHash, now) {
      const [r] = await sql`
        select s.id_hash, s.agent_id, s.csrf, s.created_at as s_created, s.expires_at, a.*
        from agent_sessions s join agents a on a.id = s.agent_id
        where s.id_hash = ${idHash} and s.expires_at > ${String(now)}::int8`;
      return r === undefined ? undefined : sessionFromRow(r);
    },
    async deleteSession(idHash) {
      await sql`delete from agent_sessions where id_hash = ${idHash}`;
    },
    async deleteExpiredSessions(now) {
      await sql`delete from invitations where expires_at <= ${String(now)}::int8`;
      return (await sql`delete from agent_sessions where expires_at <= ${String(now)}::int8`).count;
    },
    async insertInvitation(row) {
      await sql`
        insert into invitations (token_hash, email, role, kind, created_at, expires_at, used_at)
        values (${row.tokenHash}, ${row.email.toLowerCase()}, ${row.role}, ${row.kind},
          ${String(row.createdAt)}::int8, ${String(row.expiresAt)}::int8,
          ${row.usedAt === null ? null : String(row.usedAt)}::int8)`;
    },
    async getInvitation(tokenHash, now) {
      const [r] = await sql`
        select * from invitations
        where token_hash = ${tokenHash} and used_at is null and expires_at > ${String(now)}::int8`;
      return r === undefined ? undefined : invitationFromRow(r);
    },
    async useInvitation(tokenHash, now) {
      const [r] = await sql`
        update invitations set used_at = ${String(now)}::int8
        where token_hash = ${tokenHash} and used_at is null and expires_at > ${String(now)}::int8
        returning *`;
      return r === undefined ? undefined : invitationFromRow(r);
    },
    async listHandoffs(options = {}) {
      const limit = options.limit ?? 500;
      const site = options.siteKey === undefined ? sql`` : sql`and site_key = ${options.siteKey}`;
      const status = options.status === undefined ? sql`` : sql`and status = ${options.status}`;
      const rows = await sql`
        select * from handoffs where true ${site} ${status}
        order by created_at desc, id limit ${limit}`;
      return rows.map(inboxFromRow);
    },
    async getHandoff(id) {
      const [r] = await sql`select * from handoffs where id = ${id}`;
      return r === undefined ? undefined : inboxFromRow(r);
    },
    async updateHandoff(id, patch: HandoffPatch) {
      const ms = (v: number | null | undefined) =>
        v === null || v === undefined ? null : String(v);
      // coalesce keeps a column when its patch field is absent; a null patch value clears it.
      await sql`
        update handoffs set
          status = coalesce(${patch.status ?? null}, status),
          assignee = case when ${patch.assignee !== undefined} then ${patch.assignee ?? null} else assignee end,
          first_reply_at = case when ${patch.firstReplyAt !== undefined} then ${ms(patch.firstReplyAt)}::int8 else first_reply_at end,
          closed_at = case when ${patch.closedAt !== undefined} then ${ms(patch.closedAt)}::int8 else closed_at end
        where id = ${id}`;
    },
    async listEventsBetween(siteKey, from, to) {
      const rows = await sql`
        select * from events
        where site_key = ${siteKey} and ts >= ${String(from)}::int8 and ts < ${String(to)}::int8
        order by ts, id`;
      return rows.map(eventFromRow);
    },
    async listMetricEvents(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(METRIC_SELECT)} from events
        where site_key = ${siteKey} and ts >= ${String(from)}::int8 and ts < ${String(to)}::int8
        order by ts, id`;
      return rows.map((r) => metricEventFromRow(siteKey, r));
    },
    async listDirtySessions(limit, siteKey) {
      const rows =
        siteKey === undefined
          ? await sql`select site_key, session_id, gen from derive_dirty limit ${limit}`
          : await sql`select site_key, session_id, gen from derive_dirty where site_key = ${siteKey} limit ${limit}`;
      return rows.map((r) => ({
        siteKey: str(r.site_key),
        sessionId: str(r.session_id),
        gen: Number(r.gen),
      }));
    },
    async countDirtySessions(siteKey) {
      const [r] =
        siteKey === undefined
          ? await sql`select count(*)::int as n from derive_dirty`
          : await sql`select count(*)::int as n from derive_dirty where site_key = ${siteKey}`;
      return Number(r?.n ?? 0);
    },
    async listSessionEvents(siteKey, sessionIds) {
      if (sessionIds.length === 0) return [];
      const rows = await sql`
        select ${sql.unsafe(METRIC_SELECT)} from events
        where site_key = ${siteKey} and session_id = any(${sessionIds as string[]}::text[])
        order by ts, id`;
      return rows.map((r) => metricEventFromRow(siteKey, r));
    },
    async replaceDerived(update) {
      const col = <T>(rows: readonly T[], f: (x: T) => unknown) =>
        rows.map((x) => {
          const v = f(x);
          return v === null || v === undefined ? null : String(v);
        }) as string[];
      const ds = update.sessions;
      const cs = update.conversations;
      const fs = update.facts;
      // Contacts whose conversations change: their FCR second contacts are set again below.
      const contacts = new Map<string, Set<string>>();
      const touch = (siteKey: string, contact: string) => {
        const set = contacts.get(siteKey);
        if (set === undefined) contacts.set(siteKey, new Set([contact]));
        else set.add(contact);
      };
      for (const c of cs) touch(c.siteKey, c.contact);
      await sql.begin(async (tx) => {
        if (ds.length > 0) {
          const old = await tx`select distinct d.site_key, d.contact from conversations_derived d
            join unnest(${col(ds, (d) => d.siteKey)}::text[], ${col(ds, (d) => d.sessionId)}::text[])
              as u(site_key, session_id) on d.site_key = u.site_key and d.session_id = u.session_id`;
          for (const r of old) touch(str(r.site_key), str(r.contact));
          await tx`delete from conversations_derived d using unnest(
              ${col(ds, (d) => d.siteKey)}::text[], ${col(ds, (d) => d.sessionId)}::text[]) as u(site_key, session_id)
            where d.site_key = u.site_key and d.session_id = u.session_id`;
          await tx`delete from metric_facts d using unnest(
              ${col(ds, (d) => d.siteKey)}::text[], ${col(ds, (d) => d.sessionId)}::text[]) as u(site_key, session_id)
            where d.site_key = u.site_key and d.session_id = u.session_id`;
        }
        if (cs.length > 0) {
          await tx`
            insert into conversations_derived (site_key, session_id, seq, id, contact, topic, level, started_at,
              last_activity_at, outcome, ended_at, handoff_at, handoff_level, ticket_id, first_reply_at, closed_at,
              reopened, channel, frt_business, hours_key, day)
            select * from unnest(
              ${col(cs, (c) => c.siteKey)}::text[], ${col(cs, (c) => c.sessionId)}::text[],
              ${col(cs, (c) => c.seq)}::int4[], ${col(cs, (c) => c.id)}::text[],
              ${col(cs, (c) => c.contact)}::text[], ${col(cs, (c) => c.topic)}::text[],
              ${col(cs, (c) => c.level)}::float8[], ${col(cs, (c) => c.startedAt)}::int8[],
              ${col(cs, (c) => c.lastActivityAt)}::int8[], ${col(cs, (c) => c.outcome)}::text[],
              ${col(cs, (c) => c.endedAt)}::int8[], ${col(cs, (c) => c.handoffAt)}::int8[],
              ${col(cs, (c) => c.handoffLevel)}::float8[], ${col(cs, (c) => c.ticketId)}::text[],
              ${col(cs, (c) => c.firstReplyAt)}::int8[], ${col(cs, (c) => c.closedAt)}::int8[],
              ${col(cs, (c) => (c.reopened ? 1 : 0))}::int4[], ${col(cs, (c) => c.channel)}::text[],
              ${col(cs, (c) => c.frtBusiness)}::int8[], ${col(cs, (c) => c.hoursKey)}::text[],
              ${col(cs, (c) => c.day)}::text[])
            on conflict do nothing`;
        }
        if (fs.length > 0) {
          await tx`
            insert into metric_facts (site_key, event_id, session_id, type, ts, score, conversation_id, topic,
              text, norm, entry_id, helpful)
            select * from unnest(
              ${col(fs, (f) => f.siteKey)}::text[], ${col(fs, (f) => f.eventId)}::text[],
              ${col(fs, (f) => f.sessionId)}::text[], ${col(fs, (f) => f.type)}::text[],
              ${col(fs, (f) => f.ts)}::int8[], ${col(fs, (f) => f.score)}::float8[],
              ${col(fs, (f) => f.conversationId)}::text[], ${col(fs, (f) => f.topic)}::text[],
              ${col(fs, (f) => f.text)}::text[], ${col(fs, (f) => f.norm)}::text[],
              ${col(fs, (f) => f.entryId)}::text[],
              ${col(fs, (f) => (f.helpful === null ? null : f.helpful ? 1 : 0))}::int4[])
            on conflict do nothing`;
        }
        for (const [siteKey, set] of contacts) {
          const rows = await tx`select ${tx.unsafe(NEXT_CONTACT_SELECT)} from conversations_derived
            where site_key = ${siteKey} and contact = any(${[...set]}::text[])`.values();
          const ns = nextContactChanges(rows);
          if (ns.length === 0) continue;
          await tx`update conversations_derived d set next_topic_at = u.t, next_level_at = u.l,
              next_channel_at = u.c, next_level_channel_at = u.lc
            from unnest(${col(ns, (n) => n.sessionId)}::text[], ${col(ns, (n) => n.seq)}::int4[],
              ${col(ns, (n) => n.topic)}::int8[], ${col(ns, (n) => n.level)}::int8[],
              ${col(ns, (n) => n.channel)}::int8[], ${col(ns, (n) => n.levelChannel)}::int8[])
              as u(session_id, seq, t, l, c, lc)
            where d.site_key = ${siteKey} and d.session_id = u.session_id and d.seq = u.seq`;
        }
        if (ds.length > 0) {
          await tx`delete from derive_dirty d using unnest(
              ${col(ds, (d) => d.siteKey)}::text[], ${col(ds, (d) => d.sessionId)}::text[],
              ${col(ds, (d) => d.gen)}::int8[]) as u(site_key, session_id, gen)
            where d.site_key = u.site_key and d.session_id = u.session_id and d.gen = u.gen`;
        }
      });
    },
    async listStoredConversations(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(CONVERSATION_COLUMNS)} from conversations_derived
        where site_key = ${siteKey} and started_at >= ${String(from)}::int8 and started_at < ${String(to)}::int8`.values();
      return rows.map((r) => storedConversationFromRaw(siteKey, r));
    },
    async summariseDerived(request) {
      const queries = summaryQueries('postgres', request);
      // Each aggregate on its own connection, with room to sort and hash in memory (the default
      // 4 MB spills the outcome counts of a month to disk).
      const run = (q: { text: string; params: unknown[] }) =>
        sql.begin(async (tx) => {
          await tx.unsafe(`set local work_mem = '64MB'`);
          return (await tx.unsafe(q.text, q.params as string[]).values()) as unknown[][];
        });
      const [cube, frt, scores, trendCsat, gaps, ratings] = await Promise.all([
        run(queries.cube),
        run(queries.frt),
        run(queries.scores),
        run(queries.trendCsat),
        run(queries.gaps),
        run(queries.ratings),
      ]);
      return { cube, frt, scores, trendCsat, gaps, ratings };
    },
    async listMetricFacts(siteKey, from, to) {
      const rows = await sql`
        select ${sql.unsafe(FACT_COLUMNS)} from metric_facts
        where site_key = ${siteKey} and ts >= ${String(from)}::int8 and ts < ${String(to)}::int8
        order by ts, event_id`.values();
      return rows.map((r) => metricFactFromRaw(siteKey, r));
    },
    async eventsVersion(siteKey) {
      const [r] = await sql`
        select max(received_at) as newest, min(received_at) as oldest from events where site_key = ${siteKey}`;
      return `${r?.newest ?? ''}:${r?.oldest ?? ''}`;
    },
    async getOrSetMeta(key, value) {
      await sql`insert into meta (key, value) values (${key}, ${value}) on conflict (key) do nothing`;
      const [r] = await sql`select value from meta where key = ${key}`;
      return str(r?.value);
    },
    async deleteMetaByPrefix(prefix, keep) {
      const r =
        await sql`delete from meta where substr(key, 1, ${prefix.length}) = ${prefix} and key <> ${keep}`;
      return r.count;
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
          insert into derive_dirty (site_key, session_id, gen)
          select distinct site_key, session_id, 1 from events where received_at < ${String(cutoff)}::int8
          on conflict (site_key, session_id) do update set gen = derive_dirty.gen + 1`;
        return tx`delete from events where received_at < ${String(cutoff)}::int8`;
      });
      await sql`delete from rate_buckets where updated_at < ${String(cutoff)}::int8`;
      return r.count;
    },
    async exportVisitor(q): Promise<VisitorData> {
      const handoffs = await visitorHandoffs(q);
      const anonymousIds = visitorAnonymousIds(q, handoffs);
      const events =
        anonymousIds.length === 0
          ? []
          : (
              await sql`select * from events where anonymous_id = any(${anonymousIds}::text[]) order by received_at, id`
            ).map(eventFromRow);
      const handoffIds = handoffs.map((h) => str(h.id));
      const messages =
        handoffIds.length === 0
          ? []
          : (
              await sql`select * from messages where handoff_id = any(${handoffIds}::text[]) order by ts, id`
            ).map(messageFromRow);
      return {
        events,
        handoffs: handoffs.map((h) => exportedHandoff(handoffFromRow(h))),
        messages,
      };
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
            insert into derive_dirty (site_key, session_id, gen)
            select distinct site_key, session_id, 1 from events where anonymous_id = any(${anonymousIds}::text[])
            on conflict (site_key, session_id) do update set gen = derive_dirty.gen + 1`;
          events = (await tx`delete from events where anonymous_id = any(${anonymousIds}::text[])`)
            .count;
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
      await sql.end({ timeout: 5 });
    },
  };
}

/** The columns of a metric event: props reduced to {@link METRIC_PROPS} in SQL. */
const METRIC_SELECT = `type, ts, session_id, anonymous_id, conversation_id, user_id, id, received_at,
  props->>'ticketId' as "ticketId", props->>'topic' as topic,
  (props->>'level')::float8 as level, (props->>'helpful')::boolean as helpful,
  props->>'channel' as channel, (props->>'score')::float8 as score,
  props->>'conversationId' as "conversationId", props->>'text' as text,
  props->>'entryId' as "entryId"`;

function metricEventFromRow(siteKey: string, r: Row): EventRow {
  const props: Record<string, unknown> = {};
  for (const k of METRIC_PROPS) if (r[k] !== null && r[k] !== undefined) props[k] = r[k];
  return {
    id: str(r.id),
    siteKey,
    type: str(r.type),
    ts: Number(r.ts),
    receivedAt: Number(r.received_at),
    sessionId: str(r.session_id),
    anonymousId: str(r.anonymous_id),
    conversationId: strOrNull(r.conversation_id),
    userId: strOrNull(r.user_id),
    props,
    clientHash: null,
  };
}
