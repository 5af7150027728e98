// The DeriveTx of PostgreSQL (see derive-sessions.ts): each step is one statement over all sessions
// of a chunk (unnest), so a chunk costs a dozen round trips whatever its number of sessions.
import type postgres from 'postgres';
import type { ClaimedSession, DeriveTx } from './derive-sessions.js';
import {
  CONVERSATION_COLUMNS,
  NEXT_CONTACT_SELECT,
  storedConversationFromRaw,
} from './derived-rows.js';
import { type Row, str, strOrNull } from './rows.js';
import { before, type FoldState } from './session-fold.js';
import { type EventRow, METRIC_PROPS, type StoredConversation } from './store.js';

/** The metric props extracted in SQL, so the rest of each event's JSON is never sent. */
export const METRIC_SELECT = `type, ts, session_id, anonymous_id, conversation_id, user_id, id, received_at,
  props->>'ticketId' as "ticketId", props->>'topic' as topic,
  (props->>'level')::float8 as level, (props->>'helpful')::boolean as helpful,
  props->>'channel' as channel, (props->>'score')::float8 as score,
  props->>'conversationId' as "conversationId", props->>'text' as text,
  props->>'entryId' as "entryId"`;

/** A row of {@link METRIC_SELECT} as an event with only the metric props. */
export function metricEventFromRow(siteKey: string, r: Row): EventRow {
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

/** Column arrays for unnest: null stays null, everything else is sent as text. */
const col = <T>(rows: readonly T[], f: (x: T) => unknown) =>
  rows.map((x) => {
    const v = f(x);
    return v === null || v === undefined ? null : String(v);
  }) as string[];

/** The derivation's statements inside one PostgreSQL transaction. */
export function createPostgresDeriveTx(tx: postgres.TransactionSql): DeriveTx {
  const keys = (ks: readonly { siteKey: string; sessionId: string }[]) => [
    col(ks, (k) => k.siteKey),
    col(ks, (k) => k.sessionId),
  ];
  return {
    async claim(limit, sites) {
      // The marks this snapshot sees, of sessions no other instance derives right now (the lock
      // goes with the transaction); marks stored later stay for the next chunk.
      const rows = await tx`with s as (
          select distinct site_key, session_id from derive_marks
          where site_key = any(${sites as string[]}::text[]) limit ${limit}),
        locked as materialized (select s.site_key, s.session_id from s
          where pg_try_advisory_xact_lock(hashtextextended(s.site_key || ' ' || s.session_id, 0)))
        delete from derive_marks m using locked l
        where m.site_key = l.site_key and m.session_id = l.session_id
        returning m.site_key, m.session_id, m.low_ts, m.low_id`;
      const out = new Map<string, ClaimedSession>();
      for (const r of rows) {
        const key = `${str(r.site_key)}\u0000${str(r.session_id)}`;
        const low = r.low_ts === null ? null : { ts: Number(r.low_ts), id: str(r.low_id) };
        const had = out.get(key);
        if (had === undefined)
          out.set(key, { siteKey: str(r.site_key), sessionId: str(r.session_id), low });
        else if (had.low !== null && (low === null || before(low, had.low))) had.low = low;
      }
      return [...out.values()];
    },
    async states(ks) {
      const [sk, sid] = keys(ks);
      const rows = await tx`select u.i, s.state from unnest(${sk!}::text[], ${sid!}::text[])
          with ordinality as u(sk, sid, i)
        join derive_state s on s.site_key = u.sk and s.session_id = u.sid`;
      const out: (FoldState | undefined)[] = ks.map(() => undefined);
      for (const r of rows) out[Number(r.i) - 1] = r.state as FoldState;
      return out;
    },
    async clear(ks) {
      const [sk, sid] = keys(ks);
      const rows = await tx`delete from conversations_derived d
        using unnest(${sk!}::text[], ${sid!}::text[]) as u(sk, sid)
        where d.site_key = u.sk and d.session_id = u.sid
        returning d.site_key, ${tx.unsafe(CONVERSATION_COLUMNS)}`.values();
      for (const table of ['metric_facts', 'derive_links', 'derive_state']) {
        await tx`delete from ${tx(table)} d using unnest(${sk!}::text[], ${sid!}::text[]) as u(sk, sid)
          where d.site_key = u.sk and d.session_id = u.sid`;
      }
      return rows.map((r) => storedConversationFromRaw(str(r[0]), r.slice(1)));
    },
    async events(requests, limit) {
      const ks = requests.map((r) => r.key);
      const [sk, sid] = keys(ks);
      const rows = await tx`select u.i, ${tx.unsafe(METRIC_SELECT)}
        from unnest(${sk!}::text[], ${sid!}::text[], ${col(requests, (r) => r.after?.ts)}::int8[],
          ${col(requests, (r) => r.after?.id)}::text[]) with ordinality as u(sk, sid, ats, aid, i)
        cross join lateral (select * from events e where e.site_key = u.sk and e.session_id = u.sid
          and (u.ats is null or e.ts > u.ats or (e.ts = u.ats and e.id collate "C" > u.aid collate "C"))
          and e.ts >= coalesce(u.ats, -9223372036854775808)
          order by e.ts, e.id collate "C" limit ${limit}) e
        order by u.i, e.ts, e.id collate "C"`;
      const out: EventRow[][] = requests.map(() => []);
      for (const r of rows) {
        const i = Number(r.i) - 1;
        out[i]!.push(metricEventFromRow(requests[i]!.key.siteKey, r));
      }
      return out;
    },
    async links(requests) {
      const flat = requests.flatMap((r, i) => r.keys.map((key) => ({ ...r.key, key, i })));
      const out = requests.map(() => new Map<string, number>());
      if (flat.length === 0) return out;
      const [sk, sid] = keys(flat);
      const rows = await tx`select u.i, l.key, l.seq from unnest(${sk!}::text[], ${sid!}::text[],
          ${col(flat, (f) => f.key)}::text[], ${col(flat, (f) => f.i)}::int4[]) as u(sk, sid, key, i)
        join derive_links l on l.site_key = u.sk and l.session_id = u.sid and l.key = u.key`;
      for (const r of rows) out[Number(r.i)]!.set(str(r.key), Number(r.seq));
      return out;
    },
    async conversations(requests) {
      const bySeq = requests.flatMap((r, i) => r.seqs.map((seq) => ({ ...r.key, seq, i })));
      const from = requests.flatMap((r, i) =>
        r.from === null ? [] : [{ ...r.key, from: r.from, i }],
      );
      const out: StoredConversation[][] = requests.map(() => []);
      if (bySeq.length === 0 && from.length === 0) return out;
      const [sk, sid] = keys(bySeq);
      const [fk, fid] = keys(from);
      const rows = await tx`select u.i, d.site_key, ${tx.unsafe(CONVERSATION_COLUMNS)}
        from unnest(${sk!}::text[], ${sid!}::text[], ${col(bySeq, (b) => b.seq)}::int4[],
          ${col(bySeq, (b) => b.i)}::int4[]) as u(sk, sid, useq, i)
        join conversations_derived d on d.site_key = u.sk and d.session_id = u.sid and d.seq = u.useq
        union all
        select u.i, d.site_key, ${tx.unsafe(CONVERSATION_COLUMNS)}
        from unnest(${fk!}::text[], ${fid!}::text[], ${col(from, (f) => f.from)}::int4[],
          ${col(from, (f) => f.i)}::int4[]) as u(sk, sid, useq, i)
        join conversations_derived d on d.site_key = u.sk and d.session_id = u.sid and d.seq >= u.useq`.values();
      for (const r of rows)
        out[Number(r[0])]!.push(storedConversationFromRaw(str(r[1]), r.slice(2)));
      return out;
    },
    async write(results) {
      const cs = results.flatMap((r) => r.fold.conversations);
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
          on conflict (site_key, session_id, seq) do update set id = excluded.id, contact = excluded.contact,
            topic = excluded.topic, level = excluded.level, started_at = excluded.started_at,
            last_activity_at = excluded.last_activity_at, outcome = excluded.outcome,
            ended_at = excluded.ended_at, handoff_at = excluded.handoff_at,
            handoff_level = excluded.handoff_level, ticket_id = excluded.ticket_id,
            first_reply_at = excluded.first_reply_at, closed_at = excluded.closed_at,
            reopened = excluded.reopened, channel = excluded.channel, frt_business = excluded.frt_business,
            hours_key = excluded.hours_key, day = excluded.day`;
      }
      const ls = results.flatMap((r) =>
        [...r.fold.links].map(([key, seq]) => ({ ...r.key, key, seq })),
      );
      if (ls.length > 0) {
        const [sk, sid] = keys(ls);
        await tx`insert into derive_links (site_key, session_id, key, seq)
          select * from unnest(${sk!}::text[], ${sid!}::text[], ${col(ls, (l) => l.key)}::text[],
            ${col(ls, (l) => l.seq)}::int4[])
          on conflict (site_key, session_id, key) do update set seq = excluded.seq`;
      }
      const fs = results.flatMap((r) => r.fold.facts);
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
      if (results.length > 0) {
        const [sk, sid] = keys(results.map((r) => r.key));
        await tx`insert into derive_state (site_key, session_id, state)
          select u.sk, u.sid, u.state::jsonb from unnest(${sk!}::text[], ${sid!}::text[],
            ${col(results, (r) => JSON.stringify(r.fold.state))}::text[]) as u(sk, sid, state)
          on conflict (site_key, session_id) do update set state = excluded.state`;
      }
    },
    async mark(requests) {
      const [sk, sid] = keys(requests.map((r) => r.key));
      await tx`insert into derive_marks (site_key, session_id, low_ts, low_id)
        select * from unnest(${sk!}::text[], ${sid!}::text[],
          ${col(requests, (r) => r.low.ts)}::int8[], ${col(requests, (r) => r.low.id)}::text[])`;
    },
    async previousStarts(siteKey, groups) {
      if (groups.length === 0) return [];
      // The latest start before the bound in each grouping, each a backward scan of the contact
      // index; least() skips the groupings without one.
      const latest = (extra: string) =>
        `(select c.started_at from conversations_derived c where c.site_key = u.site
          and c.contact = u.contact and c.started_at < u.before
          and c.topic is not distinct from u.topic${extra} order by c.started_at desc limit 1)`;
      const rows = await tx`select u.i, least(${tx.unsafe(latest(''))},
          ${tx.unsafe(latest(' and c.level is not distinct from u.level'))},
          ${tx.unsafe(latest(' and c.channel = u.channel'))},
          ${tx.unsafe(latest(' and c.level is not distinct from u.level and c.channel = u.channel'))}) as p
        from unnest(${col(groups, () => siteKey)}::text[], ${col(groups, (g) => g.contact)}::text[],
          ${col(groups, (g) => g.topic)}::text[], ${col(groups, (g) => g.level)}::float8[],
          ${col(groups, (g) => g.channel)}::text[], ${col(groups, (g) => g.before)}::int8[])
          with ordinality as u(site, contact, topic, level, channel, before, i)`;
      const out: (number | null)[] = groups.map(() => null);
      for (const r of rows) if (r.p !== null) out[Number(r.i) - 1] = Number(r.p);
      return out;
    },
    async contactRows(siteKey, requests) {
      const flat = requests.flatMap((r) => r.topics.map((topic) => ({ ...r, topic })));
      if (flat.length === 0) return [];
      return (await tx`select ${tx.unsafe(NEXT_CONTACT_SELECT)}
        from unnest(${col(flat, (f) => f.contact)}::text[], ${col(flat, (f) => f.from)}::int8[],
          ${col(flat, (f) => f.topic)}::text[]) as u(ucontact, ustart, utopic)
        join conversations_derived c on c.site_key = ${siteKey} and c.contact = u.ucontact
          and c.started_at >= u.ustart and c.topic is not distinct from u.utopic`.values()) as unknown[][];
    },
    async setNext(siteKey, ns) {
      await tx`update conversations_derived d set next_topic_at = u.t, next_level_at = u.l,
          next_channel_at = u.c, next_level_channel_at = u.lc
        from unnest(${col(ns, (n) => n.sessionId)}::text[], ${col(ns, (n) => n.seq)}::int4[],
          ${col(ns, (n) => n.topic)}::int8[], ${col(ns, (n) => n.level)}::int8[],
          ${col(ns, (n) => n.channel)}::int8[], ${col(ns, (n) => n.levelChannel)}::int8[])
          as u(session_id, seq, t, l, c, lc)
        where d.site_key = ${siteKey} and d.session_id = u.session_id and d.seq = u.seq`;
    },
  };
}
