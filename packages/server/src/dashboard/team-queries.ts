// The team view's queries, the same on SQLite and PostgreSQL (Kysely): the handoffs of a period with
// what the team figures need beside them (messages, notes, playbook ticks, reviews, ratings), each
// read through the `handoffs_site_created` index and one join, never an IN list of ids.
import { type Insertable, type Kysely, sql } from 'kysely';
import { chunks } from '../store/rows.js';
import type {
  HandoffsTable,
  JsonCodec,
  LotseTables,
  MessagesTable,
  NotesTable,
  PlaybookTicksTable,
  ReviewsTable,
  ScorecardsTable,
} from '../store/schema.js';

/** A handoff as the team figures read it. */
export interface TeamHandoff {
  id: string;
  ticketId: string;
  conversationId: string | null;
  sessionId: string | null;
  assignee: string | null;
  level: number;
  topic: string | null;
  createdAt: number;
  firstReplyAt: number | null;
  closedAt: number | null;
  /** ISO instant the site promised a first reply by. */
  respondBy: string;
  /** Whether the conversation was reopened at least once (a `conversation.reopened` event). */
  reopened: boolean;
  /** When the same visitor next handed off on the same topic (for FCR), or null. */
  nextContactAt: number | null;
  /**
   * Active time (ms): for each recorded action of its agent (an agent reply, the assignee's note or
   * ticked step, the close), the time since the conversation's previous moment (the handoff, any
   * message, note or tick), at most `activeGapCapMs` each.
   */
  activeMs: number;
  /** Distinct playbook steps ticked that the topic's playbook has (index below its length). */
  tickedSteps: number;
}

/** A reviewer's scoring, with its scorecard's criteria (JSON text, read defensively). */
export interface TeamReview {
  handoffId: string;
  agentId: string;
  scorecardId: string;
  scorecardName: string;
  criteria: string;
  scores: string;
  score: number;
}

/** A CSAT or NPS answer. */
export interface TeamRating {
  type: 'csat.submitted' | 'nps.submitted';
  score: number;
  conversationId: string | null;
  sessionId: string;
  ts: number;
}

/** Everything the team figures of a site read for handoffs created in [from, to). */
export interface TeamRows {
  handoffs: TeamHandoff[];
  reviews: TeamReview[];
  ratings: TeamRating[];
}

/** The rows a test or the benchmark writes in bulk (chunked inserts). */
export interface TeamImport {
  handoffs?: Insertable<HandoffsTable>[];
  messages?: Insertable<MessagesTable>[];
  notes?: Insertable<NotesTable>[];
  ticks?: Insertable<PlaybookTicksTable>[];
  scorecards?: Insertable<ScorecardsTable>[];
  reviews?: Insertable<ReviewsTable>[];
}

/** Options of {@link TeamQueries.teamRows}. */
export interface TeamRowsOptions {
  /** Steps of a topic's playbook (0 = none). */
  playbookSteps: (topic: string | null) => number;
  /** Longest gap before an action that counts as active time. */
  activeGapCapMs: number;
}

