// The derivation's reads and writes (the DeriveTx of derive-sessions.ts), written once for both
// dialects with Kysely: each step is a few statements over all sessions of a chunk (IN lists, unions
// of index seeks, VALUES lists driving seeks), so a chunk costs a few dozen round trips on
// PostgreSQL whatever its number of sessions.
// SQLite runs it in the writer thread, PostgreSQL in the derivation thread.
import { type Kysely, sql } from 'kysely';
import type { ClaimedSession, DeriveTx, SessionKey } from './derive-sessions.js';
import {
  CONVERSATION_COLUMNS,
  conversationValues,
  FACT_COLUMNS,
  metricFactFromRow,
  NEXT_CONTACT_COLUMNS,
  storedConversationFromRow,
} from './derived-rows.js';
import type { Dialect } from './dialect.js';
import { chunks, type Row, rowReaders, str } from './rows.js';
import type { LotseTables } from './schema.js';
import { before, type FoldState } from './session-fold.js';
import { type EventRow, METRIC_PROPS, type Store, type StoredConversation } from './store.js';

// Rows or subqueries per statement: under SQLite's 500 terms of a compound select, and well under
// both dialects' limits on bound parameters.
const PER_STATEMENT = 100;

// Sessions whose events one statement reads: SQLite sorts each session's rows in a union of a
// hundred seeks more slowly than in a few short ones (about a third of a derivation's time, measured).
const EVENT_SEEKS = 20;

const keyOf = (siteKey: string, sessionId: string) => `${siteKey}\u0000${sessionId}`;

/** Groups items by site, keeping their index in `items`. */
function bySite<T extends { siteKey: string }>(items: readonly T[]): Map<string, [T, number][]> {
  const out = new Map<string, [T, number][]>();
  for (const [i, item] of items.entries()) {
    const list = out.get(item.siteKey);
    if (list === undefined) out.set(item.siteKey, [[item, i]]);
    else list.push([item, i]);
  }
  return out;
}

/** The columns of an event that metrics read. */
const METRIC_EVENT_COLUMNS = [
  'id',
  'site_key',
  'type',
  'ts',
  'received_at',
  'session_id',
  'anonymous_id',
  'conversation_id',
  'user_id',
  'props',
] as const;

/** The event with only the metric props. */
function metricEvent(event: EventRow): EventRow {
  const all = event.props as Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const k of METRIC_PROPS) if (all[k] !== undefined && all[k] !== null) props[k] = all[k];
  return { ...event, props, clientHash: null };
}

