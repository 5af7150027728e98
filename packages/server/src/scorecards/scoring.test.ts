import { describe, expect, it } from 'vitest';
import { checkReview, checkScorecard, readScorecardInput } from './scorecard-form.js';
import type { ClosedConversation, Criterion, ScorecardRow } from './scorecard-queries.js';
import {
  isoWeekOf,
  normalizedScore,
  parseIsoWeek,
  queueWeek,
  scorecardFor,
  weeklySample,
  weightedScore,
} from './scoring.js';

const criteria: Criterion[] = [
  { id: 'c1', label: 'Begrüßung', scale: '1-5', weight: 1 },
  { id: 'c2', label: 'Richtige Lösung', scale: '1-5', weight: 3 },
  { id: 'c3', label: 'Nächster Schritt klar', scale: 'yes-no', weight: 2 },
];

const card = (overrides: Partial<ScorecardRow>): ScorecardRow => ({
  id: 'x',
  siteKey: null,
  name: 'Card',
  topic: null,
  criteria,
  sampleSize: 5,
  createdBy: 'owner',
  createdAt: 1,
  archivedAt: null,
  ...overrides,
});

describe('scoring', () => {
  it('maps 1–5 onto 0..1 and yes/no onto 1 or 0', () => {
    expect(normalizedScore(criteria[0]!, 1)).toBe(0);
    expect(normalizedScore(criteria[0]!, 4)).toBe(0.75);
    expect(normalizedScore(criteria[2]!, 1)).toBe(1);
    expect(normalizedScore(criteria[2]!, 0)).toBe(0);
  });

  it('weights the total by the criteria weights (hand-computed)', () => {
    // (1·0.75 + 3·0.5 + 2·1) / 6 = 4.25 / 6
    const total = weightedScore(criteria, {
      c1: { score: 4, comment: '' },
      c2: { score: 3, comment: '' },
      c3: { score: 1, comment: '' },
    });
    expect(total).toBeCloseTo(4.25 / 6, 12);
  });

  it('picks the most specific active scorecard for a conversation', () => {
    const cards = [
      card({ id: 'all' }),
      card({ id: 'site', siteKey: 'demo' }),
      card({ id: 'topic', siteKey: 'demo', topic: 'shipping' }),
      card({ id: 'gone', siteKey: 'demo', topic: 'shipping', archivedAt: 5, createdAt: 9 }),
      card({ id: 'other', siteKey: 'other', topic: 'shipping' }),
    ];
    expect(scorecardFor(cards, 'demo', 'shipping')?.id).toBe('topic');
    expect(scorecardFor(cards, 'demo', 'returns')?.id).toBe('site');
    expect(scorecardFor(cards, 'shop', null)?.id).toBe('all');
    expect(scorecardFor([], 'demo', null)).toBeUndefined();
  });

  it('names ISO weeks across the turn of the year', () => {
    expect(isoWeekOf(Date.parse('2026-12-05T14:00:00Z')).id).toBe('2026-W49');
    expect(isoWeekOf(Date.parse('2027-01-01T00:00:00Z')).id).toBe('2026-W53');
    expect(isoWeekOf(Date.parse('2024-12-30T00:00:00Z')).id).toBe('2025-W01');
    const w = isoWeekOf(Date.parse('2026-12-05T14:00:00Z'));
    expect(new Date(w.from).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(w.to).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(parseIsoWeek('2026-W49')).toEqual(w);
    expect(parseIsoWeek('2025-W53')).toBeUndefined();
    expect(parseIsoWeek('2026-49')).toBeUndefined();
  });

  it("starts a week at Monday 00:00 on the site's clock, across a change of offset", () => {
    // Monday 7 December 2026, 00:30 in Berlin, still Sunday in UTC.
    const mondayNight = Date.parse('2026-12-06T23:30:00Z');
    expect(isoWeekOf(mondayNight).id).toBe('2026-W49');
    const berlin = isoWeekOf(mondayNight, 'Europe/Berlin');
    expect(berlin.id).toBe('2026-W50');
    expect(new Date(berlin.from).toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(new Date(berlin.to).toISOString()).toBe('2026-12-13T23:00:00.000Z');
    expect(parseIsoWeek('2026-W50', 'Europe/Berlin')).toEqual(berlin);
    // Summer time begins on Sunday 28 March 2027: that week has 167 hours.
    const march = parseIsoWeek('2027-W12', 'Europe/Berlin')!;
    expect(new Date(march.from).toISOString()).toBe('2027-03-21T23:00:00.000Z');
    expect(new Date(march.to).toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(isoWeekOf(march.to, 'Europe/Berlin').id).toBe('2027-W13');
    expect(isoWeekOf(march.to - 1, 'Europe/Berlin').id).toBe('2027-W12');
  });

  it("puts each closed conversation in the week of its own site's calendar", () => {
    const zones = new Map([
      ['demo', 'Europe/Berlin'],
      ['other', 'UTC'],
    ]);
    const at = (siteKey: string, iso: string): ClosedConversation => ({
      id: `${siteKey} ${iso}`,
      ticketId: 'T',
      siteKey,
      topic: null,
      assignee: 'ina',
      closedAt: Date.parse(iso),
    });
    const closed = [
      at('demo', '2026-12-06T22:59:00Z'),
      at('demo', '2026-12-06T23:30:00Z'),
      at('other', '2026-12-06T23:30:00Z'),
      at('other', '2026-12-07T00:00:00Z'),
      // A site no longer configured keeps UTC weeks.
      at('gone', '2026-12-06T23:30:00Z'),
    ];
    const held = (asked: string) => {
      const week = queueWeek(asked, 0, zones);
      const inWeek = closed.filter(week.holds);
      // The period read from the store holds every one of them.
      expect(inWeek.every((c) => c.closedAt >= week.from && c.closedAt < week.to)).toBe(true);
      return inWeek.map((c) => c.id);
    };
    expect(held('2026-W49')).toEqual([
      'demo 2026-12-06T22:59:00Z',
      'other 2026-12-06T23:30:00Z',
      'gone 2026-12-06T23:30:00Z',
    ]);
    expect(held('2026-W50')).toEqual(['demo 2026-12-06T23:30:00Z', 'other 2026-12-07T00:00:00Z']);
    // Unasked, the newest week begun on any site's calendar: Monday 00:30 in Berlin is week 50.
    const mondayNight = queueWeek(undefined, Date.parse('2026-12-06T23:30:00Z'), zones);
    expect([mondayNight.previous, mondayNight.id, mondayNight.next]).toEqual([
      '2026-W49',
      '2026-W50',
      '2026-W51',
    ]);
    expect(queueWeek(undefined, Date.parse('2026-12-06T22:30:00Z'), zones).id).toBe('2026-W49');
    expect(queueWeek(undefined, Date.parse('2026-12-06T23:30:00Z'), new Map()).id).toBe('2026-W49');
    expect(queueWeek('2026-W99', Date.parse('2026-12-06T23:30:00Z'), zones).id).toBe('2026-W50');
  });

  it('samples the same share per agent, stable and independent of the order given', () => {
    const closed: ClosedConversation[] = [];
    for (let i = 0; i < 30; i++) {
      closed.push({
        id: `h-${i}`,
        ticketId: `T-${i}`,
        siteKey: 'demo',
        topic: null,
        assignee: i % 3 === 0 ? 'ina' : 'udo',
        closedAt: i,
      });
    }
    const sample = weeklySample(closed, 4);
    expect(sample.map((s) => [s.agentId, s.closed, s.conversations.length])).toEqual([
      ['ina', 10, 4],
      ['udo', 20, 4],
    ]);
    expect(weeklySample([...closed].reverse(), 4)).toEqual(sample);
    // Not simply the first or the last closed: the hash decides.
    const ids = sample[1]!.conversations.map((c) => c.id);
    expect(ids).not.toEqual(['h-1', 'h-2', 'h-4', 'h-5']);
    expect(weeklySample(closed, 100)[0]!.conversations).toHaveLength(10);
  });
});

describe('forms', () => {
  it('names each wrong field of a scorecard and keeps what was typed', () => {
    const input = readScorecardInput(
      new URLSearchParams({
        name: '',
        site: 'nosuch',
        topic: 'Not A Topic',
        sample: '0',
        label_0: 'Begrüßung',
        scale_0: '1-5',
        weight_0: '-1',
        label_1: '',
        weight_1: 'x',
      }),
    );
    const checked = checkScorecard(input, ['demo']);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues.map((i) => i.field)).toEqual([
      'name',
      'site',
      'topic',
      'sample',
      'criteria.0.weight',
    ]);
    expect(input.criteria[0]?.weight).toBe('-1');
  });

  it('gives new criteria fresh ids and keeps existing ones', () => {
    const checked = checkScorecard(
      readScorecardInput(
        new URLSearchParams({
          name: 'Qualität',
          site: '',
          topic: 'shipping',
          sample: '3',
          id_0: 'c2',
          label_0: 'Lösung',
          scale_0: '1-5',
          weight_0: '2,5',
          id_1: 'c2',
          label_1: 'Kopie',
          scale_1: 'yes-no',
          weight_1: '1',
        }),
      ),
      ['demo'],
    );
    expect(checked).toEqual({
      ok: true,
      value: {
        name: 'Qualität',
        siteKey: null,
        topic: 'shipping',
        sampleSize: 3,
        criteria: [
          { id: 'c2', label: 'Lösung', scale: '1-5', weight: 2.5 },
          { id: 'c1', label: 'Kopie', scale: 'yes-no', weight: 1 },
        ],
      },
    });
  });

  it('refuses a topic no knowledge base of the chosen site has, once a model says', () => {
    const input = (site: string, topic: string) =>
      readScorecardInput(
        new URLSearchParams({ name: 'Q', site, topic, sample: '3', label_0: 'L', scale_0: '1-5' }),
      );
    const topics = (site: string) =>
      site === 'demo' ? ['shipping'] : site === '' ? ['shipping', 'returns'] : undefined;
    const fieldsOf = (check: ReturnType<typeof checkScorecard>) =>
      check.ok ? [] : check.issues.map((i) => `${i.field} ${i.message}`);
    expect(fieldsOf(checkScorecard(input('demo', 'gibt-es-nicht'), ['demo'], topics))).toEqual([
      'topic errTopicUnknown',
    ]);
    expect(fieldsOf(checkScorecard(input('demo', 'shipping'), ['demo'], topics))).toEqual([]);
    expect(fieldsOf(checkScorecard(input('', 'returns'), ['demo'], topics))).toEqual([]);
    // Without a model to ask, any well-formed id is taken.
    expect(fieldsOf(checkScorecard(input('other', 'returns'), ['other'], topics))).toEqual([]);
  });

  it('counts each line break of a comment once, as the textarea counts it, and keeps it as LF', () => {
    // 1 000 lines, 1 999 characters in the box; a browser posts 2 998 (each break as CRLF).
    const typed = Array.from({ length: 1000 }, () => 'x').join('\r\n');
    const scores = (comment: string) =>
      checkReview(
        {
          c1: { score: '4', comment },
          c2: { score: '3', comment: '' },
          c3: { score: '1', comment: '' },
        },
        criteria,
      );
    const checked = scores(typed);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.scores.c1!.comment).toBe(Array.from({ length: 1000 }, () => 'x').join('\n'));
    expect(checked.scores.c1!.comment).toHaveLength(1999);
    // One character more than the box takes is still refused.
    expect(scores(`${typed}\r\nxx`).ok).toBe(false);
  });

  it('requires a score on each criterion within its scale', () => {
    const checked = checkReview(
      {
        c1: { score: '6', comment: '' },
        c2: { score: '3', comment: 'gut' },
        c3: { score: '', comment: 'x'.repeat(2001) },
      },
      criteria,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues.map((i) => i.field)).toEqual(['score.c1', 'score.c3', 'comment.c3']);
  });
});
