// One conversation at `/inbox/c/:id`: transcript, internal notes, tags, triage reasons, and the
// agent's forms; the working tools (canned replies, playbook checklist, hand-over, collision
// warning) come from conversation-tools/.

import { randomUUID } from 'node:crypto';
import { agentsById } from '../agents/agents-by-id.js';
import { cannedReplies, cannedRepliesSection } from '../conversation-tools/canned-replies.js';
import { handOverSection, mentionsOf } from '../conversation-tools/hand-over.js';
import { playbookSection } from '../conversation-tools/playbook-checklist.js';
import { collisionWarning } from '../conversation-tools/presence.js';
import type { AppContext, AppDeps } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { addToKbSection, visitorQuestion } from '../kb/add-from-conversation.js';
import { attachmentList } from '../mail/attachment-list.js';
import type { AttachmentInfo } from '../mail/attachment-queries.js';
import type { MailRow } from '../mail/mail-queries.js';
import { BOUNCED, OTHER_SENDER } from '../mail/process-mail.js';
import { REPLY_RETRY_FOR_MS } from '../mail/retry-failed-replies.js';
import { mayRetry } from '../mail/send-mail.js';
import { html } from '../pages/html.js';
import { messagesFor, pickLocale, signalName } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { reviewSection } from '../scorecards/review-section.js';
import { assignNotice, readRefusedAssignment } from './assign-notice.js';
import { conversationMessagesFor } from './conversation-messages.js';
import {
  classificationOf,
  dueText,
  type Line,
  MAX_NOTE_LENGTH,
  MAX_REPLY_LENGTH,
  responseState,
  suggestedTagsOf,
  tagList,
  time,
  transcriptOf,
  waitingSinceOf,
} from './inbox-format.js';
import { listMessagesFor } from './list-messages.js';
import { topicInfo } from './site-topics.js';

