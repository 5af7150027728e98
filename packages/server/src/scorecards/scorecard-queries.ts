// The scorecards' queries, the same on SQLite and PostgreSQL (Kysely): the owner's scorecards, the
// reviewers' reviews, the closed conversations a week's sample is drawn from, and the averages the
// dashboard's team view reads.
import type { Kysely, Selectable } from 'kysely';
import type { LotseTables } from '../store/schema.js';

/** How a criterion is scored: 1 to 5, or yes/no. */
export type CriterionScale = '1-5' | 'yes-no';

/** One criterion of a scorecard. */
export interface Criterion {
  /** Stable within its scorecard (`c1`, `c2`, …), the key of a review's scores. */
  id: string;
  label: string;
  scale: CriterionScale;
  /** Relative weight in the total, > 0. */
  weight: number;
}

/** An owner's scorecard; `siteKey`/`topic` null mean "every site"/"every topic". */
export interface ScorecardRow {
  id: string;
  siteKey: string | null;
  name: string;
  topic: string | null;
  criteria: Criterion[];
  /** Closed conversations to review per agent and ISO week. */
  sampleSize: number;
  createdBy: string;
  createdAt: number;
  archivedAt: number | null;
}

/** A reviewer's score and comment on one criterion. */
export interface CriterionScore {
  /** 1–5, or 1 (yes) / 0 (no). */
  score: number;
  comment: string;
}

/** A reviewer's scoring of a conversation. */
export interface ReviewRow {
  id: string;
  handoffId: string;
  scorecardId: string;
  reviewerId: string;
  /** The agent who handled the conversation. */
  agentId: string;
  scores: Record<string, CriterionScore>;
  /** Weighted total, 0..1. */
  score: number;
  ts: number;
}

/** A closed conversation a sample is drawn from. */
export interface ClosedConversation {
  id: string;
  ticketId: string;
  siteKey: string;
  topic: string | null;
  assignee: string;
  closedAt: number;
}

