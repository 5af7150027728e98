// The pages under `/scorecards/`: the start page, the owner's scorecard list and form, the
// reviewer's weekly queue, calibration, and the agent's own feedback.
import type { AppContext } from '../http/deps.js';
import { time } from '../inbox/inbox-format.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import { mayReview, percent, reviewDetails, scoreText } from './review-section.js';
import {
  type FormIssue,
  MAX_CRITERIA,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  type ScorecardInput,
} from './scorecard-form.js';
import { type ScorecardMessages, scorecardMessages } from './scorecard-messages.js';
import type { ClosedConversation, ReviewRow, ScorecardRow } from './scorecard-queries.js';
import type { AgentSample, AgentScoreAverage, Calibration, SiteWeek } from './scoring.js';

/** A reviewed conversation as the pages name and date it: its ticket and its site's time zone. */
export interface ConversationLabel {
  ticketId: string;
  timeZone: string;
}

/** What every scorecard page needs: the request, the copy and the session. */
export interface ScorecardPageContext {
  c: AppContext;
  locale: PageLocale;
  t: ScorecardMessages;
  csrf: string;
}

/** The page context of a request. */
export function pageContext(c: AppContext): ScorecardPageContext {
  const locale = pickLocale(c);
  return { c, locale, t: scorecardMessages(locale), csrf: c.get('session')?.csrf ?? '' };
}

/** Sends a scorecard page in the shared layout. */
export function sendScorecardPage(
  p: ScorecardPageContext,
  title: string,
  body: SafeHtml,
  status: 200 | 400 | 404 = 200,
): Response {
  return sendPage(
    p.c,
    {
      t: messagesFor(p.locale),
      locale: p.locale,
      title,
      body,
      agent: p.c.get('agent'),
      csrf: p.csrf,
    },
    status,
  );
}

/** `/scorecards/`: links by role, and for the owner the scorecards. */
export function startPage(
  p: ScorecardPageContext,
  cards: readonly ScorecardRow[],
  teamVisible: boolean,
): SafeHtml {
  const { t } = p;
  const agent = p.c.get('agent')!;
  const owner = agent.role === 'admin';
  const saved = p.c.req.query('saved') !== undefined;
  return html`${saved ? html`<p class="card" role="status">${t.saved}</p>` : null}
<nav aria-label="${t.scorecards}" class="card"><ul>
  <li><a href="/scorecards/mine">${t.myFeedback}</a></li>
  ${teamVisible || mayReview(agent) ? html`<li><a href="/scorecards/team">${t.teamScores}</a></li>` : null}
  ${mayReview(agent) ? html`<li><a href="/scorecards/queue">${t.queue}</a></li><li><a href="/scorecards/calibration">${t.calibration}</a></li>` : null}
  ${owner ? html`<li><a href="/scorecards/new">${t.newScorecard}</a></li>` : null}
</ul></nav>
${
  owner
    ? html`<form method="post" action="/scorecards/settings" class="card">
  <input type="hidden" name="_csrf" value="${p.csrf}">
  <h2>${t.settings}</h2>
  <p><label><input type="checkbox" name="team" value="1"${teamVisible ? html` checked` : null}> ${t.teamVisible}</label></p>
  <p><button type="submit" class="secondary">${t.save}</button></p>
</form>`
    : null
}
${
  owner
    ? html`<section class="card" aria-labelledby="cards-h">
  <h2 id="cards-h">${t.scorecardList}</h2>
  <p>${t.scorecardsIntro}</p>
  ${
    cards.length === 0
      ? html`<p>${t.noScorecards}</p>`
      : tableRegion(
          'cards-caption',
          // Its own name: the section around it is the landmark named by the heading.
          t.scorecardTable,
          html`<thead><tr><th scope="col">${t.name}</th><th scope="col">${t.site}</th><th scope="col">${t.topic}</th><th scope="col">${t.criteria}</th><th scope="col">${t.sampleSize}</th><th scope="col">${t.state}</th></tr></thead>`,
          html`<tbody>${cards.map(
            (s) =>
              html`<tr><td><a href="/scorecards/s/${encodeURIComponent(s.id)}">${s.name}</a></td><td>${s.siteKey ?? t.allSites}</td><td>${s.topic ?? t.allTopics}</td><td>${s.criteria.map((c) => `${c.label} (${c.scale === '1-5' ? t.scale15 : t.scaleYesNo}, ×${c.weight})`).join('; ')}</td><td>${s.sampleSize}</td><td>${s.archivedAt === null ? t.active : t.archived}</td></tr>`,
          )}</tbody>`,
        )
  }
</section>`
    : null
}`;
}