export async function conversationPage(c: AppContext, deps: AppDeps): Promise<Response> {
  // Before any read: a change published from here on reaches the page's stream.
  const liveAfter = deps.live?.startPoint();
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const h = await deps.store.getHandoff(c.req.param('id') ?? '');
  if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
  const agent = c.get('agent')!;
  const csrf = c.get('session')?.csrf ?? '';
  const site = await deps.sites.get(h.siteKey);
  const timeZone = site?.hours.timeZone ?? 'UTC';
  const messages = await deps.store.listMessages(h.id);
  // From the messages the transcript shows, by the rule the list's SQL applies.
  const listed = { ...h, waitingSince: waitingSinceOf(messages) };
  const state = responseState(listed, deps.now());
  const topic = topicInfo(deps.models, h.siteKey, h.topic, locale);
  const triage = classificationOf(h.classification);
  const notes = await deps.store.listNotes(h.id);
  const tags = (await deps.store.tagsOf([h.id])).get(h.id) ?? [];
  // The site's suggested tags as checkboxes; the text field keeps the conversation's other tags.
  const l = listMessagesFor(locale);
  const suggested = site === undefined ? [] : suggestedTagsOf([site]);
  const agents = await agentsById(deps);
  const emails = new Map([...agents].map(([id, a]) => [id, a.email]));
  // A mail's attachments go beside its line: the conversation's first mail is the handoff's own
  // message (same id), a mail that joined later a message of the same id.
  const attachments = new Map<string, AttachmentInfo[]>();
  for (const a of await deps.store.listAttachmentsOfHandoff(h.id)) {
    attachments.set(a.mailId, [...(attachments.get(a.mailId) ?? []), a]);
  }
  const filesOf = new Map<Line, AttachmentInfo[]>();
  // The same for the customer's mails themselves: where to read one whole (its text on the line is
  // clipped), and who sent one that is not from the customer's address.
  const mails = await deps.store.listMailsOfHandoff(h.id);
  const received = new Map(mails.filter((m) => m.direction === 'in').map((m) => [m.id, m]));
  const mailOf = new Map<Line, MailRow>();
  const withFiles = (line: Line, mailId: string): Line => {
    const files = attachments.get(mailId);
    if (files !== undefined) filesOf.set(line, files);
    const mail = received.get(mailId);
    if (mail === undefined) return line;
    mailOf.set(line, mail);
    // The sender beside "Visitor", as a note names its agent (the line is the map's key: changed
    // in place).
    if (mail.warning?.startsWith(OTHER_SENDER) === true && mail.fromAddress !== null) {
      line.by = mail.fromAddress;
    }
    return line;
  };
  const cm = conversationMessagesFor(locale);
  const mailNotes = (line: Line) => {
    const mail = mailOf.get(line);
    if (mail === undefined) return null;
    const id = encodeURIComponent(mail.id);
    const other = mail.warning?.startsWith(OTHER_SENDER) === true && mail.fromAddress !== null;
    // The same two links stand under every mail: the mail's time, for screen readers only, tells
    // them apart (WCAG 2.4.4; a name on the paragraph would be dropped, ARIA forbids naming a <p>).
    const which = html`<span class="visually-hidden"> (${cm.whichMail.replace('{time}', () => time(line.ts, locale, timeZone))})</span>`;
    return html`${
      other
        ? html`<p class="error">${cm.otherSender
            .replace('{sender}', () => mail.fromAddress ?? '')
            .replace('{customer}', () => h.email)}</p>`
        : null
    }<p class="mail-links"><a href="/inbox/mails/${id}/text" target="_blank" rel="noopener">${cm.wholeMail}${which}</a> · <a href="/inbox/mails/${id}/raw" download>${cm.rawMail}${which}</a></p>`;
  };
  // A stored message's id on its line: the reply form's id becomes its message's, so the page's
  // script (conversation-tools/canned-replies.ts) knows a kept draft was stored and drops it.
  const idOf = new Map<Line, string>();
  const stored = (line: Line, messageId: string): Line => {
    idOf.set(line, messageId);
    return withFiles(line, messageId);
  };
  // Notes fall between the replies by time; on a tie the message comes first (a stable sort).
  const replies: Line[] = [
    ...messages.map((m) => stored({ from: m.from, text: m.text, ts: m.ts }, m.id)),
    ...notes.map((n) => ({
      from: 'note' as const,
      text: n.text,
      ts: n.ts,
      by: agents.get(n.agentId)?.email ?? n.agentId,
    })),
  ].sort((a, b) => a.ts - b.ts);
  const lines: Line[] = [
    ...transcriptOf(h.transcript),
    withFiles({ from: 'visitor', text: h.message, ts: h.createdAt }, h.id),
    ...replies,
  ];
  const assignee = h.assignee === null ? undefined : agents.get(h.assignee);
  const base = `/inbox/c/${encodeURIComponent(h.id)}`;
  const action = (path: string, label: string, fields: [string, string][] = [], secondary = true) =>
    html`<form method="post" action="${base}/${path}">
      <input type="hidden" name="_csrf" value="${csrf}">
      ${fields.map(([n, v]) => html`<input type="hidden" name="${n}" value="${v}">`)}
      <button type="submit"${secondary ? html` class="secondary"` : null}>${label}</button>
    </form>`;
  const who = { visitor: t.visitor, bot: t.bot, agent: t.agent, note: t.internalNote } as const;
  // The visitor's and the bot's words, and the reasons the widget wrote, are in the conversation's
  // language, which may not be the page's: marked, screen readers read them so (WCAG 3.1.2).
  const theirs =
    h.locale !== null && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(h.locale)
      ? html` lang="${h.locale}"`
      : null;
  const question = visitorQuestion(h, lines);
  const canned = await cannedReplies(deps, h, question, locale);
  const prefill = canned.find((r) => r.key === c.req.query('canned'))?.text;
  const collision = await collisionWarning(deps, {
    handoffId: h.id,
    agentId: agent.id,
    emails,
    locale,
    timeZone,
  });
  const handedTo = c.req.query('handover');
  const handOver = handOverSection({
    // A deactivated account takes nothing over; its past replies and notes keep its name.
    colleagues: [...agents.values()].filter(
      (a) => a.id !== agent.id && a.deactivatedAt === undefined,
    ),
    base,
    csrf,
    locale,
    handedTo: handedTo === undefined ? undefined : agents.get(handedTo),
    myMentions: (await mentionsOf(deps, agent.email)).length,
  });
  const playbook = playbookSection({
    steps: topic.playbook,
    ticks: await deps.store.listTicks(h.id),
    emails,
    base,
    csrf,
    locale,
    timeZone,
  });
  const addToKb = await addToKbSection(deps, {
    h,
    question,
    reply: messages.filter((m) => m.from === 'agent').at(-1)?.text,
    locale,
    csrf,
    done: c.req.query('kb'),
  });
  // An agent's reply the mail server refused: mail/retry-failed-replies.ts sends it again for a
  // day. Said here, because the transcript shows the reply like any other.
  // One the mail server took that came back as a bounce (process-mail.ts) says why.
  const undelivered = mails
    .filter((m) => m.direction === 'out' && m.status === 'failed')
    .map((m) => {
      const until = m.receivedAt + REPLY_RETRY_FOR_MS;
      const bounced = m.warning?.startsWith(BOUNCED) === true;
      const text = (
        bounced
          ? cm.replyBounced
          : mayRetry(m) && deps.now() < until
            ? t.replyRetrying
            : t.replyUndelivered
      )
        .replace('{time}', () => time(m.receivedAt, locale, timeZone))
        .replace('{until}', () => time(until, locale, timeZone))
        .replace('{reason}', () => m.warning?.slice(BOUNCED.length) ?? '');
      return html`<p class="error">${text}</p>`;
    });
  const assignRefused = assignNotice({
    refused: readRefusedAssignment(c.req.query('refused')),
    assignee: h.assignee,
    agentId: agent.id,
    assigneeName: assignee?.email ?? h.assignee ?? '',
    base,
    csrf,
    locale,
  });
  const body = html`<p><a href="/inbox/">${t.back}</a></p>
${assignRefused}
${collision}
${undelivered}
<div class="columns">
<section aria-labelledby="transcript-h">
  <h2 id="transcript-h">${t.transcript}</h2>
  <ol class="card" aria-label="${t.transcript}">
  ${lines.map(
    (
      l,
    ) => html`<li class="msg-${l.from}"${idOf.has(l) ? html` data-message-id="${idOf.get(l)}"` : null}><p><strong${l.from === 'note' ? html` class="note-label"` : null}>${who[l.from]}</strong>${l.by === undefined ? null : html` · ${l.by}`} · <time datetime="${new Date(l.ts).toISOString()}">${time(l.ts, locale, timeZone)}</time></p>
      <p class="msg"${l.from === 'visitor' ? html` dir="auto"` : null}${l.from === 'visitor' || l.from === 'bot' ? theirs : null}>${l.text}</p>${attachmentList(filesOf.get(l), locale)}${mailNotes(l)}</li>`,
  )}
  </ol>
  <form method="post" action="${base}/reply" class="card">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="id" value="${randomUUID()}">
    <label for="reply">${t.reply}</label>
    <textarea id="reply" name="text" maxlength="${MAX_REPLY_LENGTH}" required${prefill === undefined ? null : html` autofocus`}>${prefill ?? ''}</textarea>
    <p><button type="submit">${t.sendReply}</button></p>
  </form>
  ${cannedRepliesSection({ replies: canned, base, siteKey: h.siteKey, locale, inserted: prefill !== undefined })}
  <form method="post" action="${base}/note" class="card">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="note">${t.internalNote}</label>
    <p id="note-hint">${t.noteHint}</p>
    <textarea id="note" name="text" class="short" maxlength="${MAX_NOTE_LENGTH}" required aria-describedby="note-hint"></textarea>
    <p><button type="submit" class="secondary">${t.saveNote}</button></p>
  </form>
  <div class="actions">
    ${h.status === 'open' ? action('close', t.close) : action('reopen', t.reopen)}
    ${action('assign', h.assignee === agent.id ? t.unassign : t.assignToMe, [
      ['agent', h.assignee === agent.id ? '' : agent.id],
      ['assigned', h.assignee ?? ''],
    ])}
  </div>
  ${addToKb}
  ${await reviewSection(c, deps, h, emails)}
</section>
<aside>
  <section class="card" aria-labelledby="facts-h">
    <h2 id="facts-h" data-ticket="${h.ticketId}">${t.ticket} ${h.ticketId}</h2>
    <dl>
      <dt>${t.state}</dt><dd class="state-${state}">${t[state]}</dd>
      <dt>${t.respondBy}</dt><dd>${dueText(t, listed, state, locale, timeZone)}</dd>
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
      ${
        suggested.length === 0
          ? null
          : html`<fieldset class="suggested-tags"><legend>${l.suggestedTags}</legend>
        ${suggested.map((tag) => html`<label><input type="checkbox" name="tag" value="${tag}"${tags.includes(tag) ? html` checked` : null}> ${tag}</label>`)}
      </fieldset>`
      }
      <label for="tags">${suggested.length === 0 ? t.tags : l.otherTags}</label>
      <input id="tags" name="tags" value="${tags.filter((tag) => !suggested.includes(tag)).join(', ')}" aria-describedby="tags-hint">
      <p id="tags-hint">${t.tagsHint}</p>
      <button type="submit" class="secondary">${t.saveTags}</button>
    </form>
  </section>
  <section class="card" aria-labelledby="reasons-h">
    <h2 id="reasons-h">${t.reasons}</h2>
    <ul${theirs}>${triage.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    <p>${t.signals}: ${triage.signals.length === 0 ? t.none : triage.signals.map((x) => signalName(t, x)).join(', ')}</p>
    <p>${t.confidence}: ${triage.confidence === undefined ? t.none : `${Math.round(triage.confidence * 100)} %`}</p>
  </section>
  ${playbook}
  ${handOver}
</aside>
</div>`;
  return sendPage(c, {
    t,
    locale,
    title: `${t.ticket} ${h.ticketId}`,
    body,
    agent,
    csrf,
    scripts: ['/ui/conversation.js'],
    liveAfter,
  });
}
