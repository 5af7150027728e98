// The inbox list at `/inbox/`: conversations by queue, level, topic, tag and response-time state.

import type { AppContext, AppDeps } from '../http/deps.js';
import { html } from '../pages/html.js';
import { messagesFor, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import {
  agentsById,
  normaliseTag,
  responseState,
  stateLabel,
  stateOrder,
  tagList,
  time,
} from './inbox-format.js';
import { topicInfo } from './site-topics.js';

export async function listPage(c: AppContext, deps: AppDeps): Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const agent = c.get('agent')!;
  const q = (name: string) => c.req.query(name) ?? '';
  const now = deps.now();
  const agents = await agentsById(deps);
  const sites = deps.sites.all();
  const siteKey = q('site');
  const tag = normaliseTag(q('tag'));
  const all = await deps.store.listHandoffs({
    ...(siteKey === '' ? {} : { siteKey }),
    ...(tag === '' ? {} : { tag }),
    limit: 1000,
  });
  const rows = all
    .map((h) => ({
      h,
      state: responseState(h, now),
      topic: topicInfo(deps.models, h.siteKey, h.topic, locale),
    }))
    .filter(
      (r) =>
        (q('queue') === '' || r.topic.queue === q('queue')) &&
        (q('level') === '' || String(r.h.level) === q('level')) &&
        (q('topic') === '' || r.h.topic === q('topic')) &&
        (q('state') === ''
          ? r.state !== 'closed'
          : q('state') === 'all' || r.state === q('state')) &&
        (q('mine') !== '1' || r.h.assignee === agent.id),
    )
    .sort(
      (a, b) =>
        stateOrder[a.state] - stateOrder[b.state] || a.h.respondBy.localeCompare(b.h.respondBy),
    );
  const queues = [
    ...new Set(all.map((h) => topicInfo(deps.models, h.siteKey, h.topic, locale).queue)),
  ].sort();
  const topics = [...new Set(all.flatMap((h) => (h.topic === null ? [] : [h.topic])))].sort();
  const tags = await deps.store.tagsOf(rows.map((r) => r.h.id));
  const select = (
    name: string,
    label: string,
    options: [string, string][],
  ) => html`<label for="f-${name}">${label}
    <select id="f-${name}" name="${name}">
      ${options.map(([value, text]) => html`<option value="${value}"${value === q(name) ? html` selected` : null}>${text}</option>`)}
    </select></label>`;
  const body = html`<form method="get" action="/inbox/" class="filters card" data-autosubmit aria-label="${t.filter}">
  ${select('site', t.site, [['', t.all], ...sites.map((s): [string, string] => [s.key, s.title])])}
  ${select('queue', t.queue, [['', t.all], ...queues.map((x): [string, string] => [x, x])])}
  ${select('level', t.level, [
    ['', t.all],
    ['1', '1'],
    ['2', '2'],
    ['3', '3'],
  ])}
  ${select('topic', t.topic, [['', t.all], ...topics.map((x): [string, string] => [x, x])])}
  ${select('state', t.state, [
    ['', `${t.due} + ${t.overdue} + ${t.answered}`],
    ['due', t.due],
    ['overdue', t.overdue],
    ['answered', t.answered],
    ['closed', t.closed],
    ['all', t.all],
  ])}
  <label for="f-tag">${t.tag}
    <input id="f-tag" name="tag" value="${q('tag')}"></label>
  <label><input type="checkbox" name="mine" value="1"${q('mine') === '1' ? html` checked` : null}> ${t.mine}</label>
  <button type="submit">${t.filter}</button>
</form>
${tableRegion(
  'conversations-caption',
  html`${t.conversations} (${rows.length})`,
  html`<thead><tr>
    <th scope="col">${t.ticket}</th><th scope="col">${t.state}</th><th scope="col">${t.respondBy}</th>
    <th scope="col">${t.queue}</th><th scope="col">${t.topic}</th><th scope="col">${t.level}</th>
    <th scope="col">${t.assignee}</th><th scope="col">${t.tags}</th><th scope="col">${t.email}</th>
    <th scope="col">${t.message}</th>
  </tr></thead>`,
  html`<tbody>
  ${
    rows.length === 0
      ? html`<tr><td colspan="10">${t.noConversations}</td></tr>`
      : rows.map(({ h, state, topic }) => {
          const site = sites.find((s) => s.key === h.siteKey);
          return html`<tr>
    <th scope="row"><a href="/inbox/c/${encodeURIComponent(h.id)}">${h.ticketId}</a></th>
    <td class="state-${state}">${stateLabel(t, state)}</td>
    <td>${time(h.respondBy, locale, site?.hours.timeZone ?? 'UTC')}</td>
    <td>${topic.queue}</td><td>${topic.name}</td><td>${h.level}</td>
    <td>${h.assignee === null ? t.unassigned : (agents.get(h.assignee)?.email ?? h.assignee)}</td>
    <td>${tagList(t, tags.get(h.id) ?? [])}</td>
    <td>${h.email}</td>
    <td class="msg">${h.message.slice(0, 140)}</td>
  </tr>`;
        })
  }
  </tbody>`,
)}`;
  return sendPage(c, {
    t,
    locale,
    title: t.inbox,
    body,
    agent,
    csrf: c.get('session')?.csrf,
  });
}
