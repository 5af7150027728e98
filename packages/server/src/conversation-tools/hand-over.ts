// Hand-over and mentions: one form assigns the conversation to a colleague and stores the note as an
// internal note that begins with `@their-email`; any note's `@email` of an agent mentions them, and
// `/inbox/mentions` lists the notes that mention the signed-in agent.

import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { takerOf } from '../agents/agent-roles.js';
import { agentEmails } from '../agents/agents-by-id.js';
import { readAgentForm } from '../auth/sessions.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { MAX_NOTE_LENGTH, textareaText, time } from '../inbox/inbox-format.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import type { AgentRow } from '../store/store.js';
import { toolsMessagesFor } from './conversation-tools-messages.js';

/** Notes the mentions page lists at most. */
export const MAX_MENTIONS = 100;

/**
 * Whether `text` mentions `email` as `@email`, not as part of a longer address (`@ann@example.com`
 * is not in `@ann@example.com.au` or `@ann@example.community`), ignoring case.
 */
export function mentions(text: string, email: string): boolean {
  const lower = text.toLowerCase();
  const needle = `@${email.toLowerCase()}`;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + 1)) {
    const after = lower.slice(i + needle.length);
    // A dot ends a sentence unless an address part follows it.
    if (!/^(\.?[a-z0-9_-])/.test(after)) return true;
  }
  return false;
}

/** The hand-over form of the conversation page. */
export function handOverSection(options: {
  colleagues: readonly AgentRow[];
  base: string;
  csrf: string;
  locale: PageLocale;
  /** Whom the last post handed over to (`?handover=` of the page, an agent id). */
  handedTo: AgentRow | undefined;
  /** How many notes mention the signed-in agent. */
  myMentions: number;
}): SafeHtml {
  const tt = toolsMessagesFor(options.locale);
  return html`<section class="card" aria-labelledby="handover-h">
  <h2 id="handover-h">${tt.handOver}</h2>
  ${options.handedTo === undefined ? null : html`<p role="status">${fill(tt.handedOver, { agent: options.handedTo.email })}</p>`}
  ${
    options.colleagues.length === 0
      ? html`<p>${tt.noColleagues}</p>`
      : html`<form method="post" action="${options.base}/handover">
    <input type="hidden" name="_csrf" value="${options.csrf}">
    <label for="handover-agent">${tt.handOverTo}</label>
    <select id="handover-agent" name="agent" required>${options.colleagues.map(
      (a) => html`<option value="${a.id}">${a.email}</option>`,
    )}</select>
    <label for="handover-note">${tt.handOverNote}</label>
    <p id="handover-hint">${tt.handOverHint}</p>
    <textarea id="handover-note" name="note" class="short" maxlength="${MAX_NOTE_LENGTH - 300}" required aria-describedby="handover-hint"></textarea>
    <p><button type="submit" class="secondary">${tt.handOverButton}</button></p>
  </form>`
  }
  <p><a href="/inbox/mentions">${fill(tt.yourMentions, { count: options.myMentions })}</a></p>
</section>`;
}

/** The notes that mention an agent, newest first (at most {@link MAX_MENTIONS}). */
export async function mentionsOf(deps: AppDeps, email: string) {
  return (await deps.store.notesMentioning(email, MAX_MENTIONS)).filter((n) =>
    mentions(n.text, email),
  );
}

/** `POST /inbox/c/:id/handover` and `GET /inbox/mentions`. */
export function registerHandOverRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/inbox/c/:id/handover', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const h = await deps.store.getHandoff(c.req.param('id'));
    if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
    const taker = takerOf(await deps.store.getAgentById(form.get('agent') ?? ''));
    if ('refused' in taker) return apiError(c, 400, 'invalid_request', taker.refused, 'agent');
    const to = taker.agent;
    const note = textareaText(form.get('note'));
    // The note begins with the mention, unless it mentions the colleague already.
    const text = mentions(note, to.email) ? note : `@${to.email} ${note}`;
    if (note === '' || text.length > MAX_NOTE_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `note: 1 to ${MAX_NOTE_LENGTH - to.email.length - 2} characters`,
        'note',
      );
    }
    const now = deps.now();
    await deps.store.insertNote({
      id: randomUUID(),
      handoffId: h.id,
      agentId: c.get('agent')!.id,
      text,
      ts: now,
    });
    await deps.store.updateHandoff(h.id, { assignee: to.id });
    // An id, not the e-mail: nothing a link could carry is echoed into the page.
    return c.redirect(
      `/inbox/c/${encodeURIComponent(h.id)}?handover=${encodeURIComponent(to.id)}#handover-h`,
      303,
    );
  });

  app.get('/inbox/mentions', async (c) => {
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const tt = toolsMessagesFor(locale);
    const agent = c.get('agent')!;
    const notes = await mentionsOf(deps, agent.email);
    const emails = await agentEmails(deps);
    const handoffs = await Promise.all(notes.map((n) => deps.store.getHandoff(n.handoffId)));
    const zones = await Promise.all(
      handoffs.map(async (h) => (h === undefined ? undefined : await deps.sites.get(h.siteKey))),
    );
    const body = html`<p><a href="/inbox/">${t.back}</a></p>
${
  notes.length === 0
    ? html`<p>${tt.noMentions}</p>`
    : html`<ul class="mentions">${notes.map((n, i) => {
        const h = handoffs[i];
        return html`<li class="card"><p><a href="/inbox/c/${encodeURIComponent(n.handoffId)}">${tt.conversation} ${h?.ticketId ?? n.handoffId}</a> · ${fill(tt.mentionedBy, { agent: emails.get(n.agentId) ?? n.agentId })} · <time datetime="${new Date(n.ts).toISOString()}">${time(n.ts, locale, zones[i]?.hours.timeZone ?? 'UTC')}</time></p>
        <p class="msg">${n.text}</p></li>`;
      })}</ul>`
}`;
    return sendPage(c, {
      t,
      locale,
      title: tt.mentionsTitle,
      body,
      agent,
      csrf: c.get('session')?.csrf ?? '',
    });
  });
}
