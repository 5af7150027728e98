import { expect, it } from 'vitest';
import { handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';
import type { Criterion, ReviewRow, ScorecardRow } from './scorecard-queries.js';
import { calibrationOf, scoreAverages, weightedScore } from './scoring.js';

const criteria: Criterion[] = [
  { id: 'c1', label: 'Begrüßung', scale: '1-5', weight: 1 },
  { id: 'c2', label: 'Richtige Lösung', scale: '1-5', weight: 3 },
  { id: 'c3', label: 'Nächster Schritt klar', scale: 'yes-no', weight: 2 },
];

const card: ScorecardRow = {
  id: 'sc1',
  siteKey: 'demo',
  name: 'Qualität',
  topic: null,
  criteria,
  sampleSize: 3,
  createdBy: 'owner',
  createdAt: 1,
  archivedAt: null,
};

const DAY = 86_400_000;
const from = Date.parse('2026-11-30T00:00:00Z');

function review(
  id: string,
  handoffId: string,
  reviewerId: string,
  agentId: string,
  scores: [number, number, number],
  ts: number,
): ReviewRow {
  const s = {
    c1: { score: scores[0], comment: `${id} c1` },
    c2: { score: scores[1], comment: '' },
    c3: { score: scores[2], comment: '' },
  };
  return {
    id,
    handoffId,
    scorecardId: card.id,
    reviewerId,
    agentId,
    scores: s,
    score: weightedScore(criteria, s),
    ts,
  };
}

describeOpenStores('scorecard queries', (t) => {
  async function seed(): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const h = handoffRow({ createdAt: from + i * DAY });
      await t.store.insertHandoff(h);
      ids.push(h.id);
    }
    await t.store.saveScorecard(card);
    return ids;
  }

  it('keeps scorecards and archives them', async () => {
    await t.store.saveScorecard(card);
    await t.store.saveScorecard({ ...card, name: 'Neu', sampleSize: 7 });
    expect(await t.store.getScorecard('sc1')).toEqual({ ...card, name: 'Neu', sampleSize: 7 });
    await t.store.archiveScorecard('sc1', 99);
    expect(await t.store.listScorecards()).toEqual([]);
    expect((await t.store.listScorecards({ archived: true }))[0]?.archivedAt).toBe(99);
  });

  it('averages scores per agent and per criterion over a period (golden, hand-computed)', async () => {
    const [h1, h2, h3, h4] = await seed();
    // ina: h1 scored (5, 3, yes) by rita → (1·1 + 3·0.5 + 2·1)/6 = 4.5/6 = 0.75
    //      h2 scored (3, 5, no) by rita  → (1·0.5 + 3·1 + 0)/6 = 3.5/6
    //      h1 scored again (1, 3, yes) by otto → (0 + 1.5 + 2)/6 = 3.5/6
    // udo: h3 scored (4, 4, yes) by rita → (0.75 + 2.25 + 2)/6 = 5/6
    // outside the period: h4 (ts after `to`)
    await t.store.saveReview(review('r1', h1!, 'rita', 'ina', [5, 3, 1], from + DAY));
    await t.store.saveReview(review('r2', h2!, 'rita', 'ina', [3, 5, 0], from + 2 * DAY));
    await t.store.saveReview(review('r3', h1!, 'otto', 'ina', [1, 3, 1], from + 3 * DAY));
    await t.store.saveReview(review('r4', h3!, 'rita', 'udo', [4, 4, 1], from + 4 * DAY));
    await t.store.saveReview(review('r5', h4!, 'rita', 'udo', [1, 1, 0], from + 9 * DAY));
    const averages = await scoreAverages(t.store, from, from + 7 * DAY);
    expect(averages.map((a) => a.agentId)).toEqual(['ina', 'udo']);
    const [ina, udo] = averages;
    expect(ina!.reviews).toBe(3);
    // Scores are stored as `real` (4 bytes on PostgreSQL): six digits are what both stores keep.
    expect(ina!.score).toBeCloseTo((4.5 / 6 + 3.5 / 6 + 3.5 / 6) / 3, 6);
    expect(ina!.criteria.Begrüßung!.score).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(ina!.criteria['Richtige Lösung']!.score).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12);
    expect(ina!.criteria['Nächster Schritt klar']).toEqual({ score: 2 / 3, n: 3 });
    expect(udo!.reviews).toBe(1);
    expect(udo!.score).toBeCloseTo(5 / 6, 6);
    expect(udo!.criteria.Begrüßung).toEqual({ score: 0.75, n: 1 });
  });

  it('replaces a reviewer’s own review and lists only the agent’s reviews', async () => {
    const [h1, h2] = await seed();
    await t.store.saveReview(review('r1', h1!, 'rita', 'ina', [5, 3, 1], from));
    await t.store.saveReview(review('r1', h1!, 'rita', 'ina', [2, 2, 0], from + 1));
    await t.store.saveReview(review('r2', h2!, 'rita', 'udo', [5, 5, 1], from + 2));
    const reviews = await t.store.listReviews(h1!);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.scores.c1).toEqual({ score: 2, comment: 'r1 c1' });
    expect((await t.store.listReviewsOfAgent('ina')).map((r) => r.id)).toEqual(['r1']);
    expect((await t.store.getReview('r2'))?.agentId).toBe('udo');
  });

  it('finds the conversations two reviewers scored, with their differences per criterion', async () => {
    const [h1, h2] = await seed();
    await t.store.saveReview(review('r1', h1!, 'rita', 'ina', [5, 3, 1], from));
    await t.store.saveReview(review('r2', h1!, 'otto', 'ina', [2, 3, 0], from + 1));
    await t.store.saveReview(review('r3', h2!, 'rita', 'ina', [5, 5, 1], from + 2));
    const list = calibrationOf(await t.store.listCalibrationReviews(), new Map([[card.id, card]]));
    expect(list.map((x) => x.handoffId)).toEqual([h1]);
    expect(list[0]!.criteria.map((c) => [c.criterion.id, c.scores, c.spread])).toEqual([
      ['c1', [5, 2], 0.75],
      ['c2', [3, 3], 0],
      ['c3', [1, 0], 1],
    ]);
  });

  it('lists closed, assigned conversations of a period and who reviewed them', async () => {
    const [h1, h2, h3] = await seed();
    await t.store.updateHandoff(h1!, { status: 'closed', closedAt: from + 1, assignee: 'ina' });
    await t.store.updateHandoff(h2!, { status: 'closed', closedAt: from + 2 });
    await t.store.updateHandoff(h3!, { status: 'closed', closedAt: from - 1, assignee: 'ina' });
    const closed = await t.store.listClosedConversations(from, from + 7 * DAY);
    expect(closed.map((c) => [c.id, c.assignee, c.closedAt])).toEqual([[h1, 'ina', from + 1]]);
    await t.store.saveReview(review('r1', h1!, 'rita', 'ina', [5, 3, 1], from));
    expect(await t.store.reviewersOf([h1!, h2!])).toEqual(new Map([[h1, ['rita']]]));
  });
});
