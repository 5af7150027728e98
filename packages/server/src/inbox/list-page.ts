// The inbox list at `/inbox/`: views (built-in and the agent's own), quick tag filters, a search
// form that is a GET (so every filter is a URL), and one page of the matching conversations.

import { agentsById } from '../agents/agents-by-id.js';
import { toolsMessagesFor } from '../conversation-tools/conversation-tools-messages.js';
import type { AppContext, AppDeps } from '../http/deps.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type Messages, messagesFor, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import type { AgentRow } from '../store/store.js';
import {
  canonicalQuery,
  type InboxFilter,
  listUrl,
  MAX_EMAIL_LENGTH,
  MAX_SEARCH_LENGTH,
  readInboxFilter,
} from './inbox-filter.js';
import { dueText, responseState, stateLabel, suggestedTagsOf, tagList } from './inbox-format.js';
import type { HandoffSearch } from './inbox-queries.js';
import { fillMessage, type ListMessages, listMessagesFor } from './list-messages.js';
import type { SavedViewRow } from './saved-view-queries.js';
import { topicInfo } from './site-topics.js';

/** Conversations per page of the list. */
export const PAGE_SIZE = 50;

/** UTF-16 code units of a message the list shows at most. */
export const PREVIEW_LENGTH = 140;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The start of a visitor's message for the list: whole graphemes (an emoji, a letter with its
 * accents) up to `max` UTF-16 code units, never half a surrogate pair (which renders as U+FFFD); a
 * first grapheme longer than that (a stack of combining marks) is cut between code points.
 */
export function messagePreview(text: string, max = PREVIEW_LENGTH): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max) {
      if (out !== '') break;
      for (const point of segment) {
        if (out.length + point.length > max) break;
        out += point;
      }
      break;
    }
    out += segment;
  }
  return out;
}

/** `lang` for a conversation's locale when it is a well-formed language tag (else none). */
function langOf(locale: string | null): SafeHtml | null {
  return locale !== null && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(locale)
    ? html` lang="${locale}"`
    : null;
}

/** The built-in views: a name and the filter's canonical query. */
function builtInViews(l: ListMessages): [string, string][] {
  return [
    [l.viewOpen, ''],
    [l.viewMine, 'agent=me'],
    [l.viewUnassigned, 'agent=none'],
    [l.viewDueHour, 'state=due1h'],
  ];
}

/** The store's search for a filter; a queue becomes its topics, `me` the signed-in agent. */
function searchOf(
  filter: InboxFilter,
  agent: AgentRow,
  queueTopics: readonly string[],
): Omit<HandoffSearch, 'now'> {
  return {
    ...(filter.site === '' ? {} : { siteKey: filter.site }),
    ...(filter.q === '' ? {} : { text: filter.q }),
    ...(filter.email === '' ? {} : { email: filter.email }),
    ...(filter.tag === '' ? {} : { tag: filter.tag }),
    ...(filter.level === '' ? {} : { level: Number(filter.level) }),
    ...(filter.topic !== ''
      ? { topics: filter.queue === '' || queueTopics.includes(filter.topic) ? [filter.topic] : [] }
      : filter.queue === ''
        ? {}
        : { topics: queueTopics }),
    ...(filter.agent === ''
      ? {}
      : {
          assignee:
            filter.agent === 'none' ? null : filter.agent === 'me' ? agent.id : filter.agent,
        }),
    state: filter.state === '' ? 'open' : filter.state,
  };
}

function viewsNav(l: ListMessages, current: string, saved: readonly SavedViewRow[]): SafeHtml {
  const link = (name: string, query: string) =>
    html`<li><a href="${query === '' ? '/inbox/' : `/inbox/?${query}`}"${query === current ? html` aria-current="page"` : null}>${name}</a></li>`;
  return html`<nav class="views" aria-label="${l.views}">
  <ul>
    ${builtInViews(l).map(([name, query]) => link(name, query))}
    ${saved.map((v) => link(v.name, v.query))}
  </ul>
</nav>`;
}