/** The owner's scorecards and the reviewers' reviews. */
export interface ScorecardQueries {
  /** Inserts a scorecard, or replaces name, site, topic, criteria and sample size of an existing one. */
  saveScorecard(row: ScorecardRow): Promise<void>;
  getScorecard(id: string): Promise<ScorecardRow | undefined>;
  /** Scorecards by name; archived ones only when asked. */
  listScorecards(options?: { archived?: boolean }): Promise<ScorecardRow[]>;
  /** Archives (ts) or restores (null) a scorecard. */
  archiveScorecard(id: string, ts: number | null): Promise<void>;
  /** Inserts a review, or replaces this reviewer's review of this conversation. */
  saveReview(row: ReviewRow): Promise<void>;
  /** A conversation's reviews, oldest first. */
  listReviews(handoffId: string): Promise<ReviewRow[]>;
  getReview(id: string): Promise<ReviewRow | undefined>;
  /** Reviews of conversations one agent handled, newest first. */
  listReviewsOfAgent(agentId: string, limit?: number): Promise<ReviewRow[]>;
  /** Reviews with ts in [from, to), oldest first. */
  listReviewsBetween(from: number, to: number): Promise<ReviewRow[]>;
  /** Reviews of the conversations at least two reviewers scored, by conversation, newest first. */
  listCalibrationReviews(limit?: number): Promise<ReviewRow[]>;
  /** Closed, assigned conversations with `closed_at` in [from, to). */
  listClosedConversations(from: number, to: number): Promise<ClosedConversation[]>;
  /** Which of these conversations each reviewer has reviewed: `handoffId` → reviewer ids. */
  reviewersOf(handoffIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Whether the owner lets agents see their colleagues' scores (false until set). */
  teamScoresVisible(): Promise<boolean>;
  setTeamScoresVisible(visible: boolean): Promise<void>;
}

/** The `meta` key of the owner's choice whether agents see colleagues' scores. */
const TEAM_VISIBLE_KEY = 'scorecards.team_scores_visible';

function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function scorecardFromRow(r: Selectable<LotseTables['scorecards']>): ScorecardRow {
  return {
    id: r.id,
    siteKey: r.site_key,
    name: r.name,
    topic: r.topic,
    criteria: parseJson(r.criteria, []) as Criterion[],
    sampleSize: Number(r.sample_size),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    archivedAt: r.archived_at === null ? null : Number(r.archived_at),
  };
}

function reviewFromRow(r: Selectable<LotseTables['reviews']>): ReviewRow {
  return {
    id: r.id,
    handoffId: r.handoff_id,
    scorecardId: r.scorecard_id,
    reviewerId: r.reviewer_id,
    agentId: r.agent_id,
    scores: parseJson(r.scores, {}) as Record<string, CriterionScore>,
    score: Number(r.score),
    ts: Number(r.ts),
  };
}

/** The scorecard queries over a Kysely instance of either dialect. */
export function createScorecardQueries(db: Kysely<LotseTables>): ScorecardQueries {
  return {
    async saveScorecard(s) {
      const values = {
        id: s.id,
        site_key: s.siteKey,
        name: s.name,
        topic: s.topic,
        criteria: JSON.stringify(s.criteria),
        sample_size: s.sampleSize,
        created_by: s.createdBy,
        created_at: s.createdAt,
        archived_at: s.archivedAt,
      };
      await db
        .insertInto('scorecards')
        .values(values)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            site_key: values.site_key,
            name: values.name,
            topic: values.topic,
            criteria: values.criteria,
            sample_size: values.sample_size,
          }),
        )
        .execute();
    },
    async getScorecard(id) {
      const r = await db
        .selectFrom('scorecards')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : scorecardFromRow(r);
    },
    async listScorecards(options = {}) {
      const rows = await db
        .selectFrom('scorecards')
        .selectAll()
        .$if(!options.archived, (q) => q.where('archived_at', 'is', null))
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.map(scorecardFromRow);
    },
    async archiveScorecard(id, ts) {
      await db.updateTable('scorecards').set({ archived_at: ts }).where('id', '=', id).execute();
    },

    async saveReview(r) {
      const values = {
        id: r.id,
        handoff_id: r.handoffId,
        scorecard_id: r.scorecardId,
        reviewer_id: r.reviewerId,
        agent_id: r.agentId,
        scores: JSON.stringify(r.scores),
        score: r.score,
        ts: r.ts,
      };
      await db
        .insertInto('reviews')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['handoff_id', 'reviewer_id']).doUpdateSet({
            scorecard_id: values.scorecard_id,
            agent_id: values.agent_id,
            scores: values.scores,
            score: values.score,
            ts: values.ts,
          }),
        )
        .execute();
    },
    async listReviews(handoffId) {
      const rows = await db
        .selectFrom('reviews')
        .selectAll()
        .where('handoff_id', '=', handoffId)
        .orderBy('ts')
        .orderBy('id')
        .execute();
      return rows.map(reviewFromRow);
    },
    async getReview(id) {
      const r = await db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : reviewFromRow(r);
    },
    async listReviewsOfAgent(agentId, limit = 200) {
      const rows = await db
        .selectFrom('reviews')
        .selectAll()
        .where('agent_id', '=', agentId)
        .orderBy('ts', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(reviewFromRow);
    },
    async listReviewsBetween(from, to) {
      const rows = await db
        .selectFrom('reviews')
        .selectAll()
        .where('ts', '>=', from)
        .where('ts', '<', to)
        .orderBy('ts')
        .orderBy('id')
        .execute();
      return rows.map(reviewFromRow);
    },
    async listCalibrationReviews(limit = 100) {
      const twice = db
        .selectFrom('reviews')
        .select('handoff_id')
        .groupBy('handoff_id')
        .having((eb) => eb.fn.countAll(), '>=', 2);
      const rows = await db
        .selectFrom('reviews')
        .selectAll()
        .where('handoff_id', 'in', twice)
        .orderBy('handoff_id')
        .orderBy('ts')
        .orderBy('id')
        .limit(limit * 4)
        .execute();
      return rows.map(reviewFromRow);
    },
    async listClosedConversations(from, to) {
      const rows = await db
        .selectFrom('handoffs')
        .select(['id', 'ticket_id', 'site_key', 'topic', 'assignee', 'closed_at'])
        .where('status', '=', 'closed')
        .where('assignee', 'is not', null)
        .where('closed_at', '>=', from)
        .where('closed_at', '<', to)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        ticketId: r.ticket_id,
        siteKey: r.site_key,
        topic: r.topic,
        assignee: r.assignee ?? '',
        closedAt: Number(r.closed_at),
      }));
    },
    async reviewersOf(handoffIds) {
      const out = new Map<string, string[]>();
      if (handoffIds.length === 0) return out;
      const rows = await db
        .selectFrom('reviews')
        .select(['handoff_id', 'reviewer_id'])
        .where('handoff_id', 'in', [...handoffIds])
        .orderBy('handoff_id')
        .orderBy('reviewer_id')
        .execute();
      for (const r of rows)
        out.set(r.handoff_id, [...(out.get(r.handoff_id) ?? []), r.reviewer_id]);
      return out;
    },
    async teamScoresVisible() {
      const r = await db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', TEAM_VISIBLE_KEY)
        .executeTakeFirst();
      return r?.value === '1';
    },
    async setTeamScoresVisible(visible) {
      const value = visible ? '1' : '0';
      await db
        .insertInto('meta')
        .values({ key: TEAM_VISIBLE_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
