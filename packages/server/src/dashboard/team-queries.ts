// The team view's queries, the same on SQLite and PostgreSQL (Kysely): the handoffs of a period with
// the figures kept on their rows (store/handoff-figures.ts) and the second contact of their stored
// conversation (second-contact.ts), their reviews and ratings, joined in the database through an
// index each (never an IN list of ids), packed as the dialect reads fastest.
import { type Insertable, type Kysely, type RawBuilder, sql } from 'kysely';
import type { RowPacking } from '../store/dialect.js';
import {
  refreshHandoffFigures,
  refreshReopened,
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
  assignee: string | null;
  level: number;
  topic: string | null;
  createdAt: number;
  firstReplyAt: number | null;
  closedAt: number | null;
  /** When the site promised a first reply by (epoch ms). */
  respondBy: number;
  /** Whether the conversation was reopened after this handoff (store/handoff-figures.ts). */
  reopened: boolean;
  /**
   * When the contact's next conversation on the same topic started, as the dashboard's FCR reads it:
   * `next_topic_at` of the stored conversation the handoff's ticket names (second-contact.ts); null
   * without one, or when no stored conversation names the ticket (a handoff sent without events).
   */
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

/** The handoff a review or rating counts for: its assignee and creation time. */
export interface TeamOwner {
  assignee: string | null;
  createdAt: number;
}

/** A reviewer's scoring, with its scorecard's criteria (JSON text, read defensively). */
export interface TeamReview extends TeamOwner {
  scorecardId: string;
  scorecardName: string;
  criteria: string;
  scores: string;
  score: number;
}

/**
 * A CSAT or NPS answer with the handoff it counts for: CSAT names its conversation by conversation
 * id (the latest handoff of that conversation takes it) or, where none has it, by ticket id; NPS
 * counts for the latest handoff of its session created at or before the answer.
 */
export interface TeamRating extends TeamOwner {
  type: 'csat.submitted' | 'nps.submitted';
  score: number;
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

/**
 * The second contact of a handoff's conversation, as the dashboard reads it (`nextContactAt`): one
 * lookup through the stored conversations' (site_key, ticket_id, started_at, …) index; the earliest
 * where more than one names the ticket.
 */
const secondContact = sql`(select d.next_topic_at from conversations_derived d
  where d.site_key = h.site_key and d.ticket_id = h.ticket_id
  order by d.started_at limit 1)`;

/** The handoff columns the team view reads, in the order of its rows. */
const HANDOFF_COLUMNS = [
  'assignee',
  'level',
  'topic',
  'created_at',
  'first_reply_at',
  'closed_at',
  'respond_by',
  'active_ms',
  'ticked_mask',
  'next_contact',
  'reopened',
] as const;

/** The team queries over a Kysely instance of either dialect. */
export function createTeamQueries(
  db: Kysely<LotseTables>,
  json: JsonCodec,
  runAggregates: Store['runAggregates'],
  packing: RowPacking,
): TeamQueries {
  const inPeriod = (siteKey: string, from: number, to: number) =>
    db
      .selectFrom('handoffs as h')
      .where('h.site_key', '=', siteKey)
      .where('h.created_at', '>=', from)
      .where('h.created_at', '<', to);
  return {
    async teamRows(siteKey, from, to, options) {
      // A month holds tens of thousands of conversations: the reads run off the request path
      // (Store.runAggregates: SQLite's two reader threads, PostgreSQL connections), the handoffs
      // split by the parity of their creation hour into two halves of about equal size.
      const handoffsWhere = (parity: 0 | 1) =>
        inPeriod(siteKey, from, to)
          .where(sql<number>`abs((h.created_at / 3600000) % 2)`, '=', sql.lit(parity))
          .select(
            packing
              .select(
                HANDOFF_COLUMNS.map((c) =>
                  c === 'respond_by'
                    ? packing.isoMillis('h.respond_by')
                    : c === 'next_contact'
                      ? secondContact
                      : `h.${c}`,
                ),
              )
              .as('rows'),
          )
          .compile();
      const reviews = inPeriod(siteKey, from, to)
        .innerJoin('reviews as r', 'r.handoff_id', 'h.id')
        .innerJoin('scorecards as s', 's.id', 'r.scorecard_id')
        .select(
          packing
            .select([
              'h.assignee',
              'h.created_at',
              'r.scorecard_id',
              's.name',
              's.criteria',
              'r.scores',
              'r.score',
            ])
            .as('rows'),
        )
        .compile();
      // Ratings come after the conversation, so they are read from its period's start on, each
      // with the handoff of the period it counts for: the latest of a conversation or session by
      // creation, then id, the last entry of its index range. The subquery names that handoff as
      // the text `<created_at> <assignee>` (`<created_at>` without one): a scalar subquery returns
      // one value, and a join back to the handoff for its two would cost a second lookup per
      // answer (or a scan of every handoff).
      const owner = sql`o.created_at || coalesce(' ' || o.assignee, '')`;
      const latest = (column: 'conversation_id' | 'session_id', before: RawBuilder<unknown>) =>
        sql<string>`(select ${owner} from handoffs o
          where o.site_key = m.site_key and ${sql.ref(`o.${column}`)} = ${sql.ref(`m.${column}`)}
            and o.created_at >= ${from} and o.created_at < ${to}${before}
          order by o.created_at desc, o.id desc limit 1)`;
      const ratingsOf = (type: TeamRating['type'], ownerOf: RawBuilder<string>) =>
        db
          .selectFrom('metric_facts as m')
          .select(packing.select([ownerOf, 'm.score']).as('rows'))
          .where('m.site_key', '=', siteKey)
          .where('m.type', '=', sql.lit(type))
          .where('m.ts', '>=', from)
          .where('m.score', 'is not', null)
          .compile();
      // CSAT names its conversation by conversation id, or by ticket (unique) where none has it.
      const csat = ratingsOf(
        'csat.submitted',
        sql<string>`coalesce(${latest('conversation_id', sql``)}, (select ${owner} from handoffs o
          where o.ticket_id = m.conversation_id and o.site_key = m.site_key
            and o.created_at >= ${from} and o.created_at < ${to}))`,
      );
      // NPS is not tied to a conversation: it counts for the session's latest handoff at or before it.
      const nps = ratingsOf('nps.submitted', latest('session_id', sql` and o.created_at <= m.ts`));
      const query = (q: { sql: string; parameters: readonly unknown[] }) => ({
        text: q.sql,
        params: [...q.parameters],
      });
      const [[even, reviewRows] = [], [odd, csatRows, npsRows] = []] = await runAggregates([
        [query(handoffsWhere(0)), query(reviews)],
        [query(handoffsWhere(1)), query(csat), query(nps)],
      ]).then((groups) => groups.map((results) => results.map(packing.unpack)));
      const handoffs: TeamHandoff[] = [];
      for (const half of [even ?? [], odd ?? []]) {
        for (const row of half) {
          const [
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
            isReopened,
          ] = row;
          const topicText = strOrNull(topic);
          handoffs.push({
            assignee: strOrNull(assignee),
            level: num(level),
            topic: topicText,
            createdAt: num(createdAt),
            firstReplyAt: numOrNull(firstReplyAt),
            closedAt: numOrNull(closedAt),
            // The server writes `toISOString()`; other text reads as NaN on SQLite, fails on PostgreSQL.
            respondBy: numOrNull(respondBy) ?? Number.NaN,
            reopened: num(isReopened) === 1,
            nextContactAt: numOrNull(nextContactAt),
            activeMs: num(activeMs),
            tickedSteps: stepsTicked(num(tickedMask), options.playbookSteps(topicText)),
          });
        }
      }
      const ratings = (type: TeamRating['type'], rows: unknown[][] = []): TeamRating[] =>
        rows.flatMap(([owner, score]) => {
          if (typeof owner !== 'string') return [];
          const space = owner.indexOf(' ');
          return [
            {
              type,
              assignee: space === -1 ? null : owner.slice(space + 1),
              createdAt: Number(space === -1 ? owner : owner.slice(0, space)),
              score: num(score),
            },
          ];
        });
      return {
        handoffs,
        reviews: (reviewRows ?? []).map(
          ([assignee, createdAt, scorecardId, name, criteria, scores, score]) => ({
            assignee: strOrNull(assignee),
            createdAt: num(createdAt),
            scorecardId: String(scorecardId),
            scorecardName: String(name),
            criteria: String(criteria),
            scores: String(scores),
            score: num(score),
          }),
        ),
        ratings: [...ratings('csat.submitted', csatRows), ...ratings('nps.submitted', npsRows)],
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
      await refreshReopened(
        db,
        (rows.handoffs ?? []).map((h) => h.id),
      );
    },
  };
}