function manageViews(
  l: ListMessages,
  current: string,
  saved: readonly SavedViewRow[],
  csrf: string,
): SafeHtml {
  return html`<details class="card">
  <summary>${l.savedViews}</summary>
  ${
    saved.length === 0
      ? html`<p>${l.noSavedViews}</p>`
      : html`<ul class="saved-views">${saved.map(
          (
            v,
          ) => html`<li><a href="${v.query === '' ? '/inbox/' : `/inbox/?${v.query}`}">${v.name}</a>
      <form method="post" action="/inbox/views/${encodeURIComponent(v.id)}/delete">
        <input type="hidden" name="_csrf" value="${csrf}">
        <button type="submit" class="secondary">${fillMessage(l.deleteView, { name: v.name })}</button>
      </form></li>`,
        )}</ul>`
  }
  <form method="post" action="/inbox/views">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="query" value="${current}">
    <label for="view-name">${l.viewName}</label>
    <p id="view-hint">${l.saveView}</p>
    <input id="view-name" name="name" required maxlength="60" aria-describedby="view-hint">
    <button type="submit" class="secondary">${l.saveViewButton}</button>
  </form>
</details>`;
}

function quickTags(l: ListMessages, filter: InboxFilter, tags: readonly string[]): SafeHtml | null {
  if (tags.length === 0) return null;
  return html`<nav class="quick-tags" aria-label="${l.quickTags}">
  <ul class="tags">${tags.map(
    (tag) =>
      html`<li><a href="${listUrl({ ...filter, tag: filter.tag === tag ? '' : tag })}"${filter.tag === tag ? html` aria-current="page"` : null}>${tag}</a></li>`,
  )}</ul>
</nav>`;
}

function filterForm(
  t: Messages,
  l: ListMessages,
  filter: InboxFilter,
  choices: {
    sites: [string, string][];
    queues: string[];
    /** Topic ids and their names. */
    topics: [string, string][];
    agents: AgentRow[];
    suggested: string[];
  },
): SafeHtml {
  const select = (
    name: keyof InboxFilter,
    label: string,
    options: [string, string][],
  ) => html`<label for="f-${name}">${label}
    <select id="f-${name}" name="${name}">
      ${options.map(([value, text]) => html`<option value="${value}"${value === filter[name] ? html` selected` : null}>${text}</option>`)}
    </select></label>`;
  const pairs = (values: readonly string[]) => values.map((x): [string, string] => [x, x]);
  // An agent id in the URL that is no longer an account still shows, so the filter stays visible.
  const agents: [string, string][] = choices.agents.map((a) => [a.id, a.email]);
  if (!['', 'me', 'none'].includes(filter.agent) && !agents.some(([id]) => id === filter.agent)) {
    agents.push([filter.agent, filter.agent]);
  }
  return html`<form method="get" action="/inbox/" class="filters card" role="search" aria-label="${l.search}">
  <label for="f-q">${l.searchLabel}
    <input id="f-q" name="q" type="search" value="${filter.q}" maxlength="${MAX_SEARCH_LENGTH}"></label>
  <label for="f-email">${l.visitorEmail}
    <input id="f-email" name="email" value="${filter.email}" maxlength="${MAX_EMAIL_LENGTH}" autocomplete="off"></label>
  <label for="f-tag">${t.tag}
    <input id="f-tag" name="tag" value="${filter.tag}"${choices.suggested.length === 0 ? null : html` list="f-tag-suggestions"`}></label>
  ${choices.suggested.length === 0 ? null : html`<datalist id="f-tag-suggestions">${choices.suggested.map((tag) => html`<option value="${tag}"></option>`)}</datalist>`}
  ${select('site', t.site, [['', t.all], ...choices.sites])}
  ${select('queue', t.queue, [['', t.all], ...pairs(choices.queues)])}
  ${select('topic', t.topic, [['', t.all], ...choices.topics])}
  ${select('level', t.level, [['', t.all], ...pairs(['1', '2', '3'])])}
  ${select('state', t.state, [
    ['', l.openStates],
    ['due', t.due],
    ['due1h', l.dueWithinHour],
    ['overdue', t.overdue],
    ['waiting', t.waiting],
    ['answered', t.answered],
    ['closed', t.closed],
    ['all', t.all],
  ])}
  ${select('agent', l.agent, [['', l.anyone], ['me', l.me], ['none', l.nobody], ...agents])}
  <button type="submit">${t.filter}</button>
  <a href="/inbox/">${l.reset}</a>
</form>`;
}

