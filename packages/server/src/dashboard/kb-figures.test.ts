import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeEntryFile } from '@lotse/triage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildWorker, createBuildWorker } from '../kb/create-build-worker.js';
import type { KbVersionInfo } from '../kb/kb-queries.js';
import { textHash } from '../kb/kb-source.js';
import { silentLogger } from '../options.js';
import type { EventRow } from '../store/store.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { writeSmallKb } from '../test-support/small-kb.js';
import { describeStores } from '../test-support/stores.js';
import { computeDashboard } from './compute-dashboard.js';
import { contentGaps, type GapTally, mysteryChecks } from './kb-figures.js';
import { servedModel } from './served-model.js';

const DAY = 86_400_000;
const t0 = Date.parse('2025-11-03T00:00:00Z');
const period = `site=other&from=${t0}&to=${t0 + 10 * DAY}`;
const hostile = '"><img src=x onerror=alert(1)> & <script>alert(2)</script>';

const giftCards = writeEntryFile({
  id: 'gift-cards',
  topic: 'orders',
  title: 'Gift cards',
  locale: 'en',
  examples: [
    'Do you sell gift cards?',
    'buy a gift voucher',
    'gift card for a friend',
    'can I give a voucher as a present',
    'where do I get a gift certificate',
  ],
  answer: 'Gift cards are sold in the shop.',
});