/** What the team view reads through Kysely. */
export interface TeamQueries {
  /**
   * The handoffs of a site created in [from, to) and everything the team figures need of them;
   * `playbookSteps` gives a topic's number of playbook steps (0 = none).
   */
  teamRows(siteKey: string, from: number, to: number, options: TeamRowsOptions): Promise<TeamRows>;
  /** Inserts rows in chunks (test data and the benchmark's generated month). */
  importTeamRows(rows: TeamImport): Promise<void>;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The team queries over a Kysely instance of either dialect. */
export function createTeamQueries(db: Kysely<LotseTables>, json: JsonCodec): TeamQueries {
  const inPeriod = (siteKey: string, from: number, to: number) =>
    db
      .selectFrom('handoffs as h')
      .where('h.site_key', '=', siteKey)
      .where('h.created_at', '>=', from)
      .where('h.created_at', '<', to);
  return {
    async teamRows(siteKey, from, to, options) {
      const topics = await inPeriod(siteKey, from, to).select('h.topic').distinct().execute();
      const playbooks = topics.flatMap((t) => {
        const n = t.topic === null ? 0 : options.playbookSteps(t.topic);
        return n > 0 && t.topic !== null ? [[t.topic, n] as const] : [];
      });
      const cap = Math.max(0, Math.round(options.activeGapCapMs));
      const period = sql`select id, assignee, created_at, closed_at from handoffs
        where site_key = ${siteKey} and created_at >= ${from} and created_at < ${to}`;
      const [handoffs, reopens, nextContacts, active, ticked, reviews, ratings] = await Promise.all(
        [
          inPeriod(siteKey, from, to)
            .select([
              'h.id',
              'h.ticket_id',
              'h.conversation_id',
              'h.session_id',
              'h.assignee',
              'h.level',
              'h.topic',
              'h.created_at',
              'h.first_reply_at',
              'h.closed_at',
              'h.respond_by',
            ])
            .execute(),
          // The server records a reopen in the visitor's session (or `handoff:<id>` without one),
          // tied to the handoff's conversation id (inbox/record-event.ts). A cross join keeps the
          // handoffs outside (SQLite keeps the order of a CROSS JOIN) and looks each one's events up
          // in the (site_key, session_id, ts) index.
          inPeriod(siteKey, from, to)
            .crossJoin('events as e')
            .where('e.site_key', '=', siteKey)
            .where('e.session_id', '=', sql<string>`coalesce(h.session_id, 'handoff:' || h.id)`)
            .where('e.type', '=', 'conversation.reopened')
            .where(sql<boolean>`e.conversation_id is not distinct from h.conversation_id`)
            .select('h.id')
            .distinct()
            .execute(),
          // The same visitor's next handoff on the same topic, looked up by `email_key`: the site and
          // time are compared as expressions so that no planner prefers a (site_key, …) index, which
          // would read every later handoff of the site for each one.
          inPeriod(siteKey, from, to)
            .crossJoin('handoffs as n')
            .whereRef('n.email_key', '=', 'h.email_key')
            .where(sql<boolean>`coalesce(n.site_key, '') = h.site_key`)
            .where(sql<boolean>`n.created_at - h.created_at > 0`)
            .where(sql<boolean>`n.topic is not distinct from h.topic`)
            .select((eb) => ['h.id', eb.fn.min('n.created_at').as('t')])
            .groupBy('h.id')
            .execute(),
          // Active time in SQL (a window over each conversation's moments), so that a month's
          // messages, notes and ticks never leave the database. At equal times the agent's own action
          // comes first and takes the gap.
          sql<{ id: string; active: unknown }>`
          with hh as (${period}),
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
          )
          select hid as id, sum(case
            when own = 0 or ts <= hc or gap <= 0 then 0
            when gap > ${sql.lit(cap)} then ${sql.lit(cap)}
            else gap end) as active
          from gaps group by hid`.execute(db),
          playbooks.length === 0
            ? Promise.resolve({ rows: [] as { id: string; n: unknown }[] })
            : sql<{ id: string; n: unknown }>`
          select t.handoff_id as id, count(distinct t.step) as n
          from handoffs h cross join playbook_ticks t
          where t.handoff_id = h.id and h.site_key = ${siteKey} and h.created_at >= ${from} and h.created_at < ${to}
            and t.step >= 0 and t.step < (case ${sql.join(
              playbooks.map(([topic, n]) => sql`when h.topic = ${topic} then ${sql.lit(n)}`),
              sql` `,
            )} else 0 end)
          group by t.handoff_id`.execute(db),
          inPeriod(siteKey, from, to)
            .innerJoin('reviews as r', 'r.handoff_id', 'h.id')
            .innerJoin('scorecards as s', 's.id', 'r.scorecard_id')
            .select([
              'r.handoff_id',
              'r.agent_id',
              'r.scorecard_id',
              's.name',
              's.criteria',
              'r.scores',
              'r.score',
            ])
            .execute(),
          // Ratings come after the conversation, so they are read from its period's start on.
          db
            .selectFrom('metric_facts')
            .select(['type', 'score', 'conversation_id', 'session_id', 'ts'])
            .where('site_key', '=', siteKey)
            .where('type', 'in', ['csat.submitted', 'nps.submitted'])
            .where('ts', '>=', from)
            .where('score', 'is not', null)
            .execute(),
        ],
      );
      const activeOf = new Map(active.rows.map((r) => [r.id, num(r.active)]));
      const tickedOf = new Map(ticked.rows.map((r) => [r.id, num(r.n)]));
      const reopened = new Set(reopens.map((r) => r.id));
      const nextContact = new Map(nextContacts.map((r) => [r.id, numOrNull(r.t)]));
      return {
        handoffs: handoffs.map((h) => ({
          id: h.id,
          ticketId: h.ticket_id,
          conversationId: h.conversation_id,
          sessionId: h.session_id,
          assignee: h.assignee,
          level: num(h.level),
          topic: h.topic,
          createdAt: num(h.created_at),
          firstReplyAt: numOrNull(h.first_reply_at),
          closedAt: numOrNull(h.closed_at),
          respondBy: h.respond_by,
          reopened: reopened.has(h.id),
          nextContactAt: nextContact.get(h.id) ?? null,
          activeMs: activeOf.get(h.id) ?? 0,
          tickedSteps: tickedOf.get(h.id) ?? 0,
        })),
        reviews: reviews.map((r) => ({
          handoffId: r.handoff_id,
          agentId: r.agent_id,
          scorecardId: r.scorecard_id,
          scorecardName: r.name,
          criteria: r.criteria,
          scores: r.scores,
          score: num(r.score),
        })),
        ratings: ratings.map((f) => ({
          type: f.type === 'nps.submitted' ? 'nps.submitted' : 'csat.submitted',
          score: num(f.score),
          conversationId: f.conversation_id,
          sessionId: f.session_id,
          ts: num(f.ts),
        })),
      };
    },
    async importTeamRows(rows) {
      // 500 rows of up to 27 columns stay under SQLite's and PostgreSQL's parameter limits.
      const inChunks = <T>(list: readonly T[] | undefined) => chunks(list ?? [], 500);
      for (const c of inChunks(rows.handoffs)) {
        const values = c.map((h) => ({
          ...h,
          transcript: json.write(h.transcript),
          classification: json.write(h.classification),
        }));
        await db.insertInto('handoffs').values(values).execute();
      }
      for (const c of inChunks(rows.messages)) await db.insertInto('messages').values(c).execute();
      for (const c of inChunks(rows.notes)) await db.insertInto('notes').values(c).execute();
      for (const c of inChunks(rows.ticks))
        await db.insertInto('playbook_ticks').values(c).execute();
      for (const c of inChunks(rows.scorecards))
        await db.insertInto('scorecards').values(c).execute();
      for (const c of inChunks(rows.reviews)) await db.insertInto('reviews').values(c).execute();
    },
  };
}