/** The owner's form for a new or an existing scorecard, with the issues beside their fields. */
export function scorecardFormBody(
  p: ScorecardPageContext,
  options: {
    card: ScorecardRow | undefined;
    input: ScorecardInput;
    issues: readonly FormIssue[];
    sites: readonly string[];
  },
): SafeHtml {
  const { t, csrf } = p;
  const { card, input, issues } = options;
  const action =
    card === undefined ? '/scorecards/new' : `/scorecards/s/${encodeURIComponent(card.id)}`;
  const issueOf = (field: string) => issues.find((i) => i.field === field);
  const errorId = (field: string) => `err-${field.replace(/\./g, '-')}`;
  const invalid = (field: string) =>
    issueOf(field) === undefined
      ? null
      : html` aria-invalid="true" aria-describedby="${errorId(field)}"`;
  const error = (field: string) => {
    const issue = issueOf(field);
    return issue === undefined
      ? null
      : html`<p class="error" id="${errorId(field)}">${t[issue.message]}</p>`;
  };
  const rowCount = Math.min(MAX_CRITERIA, Math.max(input.criteria.length + 2, 6));
  const rows = Array.from({ length: rowCount }, (_, i) => ({
    i,
    c: input.criteria[i] ?? { id: '', label: '', scale: '1-5', weight: '1' },
  }));
  const siteChoices = [...new Set([...options.sites, ...(input.site === '' ? [] : [input.site])])];
  return html`${issues.length === 0 ? null : html`<p class="card error" role="alert">${t.fixErrors}</p>`}
<form method="post" action="${action}" class="card" id="scorecard-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="sc-name">${t.name}</label>
  ${error('name')}
  <input id="sc-name" name="name" value="${input.name}" required maxlength="${MAX_NAME_LENGTH}"${invalid('name')}>
  <label for="sc-site">${t.site}</label>
  ${error('site')}
  <select id="sc-site" name="site"${invalid('site')}>
    <option value="">${t.allSites}</option>
    ${siteChoices.map((k) => html`<option value="${k}"${k === input.site ? html` selected` : null}>${k}</option>`)}
  </select>
  <label for="sc-topic">${t.topic}</label>
  ${error('topic')}
  <input id="sc-topic" name="topic" value="${input.topic}" maxlength="64" aria-describedby="sc-topic-hint${issueOf('topic') === undefined ? '' : ` ${errorId('topic')}`}"${issueOf('topic') === undefined ? null : html` aria-invalid="true"`}>
  <p id="sc-topic-hint">${t.topicHint}</p>
  <label for="sc-sample">${t.sampleSize}</label>
  ${error('sample')}
  <input id="sc-sample" name="sample" type="number" min="1" max="50" step="1" value="${input.sample}" required${invalid('sample')}>
  <fieldset>
    <legend>${t.criteria}</legend>
    <p id="criteria-hint">${t.criteriaHint}</p>
    ${error('criteria')}
    ${rows.map(
      ({ i, c }) => html`<fieldset class="criterion">
      <legend>${t.criterion} ${i + 1}</legend>
      <input type="hidden" name="id_${i}" value="${c.id}">
      <label for="label-${i}">${t.label}</label>
      ${error(`criteria.${i}.label`)}
      <input id="label-${i}" name="label_${i}" value="${c.label}" maxlength="${MAX_LABEL_LENGTH}"${invalid(`criteria.${i}.label`)}>
      <label for="scale-${i}">${t.scale}</label>
      ${error(`criteria.${i}.scale`)}
      <select id="scale-${i}" name="scale_${i}"${invalid(`criteria.${i}.scale`)}>
        <option value="1-5"${c.scale === '1-5' ? html` selected` : null}>${t.scale15}</option>
        <option value="yes-no"${c.scale === 'yes-no' ? html` selected` : null}>${t.scaleYesNo}</option>
      </select>
      <label for="weight-${i}">${t.weight}</label>
      ${error(`criteria.${i}.weight`)}
      <input id="weight-${i}" name="weight_${i}" value="${c.weight}" inputmode="decimal" size="6"${invalid(`criteria.${i}.weight`)}>
    </fieldset>`,
    )}
  </fieldset>
  <p><button type="submit">${t.save}</button></p>
</form>
${
  card === undefined
    ? null
    : html`<form method="post" action="/scorecards/s/${encodeURIComponent(card.id)}/archive" class="card">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="archived" value="${card.archivedAt === null ? '1' : '0'}">
  <p>${t.state}: ${card.archivedAt === null ? t.active : t.archived}</p>
  <button type="submit" class="secondary">${card.archivedAt === null ? t.archive : t.restore}</button>
</form>`
}`;
}

