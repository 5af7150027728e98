// Per-conversation figures of the team view, kept on the handoff's row as the conversation changes
// (a message, a note, a ticked step, an assignment or close, a reopen),
// so that the team view over a month reads one row per conversation instead of every message and tick.
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { chunks } from './rows.js';
import type { LotseTables } from './schema.js';
import type { EventRow } from './store.js';

/** Gaps between recorded actions longer than this count as this much active time (reading + writing). */
export const ACTIVE_GAP_CAP_MS = 5 * 60_000;

/**
 * Playbook steps kept in `ticked_mask`, one bit each: 31 stay exact in JavaScript's bit operations
 * and in a 32-bit integer column; a step beyond never counts.
 */
export const TICKED_STEPS_MAX = 31;

/**
 * Sets `active_ms` and `ticked_mask` of the handoffs `ids` from their messages, notes and ticks.
 *
 * Active time: for each recorded action of the handoff's agent (an agent reply, the assignee's note
 * or ticked step, the close), the time since the conversation's previous moment (the handoff, any
 * message, note or tick), at most {@link ACTIVE_GAP_CAP_MS} each; at equal times the agent's own
 * action comes first and takes the gap.
 */
export async function refreshHandoffFigures(
  db: Kysely<LotseTables>,
  ids: readonly string[],
): Promise<void> {
  for (const c of chunks([...new Set(ids)], 500)) {
    const inIds = sql.join(c);
    await sql`
      with hh as (
        select id, assignee, created_at, closed_at from handoffs where id in (${inIds})
      ),
      moments as (
        select id as hid, created_at as hc, created_at as ts, 0 as own from hh
        union all
        select hh.id, hh.created_at, m.ts, case when m.author = 'agent' then 1 else 0 end
          from hh cross join messages m where m.handoff_id = hh.id
        union all
        select hh.id, hh.created_at, o.ts, case when o.agent_id = hh.assignee then 1 else 0 end
          from hh cross join notes o where o.handoff_id = hh.id
        union all
        select hh.id, hh.created_at, t.ts, case when t.agent_id = hh.assignee then 1 else 0 end
          from hh cross join playbook_ticks t where t.handoff_id = hh.id
        union all
        select id, created_at, closed_at, 1 from hh where closed_at is not null
      ),
      gaps as (
        select hid, own, ts - coalesce(max(ts) over (partition by hid order by ts, own desc
          rows between unbounded preceding and 1 preceding), hc) as gap, hc, ts
        from moments
      ),
      active as (
        select hid, sum(case
          when own = 0 or ts <= hc or gap <= 0 then 0
          when gap > ${sql.lit(ACTIVE_GAP_CAP_MS)} then ${sql.lit(ACTIVE_GAP_CAP_MS)}
          else gap end) as ms
        from gaps group by hid
      )
      update handoffs set
        active_ms = coalesce((select a.ms from active a where a.hid = handoffs.id), 0),
        ticked_mask = coalesce((select sum(1 << t.step) from playbook_ticks t
          where t.handoff_id = handoffs.id and t.step >= 0 and t.step < ${sql.lit(TICKED_STEPS_MAX)}), 0)
      where id in (${inIds})`.execute(db);
  }
}

// The server records a reopen in the visitor's session (or `handoff:<id>` without one) with the
// reopened handoff's ticket (inbox/record-event.ts), and the ticket alone says which handoff it was:
// one session often holds several handoffs without a conversation id (the widget sends none), and
// reopening one must not reopen the others. A reopen without a ticket (stored otherwise: an import)
// falls back to its conversation id: it reopens the handoffs of that session and conversation
// created at or before it (a later handoff of the same conversation keeps its own), or the one
// handoff its `handoff:<id>` session names; naming neither, it reopens none, as the derived
// conversations (store/session-fold.ts) attach it to none.
const inSessionReopen = sql`e.site_key = handoffs.site_key and e.type = 'conversation.reopened'
    and e.session_id = coalesce(handoffs.session_id, 'handoff:' || handoffs.id)`;
const reopenedByEvents = sql`exists (select 1 from events e
  where ${inSessionReopen}
    and case when (e.props ->> 'ticketId') is not null
      then (e.props ->> 'ticketId') = handoffs.ticket_id
      else (handoffs.session_id is null or e.conversation_id = handoffs.conversation_id)
        and e.ts >= handoffs.created_at end)`;

/** Sets `reopened` of the handoffs `ids` from the reopens stored (bulk imports and the migration). */
export async function refreshReopened(
  db: Kysely<LotseTables>,
  ids: readonly string[],
): Promise<void> {
  for (const c of chunks([...new Set(ids)], 500)) {
    await sql`update handoffs set reopened = case when ${reopenedByEvents} then 1 else 0 end
      where id in (${sql.join(c)})`.execute(db);
  }
}

/** Sets `reopened` of every handoff a stored reopen reopens (migration 16). */
export async function markReopened(db: Kysely<LotseTables>): Promise<void> {
  await sql`update handoffs set reopened = 1 where ${reopenedByEvents}`.execute(db);
}

