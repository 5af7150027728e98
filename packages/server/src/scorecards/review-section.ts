// The review part of a conversation at `/inbox/c/:id`: the reviewer's form (a score and a comment per
// criterion) and the reviews the viewer may see: all of them for the owner and reviewers, the
// agent's own feedback for the agent who handled it, nothing for colleagues.
import type { AppContext, AppDeps } from '../http/deps.js';
import { time } from '../inbox/inbox-format.js';
import type { InboxHandoff } from '../inbox/inbox-queries.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type PageLocale, pickLocale } from '../pages/i18n.js';
import type { AgentRow } from '../store/store.js';
import { type FormIssue, MAX_COMMENT_LENGTH, type ReviewInput } from './scorecard-form.js';
import { type ScorecardMessages, scorecardMessages } from './scorecard-messages.js';
import type { ReviewRow, ScorecardRow } from './scorecard-queries.js';
import { scorecardFor } from './scoring.js';

/** Whether an agent may review colleagues' conversations (the owner and reviewers). */
export function mayReview(agent: AgentRow): boolean {
  return agent.role === 'admin' || agent.role === 'reviewer';
}

/** Whether `agent` may see this review: reviewers and the owner all, an agent only its own. */
export function maySeeReview(agent: AgentRow, review: ReviewRow): boolean {
  return mayReview(agent) || review.agentId === agent.id;
}

/** Why a conversation cannot be reviewed by `agent`, or undefined when it can. */
export function reviewBlock(
  agent: AgentRow,
  h: InboxHandoff,
): 'reviewOnlyClosed' | 'reviewNotOwn' | undefined {
  if (h.status !== 'closed' || h.assignee === null) return 'reviewOnlyClosed';
  if (h.assignee === agent.id) return 'reviewNotOwn';
  return undefined;
}

/** A score as the page shows it: `4 / 5`, `yes`, `no`. */
export function scoreText(
  t: ScorecardMessages,
  card: ScorecardRow | undefined,
  id: string,
  score: number | undefined,
): string {
  if (score === undefined) return t.notScored;
  const c = card?.criteria.find((x) => x.id === id);
  if (c?.scale === 'yes-no') return score === 1 ? t.yes : t.no;
  return `${score} / 5`;
}

/** A 0..1 total as a percentage. */
export function percent(score: number): string {
  return `${Math.round(score * 100)} %`;
}

/** One review: its total and each criterion's score and comment, dated in the site's `timeZone`. */
export function reviewDetails(
  t: ScorecardMessages,
  review: ReviewRow,
  card: ScorecardRow | undefined,
  reviewer: string,
  locale: PageLocale,
  timeZone: string,
): SafeHtml {
  return html`<article class="card review" aria-label="${t.review}: ${reviewer}">
  <p><strong>${t.review}</strong> · ${reviewer} · <time datetime="${new Date(review.ts).toISOString()}">${time(review.ts, locale, timeZone)}</time> · ${t.total}: <strong class="review-total">${percent(review.score)}</strong></p>
  <dl>${(card?.criteria ?? []).map(
    (c) =>
      html`<dt>${c.label}</dt><dd>${scoreText(t, card, c.id, review.scores[c.id]?.score)}${
        (review.scores[c.id]?.comment ?? '') === ''
          ? null
          : html`<p class="msg">${review.scores[c.id]?.comment}</p>`
      }</dd>`,
  )}</dl>
</article>`;
}

/** What the review form shows: the criteria, what was typed and what is wrong. */
export interface ReviewFormOptions {
  t: ScorecardMessages;
  handoffId: string;
  card: ScorecardRow;
  csrf: string;
  input?: ReviewInput | undefined;
  issues?: readonly FormIssue[];
}

