// The team view's queries, the same on SQLite and PostgreSQL (Kysely): the handoffs of a period with
// the figures kept on their rows (store/handoff-figures.ts), their reopens, reviews and ratings, each
// read through an index and at most one join, never an IN list of ids.
import { type Insertable, type Kysely, sql } from 'kysely';
import {
  refreshHandoffFigures,
  refreshNextContacts,
  TICKED_STEPS_MAX,
} from '../store/handoff-figures.js';
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
   * message, note or tick), at most 5 minutes each
   * (`ACTIVE_GAP_CAP_MS`, kept on the row by store/handoff-figures.ts).
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

/** Steps below `steps` set in a `ticked_mask` (store/handoff-figures.ts). */
function stepsTicked(mask: number, steps: number): number {
  let n = 0;
  for (let step = 0; step < Math.min(steps, TICKED_STEPS_MAX); step++) {
    if ((mask >>> step) & 1) n++;
  }
  return n;
}
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
      const [handoffs, reopens, reviews, ratings] = await Promise.all([
        // Active time, ticked steps and the next contact are kept on the row (store/handoff-figures.ts).
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
            'h.active_ms',
            'h.ticked_mask',
            'h.next_contact_at',
          ])
          .execute(),
        // The server records a reopen in the visitor's session (or `handoff:<id>` without one), tied
        // to the handoff's conversation id (inbox/record-event.ts); it comes after the handoff, so
        // the period's reopens are those from its start on, read through their own partial index
        // (the literal type lets both planners use it).
        db
          .selectFrom('events')
          .select(['session_id', 'conversation_id'])
          .where('site_key', '=', siteKey)
          .where('type', '=', sql.lit('conversation.reopened'))
          .where('ts', '>=', from)
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
      const reopenKey = (session: string, conversation: string | null) =>
        JSON.stringify([session, conversation]);
      const reopened = new Set(reopens.map((e) => reopenKey(e.session_id, e.conversation_id)));
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
          reopened: reopened.has(reopenKey(h.session_id ?? `handoff:${h.id}`, h.conversation_id)),
          nextContactAt: numOrNull(h.next_contact_at),
          activeMs: num(h.active_ms),
          tickedSteps: stepsTicked(num(h.ticked_mask), options.playbookSteps(h.topic)),
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
      const touched = [
        ...(rows.handoffs ?? []).map((h) => h.id),
        ...(rows.messages ?? []).map((m) => m.handoff_id),
        ...(rows.notes ?? []).map((n) => n.handoff_id),
        ...(rows.ticks ?? []).map((t) => t.handoff_id),
      ];
      await refreshHandoffFigures(db, touched);
      await refreshNextContacts(db, [...new Set((rows.handoffs ?? []).map((h) => h.site_key))]);
    },
  };
}
