import { randomUUID } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import { agentEmails } from '../agents/agents-by-id.js';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { topicIds, topicInfo } from '../inbox/site-topics.js';
import { html } from '../pages/html.js';
import {
  mayReview,
  maySeeReview,
  reviewBlock,
  reviewDetails,
  reviewForm,
} from './review-section.js';
import {
  checkReview,
  checkScorecard,
  readReviewInput,
  readScorecardInput,
  scorecardInput,
} from './scorecard-form.js';
import {
  type ConversationLabel,
  calibrationBody,
  feedbackBody,
  pageContext,
  queueBody,
  scorecardFormBody,
  sendScorecardPage,
  startPage,
  teamBody,
} from './scorecard-pages.js';
import {
  calibrationOf,
  queueWeek,
  scoreAverages,
  scorecardFor,
  weeklySample,
  weightedScore,
} from './scoring.js';

const ownerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('agent')?.role !== 'admin') {
    return apiError(c, 403, 'forbidden', 'Only an admin may do this.');
  }
  await next();
};

const reviewerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const agent = c.get('agent');
  if (agent === undefined || !mayReview(agent)) {
    return apiError(c, 403, 'forbidden', 'Only an admin or a reviewer may do this.');
  }
  await next();
};

/** The ticket and the site's time zone of each conversation, by id. */
async function conversationsOf(
  deps: AppDeps,
  ids: readonly string[],
): Promise<Map<string, ConversationLabel>> {
  const out = new Map<string, ConversationLabel>();
  for (const id of new Set(ids)) {
    const h = await deps.store.getHandoff(id);
    if (h === undefined) continue;
    const timeZone = (await deps.sites.get(h.siteKey))?.hours.timeZone ?? 'UTC';
    out.set(id, { ticketId: h.ticketId, timeZone });
  }
  return out;
}

/** Each site's time zone by key, as the inbox shows its times. */
function timeZones(deps: AppDeps): Map<string, string> {
  return new Map(deps.sites.all().map((s) => [s.key, s.hours.timeZone] as const));
}

async function siteKeys(deps: AppDeps): Promise<string[]> {
  return (await deps.store.listSites()).map((s) => s.key);
}

/** Saves the owner's scorecard form (new when `id` is undefined). */
async function saveScorecardForm(
  c: AppContext,
  deps: AppDeps,
  id: string | undefined,
): Promise<Response> {
  const form = await readAgentForm(c, deps);
  if (form instanceof Response) return form;
  const existing = id === undefined ? undefined : await deps.store.getScorecard(id);
  if (id !== undefined && existing === undefined) {
    return apiError(c, 404, 'not_found', 'No such scorecard.', 'id');
  }
  const p = pageContext(c);
  const input = readScorecardInput(form);
  const sites = await siteKeys(deps);
  // The topics a scorecard may name: its site's, or every site's; unknown while a model is missing.
  const checked = checkScorecard(input, sites, (site) => {
    const lists = (site === '' ? sites : [site]).map((key) => topicIds(deps.models, key));
    return lists.every((list) => list !== undefined) ? lists.flat() : undefined;
  });
  if (!checked.ok) {
    const title = existing === undefined ? p.t.newScorecard : p.t.editScorecard;
    const body = scorecardFormBody(p, { card: existing, input, issues: checked.issues, sites });
    return sendScorecardPage(p, title, body, 400);
  }
  await deps.store.saveScorecard({
    ...checked.value,
    id: existing?.id ?? randomUUID(),
    createdBy: existing?.createdBy ?? c.get('agent')!.id,
    createdAt: existing?.createdAt ?? deps.now(),
    archivedAt: existing?.archivedAt ?? null,
  });
  return c.redirect('/scorecards/?saved=1', 303);
}

/**
 * `/scorecards/`: the owner defines and archives scorecards; reviewers see their weekly sample and
 * calibration and score conversations (`POST /scorecards/c/:id/review`); every agent sees the
 * reviews of its own conversations, never a colleague's.
 */
