// The team view's queries, the same on SQLite and PostgreSQL (Kysely): the handoffs of a period with
// the figures kept on their rows (store/handoff-figures.ts), their reopens, reviews and ratings, each
// read through an index and at most one join, never an IN list of ids.
import { type Insertable, type Kysely, sql } from 'kysely';
import {
  refreshHandoffFigures,
  refreshNextContacts,
  TICKED_STEPS_MAX,
} from '../store/handoff-figures.js';
import { chunks, numOrNull, strOrNull } from '../store/rows.js';
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
import type { Store } from '../store/store.js';

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

/** The handoff columns the team view reads, in the order of its raw rows. */
const HANDOFF_COLUMNS = [
  'id',
  'ticket_id',
  'conversation_id',
  'session_id',
  'assignee',
  'level',
  'topic',
  'created_at',
  'first_reply_at',
  'closed_at',
  'respond_by',
  'active_ms',
  'ticked_mask',
  'next_contact_at',
] as const;

/** The team queries over a Kysely instance of either dialect. */
export function createTeamQueries(
  db: Kysely<LotseTables>,
  json: JsonCodec,
  runAggregates: Store['runAggregates'],
): TeamQueries {
  const inPeriod = (siteKey: string, from: number, to: number) =>
    db
      .selectFrom('handoffs as h')
      .where('h.site_key', '=', siteKey)
      .where('h.created_at', '>=', from)
      .where('h.created_at', '<', to);
  return {
    async teamRows(siteKey, from, to, options) {
      // A month holds tens of thousands of conversations: the reads run as raw rows off the request
      // path (Store.runAggregates: SQLite's two reader threads, PostgreSQL connections), the
      // handoffs split by the parity of their creation hour into two halves of about equal size.
      const handoffsWhere = (parity: 0 | 1) =>
        inPeriod(siteKey, from, to)
          .where(sql<number>`abs((h.created_at / 3600000) % 2)`, '=', sql.lit(parity))
          .select(HANDOFF_COLUMNS.map((c) => `h.${c}` as const))
          .compile();
      // The server records a reopen in the visitor's session (or `handoff:<id>` without one), tied
      // to the handoff's conversation id (inbox/record-event.ts); it comes after the handoff, so the
      // period's reopens are those from its start on, read through their own partial index (the
      // literal type lets both planners use it).
      const reopens = db
        .selectFrom('events')
        .select(['session_id', 'conversation_id'])
        .where('site_key', '=', siteKey)
        .where('type', '=', sql.lit('conversation.reopened'))
        .where('ts', '>=', from)
        .compile();
      const reviews = inPeriod(siteKey, from, to)
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
        .compile();
      // Ratings come after the conversation, so they are read from its period's start on.
      const ratings = db
        .selectFrom('metric_facts')
        .select(['type', 'score', 'conversation_id', 'session_id', 'ts'])
        .where('site_key', '=', siteKey)
        .where('type', 'in', ['csat.submitted', 'nps.submitted'])
        .where('ts', '>=', from)
        .where('score', 'is not', null)
        .compile();
      const query = (q: { sql: string; parameters: readonly unknown[] }) => ({
        text: q.sql,
        params: [...q.parameters],
      });
      const [[even = [], reopenRows = [], reviewRows = []] = [], [odd = [], ratingRows = []] = []] =
        await runAggregates([
          [query(handoffsWhere(0)), query(reopens), query(reviews)],
          [query(handoffsWhere(1)), query(ratings)],
        ]);
      const reopenKey = (session: unknown, conversation: unknown) =>
        JSON.stringify([String(session), conversation === null ? null : String(conversation)]);
      const reopened = new Set(
        reopenRows.map(([session, conversation]) => reopenKey(session, conversation)),
      );
      const handoffs: TeamHandoff[] = [];
      for (const row of [...even, ...odd]) {
        const [
          id,
          ticketId,
          conversationId,
          sessionId,
          assignee,
          level,
          topic,
          createdAt,
          firstReplyAt,
          closedAt,
          respondBy,
          activeMs,
          tickedMask,
          nextContactAt,
        ] = row;
        const topicText = strOrNull(topic);
        handoffs.push({
          id: String(id),
          ticketId: String(ticketId),
          conversationId: strOrNull(conversationId),
          sessionId: strOrNull(sessionId),
          assignee: strOrNull(assignee),
          level: num(level),
          topic: topicText,
          createdAt: num(createdAt),
          firstReplyAt: numOrNull(firstReplyAt),
          closedAt: numOrNull(closedAt),
          respondBy: String(respondBy),
          reopened: reopened.has(reopenKey(sessionId ?? `handoff:${String(id)}`, conversationId)),
          nextContactAt: numOrNull(nextContactAt),
          activeMs: num(activeMs),
          tickedSteps: stepsTicked(num(tickedMask), options.playbookSteps(topicText)),
        });
      }
      return {
        handoffs,
        reviews: reviewRows.map(
          ([handoffId, agentId, scorecardId, name, criteria, scores, score]) => ({
            handoffId: String(handoffId),
            agentId: String(agentId),
            scorecardId: String(scorecardId),
            scorecardName: String(name),
            criteria: String(criteria),
            scores: String(scores),
            score: num(score),
          }),
        ),
        ratings: ratingRows.map(([type, score, conversationId, sessionId, ts]) => ({
          type: type === 'nps.submitted' ? 'nps.submitted' : 'csat.submitted',
          score: num(score),
          conversationId: strOrNull(conversationId),
          sessionId: String(sessionId),
          ts: num(ts),
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
