// The DeriveTx of SQLite (see derive-sessions.ts), run in the writer thread on its connection, so
// derivation never holds the HTTP event loop and never races the event inserts it reads.
import type Database from 'better-sqlite3';
import type { DeriveTx, SessionKey } from './derive-sessions.js';
import {
  CONVERSATION_COLUMNS,
  NEXT_CONTACT_SELECT,
  storedConversationFromRaw,
} from './derived-rows.js';
import { str, strOrNull } from './rows.js';
import type { FoldState } from './session-fold.js';
import { type EventRow, METRIC_PROPS } from './store.js';

/** Columns of a metric event, in the order {@link metricEventFromRaw} reads them. */
export const METRIC_COLUMNS =
  'type, ts, session_id, anonymous_id, conversation_id, user_id, id, received_at, props';

/** A row of {@link METRIC_COLUMNS} as an event with only the metric props. */
export function metricEventFromRaw(siteKey: string, r: unknown[]): EventRow {
  const all = JSON.parse(str(r[8])) as Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const k of METRIC_PROPS) if (all[k] !== undefined) props[k] = all[k];
  return {
    id: str(r[6]),
    siteKey,
    type: str(r[0]),
    ts: Number(r[1]),
    receivedAt: Number(r[7]),
    sessionId: str(r[2]),
    anonymousId: str(r[3]),
    conversationId: strOrNull(r[4]),
    userId: strOrNull(r[5]),
    props,
    clientHash: null,
  };
}

/**
 * Merges a dirty mark into one already stored: one more change, and the earlier of the two
 * positions (null, "from scratch", wins).
 */
export const SQLITE_MARK_MERGE = `gen = gen + 1,
  low_ts = case when low_ts is null or excluded.low_ts is null then null
    when excluded.low_ts < low_ts or (excluded.low_ts = low_ts and excluded.low_id < low_id) then excluded.low_ts
    else low_ts end,
  low_id = case when low_ts is null or excluded.low_ts is null then null
    when excluded.low_ts < low_ts or (excluded.low_ts = low_ts and excluded.low_id < low_id) then excluded.low_id
    else low_id end`;

