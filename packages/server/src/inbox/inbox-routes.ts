import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import {
  addToKbSection,
  registerAddToKbRoute,
  visitorQuestion,
} from '../kb/add-from-conversation.js';
import { html } from '../pages/html.js';
import { type Messages, messagesFor, pickLocale, signalName } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import type { AgentRow } from '../store/store.js';
import type { InboxHandoff } from './inbox-queries.js';
import { recordServerEvent } from './record-event.js';
import { topicInfo } from './site-topics.js';

/** Response-time state of a conversation in the inbox. */
export type ResponseState = 'due' | 'overdue' | 'answered' | 'closed';

/** Longest agent reply, as for visitor messages. */
const MAX_REPLY_LENGTH = 10_000;

/** Longest internal note: as long as a reply, which it often drafts or explains. */
const MAX_NOTE_LENGTH = 10_000;

/** Tags per conversation and characters per tag (issue 15: short labels, not prose). */
const MAX_TAGS = 10;
const MAX_TAG_LENGTH = 40;

/** A tag as stored and filtered on: trimmed, NFC (one spelling for "café"), lower-cased. */
function normaliseTag(text: string): string {
  return text.trim().normalize('NFC').toLowerCase();
}

/** The tags of a comma-separated field, distinct and normalised; an error names what is wrong. */
function parseTags(field: string): { ok: true; tags: string[] } | { ok: false; message: string } {
  const tags = [...new Set(field.split(',').map(normaliseTag))].filter((tag) => tag !== '');
  if (tags.length > MAX_TAGS) return { ok: false, message: `tags: at most ${MAX_TAGS} tags` };
  // Characters as people count them (code points), so an emoji is one, not two UTF-16 units.
  if (tags.some((tag) => [...tag].length > MAX_TAG_LENGTH)) {
    return { ok: false, message: `tags: each tag at most ${MAX_TAG_LENGTH} characters` };
  }
  return { ok: true, tags };
}

/** Where a conversation stands against the promised response time (`respondBy`). */
export function responseState(h: InboxHandoff, now: number): ResponseState {
  if (h.status === 'closed') return 'closed';
  if (h.firstReplyAt !== null) return 'answered';
  return now > Date.parse(h.respondBy) ? 'overdue' : 'due';
}

const stateOrder: Record<ResponseState, number> = { overdue: 0, due: 1, answered: 2, closed: 3 };

interface Classification {
  signals: string[];
  reasons: string[];
  confidence: number | undefined;
}

function classificationOf(value: unknown): Classification {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const strings = (x: unknown) =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
  return {
    signals: strings(v.signals),
    reasons: strings(v.reasons),
    confidence: typeof v.confidence === 'number' ? v.confidence : undefined,
  };
}

interface Line {
  from: 'visitor' | 'bot' | 'agent' | 'note';
  text: string;
  ts: number;
  /** Who wrote a note (the agent's e-mail). */
  by?: string;
}

function transcriptOf(value: unknown): Line[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((l: unknown) => {
    const x = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
    if (typeof x.text !== 'string') return [];
    return [
      {
        from: x.from === 'bot' ? 'bot' : 'visitor',
        text: x.text,
        ts: typeof x.ts === 'number' ? x.ts : 0,
      } as Line,
    ];
  });
}