/** The inbox list page. */
export async function listPage(c: AppContext, deps: AppDeps): Promise<Response> {
  // Before any read: a change published from here on reaches the page's stream.
  const liveAfter = deps.live?.startPoint();
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const l = listMessagesFor(locale);
  const agent = c.get('agent')!;
  const csrf = c.get('session')?.csrf ?? '';
  const params = new URL(c.req.url).searchParams;
  const filter = readInboxFilter(params);
  const current = canonicalQuery(params.toString());
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const now = deps.now();
  const sites = deps.sites.all();
  const knownTopics = await deps.store.listHandoffTopics(
    filter.site === '' ? undefined : filter.site,
  );
  const siteKeys = filter.site === '' ? sites.map((s) => s.key) : [filter.site];
  const queueOf = (topic: string) =>
    siteKeys.map((key) => topicInfo(deps.models, key, topic, locale).queue);
  const queues = [...new Set(knownTopics.flatMap(queueOf))].sort();
  // A topic's name from the first site whose model names it, as the table shows it.
  const topicName = (topic: string) =>
    siteKeys
      .map((key) => topicInfo(deps.models, key, topic, locale).name)
      .find((name) => name !== topic) ?? topic;
  const queueTopics =
    filter.queue === '' ? [] : knownTopics.filter((x) => queueOf(x).includes(filter.queue));
  const [{ handoffs, total }, agents, saved] = await Promise.all([
    deps.store.searchHandoffs({
      ...searchOf(filter, agent, queueTopics),
      now,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    agentsById(deps),
    deps.store.listSavedViews(agent.id),
  ]);
  const tags = await deps.store.tagsOf(handoffs.map((h) => h.id));
  const suggested = suggestedTagsOf(sites, filter.site);
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = (page - 1) * PAGE_SIZE + handoffs.length;
  const paging =
    page === 1 && last >= total
      ? null
      : html`<nav class="paging" aria-label="${l.paging}"><ul>
    ${page > 1 ? html`<li><a href="${listUrl(filter, page - 1)}" rel="prev">${l.previous}</a></li>` : null}
    ${last < total ? html`<li><a href="${listUrl(filter, page + 1)}" rel="next">${l.next}</a></li>` : null}
  </ul></nav>`;
  const tools = toolsMessagesFor(locale);
  const body = html`${viewsNav(l, current, saved)}
<p class="inbox-tools"><a href="/inbox/mentions">${tools.mentionsTitle}</a> · <a href="/inbox/snippets">${tools.snippetsTitle}</a></p>
${quickTags(l, filter, suggested)}
${filterForm(t, l, filter, {
  sites: sites.map((s): [string, string] => [s.key, s.title]),
  queues,
  topics: knownTopics.map((topic): [string, string] => [topic, topicName(topic)]),
  agents: [...agents.values()],
  suggested,
})}
${manageViews(l, current, saved, csrf)}
${tableRegion(
  'conversations-caption',
  html`${t.conversations} (${total})${total > PAGE_SIZE ? html` · ${fillMessage(l.range, { from: first, to: last, total })}` : null}`,
  html`<thead><tr>
    <th scope="col">${t.ticket}</th><th scope="col">${t.state}</th><th scope="col">${t.respondBy}</th>
    <th scope="col">${t.queue}</th><th scope="col">${t.topic}</th><th scope="col">${t.level}</th>
    <th scope="col">${t.assignee}</th><th scope="col">${t.tags}</th><th scope="col">${t.email}</th>
    <th scope="col">${t.message}</th>
  </tr></thead>`,
  html`<tbody>
  ${
    handoffs.length === 0
      ? html`<tr><td colspan="10">${t.noConversations}</td></tr>`
      : handoffs.map((h) => {
          const state = responseState(h, now);
          const topic = topicInfo(deps.models, h.siteKey, h.topic, locale);
          const site = sites.find((s) => s.key === h.siteKey);
          return html`<tr>
    <th scope="row"><a href="/inbox/c/${encodeURIComponent(h.id)}">${h.ticketId}</a></th>
    <td class="state-${state}">${stateLabel(t, state)}</td>
    <td>${dueText(t, h, state, locale, site?.hours.timeZone ?? 'UTC')}</td>
    <td>${topic.queue}</td><td>${topic.name}</td><td>${h.level}</td>
    <td>${h.assignee === null ? t.unassigned : (agents.get(h.assignee)?.email ?? h.assignee)}</td>
    <td>${tagList(t, tags.get(h.id) ?? [])}</td>
    <td>${h.email}</td>
    <td class="msg" dir="auto"${langOf(h.locale)}>${messagePreview(h.message)}</td>
  </tr>`;
        })
  }
  </tbody>`,
)}
${paging}`;
  return sendPage(c, { t, locale, title: t.inbox, body, agent, csrf, liveAfter });
}