/** The derivation's statements on one SQLite connection (call inside a transaction). */
export function createSqliteDeriveTx(db: Database.Database): DeriveTx {
  const claim = db
    .prepare(
      `delete from derive_dirty where rowid in (select rowid from derive_dirty
         where site_key in (select value from json_each(?)) limit ?)
       returning site_key, session_id, low_ts, low_id`,
    )
    .raw(true);
  const state = db
    .prepare('select state from derive_state where site_key = ? and session_id = ?')
    .pluck();
  const conversationsOf = db
    .prepare(
      `select ${CONVERSATION_COLUMNS} from conversations_derived where site_key = ? and session_id = ?`,
    )
    .raw(true);
  const clear = ['conversations_derived', 'metric_facts', 'derive_links', 'derive_state'].map((t) =>
    db.prepare(`delete from ${t} where site_key = ? and session_id = ?`),
  );
  const eventsFrom = db
    .prepare(
      `select ${METRIC_COLUMNS} from events indexed by events_site_session
       where site_key = ? and session_id = ? order by ts, id limit ?`,
    )
    .raw(true);
  const eventsAfter = db
    .prepare(
      `select ${METRIC_COLUMNS} from events indexed by events_site_session
       where site_key = ? and session_id = ? and ts >= ? and (ts > ? or id > ?) order by ts, id limit ?`,
    )
    .raw(true);
  const links = db
    .prepare(
      `select key, seq from derive_links where site_key = ? and session_id = ?
         and key in (select value from json_each(?))`,
    )
    .raw(true);
  const bySeq = db
    .prepare(
      `select ${CONVERSATION_COLUMNS} from conversations_derived where site_key = ? and session_id = ?
         and seq in (select value from json_each(?))`,
    )
    .raw(true);
  const fromSeq = db
    .prepare(
      `select ${CONVERSATION_COLUMNS} from conversations_derived where site_key = ? and session_id = ?
         and seq >= ?`,
    )
    .raw(true);
  const upsertConversation = db.prepare(
    `insert into conversations_derived (site_key, session_id, seq, id, contact, topic, level, started_at,
       last_activity_at, outcome, ended_at, handoff_at, handoff_level, ticket_id, first_reply_at, closed_at,
       reopened, channel, frt_business, hours_key, day)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (site_key, session_id, seq) do update set id = excluded.id, contact = excluded.contact,
       topic = excluded.topic, level = excluded.level, started_at = excluded.started_at,
       last_activity_at = excluded.last_activity_at, outcome = excluded.outcome, ended_at = excluded.ended_at,
       handoff_at = excluded.handoff_at, handoff_level = excluded.handoff_level, ticket_id = excluded.ticket_id,
       first_reply_at = excluded.first_reply_at, closed_at = excluded.closed_at, reopened = excluded.reopened,
       channel = excluded.channel, frt_business = excluded.frt_business, hours_key = excluded.hours_key,
       day = excluded.day`,
  );
  const upsertLink = db.prepare(
    `insert into derive_links (site_key, session_id, key, seq) values (?, ?, ?, ?)
     on conflict (site_key, session_id, key) do update set seq = excluded.seq`,
  );
  const insertFact = db.prepare(
    `insert into metric_facts (site_key, event_id, session_id, type, ts, score, conversation_id, topic,
       text, norm, entry_id, helpful)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
  const upsertState = db.prepare(
    `insert into derive_state (site_key, session_id, state) values (?, ?, ?)
     on conflict (site_key, session_id) do update set state = excluded.state`,
  );
  const mark = db.prepare(
    `insert into derive_dirty (site_key, session_id, gen, low_ts, low_id) values (?, ?, 1, ?, ?)
     on conflict (site_key, session_id) do update set ${SQLITE_MARK_MERGE}`,
  );
  // The latest start before the bound in each grouping, each an index seek from the bound down;
  // `is` also matches null.
  const latest = (extra: string) =>
    `select (select started_at from conversations_derived where site_key = @site and contact = @contact
       and started_at < @before and topic is @topic${extra} order by started_at desc limit 1) as p`;
  const previous = db
    .prepare(
      `select min(p) from (${latest('')} union all ${latest(' and level is @level')}
         union all ${latest(' and channel = @channel')} union all ${latest(' and level is @level and channel = @channel')})`,
    )
    .pluck();
  const contactRows = db
    .prepare(
      `select ${NEXT_CONTACT_SELECT} from conversations_derived
       where site_key = ? and contact = ? and started_at >= ?
         and (topic in (select value from json_each(?)) or (? = 1 and topic is null))`,
    )
    .raw(true);
  const setNext = db.prepare(
    `update conversations_derived set next_topic_at = ?, next_level_at = ?, next_channel_at = ?,
       next_level_channel_at = ? where site_key = ? and session_id = ? and seq = ?`,
  );
  const at = (k: SessionKey) => [k.siteKey, k.sessionId] as const;

  return {
    async claim(limit, sites) {
      return (claim.all(JSON.stringify(sites), limit) as unknown[][]).map((r) => ({
        siteKey: str(r[0]),
        sessionId: str(r[1]),
        low: r[2] === null ? null : { ts: Number(r[2]), id: str(r[3]) },
      }));
    },
    async states(keys) {
      return keys.map((k) => {
        const s = state.get(...at(k)) as string | undefined;
        return s === undefined ? undefined : (JSON.parse(s) as FoldState);
      });
    },
    async clear(keys) {
      const out = keys.flatMap((k) =>
        (conversationsOf.all(...at(k)) as unknown[][]).map((r) =>
          storedConversationFromRaw(k.siteKey, r),
        ),
      );
      for (const k of keys) for (const stmt of clear) stmt.run(...at(k));
      return out;
    },
    async events(requests, limit) {
      return requests.map(({ key, after }) => {
        const rows = (
          after === null
            ? eventsFrom.all(...at(key), limit)
            : eventsAfter.all(...at(key), after.ts, after.ts, after.id, limit)
        ) as unknown[][];
        return rows.map((r) => metricEventFromRaw(key.siteKey, r));
      });
    },
    async links(requests) {
      return requests.map(({ key, keys }) =>
        keys.length === 0
          ? new Map<string, number>()
          : new Map(
              (links.all(...at(key), JSON.stringify(keys)) as unknown[][]).map((r) => [
                str(r[0]),
                Number(r[1]),
              ]),
            ),
      );
    },
    async conversations(requests) {
      return requests.map(({ key, seqs, from }) => {
        const rows =
          seqs.length === 0 ? [] : (bySeq.all(...at(key), JSON.stringify(seqs)) as unknown[][]);
        if (from !== null) rows.push(...(fromSeq.all(...at(key), from) as unknown[][]));
        return rows.map((r) => storedConversationFromRaw(key.siteKey, r));
      });
    },
    async write(results) {
      for (const { key, fold } of results) {
        for (const c of fold.conversations) {
          upsertConversation.run(
            c.siteKey,
            c.sessionId,
            c.seq,
            c.id,
            c.contact,
            c.topic,
            c.level,
            c.startedAt,
            c.lastActivityAt,
            c.outcome,
            c.endedAt,
            c.handoffAt,
            c.handoffLevel,
            c.ticketId,
            c.firstReplyAt,
            c.closedAt,
            c.reopened ? 1 : 0,
            c.channel,
            c.frtBusiness,
            c.hoursKey,
            c.day,
          );
        }
        for (const [k, seq] of fold.links) upsertLink.run(...at(key), k, seq);
        for (const f of fold.facts) {
          insertFact.run(
            f.siteKey,
            f.eventId,
            f.sessionId,
            f.type,
            f.ts,
            f.score,
            f.conversationId,
            f.topic,
            f.text,
            f.norm,
            f.entryId,
            f.helpful === null ? null : f.helpful ? 1 : 0,
          );
        }
        upsertState.run(...at(key), JSON.stringify(fold.state));
      }
    },
    async mark(requests) {
      for (const { key, low } of requests) mark.run(...at(key), low.ts, low.id);
    },
    async previousStarts(siteKey, groups) {
      return groups.map((g) => {
        const v = previous.get({
          site: siteKey,
          contact: g.contact,
          before: g.before,
          topic: g.topic,
          level: g.level,
          channel: g.channel,
        });
        return v === undefined || v === null ? null : Number(v);
      });
    },
    async contactRows(siteKey, requests) {
      return requests.flatMap((r) => {
        const named = r.topics.filter((t): t is string => t !== null);
        return contactRows.all(
          siteKey,
          r.contact,
          r.from,
          JSON.stringify(named),
          named.length < r.topics.length ? 1 : 0,
        ) as unknown[][];
      });
    },
    async setNext(siteKey, changes) {
      for (const n of changes)
        setNext.run(n.topic, n.level, n.channel, n.levelChannel, siteKey, n.sessionId, n.seq);
    },
  };
}