/** The derivation's statements on one connection of either dialect (call inside a transaction). */
export function createDeriveTx(db: Kysely<LotseTables>, dialect: Dialect): DeriveTx {
  const { json } = dialect;
  const { eventFromRow } = rowReaders(json.read);
  const id = dialect.byCodePoint('id');
  // The sessions' ids, per site.
  const sessionsIn = (keys: readonly SessionKey[]) =>
    [...bySite(keys)].map(([siteKey, list]) => ({
      siteKey,
      sessionIds: [...new Set(list.map(([k]) => k.sessionId))],
    }));

  return {
    async claim(limit, sites) {
      if (sites.length === 0) return [];
      // The marks this snapshot sees, of sessions no other process derives right now; marks stored
      // later stay for the next chunk.
      const rows = await db
        .with('s', (d) =>
          d
            .selectFrom('derive_marks')
            .select(['site_key', 'session_id'])
            .distinct()
            .where('site_key', 'in', sites)
            .limit(limit),
        )
        .with(
          (w) => w('claimed').materialized(),
          (d) =>
            d
              .selectFrom('s')
              .select(['site_key', 'session_id'])
              .$if(dialect.claimable !== null, (q) => q.where(dialect.claimable!)),
        )
        .deleteFrom('derive_marks')
        .where((eb) =>
          eb(
            eb.refTuple('site_key', 'session_id'),
            'in',
            eb
              .selectFrom('claimed')
              .select(['site_key', 'session_id'])
              .$asTuple('site_key', 'session_id'),
          ),
        )
        .returning(['site_key', 'session_id', 'low_ts', 'low_id'])
        .execute();
      // One session may have many marks: the earliest position wins, null (from scratch) above all.
      const out = new Map<string, ClaimedSession>();
      for (const r of rows) {
        const low = r.low_ts === null ? null : { ts: Number(r.low_ts), id: str(r.low_id) };
        const key = keyOf(r.site_key, r.session_id);
        const had = out.get(key);
        if (had === undefined) out.set(key, { siteKey: r.site_key, sessionId: r.session_id, low });
        else if (had.low !== null && (low === null || before(low, had.low))) had.low = low;
      }
      return [...out.values()];
    },
    async states(keys) {
      const found = new Map<string, FoldState>();
      for (const { siteKey, sessionIds } of sessionsIn(keys)) {
        for (const ids of chunks(sessionIds, 500)) {
          const rows = await db
            .selectFrom('derive_state')
            .select(['session_id', 'state'])
            .where('site_key', '=', siteKey)
            .where('session_id', 'in', ids)
            .execute();
          for (const r of rows)
            found.set(keyOf(siteKey, r.session_id), json.read(r.state) as FoldState);
        }
      }
      return keys.map((k) => found.get(keyOf(k.siteKey, k.sessionId)));
    },
    async clear(keys) {
      const out = [];
      for (const { siteKey, sessionIds } of sessionsIn(keys)) {
        for (const ids of chunks(sessionIds, 500)) {
          const rows = await db
            .deleteFrom('conversations_derived')
            .where('site_key', '=', siteKey)
            .where('session_id', 'in', ids)
            .returning(CONVERSATION_COLUMNS)
            .execute();
          out.push(...rows.map((r) => storedConversationFromRow(siteKey, r)));
          for (const table of ['metric_facts', 'derive_links', 'derive_state'] as const) {
            await db
              .deleteFrom(table)
              .where('site_key', '=', siteKey)
              .where('session_id', 'in', ids)
              .execute();
          }
        }
      }
      return out;
    },
    async events(requests, limit) {
      const out: EventRow[][] = requests.map(() => []);
      const columns = sql.join(METRIC_EVENT_COLUMNS.map((c) => sql.ref(c)));
      for (const part of chunks(
        requests.map((r, i) => ({ ...r, i })),
        EVENT_SEEKS,
      )) {
        // One index seek per session, from the last event folded on, by (ts, id).
        const seeks = part.map(({ key, after }) => {
          // One text whether a session was folded before or not, so that SQLite prepares the
          // statement once (sqliteKysely; after null: from the session's first event).
          const ts = sql`cast(${after?.ts ?? null} as bigint)`;
          return sql`select * from (select ${columns} from events
            where site_key = ${key.siteKey} and session_id = ${key.sessionId}
              and ts >= coalesce(${ts}, cast(${Number.MIN_SAFE_INTEGER} as bigint))
              and (${ts} is null or ts > ${ts} or ${id} > cast(${after?.id ?? null} as text))
            order by ts, ${id} limit ${limit}) as e`;
        });
        const index = new Map(part.map((r) => [keyOf(r.key.siteKey, r.key.sessionId), r.i]));
        const { rows } = await sql<Row>`${sql.join(seeks, sql` union all `)}`.execute(db);
        for (const r of rows) {
          const i = index.get(keyOf(str(r.site_key), str(r.session_id)))!;
          out[i]!.push(metricEvent(eventFromRow(r)));
        }
      }
      // A union keeps no order: each session's events by (ts, id) again.
      for (const list of out) list.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      return out;
    },
    async links(requests) {
      const out = requests.map(() => new Map<string, number>());
      const asked = requests.flatMap((r, i) => (r.keys.length === 0 ? [] : [{ ...r, i }]));
      for (const [siteKey, list] of bySite(asked.map((r) => ({ ...r, siteKey: r.key.siteKey })))) {
        const index = new Map(list.map(([r]) => [r.key.sessionId, r.i]));
        for (const part of chunks(list, PER_STATEMENT)) {
          const pairs = part.flatMap(([r]) => r.keys.map((k) => [r.key.sessionId, k] as const));
          const rows = await db
            .selectFrom('derive_links')
            .select(['session_id', 'key', 'seq'])
            .where('site_key', '=', siteKey)
            .where((eb) =>
              eb(
                eb.refTuple('session_id', 'key'),
                'in',
                pairs.map(([sessionId, k]) => eb.tuple(sessionId, k)),
              ),
            )
            .execute();
          for (const r of rows) out[index.get(r.session_id)!]!.set(r.key, Number(r.seq));
        }
      }
      return out;
    },
    async conversations(requests) {
      const out: StoredConversation[][] = requests.map(() => []);
      const asked = requests.flatMap((r, i) =>
        r.seqs.length === 0 && r.from === null ? [] : [{ ...r, i }],
      );
      const columns = sql.join(['site_key', ...CONVERSATION_COLUMNS].map((c) => sql.ref(c)));
      for (const part of chunks(asked, PER_STATEMENT)) {
        // One index seek per session (an OR of them would scan the site's rows).
        const seeks = part.map(({ key, seqs, from }) => {
          const which = [
            ...(seqs.length === 0 ? [] : [sql`seq in (${sql.join(seqs)})`]),
            ...(from === null ? [] : [sql`seq >= ${from}`]),
          ];
          return sql`select ${columns} from conversations_derived
            where site_key = ${key.siteKey} and session_id = ${key.sessionId}
            and (${sql.join(which, sql` or `)})`;
        });
        const index = new Map(part.map((r) => [keyOf(r.key.siteKey, r.key.sessionId), r.i]));
        const { rows } = await sql<Row>`${sql.join(seeks, sql` union all `)}`.execute(db);
        for (const r of rows) {
          const i = index.get(keyOf(str(r.site_key), str(r.session_id)))!;
          out[i]!.push(storedConversationFromRow(str(r.site_key), r));
        }
      }
      return out;
    },
    async write(results) {
      const conversations = results.flatMap((r) => r.fold.conversations.map(conversationValues));
      for (const part of chunks(conversations, PER_STATEMENT)) {
        await db
          .insertInto('conversations_derived')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['site_key', 'session_id', 'seq']).doUpdateSet((eb) => {
              const set: Record<string, unknown> = {};
              for (const c of CONVERSATION_COLUMNS) {
                if (c !== 'session_id' && c !== 'seq') set[c] = eb.ref(`excluded.${c}`);
              }
              return set;
            }),
          )
          .execute();
      }
      const links = results.flatMap((r) =>
        [...r.fold.links].map(([key, seq]) => ({
          site_key: r.key.siteKey,
          session_id: r.key.sessionId,
          key,
          seq,
        })),
      );
      for (const part of chunks(links, 500)) {
        await db
          .insertInto('derive_links')
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(['site_key', 'session_id', 'key'])
              .doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq') })),
          )
          .execute();
      }
      const facts = results.flatMap((r) =>
        r.fold.facts.map((f) => ({
          site_key: f.siteKey,
          event_id: f.eventId,
          session_id: f.sessionId,
          type: f.type,
          ts: f.ts,
          score: f.score,
          conversation_id: f.conversationId,
          topic: f.topic,
          text: f.text,
          norm: f.norm,
          entry_id: f.entryId,
          helpful: f.helpful === null ? null : f.helpful ? 1 : 0,
          kb_version: f.kbVersion,
          locale: f.locale,
        })),
      );
      for (const part of chunks(facts, PER_STATEMENT)) {
        await db
          .insertInto('metric_facts')
          .values(part)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const states = results.map((r) => ({
        site_key: r.key.siteKey,
        session_id: r.key.sessionId,
        state: json.write(r.fold.state),
      }));
      for (const part of chunks(states, 500)) {
        await db
          .insertInto('derive_state')
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(['site_key', 'session_id'])
              .doUpdateSet((eb) => ({ state: eb.ref('excluded.state') })),
          )
          .execute();
      }
    },
    async mark(requests) {
      for (const part of chunks(requests, 500)) {
        await db
          .insertInto('derive_marks')
          .values(
            part.map((r) => ({
              site_key: r.key.siteKey,
              session_id: r.key.sessionId,
              low_ts: r.low.ts,
              low_id: r.low.id,
            })),
          )
          .execute();
      }
    },
    async previousStarts(siteKey, groups) {
      const out: (number | null)[] = [];
      for (const part of chunks(groups, 500)) {
        // Per group, the latest start before the bound in each grouping (by topic; topic and level;
        // topic and channel; all three), each an index seek from the bound down. The groups are a
        // VALUES list: one statement, planned once however many groups it holds.
        const groupRows = part.map(
          (g, i) => sql`(cast(${i} as integer), cast(${g.contact} as text),
            cast(${g.before} as bigint), cast(${g.topic} as text),
            cast(${g.level} as double precision), cast(${g.channel} as text))`,
        );
        const latest = (level: boolean, channel: boolean) =>
          sql`(select c.started_at from conversations_derived c where c.site_key = ${siteKey}
            and c.contact = u.contact and c.started_at < u.before
            and c.topic is not distinct from u.topic
            ${level ? sql`and c.level is not distinct from u.level` : sql``}
            ${channel ? sql`and c.channel = u.channel` : sql``}
            order by c.started_at desc limit 1)`;
        const { rows } = await sql<Row>`with u (i, contact, before, topic, level, channel) as
            (values ${sql.join(groupRows)})
          select u.i, ${latest(false, false)} as a, ${latest(true, false)} as b,
            ${latest(false, true)} as c, ${latest(true, true)} as d
          from u`.execute(db);
        const found = new Map<number, number | null>();
        for (const r of rows) {
          const starts = [r.a, r.b, r.c, r.d].filter((v) => v !== null).map(Number);
          found.set(Number(r.i), starts.length === 0 ? null : Math.min(...starts));
        }
        out.push(...part.map((_, i) => found.get(i) ?? null));
      }
      return out;
    },
    async contactRows(siteKey, requests) {
      const asked = requests.flatMap((r) => r.topics.map((topic) => ({ ...r, topic })));
      const columns = sql.join(NEXT_CONTACT_COLUMNS.map((c) => sql.ref(`c.${c}`)));
      const out: Row[] = [];
      for (const part of chunks(asked, 500)) {
        const askedRows = part.map(
          (r) =>
            sql`(cast(${r.contact} as text), cast(${r.from} as bigint), cast(${r.topic} as text))`,
        );
        // One index seek per contact and topic: the VALUES list drives (cross join keeps SQLite
        // from scanning the site's conversations instead).
        const { rows } =
          await sql<Row>`with u (contact, since, topic) as (values ${sql.join(askedRows)})
          select ${columns} from u cross join conversations_derived c
          where c.site_key = ${siteKey} and c.contact = u.contact and c.started_at >= u.since
            and c.topic is not distinct from u.topic`.execute(db);
        out.push(...rows);
      }
      return out;
    },
    async setNext(siteKey, changes) {
      for (const part of chunks(changes, 500)) {
        // Casts, so PostgreSQL types the values' columns (SQLite keeps the values as they are).
        const values = part.map(
          (
            n,
          ) => sql`(cast(${n.sessionId} as text), cast(${n.seq} as integer), cast(${n.topic} as bigint),
            cast(${n.level} as bigint), cast(${n.channel} as bigint), cast(${n.levelChannel} as bigint))`,
        );
        // The changed rows joined by key to their row of the values, one each (a change per
        // conversation). A subquery per row scanned the values once for each row instead: 40 ms
        // for 500 changes on PostgreSQL, 20–25 ms joined. The `in` keeps SQLite, which has no
        // statistics, on key lookups: joined alone, from about 40 changes on it read every
        // conversation of the site.
        await sql`with u (session_id, seq, t, l, c, lc) as (values ${sql.join(values)})
          update conversations_derived
          set next_topic_at = u.t, next_level_at = u.l, next_channel_at = u.c,
            next_level_channel_at = u.lc
          from u
          where conversations_derived.site_key = ${siteKey}
            and (conversations_derived.session_id, conversations_derived.seq)
              in (select session_id, seq from u)
            and conversations_derived.session_id = u.session_id
            and conversations_derived.seq = u.seq`.execute(db);
      }
    },
  };
}