/** The reviewer's form: per criterion a group of radio buttons and a comment. */
export function reviewForm(o: ReviewFormOptions): SafeHtml {
  const { t, card } = o;
  const issues = o.issues ?? [];
  const issueOf = (field: string) => issues.find((i) => i.field === field);
  const action = `/scorecards/c/${encodeURIComponent(o.handoffId)}/review`;
  return html`<form method="post" action="${action}" class="review-form">
  <input type="hidden" name="_csrf" value="${o.csrf}">
  <input type="hidden" name="scorecard" value="${card.id}">
  <p id="review-hint">${t.reviewHint} (${card.name})</p>
  ${issues.length === 0 ? null : html`<p class="error" role="alert">${t.fixErrors}</p>`}
  ${card.criteria.map((c) => {
    const typed = o.input?.[c.id];
    const scoreIssue = issueOf(`score.${c.id}`);
    const commentIssue = issueOf(`comment.${c.id}`);
    const options: [string, string][] =
      c.scale === '1-5'
        ? ['1', '2', '3', '4', '5'].map((v) => [v, v])
        : [
            ['1', t.yes],
            ['0', t.no],
          ];
    return html`<fieldset${scoreIssue === undefined ? null : html` aria-describedby="err-score-${c.id}"`}>
    <legend>${c.label}</legend>
    ${scoreIssue === undefined ? null : html`<p class="error" id="err-score-${c.id}">${t[scoreIssue.message]}</p>`}
    <p class="choices">${options.map(
      ([v, label]) =>
        html`<label><input type="radio" name="score_${c.id}" value="${v}" required${typed?.score === v ? html` checked` : null}> ${label}</label> `,
    )}</p>
    <label for="comment-${c.id}">${t.comment}: ${c.label}</label>
    ${commentIssue === undefined ? null : html`<p class="error" id="err-comment-${c.id}">${t[commentIssue.message]}</p>`}
    <textarea id="comment-${c.id}" name="comment_${c.id}" class="short" maxlength="${MAX_COMMENT_LENGTH}"${commentIssue === undefined ? null : html` aria-invalid="true" aria-describedby="err-comment-${c.id}"`}>${typed?.comment ?? ''}</textarea>
  </fieldset>`;
  })}
  <p><button type="submit">${t.saveReview}</button></p>
</form>`;
}

/**
 * The conversation view's review section for the signed-in agent: the form for reviewers and the
 * reviews they may see; empty for a colleague of the reviewed agent.
 */
export async function reviewSection(
  c: AppContext,
  deps: AppDeps,
  h: InboxHandoff,
  /** Agents' e-mails by id, as the conversation page has read them. */
  emails: ReadonlyMap<string, string>,
): Promise<SafeHtml> {
  const agent = c.get('agent');
  if (agent === undefined) return html``;
  const locale = pickLocale(c);
  const t = scorecardMessages(locale);
  const reviews = (await deps.store.listReviews(h.id)).filter((r) => maySeeReview(agent, r));
  const reviewer = mayReview(agent);
  const block = reviewBlock(agent, h);
  // An open conversation is not reviewed yet: no section, and no further queries on the inbox's
  // busiest page.
  if (reviews.length === 0 && (!reviewer || block === 'reviewOnlyClosed')) return html``;
  const cards = await deps.store.listScorecards({ archived: true });
  // Dated as the rest of the conversation page: in its site's time zone.
  const timeZone = (await deps.sites.get(h.siteKey))?.hours.timeZone ?? 'UTC';
  const byId = new Map(cards.map((s) => [s.id, s] as const));
  const mine = reviews.find((r) => r.reviewerId === agent.id);
  const card =
    (mine === undefined ? undefined : byId.get(mine.scorecardId)) ??
    scorecardFor(cards, h.siteKey, h.topic);
  const form = !reviewer
    ? null
    : block !== undefined
      ? html`<p>${t[block]}</p>`
      : card === undefined || card.archivedAt !== null
        ? html`<p>${t.noActiveScorecard}</p>`
        : reviewForm({
            t,
            handoffId: h.id,
            card,
            csrf: c.get('session')?.csrf ?? '',
            input:
              mine === undefined
                ? undefined
                : Object.fromEntries(
                    Object.entries(mine.scores).map(([id, s]) => [
                      id,
                      { score: String(s.score), comment: s.comment },
                    ]),
                  ),
          });
  return html`<section class="card" aria-labelledby="review-h" id="review">
  <h2 id="review-h">${reviewer ? t.reviewTitle : t.feedbackForAgent}</h2>
  ${c.req.query('review') === 'saved' ? html`<p role="status">${t.reviewSaved}</p>` : null}
  ${reviews.map((r) =>
    reviewDetails(
      t,
      r,
      byId.get(r.scorecardId),
      emails.get(r.reviewerId) ?? r.reviewerId,
      locale,
      timeZone,
    ),
  )}
  ${form}
</section>`;
}