describeStores('knowledge-base figures on the dashboard', (target) => {
  let t: TestServer;
  let agent: AgentSession;
  let dir: string;
  let clock = t0;
  let rows: EventRow[];

  const event = (n: number, type: string, ts: number, props: Record<string, unknown>): EventRow => {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    return {
      id,
      siteKey: 'other',
      type,
      ts,
      receivedAt: ts,
      sessionId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      anonymousId: id,
      conversationId: null,
      userId: null,
      props,
      clientHash: null,
    };
  };
  const unanswered = (n: number, ts: number, text: string, locale?: string) =>
    event(n, 'query.unanswered', ts, { text, ...(locale === undefined ? {} : { locale }) });
  const shown = (n: number, ts: number, kbVersion?: number) =>
    event(n, 'answer.shown', ts, {
      entryId: 'delivery-time',
      level: 1,
      ...(kbVersion === undefined ? {} : { kbVersion }),
    });
  const rated = (n: number, ts: number, helpful: boolean, kbVersion: number) =>
    event(n, 'answer.rated', ts, { entryId: 'delivery-time', helpful, kbVersion });

  // One server per store for the suite (two real builds); the tests read, the last one restores.
  let builder: BuildWorker;
  beforeAll(async () => {
    clock = t0;
    builder = createBuildWorker();
    t = await startTestServer(target, {
      now: () => clock,
      buildModel: builder.build,
      watchKnowledgeBases: false,
    });
    // Version 1 (an import on day 1) has no gift-card entry, so the suite's check for it fails.
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-kb-'));
    writeSmallKb(dir);
    appendFileSync(
      path.join(dir, 'checks.jsonl'),
      `${JSON.stringify({ id: 'gift-cards-1', locale: 'en', question: 'buy a gift voucher', expect: { entry: 'gift-cards' } })}\n`,
    );
    clock = t0 + DAY;
    expect(await t.server.knowledgeBase.importFolder('other', dir)).toBe(true);

    rows = [
      unanswered(1, t0 + 2 * DAY, 'Do you sell gift cards?', 'en'),
      unanswered(2, t0 + 3 * DAY, 'do you sell gift cards', 'en'),
      unanswered(3, t0 + 5 * DAY, 'Do you sell gift cards!', 'en'),
      unanswered(4, t0 + 2 * DAY + 3_600_000, 'What is the weather like today?', 'en'),
      unanswered(5, t0 + 4 * DAY, hostile),
      shown(6, t0 + 2 * DAY, 1),
      shown(7, t0 + 2 * DAY, 1),
      shown(8, t0 + 2 * DAY),
      rated(9, t0 + 2 * DAY + 1000, true, 1),
      rated(10, t0 + 2 * DAY + 1000, false, 1),
    ];
    await t.server.store.insertEvents(rows);

    // Version 2 (day 6), published by an owner, adds the entry that answers the gift-card question.
    clock = t0 + 6 * DAY;
    const file = 'entries/gift-cards.en.md';
    const kb = t.server.knowledgeBase;
    expect(
      await kb.saveDraft('other', file, giftCards, textHash(null), 'owner@example.com'),
    ).toEqual({ saved: true });
    const published = await kb.publish('other', {
      author: 'owner@example.com',
      message: 'Gift cards',
    });
    if (!published.ok) throw new Error(JSON.stringify(published));

    const later = [
      unanswered(11, t0 + 8 * DAY, 'Do you sell gift cards?', 'en'),
      unanswered(12, t0 + 7 * DAY, 'What is the weather like today?', 'en'),
      shown(13, t0 + 8 * DAY, 2),
      shown(14, t0 + 8 * DAY, 2),
      shown(15, t0 + 8 * DAY, 2),
      rated(16, t0 + 8 * DAY + 1000, true, 2),
      rated(17, t0 + 8 * DAY + 1000, true, 2),
      rated(18, t0 + 8 * DAY + 1000, true, 2),
    ];
    await t.server.store.insertEvents(later);
    rows.push(...later);

    // Version 3 (day 9) drops an entry whose check passed: published over the gate with a reason.
    clock = t0 + 9 * DAY;
    const cancel = 'entries/cancel-order.en.md';
    const current = (await kb.workingCopy('other')).source.files.find((f) => f.path === cancel);
    await kb.saveDraft('other', cancel, null, textHash(current?.text ?? null), 'owner@example.com');
    const forced = await kb.publish('other', {
      author: 'owner@example.com',
      message: 'No more cancelling',
      overrideReason: 'Orders ship at once <b>now</b>',
    });
    if (!forced.ok) throw new Error(JSON.stringify(forced));
    clock = t0 + 10 * DAY;
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await builder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows check results and answers per version, and closes the gap the new entry answers', async () => {
    const m = (await agent.get(`/dashboard/api/metrics?${period}`)).json;
    expect(m.mysteryChecks).toEqual([
      {
        version: 3,
        publishedAt: t0 + 9 * DAY,
        author: 'owner@example.com',
        passed: 3,
        total: 4,
        passRate: 0.75,
        overrideReason: 'Orders ship at once <b>now</b>',
      },
      {
        version: 2,
        publishedAt: t0 + 6 * DAY,
        author: 'owner@example.com',
        passed: 4,
        total: 4,
        passRate: 1,
        overrideReason: null,
      },
      {
        version: 1,
        publishedAt: t0 + DAY,
        author: null,
        passed: 3,
        total: 4,
        passRate: 0.75,
        overrideReason: null,
      },
    ]);
    // The answer.shown without a version counts nowhere here.
    expect(m.answersByKbVersion).toEqual([
      { version: 2, shown: 3, rated: 3, helpful: 3, helpfulRate: 1 },
      { version: 1, shown: 2, rated: 2, helpful: 1, helpfulRate: 0.5 },
    ]);
    // Three times in the six days before version 2 (the first published after it was first asked),
    // once in the four days since; version 3 serves the answer now.
    expect(m.contentGaps).toEqual([
      {
        text: 'Do you sell gift cards?',
        count: 4,
        locale: 'en',
        closed: {
          entryId: 'gift-cards',
          locale: 'en',
          version: 2,
          at: t0 + 6 * DAY,
          perDayBefore: 0.5,
          perDayAfter: 0.25,
        },
      },
      { text: 'What is the weather like today?', count: 2, locale: 'en', closed: null },
      { text: hostile, count: 1, locale: null, closed: null },
    ]);

    // Computed from the events alone (the path taken after the business hours change): the same.
    const site = (await t.server.sites.get('other'))!;
    const model = servedModel(t.server.models, 'other', silentLogger)!;
    const direct = computeDashboard(
      [...rows].sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id)),
      {
        from: t0,
        to: t0 + 10 * DAY,
        now: clock,
        hours: site.hours,
        knowledgeBase: {
          versions: await t.server.store.listKbVersions('other'),
          answer: model.answer,
        },
      },
    );
    expect(direct.contentGaps).toEqual(m.contentGaps);
    expect(direct.answersByKbVersion).toEqual(m.answersByKbVersion);
    expect(direct.mysteryChecks).toEqual(m.mysteryChecks);
  });

  it('links gaps and unhelpful answers to the editor, escaping every question', async () => {
    for (const [lang, create, edit] of [
      ['de', 'Eintrag anlegen', 'Eintrag bearbeiten'],
      ['en', 'Create entry', 'Edit entry'],
    ] as const) {
      const page = (await agent.get(`/dashboard/?${period}&lang=${lang}`)).text;
      expect(page).toContain(
        `<a href="/admin/kb/other/entry?new=1&amp;locale=en&amp;question=What%20is%20the%20weather%20like%20today%3F">${create}</a>`,
      );
      expect(page).toContain(
        `<a href="/admin/kb/other/entry?id=gift-cards&amp;locale=en">${edit}</a>`,
      );
      expect(page).toContain(`<a href="/admin/kb/other/entry?id=delivery-time">${edit}</a>`);
      // The hostile question: escaped as text, percent-encoded in its link (its locale unknown:
      // the knowledge base's default language).
      expect(page).not.toContain('<img');
      expect(page).not.toContain('<script>alert');
      expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
      expect(page).toContain(
        `question=${encodeURIComponent(hostile).replaceAll('&', '&amp;')}">${create}</a>`,
      );
      expect(page).not.toContain('<b>now</b>');
      expect(page).toContain('Orders ship at once &lt;b&gt;now&lt;/b&gt;');
    }
    const de = (await agent.get(`/dashboard/?${period}&lang=de`)).text;
    expect(de).toContain('<caption id="table-checks">Mystery-Checks je Version');
    expect(de).toMatch(/<th scope="row">1<\/th><td><time datetime="2025-11-04T00:00:00.000Z">/);
    expect(de).toContain('<td>Import</td><td>3 / 4</td><td>75,0 %</td>');
    expect(de).toContain(
      '<td>owner@example.com</td><td>4 / 4</td><td>100,0 %</td><td class="msg">–</td>',
    );
    expect(de).toContain('Beantwortet von <code>gift-cards</code>, seit <time');
    expect(de).toContain('(Version 2)</td><td>0,50</td><td>0,25</td>');
    expect(de).toContain('<tr><th scope="row">1</th><td>2</td><td>2</td><td>50,0 %</td></tr>');
  });

  it('exports the versions, their answers and the closed gap as CSV rows', async () => {
    const lines = (await agent.get(`/dashboard/export.csv?${period}`)).text.split('\r\n');
    for (const line of [
      '"mystery_checks","3","override_reason","Orders ship at once <b>now</b>"',
      '"mystery_checks","2","published_at","2025-11-09T00:00:00.000Z"',
      '"mystery_checks","2","author","owner@example.com"',
      '"mystery_checks","2","checks_passed",4',
      '"mystery_checks","1","author","import"',
      '"mystery_checks","1","pass_rate",0.75',
      '"mystery_checks","1","override_reason",',
      '"kb_version","1","answers_shown",2',
      '"kb_version","1","helpful_rate",0.5',
      '"content_gap","Do you sell gift cards?","closed_by_entry","gift-cards"',
      '"content_gap","Do you sell gift cards?","closed_by_version",2',
      '"content_gap","Do you sell gift cards?","per_day_after",0.25',
    ]) {
      expect(lines).toContain(line);
    }
  });
  it('loads the served model once per ETag (last: it restores version 1)', async () => {
    const first = servedModel(t.server.models, 'other', silentLogger);
    expect(first).toBeDefined();
    expect(servedModel(t.server.models, 'other', silentLogger)).toBe(first);
    const restored = await t.server.knowledgeBase.restore('other', 1, 'owner@example.com');
    if (!restored.ok) throw new Error(JSON.stringify(restored));
    const again = servedModel(t.server.models, 'other', silentLogger);
    expect(again?.etag).not.toBe(first?.etag);
    // The figures follow the newly served model (version 1's, restored as version 4), not a
    // cached answer: without the gift-card entry, the small test model picks another one.
    const m = (await agent.get(`/dashboard/api/metrics?${period}`)).json;
    expect(m.contentGaps[0].text).toBe('Do you sell gift cards?');
    expect(m.contentGaps[0].closed?.entryId).not.toBe('gift-cards');
  });
});