/** The store's reads of derived data and dirty marks, for the dashboard. */
export function createDerivedReads(
  db: Kysely<LotseTables>,
): Pick<
  Store,
  'dirtySites' | 'countDirtySessions' | 'listStoredConversations' | 'listMetricFacts'
> {
  return {
    async dirtySites() {
      const rows = await db.selectFrom('derive_marks').select('site_key').distinct().execute();
      return rows.map((r) => r.site_key);
    },
    async countDirtySessions(siteKey) {
      const sessions = db
        .selectFrom('derive_marks')
        .select(['site_key', 'session_id'])
        .distinct()
        .$if(siteKey !== undefined, (q) => q.where('site_key', '=', siteKey!));
      const r = await db
        .selectFrom(sessions.as('d'))
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async listStoredConversations(siteKey, from, to) {
      const rows = await db
        .selectFrom('conversations_derived')
        .select(CONVERSATION_COLUMNS)
        .where('site_key', '=', siteKey)
        .where('started_at', '>=', from)
        .where('started_at', '<', to)
        .execute();
      return rows.map((r) => storedConversationFromRow(siteKey, r));
    },
    async listMetricFacts(siteKey, from, to) {
      const rows = await db
        .selectFrom('metric_facts')
        .select(FACT_COLUMNS)
        .where('site_key', '=', siteKey)
        .where('ts', '>=', from)
        .where('ts', '<', to)
        .orderBy('ts')
        .orderBy('event_id')
        .execute();
      return rows.map((r) => metricFactFromRow(siteKey, r));
    },
  };
}