function time(ts: number | string, locale: string, timeZone: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

function stateLabel(t: Messages, s: ResponseState): string {
  return t[s];
}

async function agentsById(deps: AppDeps): Promise<Map<string, AgentRow>> {
  return new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
}

/** Tags as links to the list filtered by each, or a dash. */
function tagList(t: Messages, tags: readonly string[]) {
  if (tags.length === 0) return t.none;
  return html`<ul class="tags">${tags.map((tag) => html`<li><a href="/inbox/?tag=${encodeURIComponent(tag)}">${tag}</a></li>`)}</ul>`;
}

async function listPage(c: AppContext, deps: AppDeps): Promise<Response> {
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

async function conversationPage(c: AppContext, deps: AppDeps): Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const h = await deps.store.getHandoff(c.req.param('id') ?? '');
  if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
  const agent = c.get('agent')!;
  const csrf = c.get('session')?.csrf ?? '';
  const site = await deps.sites.get(h.siteKey);
  const timeZone = site?.hours.timeZone ?? 'UTC';
  const state = responseState(h, deps.now());
  const topic = topicInfo(deps.models, h.siteKey, h.topic, locale);
  const triage = classificationOf(h.classification);
  const messages = await deps.store.listMessages(h.id);
  const notes = await deps.store.listNotes(h.id);
  const tags = (await deps.store.tagsOf([h.id])).get(h.id) ?? [];
  const agents = notes.length === 0 ? new Map<string, AgentRow>() : await agentsById(deps);
  // Notes fall between the replies by time; on a tie the message comes first (a stable sort).
  const replies: Line[] = [
    ...messages.map((m) => ({ from: m.from, text: m.text, ts: m.ts })),
    ...notes.map((n) => ({
      from: 'note' as const,
      text: n.text,
      ts: n.ts,
      by: agents.get(n.agentId)?.email ?? n.agentId,
    })),
  ].sort((a, b) => a.ts - b.ts);
  const lines: Line[] = [
    ...transcriptOf(h.transcript),
    { from: 'visitor', text: h.message, ts: h.createdAt },
    ...replies,
  ];
  const assignee = h.assignee === null ? undefined : await deps.store.getAgentById(h.assignee);
  const base = `/inbox/c/${encodeURIComponent(h.id)}`;
  const action = (path: string, label: string, fields: [string, string][] = [], secondary = true) =>
    html`<form method="post" action="${base}/${path}">
      <input type="hidden" name="_csrf" value="${csrf}">
      ${fields.map(([n, v]) => html`<input type="hidden" name="${n}" value="${v}">`)}
      <button type="submit"${secondary ? html` class="secondary"` : null}>${label}</button>
    </form>`;
  const who = { visitor: t.visitor, bot: t.bot, agent: t.agent, note: t.internalNote } as const;
  const addToKb = await addToKbSection(deps, {
    h,
    question: visitorQuestion(h, lines),
    reply: messages.filter((m) => m.from === 'agent').at(-1)?.text,
    locale,
    csrf,
    done: c.req.query('kb'),
  });
  const body = html`<p><a href="/inbox/">${t.back}</a></p>
<div class="columns">
<section aria-labelledby="transcript-h">
  <h2 id="transcript-h">${t.transcript}</h2>
  <ol class="card" aria-label="${t.transcript}">
  ${lines.map(
    (
      l,
    ) => html`<li class="msg-${l.from}"><p><strong${l.from === 'note' ? html` class="note-label"` : null}>${who[l.from]}</strong>${l.by === undefined ? null : html` · ${l.by}`} · <time datetime="${new Date(l.ts).toISOString()}">${time(l.ts, locale, timeZone)}</time></p>
      <p class="msg">${l.text}</p></li>`,
  )}
  </ol>
  <form method="post" action="${base}/reply" class="card">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="reply">${t.reply}</label>
    <textarea id="reply" name="text" maxlength="${MAX_REPLY_LENGTH}" required></textarea>
    <p><button type="submit">${t.sendReply}</button></p>
  </form>
  <form method="post" action="${base}/note" class="card">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="note">${t.internalNote}</label>
    <p id="note-hint">${t.noteHint}</p>
    <textarea id="note" name="text" class="short" maxlength="${MAX_NOTE_LENGTH}" required aria-describedby="note-hint"></textarea>
    <p><button type="submit" class="secondary">${t.saveNote}</button></p>
  </form>
  <div class="actions">
    ${h.status === 'open' ? action('close', t.close) : action('reopen', t.reopen)}
    ${h.assignee === agent.id ? action('assign', t.unassign, [['agent', '']]) : action('assign', t.assignToMe, [['agent', agent.id]])}
  </div>
  ${addToKb}
</section>
<aside>
  <section class="card" aria-labelledby="facts-h">
    <h2 id="facts-h">${t.ticket} ${h.ticketId}</h2>
    <dl>
      <dt>${t.state}</dt><dd class="state-${state}">${t[state]}</dd>
      <dt>${t.respondBy}</dt><dd>${time(h.respondBy, locale, timeZone)}</dd>
      <dt>${t.site}</dt><dd>${site?.title ?? h.siteKey}</dd>
      <dt>${t.queue}</dt><dd>${topic.queue}</dd>
      <dt>${t.topic}</dt><dd>${topic.name}</dd>
      <dt>${t.level}</dt><dd>${h.level}</dd>
      <dt>${t.assignee}</dt><dd>${assignee?.email ?? t.unassigned}</dd>
      <dt>${t.email}</dt><dd>${h.email}</dd>
      <dt>${t.tags}</dt><dd>${tagList(t, tags)}</dd>
    </dl>
    <form method="post" action="${base}/tags">
      <input type="hidden" name="_csrf" value="${csrf}">
      <label for="tags">${t.tags}</label>
      <input id="tags" name="tags" value="${tags.join(', ')}" aria-describedby="tags-hint">
      <p id="tags-hint">${t.tagsHint}</p>
      <button type="submit" class="secondary">${t.saveTags}</button>
    </form>
  </section>
  <section class="card" aria-labelledby="reasons-h">
    <h2 id="reasons-h">${t.reasons}</h2>
    <ul>${triage.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    <p>${t.signals}: ${triage.signals.length === 0 ? t.none : triage.signals.map((x) => signalName(t, x)).join(', ')}</p>
    <p>${t.confidence}: ${triage.confidence === undefined ? t.none : `${Math.round(triage.confidence * 100)} %`}</p>
  </section>
  <section class="card" aria-labelledby="playbook-h">
    <h2 id="playbook-h">${t.playbook}</h2>
    ${topic.playbook.length === 0 ? html`<p>${t.noPlaybook}</p>` : html`<ol>${topic.playbook.map((s) => html`<li>${s}</li>`)}</ol>`}
  </section>
</aside>
</div>`;
  return sendPage(c, { t, locale, title: `${t.ticket} ${h.ticketId}`, body, agent, csrf });
}

/** Reads the form and the conversation of a post, with its CSRF check. */
async function postTarget(
  c: AppContext,
  deps: AppDeps,
): Promise<
  { ok: true; form: URLSearchParams; h: InboxHandoff } | { ok: false; response: Response }
> {
  const form = await readAgentForm(c, deps);
  if (form instanceof Response) return { ok: false, response: form };
  const h = await deps.store.getHandoff(c.req.param('id') ?? '');
  if (h === undefined) {
    return { ok: false, response: apiError(c, 404, 'not_found', 'No such conversation.', 'id') };
  }
  return { ok: true, form, h };
}

/**
 * The inbox at `/inbox/`: conversations by queue, level, topic, tag and response-time state; one
 * conversation with its transcript, internal notes, tags, triage reasons and playbook; reply, note,
 * tag, close, reopen, assign.
 */
export function registerInboxRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.use('/inbox/*', requireAgent(deps));
  app.get('/inbox', (c) => c.redirect('/inbox/', 301));
  app.get('/inbox/', (c) => listPage(c, deps));
  app.get('/inbox/c/:id', (c) => conversationPage(c, deps));
  registerAddToKbRoute(app, deps);

  app.post('/inbox/c/:id/reply', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const text = (form.get('text') ?? '').trim();
    if (text === '' || text.length > MAX_REPLY_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `text: 1 to ${MAX_REPLY_LENGTH} characters`,
        'text',
      );
    }
    const now = deps.now();
    await deps.store.insertMessage({
      id: randomUUID(),
      handoffId: h.id,
      from: 'agent',
      text,
      ts: now,
    });
    const first = h.firstReplyAt === null;
    if (first) await deps.store.updateHandoff(h.id, { firstReplyAt: now });
    await recordServerEvent(
      deps,
      h,
      'agent.replied',
      {
        ticketId: h.ticketId,
        channel: 'widget',
        ...(first ? { first: true } : {}),
      },
      now,
    );
    await deps.notifier?.agentReplied(h, text);
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  // A note is stored for the team only: no message, no event, no notification, so nothing of it
  // reaches the visitor's routes, mails or webhooks.
  app.post('/inbox/c/:id/note', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const text = (form.get('text') ?? '').trim();
    if (text === '' || text.length > MAX_NOTE_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `text: 1 to ${MAX_NOTE_LENGTH} characters`,
        'text',
      );
    }
    await deps.store.insertNote({
      id: randomUUID(),
      handoffId: h.id,
      agentId: c.get('agent')!.id,
      text,
      ts: deps.now(),
    });
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/tags', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const parsed = parseTags(form.get('tags') ?? '');
    if (!parsed.ok) return apiError(c, 400, 'invalid_request', parsed.message, 'tags');
    await deps.store.setTags(h.id, parsed.tags);
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/close', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h } = target;
    if (h.status !== 'closed') {
      const now = deps.now();
      await deps.store.updateHandoff(h.id, { status: 'closed', closedAt: now });
      await recordServerEvent(
        deps,
        h,
        'conversation.closed',
        {
          ticketId: h.ticketId,
          by: 'agent',
          level: h.level as 1 | 2 | 3,
          ...(h.topic === null ? {} : { topic: h.topic }),
        },
        now,
      );
    }
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/reopen', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h } = target;
    if (h.status !== 'open') {
      const now = deps.now();
      await deps.store.updateHandoff(h.id, { status: 'open', closedAt: null });
      await recordServerEvent(
        deps,
        h,
        'conversation.reopened',
        { ticketId: h.ticketId, by: 'agent' },
        now,
      );
    }
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/assign', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const to = form.get('agent') ?? '';
    if (to !== '' && (await deps.store.getAgentById(to)) === undefined) {
      return apiError(c, 400, 'invalid_request', 'agent: no such agent', 'agent');
    }
    await deps.store.updateHandoff(h.id, { assignee: to === '' ? null : to });
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });
}