export function registerScorecardRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.use('/scorecards/*', requireAgent(deps));
  app.get('/scorecards', (c) => c.redirect('/scorecards/', 301));
  app.get('/scorecards/', async (c) => {
    const p = pageContext(c);
    const owner = c.get('agent')?.role === 'admin';
    const cards = owner ? await deps.store.listScorecards({ archived: true }) : [];
    const body = startPage(p, cards, await deps.store.teamScoresVisible());
    return sendScorecardPage(p, p.t.scorecards, body);
  });

  app.post('/scorecards/settings', ownerOnly, async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    await deps.store.setTeamScoresVisible(form.get('team') === '1');
    return c.redirect('/scorecards/?saved=1', 303);
  });

  // Colleagues' averages: for the owner and reviewers, and for agents only when the owner allows.
  app.get('/scorecards/team', async (c) => {
    if (!mayReview(c.get('agent')!) && !(await deps.store.teamScoresVisible())) {
      return apiError(c, 403, 'forbidden', "Only the owner may let agents see colleagues' scores.");
    }
    const p = pageContext(c);
    const to = deps.now();
    const averages = await scoreAverages(deps.store, to - 28 * 86_400_000, to + 1);
    return sendScorecardPage(p, p.t.teamScores, teamBody(p, averages, await agentEmails(deps)));
  });

  app.get('/scorecards/new', ownerOnly, async (c) => {
    const p = pageContext(c);
    const body = scorecardFormBody(p, {
      card: undefined,
      input: scorecardInput(),
      issues: [],
      sites: await siteKeys(deps),
    });
    return sendScorecardPage(p, p.t.newScorecard, body);
  });
  app.post('/scorecards/new', ownerOnly, (c) => saveScorecardForm(c, deps, undefined));
  app.get('/scorecards/s/:id', ownerOnly, async (c) => {
    const card = await deps.store.getScorecard(c.req.param('id'));
    if (card === undefined) return apiError(c, 404, 'not_found', 'No such scorecard.', 'id');
    const p = pageContext(c);
    const body = scorecardFormBody(p, {
      card,
      input: scorecardInput(card),
      issues: [],
      sites: await siteKeys(deps),
    });
    return sendScorecardPage(p, `${p.t.editScorecard}: ${card.name}`, body);
  });
  app.post('/scorecards/s/:id', ownerOnly, (c) => saveScorecardForm(c, deps, c.req.param('id')));
  app.post('/scorecards/s/:id/archive', ownerOnly, async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const card = await deps.store.getScorecard(c.req.param('id'));
    if (card === undefined) return apiError(c, 404, 'not_found', 'No such scorecard.', 'id');
    await deps.store.archiveScorecard(card.id, form.get('archived') === '0' ? null : deps.now());
    return c.redirect('/scorecards/?saved=1', 303);
  });

  app.get('/scorecards/queue', reviewerOnly, async (c) => {
    const p = pageContext(c);
    const zones = timeZones(deps);
    const week = queueWeek(c.req.query('week'), deps.now(), zones);
    const cards = await deps.store.listScorecards();
    // The sample's size is the owner's: the largest of the active scorecards (5 without any).
    const size = cards.length === 0 ? 5 : Math.max(...cards.map((s) => s.sampleSize));
    const closed = await deps.store.listClosedConversations(week.from, week.to);
    const samples = weeklySample(closed.filter(week.holds), size);
    const ids = samples.flatMap((s) => s.conversations.map((x) => x.id));
    const body = queueBody(
      p,
      week,
      samples,
      await deps.store.reviewersOf(ids),
      await agentEmails(deps),
      cards.length > 0,
      (x) => topicInfo(deps.models, x.siteKey, x.topic, p.locale).name,
      (siteKey) => zones.get(siteKey) ?? 'UTC',
    );
    return sendScorecardPage(p, `${p.t.queue} · ${week.id}`, body);
  });

  app.get('/scorecards/calibration', reviewerOnly, async (c) => {
    const p = pageContext(c);
    const cards = new Map(
      (await deps.store.listScorecards({ archived: true })).map((s) => [s.id, s] as const),
    );
    const list = calibrationOf(await deps.store.listCalibrationReviews(), cards);
    const conversations = await conversationsOf(
      deps,
      list.map((x) => x.handoffId),
    );
    const body = calibrationBody(p, list, cards, await agentEmails(deps), conversations);
    return sendScorecardPage(p, p.t.calibration, body);
  });

  app.get('/scorecards/mine', async (c) => {
    const p = pageContext(c);
    const reviews = await deps.store.listReviewsOfAgent(c.get('agent')!.id);
    const cards = new Map(
      (await deps.store.listScorecards({ archived: true })).map((s) => [s.id, s] as const),
    );
    const conversations = await conversationsOf(
      deps,
      reviews.map((r) => r.handoffId),
    );
    const body = feedbackBody(p, reviews, cards, await agentEmails(deps), conversations);
    return sendScorecardPage(p, p.t.myFeedback, body);
  });

  // One review: for the owner, reviewers and the reviewed agent; a colleague learns nothing, not
  // even that it exists (404).
  app.get('/scorecards/r/:id', async (c) => {
    const review = await deps.store.getReview(c.req.param('id'));
    if (review === undefined || !maySeeReview(c.get('agent')!, review)) {
      return apiError(c, 404, 'not_found', 'No such review.', 'id');
    }
    const p = pageContext(c);
    const card = await deps.store.getScorecard(review.scorecardId);
    const emails = await agentEmails(deps);
    const conversation = (await conversationsOf(deps, [review.handoffId])).get(review.handoffId);
    const ticket = conversation?.ticketId ?? '';
    const reviewer = emails.get(review.reviewerId) ?? review.reviewerId;
    const timeZone = conversation?.timeZone ?? 'UTC';
    const body = html`<p><a href="/inbox/c/${encodeURIComponent(review.handoffId)}#review">${p.t.conversation} ${ticket}</a></p>
${reviewDetails(p.t, review, card, reviewer, p.locale, timeZone)}`;
    return sendScorecardPage(p, `${p.t.review} · ${ticket}`, body);
  });

  app.post('/scorecards/c/:id/review', reviewerOnly, async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const agent = c.get('agent')!;
    const h = await deps.store.getHandoff(c.req.param('id'));
    if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
    const block = reviewBlock(agent, h);
    if (block !== undefined) {
      return apiError(
        c,
        409,
        'conflict',
        block === 'reviewNotOwn'
          ? 'id: you do not review your own conversations'
          : 'id: only closed, assigned conversations are reviewed',
        'id',
      );
    }
    const cards = await deps.store.listScorecards({ archived: true });
    const card =
      cards.find((s) => s.id === form.get('scorecard') && s.archivedAt === null) ??
      scorecardFor(cards, h.siteKey, h.topic);
    if (card === undefined) {
      return apiError(c, 400, 'invalid_request', 'scorecard: no active scorecard', 'scorecard');
    }
    const input = readReviewInput(form, card.criteria);
    const checked = checkReview(input, card.criteria);
    if (!checked.ok) {
      const p = pageContext(c);
      const body = html`<p><a href="/inbox/c/${encodeURIComponent(h.id)}">${p.t.conversation} ${h.ticketId}</a></p>
<section class="card" aria-labelledby="review-h"><h2 id="review-h">${p.t.reviewTitle}</h2>
${reviewForm({ t: p.t, handoffId: h.id, card, csrf: p.csrf, input, issues: checked.issues })}
</section>`;
      return sendScorecardPage(p, `${p.t.review} · ${h.ticketId}`, body, 400);
    }
    const previous = (await deps.store.listReviews(h.id)).find((r) => r.reviewerId === agent.id);
    await deps.store.saveReview({
      id: previous?.id ?? randomUUID(),
      handoffId: h.id,
      scorecardId: card.id,
      reviewerId: agent.id,
      agentId: h.assignee!,
      scores: checked.scores,
      score: weightedScore(card.criteria, checked.scores),
      ts: deps.now(),
    });
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}?review=saved#review`, 303);
  });
}