/**
 * Unmarks the handoffs that only another handoff's reopen in their session had marked, before a
 * reopen named its ticket (migration 22). A handoff whose session's reopens retention deleted keeps
 * its mark: nothing is left to say it was wrong.
 */
export async function unmarkReopenedByOthers(db: Kysely<LotseTables>): Promise<void> {
  await sql`update handoffs set reopened = 0
    where reopened = 1 and not ${reopenedByEvents}
      and exists (select 1 from events e where ${inSessionReopen})`.execute(db);
}

type Where = ExpressionBuilder<LotseTables, 'handoffs'>;

/** The handoffs of the session a server event was recorded in (see `recordServerEvent`). */
const inSessionOf = (w: Where, siteKey: string, sessionId: string) => {
  const own = sessionId.startsWith('handoff:') ? sessionId.slice('handoff:'.length) : null;
  return w.and([
    w('site_key', '=', siteKey),
    own === null
      ? w('session_id', '=', sessionId)
      : w.or([
          w('session_id', '=', sessionId),
          w.and([w('session_id', 'is', null), w('id', '=', own)]),
        ]),
  ]);
};

/** The ticket a reopen names, if any. */
const ticketOf = (props: unknown): string | null => {
  if (typeof props !== 'object' || props === null) return null;
  const ticket = (props as { ticketId?: unknown }).ticketId;
  return typeof ticket === 'string' ? ticket : null;
};

/** The handoffs a stored reopen reopens (the rule above). */
const reopenedBy = (e: EventRow) => {
  const ticket = ticketOf(e.props);
  return (w: Where) =>
    w.and([
      inSessionOf(w, e.siteKey, e.sessionId),
      ticket !== null
        ? w('ticket_id', '=', ticket)
        : w.and([
            w('created_at', '<=', e.ts),
            e.conversationId === null
              ? w('session_id', 'is', null)
              : w.or([w('session_id', 'is', null), w('conversation_id', '=', e.conversationId)]),
          ]),
    ]);
};

/**
 * Marks the handoffs that the reopens among `events` reopen, skipping the rows at the indexes
 * `refused` (not stored: over the session's cap).
 */
export async function recordReopens(
  db: Kysely<LotseTables>,
  events: readonly EventRow[],
  refused: readonly number[] = [],
): Promise<void> {
  for (const [i, e] of events.entries()) {
    if (e.type !== 'conversation.reopened' || refused.includes(i)) continue;
    await db
      .updateTable('handoffs')
      .set({ reopened: 1 })
      .where(reopenedBy(e))
      .where('reopened', '=', 0)
      .execute();
  }
}

/** A deleted reopen, as far as the deletion read it: its session names the handoffs it may have reopened. */
type Reopen = Pick<EventRow, 'siteKey' | 'sessionId' | 'conversationId' | 'ts'>;

/**
 * Sets `reopened` again of the handoffs that the reopens `deleted` (by a visitor's deletion) may
 * have reopened (every reopened handoff of their sessions), from the reopens left. Retention keeps
 * the mark: the handoff outlives its events.
 */
export async function refreshReopenedAfter(
  db: Kysely<LotseTables>,
  deleted: readonly Reopen[],
): Promise<void> {
  const ids: string[] = [];
  for (const e of deleted) {
    const rows = await db
      .selectFrom('handoffs')
      .select('id')
      .where((w) => inSessionOf(w, e.siteKey, e.sessionId))
      .where('reopened', '=', 1)
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  await refreshReopened(db, ids);
}

// `next_contact_at` (a later handoff of the same e-mail address on the same topic) is written by
// migration 14 only and read nowhere: FCR in the team view counts a second contact as the dashboard
// does, the contact's next conversation on the topic (dashboard/second-contact.ts).
//
// The visitor's handoffs are found by `email_key`; the site, time and topic are compared as
// expressions so that no planner prefers a (site_key, …) or (topic, …) index, which would read every
// handoff of the site or topic. A topic of '' and none count as the same (topic ids are never empty).
const sameVisitorAndTopic = (n: string, h: string) =>
  sql`${sql.ref(`${n}.email_key`)} = ${sql.ref(`${h}.email_key`)}
    and coalesce(${sql.ref(`${n}.site_key`)}, '') = ${sql.ref(`${h}.site_key`)}
    and coalesce(${sql.ref(`${n}.topic`)}, '') = coalesce(${sql.ref(`${h}.topic`)}, '')`;

const nextContact = sql`(select min(n.created_at) from handoffs n
  where ${sameVisitorAndTopic('n', 'handoffs')} and n.created_at - handoffs.created_at > 0)`;

/**
 * Sets `next_contact_at` of every handoff of the sites `siteKeys`: when the same visitor (by e-mail)
 * next handed off on the same topic there, or null (migration 14).
 */
export async function refreshNextContacts(
  db: Kysely<LotseTables>,
  siteKeys: readonly string[],
): Promise<void> {
  for (const c of chunks([...new Set(siteKeys)], 500)) {
    await sql`update handoffs set next_contact_at = ${nextContact}
      where site_key in (${sql.join(c)}) and email_key is not null`.execute(db);
  }
}