/** The reviewer's queue: each agent's sample of the week, with who reviewed it. */
export function queueBody(
  p: ScorecardPageContext,
  week: SiteWeek,
  samples: readonly AgentSample[],
  reviewers: ReadonlyMap<string, string[]>,
  emails: ReadonlyMap<string, string>,
  hasScorecard: boolean,
  /** A conversation's topic as the inbox names it (the site's knowledge base, in the page's language). */
  topicName: (c: ClosedConversation) => string,
  /** A site's time zone, in which the inbox shows its conversations' times. */
  timeZoneOf: (siteKey: string) => string,
): SafeHtml {
  const { t, locale } = p;
  const me = p.c.get('agent')!.id;
  const state = (id: string) => {
    const who = reviewers.get(id) ?? [];
    if (who.includes(me)) return t.reviewedByYou;
    if (who.length === 0) return t.notReviewed;
    return `${t.reviewedByOthers} ${who.map((x) => emails.get(x) ?? x).join(', ')}`;
  };
  return html`<p>${t.queueIntro}</p>
${hasScorecard ? null : html`<p class="card">${t.noActiveScorecard}</p>`}
<form method="get" action="/scorecards/queue" class="filters card">
  <label for="q-week">${t.week}</label>
  <input id="q-week" name="week" value="${week.id}" pattern="\\d{4}-W\\d{2}" size="10">
  <button type="submit">${t.show}</button>
  <a href="/scorecards/queue?week=${week.previous}">${t.previousWeek}</a>
  <a href="/scorecards/queue?week=${week.next}">${t.nextWeek}</a>
</form>
${
  samples.length === 0
    ? html`<p class="card">${t.noSample}</p>`
    : samples.map(
        (s, n) => html`<section class="card" aria-labelledby="agent-${n}">
  <h2 id="agent-${n}">${emails.get(s.agentId) ?? s.agentId}</h2>
  <p>${s.conversations.length} / ${s.closed} ${t.closedCount}</p>
  ${tableRegion(
    `sample-${n}`,
    `${t.queue}: ${emails.get(s.agentId) ?? s.agentId}`,
    html`<thead><tr><th scope="col">${t.ticket}</th><th scope="col">${t.topic}</th><th scope="col">${t.closedAt}</th><th scope="col">${t.reviewState}</th></tr></thead>`,
    html`<tbody>${s.conversations.map(
      (c) =>
        html`<tr><td><a href="/inbox/c/${encodeURIComponent(c.id)}#review">${c.ticketId}</a></td><td>${c.topic === null ? '' : topicName(c)}</td><td><time datetime="${new Date(c.closedAt).toISOString()}">${time(c.closedAt, locale, timeZoneOf(c.siteKey))}</time></td><td>${state(c.id)}</td></tr>`,
    )}</tbody>`,
  )}
</section>`,
      )
}`;
}

