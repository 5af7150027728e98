import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import { escapeHtml } from '../pages/html.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { fakeBuilder, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

/** Hostile criterion labels and comments: H5SC vectors cut to what the forms take. */
const hostile = h5sc
  .map((v) => v.trim().slice(0, 120).trim())
  .filter((v, i, all) => v !== '' && all.indexOf(v) === i)
  .slice(0, 12);

describeStores('scorecards', (target) => {
  let t: TestServer;
  let owner: AgentSession;
  let rita: AgentSession;
  let ina: AgentSession;
  let udo: AgentSession;
  const ids: Record<string, string> = {};
  const wednesday = Date.parse('2026-12-02T10:00:00Z'); // a Wednesday of 2026-W49
  let clock = wednesday;

  beforeAll(async () => {
    t = await startTestServer(target, {
      now: () => clock,
      // The fake model with the part a scorecard's topic is checked against.
      buildModel: async (source) => {
        const built = await fakeBuilder(source);
        const site = { topics: { shipping: { name: 'Versand' } } };
        return { ...built, json: JSON.stringify({ ...JSON.parse(built.json), site }) };
      },
    });
    const passwordHash = await hashPassword('ein langes Passwort');
    for (const [name, role] of [
      ['rita', 'reviewer'],
      ['ina', 'agent'],
      ['udo', 'agent'],
    ] as const) {
      ids[name] = `agent-${name}`;
      await t.server.store.insertAgent({
        id: ids[name]!,
        email: `${name}@example.com`,
        passwordHash,
        role,
        createdAt: 1,
      });
    }
    owner = await logIn(t.url, 'admin@example.com', 'test-password');
    rita = await logIn(t.url, 'rita@example.com', 'ein langes Passwort');
    ina = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
    udo = await logIn(t.url, 'udo@example.com', 'ein langes Passwort');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A conversation handled by `agent`, closed now. */
  async function closedConversation(
    agent: string,
    siteKey = 'demo',
  ): Promise<{ id: string; ticket: string }> {
    const request = handoffRequest({ siteKey });
    const created = await t.post('/v1/handoffs', request);
    expect(created.status).toBe(201);
    const id = String(request.id);
    await t.server.store.updateHandoff(id, {
      status: 'closed',
      closedAt: clock,
      assignee: ids[agent]!,
    });
    return { id, ticket: created.json.ticketId };
  }

  const scorecardFields = {
    name: 'Qualität',
    site: 'demo',
    topic: '',
    sample: '3',
    label_0: 'Begrüßung',
    scale_0: '1-5',
    weight_0: '1',
    label_1: 'Richtige Lösung',
    scale_1: '1-5',
    weight_1: '3',
    label_2: 'Nächster Schritt klar',
    scale_2: 'yes-no',
    weight_2: '2',
  };

  it('lets only the owner define a scorecard, naming wrong fields and keeping the input', async () => {
    expect((await ina.post('/scorecards/new', scorecardFields)).status).toBe(403);
    expect((await rita.get('/scorecards/new')).status).toBe(403);
    // The form takes what the check takes: 120 characters of a label.
    const form = await owner.get('/scorecards/new');
    expect(form.text).toContain('id="label-0" name="label_0" value="" maxlength="120"');
    const long = await owner.post('/scorecards/new?lang=en', {
      ...scorecardFields,
      label_0: 'x'.repeat(121),
    });
    expect(long.status).toBe(400);
    expect(long.text).toContain('At most 120 characters.');
    const wrong = await owner.post('/scorecards/new?lang=de', {
      ...scorecardFields,
      name: '',
      weight_1: '-2',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Bitte einen Namen mit 1 bis 120 Zeichen angeben.');
    expect(wrong.text).toContain(
      'id="weight-1" name="weight_1" value="-2" inputmode="decimal" size="6" aria-invalid="true" aria-describedby="err-criteria-1-weight"',
    );
    expect(wrong.text).toContain('value="Richtige Lösung"');
    const noTopic = await owner.post('/scorecards/new?lang=en', {
      ...scorecardFields,
      topic: 'gibt-es-nicht',
    });
    expect(noTopic.status).toBe(400);
    expect(noTopic.text).toContain('No topic of the knowledge base has this id');
    expect(await t.server.store.listScorecards()).toEqual([]);

    const saved = await owner.post('/scorecards/new', scorecardFields);
    expect(saved.status).toBe(303);
    const [card] = await t.server.store.listScorecards();
    expect(card).toMatchObject({ name: 'Qualität', siteKey: 'demo', topic: null, sampleSize: 3 });
    expect(card!.criteria.map((c) => [c.id, c.label, c.scale, c.weight])).toEqual([
      ['c1', 'Begrüßung', '1-5', 1],
      ['c2', 'Richtige Lösung', '1-5', 3],
      ['c3', 'Nächster Schritt klar', 'yes-no', 2],
    ]);
    const list = await owner.get('/scorecards/?lang=en');
    expect(list.text).toContain('Qualität');
    // The section and the table's region are two landmarks, each with its own name.
    const section = /<h2 id="cards-h">(.*?)<\/h2>/.exec(list.text)?.[1];
    const region = /<caption id="cards-caption">(.*?)<\/caption>/.exec(list.text)?.[1];
    expect(section).toBe('Scorecards');
    expect(region).toBeDefined();
    expect(region).not.toBe(section);
    expect(list.text).toContain('Richtige Lösung (1 to 5, ×3)');
    // Agents see their feedback link, not the scorecards.
    expect((await ina.get('/scorecards/')).text).not.toContain('Qualität');
  });

  it('lets a reviewer score a sampled conversation; the agent sees the feedback, colleagues do not', async () => {
    const c = await closedConversation('ina');
    const queue = await rita.get('/scorecards/queue?lang=de');
    expect(queue.status).toBe(200);
    expect(queue.text).toContain('2026-W49');
    expect(queue.text).toContain(c.ticket);
    // The topic by its name in the knowledge base, as the inbox shows it.
    expect(queue.text).toContain(`>${c.ticket}</a></td><td>Versand</td>`);
    expect((await ina.get('/scorecards/queue')).status).toBe(403);

    const view = await rita.get(`/inbox/c/${c.id}?lang=de`);
    expect(view.text).toContain('Bewertung des Gesprächs');
    expect(view.text).toContain('<legend>Richtige Lösung</legend>');
    expect(view.text).toContain(`action="/scorecards/c/${c.id}/review"`);

    // A missing score is named and the comments stay.
    const missing = await rita.post(`/scorecards/c/${c.id}/review?lang=de`, {
      score_c1: '4',
      comment_c1: 'Freundlich begrüßt',
      score_c2: '3',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('id="err-score-c3">Bitte eine Bewertung wählen.');
    expect(missing.text).toContain('>Freundlich begrüßt</textarea>');

    // The agent cannot score, and nobody scores an open conversation.
    expect(
      (
        await ina.post(`/scorecards/c/${c.id}/review`, {
          score_c1: '5',
          score_c2: '5',
          score_c3: '1',
        })
      ).status,
    ).toBe(403);
    const saved = await rita.post(`/scorecards/c/${c.id}/review`, {
      score_c1: '4',
      comment_c1: 'Freundlich begrüßt',
      score_c2: '3',
      comment_c2: 'Die Rücksendung hätte gereicht.',
      score_c3: '1',
    });
    expect(saved.status).toBe(303);
    const [review] = await t.server.store.listReviews(c.id);
    // (1·0.75 + 3·0.5 + 2·1) / 6
    expect(review!.score).toBeCloseTo(4.25 / 6, 6);
    expect(review!.agentId).toBe(ids.ina);

    const mine = await ina.get('/scorecards/mine?lang=en');
    expect(mine.text).toContain('Die Rücksendung hätte gereicht.');
    expect(mine.text).toContain('71 %');
    const onConversation = await ina.get(`/inbox/c/${c.id}?lang=en`);
    expect(onConversation.text).toContain('<h2 id="review-h">Feedback</h2>');
    expect(onConversation.text).toContain('Die Rücksendung hätte gereicht.');
    expect(onConversation.text).not.toContain('review-form');
    expect((await ina.get(`/scorecards/r/${review!.id}`)).status).toBe(200);

    expect((await udo.get('/scorecards/mine')).text).not.toContain('Rücksendung');
    expect((await udo.get(`/inbox/c/${c.id}`)).text).not.toContain('Rücksendung');
    const foreign = await udo.get(`/scorecards/r/${review!.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('not_found');
    expect((await udo.get('/scorecards/calibration')).status).toBe(403);
  });

  it('shows agents their colleagues’ averages only when the owner allows it', async () => {
    expect((await udo.get('/scorecards/team')).status).toBe(403);
    expect((await udo.get('/scorecards/?lang=en')).text).not.toContain('/scorecards/team');
    const team = await rita.get('/scorecards/team?lang=en');
    expect(team.status).toBe(200);
    expect(team.text).toContain('<th scope="row">ina@example.com</th><td>1</td><td>71 %</td>');
    expect(team.text).not.toContain('Die Rücksendung hätte gereicht.');
    expect((await ina.post('/scorecards/settings', { team: '1' })).status).toBe(403);
    expect((await owner.post('/scorecards/settings', { team: '1' })).status).toBe(303);
    expect((await owner.get('/scorecards/')).text).toContain('name="team" value="1" checked');
    const allowed = await udo.get('/scorecards/team?lang=en');
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('ina@example.com');
    expect(allowed.text).not.toContain('Die Rücksendung hätte gereicht.');
    await owner.post('/scorecards/settings', {});
    expect((await udo.get('/scorecards/team')).status).toBe(403);
  });

  it('refuses to review an open conversation or one’s own', async () => {
    const request = handoffRequest();
    await t.post('/v1/handoffs', request);
    const open = await rita.post(`/scorecards/c/${String(request.id)}/review`, {
      score_c1: '5',
      score_c2: '5',
      score_c3: '1',
    });
    expect(open.status).toBe(409);
    const own = await closedConversation('rita');
    expect((await rita.get(`/inbox/c/${own.id}?lang=en`)).text).toContain(
      'You do not review your own conversations.',
    );
    const r = await rita.post(`/scorecards/c/${own.id}/review`, {
      score_c1: '5',
      score_c2: '5',
      score_c3: '1',
    });
    expect(r.status).toBe(409);
    expect(await t.server.store.listReviews(own.id)).toEqual([]);
  });

  it('takes a comment the textarea took, its line breaks posted as CRLF', async () => {
    const c = await closedConversation('ina');
    // 1 999 characters in the box (maxlength 2000), 2 998 as the browser posts them.
    const lines = Array.from({ length: 1000 }, () => 'x');
    const r = await rita.post(`/scorecards/c/${c.id}/review?lang=de`, {
      score_c1: '4',
      comment_c1: lines.join('\r\n'),
      score_c2: '3',
      score_c3: '1',
    });
    expect(r.status).toBe(303);
    const [review] = await t.server.store.listReviews(c.id);
    expect(review!.scores.c1!.comment).toBe(lines.join('\n'));
  });

  it('shows two reviewers’ differences per criterion (calibration)', async () => {
    const c = await closedConversation('udo');
    await rita.post(`/scorecards/c/${c.id}/review`, {
      score_c1: '5',
      score_c2: '4',
      score_c3: '1',
    });
    await owner.post(`/scorecards/c/${c.id}/review`, {
      score_c1: '2',
      score_c2: '4',
      score_c3: '0',
    });
    const page = await rita.get('/scorecards/calibration?lang=en');
    expect(page.status).toBe(200);
    expect(page.text).toContain(c.ticket);
    expect(page.text).toContain('<strong>Disagreement: 75 %</strong>');
    expect(page.text).toContain('<strong>Disagreement: 100 %</strong>');
    expect(page.text).toContain('rita@example.com');
    expect(page.text).toContain('admin@example.com');
  });

  it('renders hostile criterion labels and comments as text on every page', async () => {
    const fields: Record<string, string> = { name: hostile[0]!, site: '', topic: '', sample: '5' };
    hostile.slice(0, 6).forEach((label, i) => {
      fields[`label_${i}`] = label;
      fields[`scale_${i}`] = '1-5';
      fields[`weight_${i}`] = '1';
    });
    expect((await owner.post('/scorecards/new', fields)).status).toBe(303);
    const card = (await t.server.store.listScorecards()).find((s) => s.name === hostile[0]);
    expect(card?.criteria).toHaveLength(6);
    // The newest scorecard for every site: archive the site's one so this one applies.
    const [siteCard] = (await t.server.store.listScorecards()).filter((s) => s.siteKey === 'demo');
    await owner.post(`/scorecards/s/${siteCard!.id}/archive`, { archived: '1' });
    const c = await closedConversation('ina');
    const review: Record<string, string> = { scorecard: card!.id };
    card!.criteria.forEach((k, i) => {
      review[`score_${k.id}`] = '3';
      review[`comment_${k.id}`] = hostile[(i + 6) % hostile.length]!;
    });
    expect((await rita.post(`/scorecards/c/${c.id}/review`, review)).status).toBe(303);
    await owner.post(`/scorecards/c/${c.id}/review`, review);
    const pages = [
      await owner.get('/scorecards/'),
      await owner.get(`/scorecards/s/${card!.id}`),
      await rita.get(`/inbox/c/${c.id}`),
      await rita.get('/scorecards/calibration'),
      await rita.get('/scorecards/queue'),
      await ina.get('/scorecards/mine'),
      await ina.get(`/inbox/c/${c.id}`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expectInertPage(page.text);
    }
    expect(pages[5]!.text).toContain(escapeHtml(hostile[6]!));
  });

  it("dates and weeks a conversation on its site's clock: Monday 00:30 in Berlin", async () => {
    const [card] = await t.server.store.listScorecards();
    const scores = Object.fromEntries(
      card!.criteria.map((k) => [`score_${k.id}`, k.scale === '1-5' ? '3' : '1']),
    );
    try {
      // Sunday 23:10 UTC on the UTC site: still week 49 there.
      clock = Date.parse('2026-12-06T23:10:00Z');
      const sunday = await closedConversation('udo', 'other');
      // Monday 7 December 00:30 in Berlin, Sunday 23:30 in UTC.
      clock = Date.parse('2026-12-06T23:30:00Z');
      const c = await closedConversation('ina');
      // Sessions last 12 hours: sign in again on the later clock.
      const rita = await logIn(t.url, 'rita@example.com', 'ein langes Passwort');
      const ina = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
      const queue = await rita.get('/scorecards/queue?lang=en');
      expect(queue.text).toContain('value="2026-W50"');
      expect(queue.text).toContain('href="/scorecards/queue?week=2026-W49"');
      expect(queue.text).toContain('href="/scorecards/queue?week=2026-W51"');
      expect(queue.text).toContain(c.ticket);
      expect(queue.text).toContain(
        '<time datetime="2026-12-06T23:30:00.000Z">07/12/2026, 00:30</time>',
      );
      expect(queue.text).not.toContain(sunday.ticket);
      const before = await rita.get('/scorecards/queue?week=2026-W49&lang=en');
      expect(before.text).toContain(sunday.ticket);
      expect(before.text).toContain(
        '<time datetime="2026-12-06T23:10:00.000Z">06/12/2026, 23:10</time>',
      );
      expect(before.text).not.toContain(c.ticket);

      expect((await rita.post(`/scorecards/c/${c.id}/review`, scores)).status).toBe(303);
      const [review] = await t.server.store.listReviews(c.id);
      const reviewed = '<time datetime="2026-12-06T23:30:00.000Z">07/12/2026, 00:30</time>';
      const article = (text: string) =>
        /<article class="card review".*?<\/article>/s.exec(text)?.[0];
      expect(article((await ina.get(`/inbox/c/${c.id}?lang=en`)).text)).toContain(reviewed);
      expect((await ina.get(`/scorecards/r/${review!.id}?lang=en`)).text).toContain(reviewed);
      expect((await ina.get('/scorecards/mine?lang=en')).text).toContain(reviewed);
      expect((await ina.get('/scorecards/mine?lang=de')).text).toContain('>07.12.26, 00:30</time>');
    } finally {
      clock = wednesday;
    }
  });
});