describe('contentGaps', () => {
  const version = (n: number, createdAt: number): KbVersionInfo => ({
    siteKey: 's',
    version: n,
    createdAt,
    author: null,
    message: '',
    kbHash: '',
    checksTotal: 0,
    checksFailed: [],
    overrideReason: null,
    restoredFrom: null,
    importedFrom: null,
    importHash: null,
  });
  const gap = (bySpan: [number, number][]): GapTally => ({
    text: 'q',
    locale: 'de',
    count: bySpan.reduce((sum, [, n]) => sum + n, 0),
    bySpan: new Map(bySpan),
  });
  const answer = () => ({ entryId: 'e', locale: 'de' });

  it('dates a gap first asked after the last version in the period by the next one after it', () => {
    const versions = [version(3, 20 * DAY), version(2, 5 * DAY), version(1, 0)];
    const starts = [versions[1]!];
    const [g] = contentGaps([gap([[1, 4]])], {
      kb: { versions, answer },
      from: 0,
      to: 10 * DAY,
      now: 30 * DAY,
      starts,
    });
    // Version 3 came after the period: no days after it inside, so no rate after.
    expect(g?.closed).toMatchObject({ version: 3, at: 20 * DAY, perDayAfter: null });
    expect(g?.closed?.perDayBefore).toBeCloseTo(0.4);
  });

  it('leaves a gap answered by a model older than its first occurrence undated', () => {
    const versions = [version(1, 0)];
    const [g] = contentGaps([gap([[0, 2]])], {
      kb: { versions, answer },
      from: DAY,
      to: 10 * DAY,
      now: 10 * DAY,
      starts: [],
    });
    expect(g?.closed).toEqual({
      entryId: 'e',
      locale: 'de',
      version: null,
      at: null,
      perDayBefore: null,
      perDayAfter: null,
    });
  });

  it('lists versions published before the period ends, newest first', () => {
    const versions = [version(3, 20 * DAY), version(2, 5 * DAY), version(1, 0)];
    expect(mysteryChecks(versions, 10 * DAY).map((v) => v.version)).toEqual([2, 1]);
  });
});