/** Calibration: each twice-reviewed conversation with the reviewers' scores side by side. */
export function calibrationBody(
  p: ScorecardPageContext,
  list: readonly Calibration[],
  cards: ReadonlyMap<string, ScorecardRow>,
  emails: ReadonlyMap<string, string>,
  conversations: ReadonlyMap<string, ConversationLabel>,
): SafeHtml {
  const { t } = p;
  if (list.length === 0)
    return html`<p>${t.calibrationIntro}</p><p class="card">${t.noCalibration}</p>`;
  return html`<p>${t.calibrationIntro}</p>
${list.map((cal, n) => {
  const card = cards.get(cal.reviews[0]!.scorecardId);
  const ticket = conversations.get(cal.handoffId)?.ticketId ?? cal.handoffId;
  return html`<section class="card" aria-labelledby="cal-${n}">
  <h2 id="cal-${n}"><a href="/inbox/c/${encodeURIComponent(cal.handoffId)}#review">${t.ticket} ${ticket}</a></h2>
  ${tableRegion(
    `cal-table-${n}`,
    `${t.calibration}: ${ticket}`,
    html`<thead><tr><th scope="col">${t.criterion}</th>${cal.reviews.map((r) => html`<th scope="col">${emails.get(r.reviewerId) ?? r.reviewerId}</th>`)}<th scope="col">${t.spread}</th></tr></thead>`,
    html`<tbody>${cal.criteria.map(
      (row) =>
        html`<tr${row.spread > 0 ? html` class="disagree"` : null}><th scope="row">${row.criterion.label}</th>${row.scores.map((s, i) => html`<td>${scoreText(t, card, row.criterion.id, s)}${(cal.reviews[i]?.scores[row.criterion.id]?.comment ?? '') === '' ? null : html`<p class="msg">${cal.reviews[i]?.scores[row.criterion.id]?.comment}</p>`}</td>`)}<td>${row.spread > 0 ? html`<strong>${t.disagree}: ${percent(row.spread)}</strong>` : '0 %'}</td></tr>`,
    )}<tr><th scope="row">${t.total}</th>${cal.reviews.map((r) => html`<td>${percent(r.score)}</td>`)}<td>${percent(cal.spread)}</td></tr></tbody>`,
  )}
</section>`;
})}`;
}

/** The agent's own feedback, newest first. */
export function feedbackBody(
  p: ScorecardPageContext,
  reviews: readonly ReviewRow[],
  cards: ReadonlyMap<string, ScorecardRow>,
  emails: ReadonlyMap<string, string>,
  conversations: ReadonlyMap<string, ConversationLabel>,
): SafeHtml {
  const { t, locale } = p;
  return html`<p>${t.myFeedbackIntro}</p>
${
  reviews.length === 0
    ? html`<p class="card">${t.noFeedback}</p>`
    : reviews.map((r) => {
        const conversation = conversations.get(r.handoffId);
        const ticket = conversation?.ticketId ?? r.handoffId;
        const reviewer = emails.get(r.reviewerId) ?? r.reviewerId;
        const timeZone = conversation?.timeZone ?? 'UTC';
        return html`<section aria-label="${t.conversation} ${ticket}">
  <h2><a href="/inbox/c/${encodeURIComponent(r.handoffId)}#review">${t.conversation} ${ticket}</a></h2>
  ${reviewDetails(t, r, cards.get(r.scorecardId), reviewer, locale, timeZone)}
</section>`;
      })
}`;
}

/** The team's averages per agent and criterion (no comments). */
export function teamBody(
  p: ScorecardPageContext,
  averages: readonly AgentScoreAverage[],
  emails: ReadonlyMap<string, string>,
): SafeHtml {
  const { t } = p;
  if (averages.length === 0)
    return html`<p>${t.teamIntro}</p><p class="card">${t.teamNoReviews}</p>`;
  const labels = [...new Set(averages.flatMap((a) => Object.keys(a.criteria)))].sort();
  return html`<p>${t.teamIntro}</p>
${tableRegion(
  'team-caption',
  t.teamScores,
  html`<thead><tr><th scope="col">${t.agent}</th><th scope="col">${t.reviewsCount}</th><th scope="col">${t.average}</th>${labels.map((l) => html`<th scope="col">${l}</th>`)}</tr></thead>`,
  html`<tbody>${averages.map(
    (a) =>
      html`<tr><th scope="row">${emails.get(a.agentId) ?? a.agentId}</th><td>${a.reviews}</td><td>${percent(a.score)}</td>${labels.map((l) => html`<td>${a.criteria[l] === undefined ? '–' : percent(a.criteria[l].score)}</td>`)}</tr>`,
  )}</tbody>`,
)}`;
}
