// The team view's queries, the same on SQLite and PostgreSQL (Kysely): the handoffs of a period with
// what the team figures need beside them (messages, notes, playbook ticks, reviews, ratings), each
// read through the `handoffs_site_created` index and one join, never an IN list of ids.
import { type Insertable, type Kysely, sql } from 'kysely';
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
}

/** One recorded action on a conversation (a message, note or ticked step). */
export interface TeamAction {
  handoffId: string;
  kind: 'visitor' | 'agent' | 'note' | 'tick';
  /** The agent for notes and ticks; replies carry no agent (the assignee wrote them). */
  agentId: string | null;
  /** The ticked step's index (ticks only). */
  step: number | null;
  ts: number;
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
  actions: TeamAction[];
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

/** What the team view reads through Kysely. */
export interface TeamQueries {
  /** The handoffs of a site created in [from, to) and everything the team figures need of them. */
  teamRows(siteKey: string, from: number, to: number): Promise<TeamRows>;
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
    async teamRows(siteKey, from, to) {
      const [handoffs, messages, notes, ticks, reviews, ratings] = await Promise.all([
        inPeriod(siteKey, from, to)
          .select((eb) => [
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
            // The server records a reopen in the visitor's session (or `handoff:<id>` without one),
            // tied to the handoff's conversation id (inbox/record-event.ts).
            eb
              .exists(
                eb
                  .selectFrom('events as e')
                  .select(sql`1`.as('one'))
                  .where('e.site_key', '=', siteKey)
                  .where(
                    'e.session_id',
                    '=',
                    sql<string>`coalesce(h.session_id, 'handoff:' || h.id)`,
                  )
                  .where('e.type', '=', 'conversation.reopened')
                  .where(sql<boolean>`e.conversation_id is not distinct from h.conversation_id`),
              )
              .as('reopened'),
            eb
              .selectFrom('handoffs as n')
              .select((x) => x.fn.min('n.created_at').as('t'))
              .where('n.email_key', '=', eb.ref('h.email_key'))
              .where('n.site_key', '=', siteKey)
              .where(sql<boolean>`n.topic is not distinct from h.topic`)
              .where('n.created_at', '>', eb.ref('h.created_at'))
              .as('next_contact_at'),
          ])
          .execute(),
        inPeriod(siteKey, from, to)
          .innerJoin('messages as m', 'm.handoff_id', 'h.id')
          .select(['m.handoff_id', 'm.author', 'm.ts'])
          .execute(),
        inPeriod(siteKey, from, to)
          .innerJoin('notes as o', 'o.handoff_id', 'h.id')
          .select(['o.handoff_id', 'o.agent_id', 'o.ts'])
          .execute(),
        inPeriod(siteKey, from, to)
          .innerJoin('playbook_ticks as t', 't.handoff_id', 'h.id')
          .select(['t.handoff_id', 't.agent_id', 't.step', 't.ts'])
          .execute(),
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
      ]);
      const actions: TeamAction[] = [
        ...messages.map(
          (m): TeamAction => ({
            handoffId: m.handoff_id,
            kind: m.author === 'agent' ? 'agent' : 'visitor',
            agentId: null,
            step: null,
            ts: num(m.ts),
          }),
        ),
        ...notes.map(
          (n): TeamAction => ({
            handoffId: n.handoff_id,
            kind: 'note',
            agentId: n.agent_id,
            step: null,
            ts: num(n.ts),
          }),
        ),
        ...ticks.map(
          (t): TeamAction => ({
            handoffId: t.handoff_id,
            kind: 'tick',
            agentId: t.agent_id,
            step: num(t.step),
            ts: num(t.ts),
          }),
        ),
      ];
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
          reopened: h.reopened === true || num(h.reopened) === 1,
          nextContactAt: numOrNull(h.next_contact_at),
        })),
        actions,
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
      const chunks = <T>(list: readonly T[] | undefined): T[][] => {
        const out: T[][] = [];
        for (let i = 0; i < (list?.length ?? 0); i += 500) out.push(list!.slice(i, i + 500));
        return out;
      };
      for (const c of chunks(rows.handoffs)) {
        const values = c.map((h) => ({
          ...h,
          transcript: json.write(h.transcript),
          classification: json.write(h.classification),
        }));
        await db.insertInto('handoffs').values(values).execute();
      }
      for (const c of chunks(rows.messages)) await db.insertInto('messages').values(c).execute();
      for (const c of chunks(rows.notes)) await db.insertInto('notes').values(c).execute();
      for (const c of chunks(rows.ticks)) await db.insertInto('playbook_ticks').values(c).execute();
      for (const c of chunks(rows.scorecards))
        await db.insertInto('scorecards').values(c).execute();
      for (const c of chunks(rows.reviews)) await db.insertInto('reviews').values(c).execute();
    },
  };
}
