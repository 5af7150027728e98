// "Add to knowledge base" in a closed conversation: the visitor's question becomes an example of an
// entry, or the agent's reply becomes a draft entry with the question as its first example. Any
// agent may propose; drafts wait for an editor to publish them.
import { isEntryFile, type KnowledgeBaseIssue, readEntryFile, writeEntryFile } from '@lotse/triage';
import type { Hono } from 'hono';
import { readAgentForm } from '../auth/sessions.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { apiError, localizedApiError } from '../http/errors.js';
import type { InboxHandoff } from '../inbox/inbox-queries.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type PageLocale, pickLocale } from '../pages/i18n.js';
import type { AgentRow } from '../store/store.js';
import { describeIssue } from './describe-issue.js';
import { fill, kbMessagesFor } from './kb-messages.js';
import { changeIssues, fileText, textHash } from './kb-source.js';
import type { WorkingCopy } from './knowledge-base.js';
import { servedTriage } from './served-triage.js';
import { entryPath, slugify, topicsOf, workingEntries } from './working-entries.js';

/** What the visitor asked: the first line they wrote to the bot, else the handoff message. */
export function visitorQuestion(
  h: InboxHandoff,
  transcript: { from: string; text: string }[],
): string {
  return (transcript.find((l) => l.from === 'visitor')?.text ?? h.message).trim().slice(0, 500);
}

/** The section of a closed conversation's page. */
export async function addToKbSection(
  deps: AppDeps,
  options: {
    h: InboxHandoff;
    question: string;
    reply: string | undefined;
    locale: PageLocale;
    csrf: string;
    /** What the last post did (`?kb=` of the page): `draft`, or `example:<entry path>`. */
    done: string | undefined;
  },
): Promise<SafeHtml | null> {
  const { h, question, locale, csrf } = options;
  if (h.status !== 'closed') return null;
  const t = kbMessagesFor(locale);
  const copy = await deps.knowledgeBase.workingCopy(h.siteKey);
  if (copy.published === undefined) return null;
  const contentLocale = h.locale ?? locale;
  const entries = workingEntries(copy).filter(
    (e) => e.state !== 'deleted' && e.fields !== undefined && e.fields.locale === contentLocale,
  );
  const decided = servedTriage(deps.models, h.siteKey, deps.options.logger)?.triage.decide(
    question,
    contentLocale === 'de' || contentLocale === 'en' ? { locale: contentLocale } : {},
  );
  const suggested = decided?.entry?.id;
  // Without triage's suggestion nothing is chosen: a preselected first entry would take the
  // example of an agent who did not look.
  const preselected = entries.some((e) => e.fields?.id === suggested);
  // The link names the entry by path only; its title comes from the working copy (a crafted
  // link can name nothing but an entry the site has, and the title is escaped like all text).
  const addedTo = options.done?.startsWith('example:')
    ? workingEntries(copy).find((e) => e.path === options.done?.slice('example:'.length))?.fields
        ?.title
    : undefined;
  const done =
    options.done === 'draft'
      ? t.draftCreated
      : addedTo
        ? fill(t.exampleAdded, { title: addedTo })
        : options.done === 'example' || options.done?.startsWith('example:')
          ? t.exampleAddedUntitled
          : undefined;
  const topics = topicsOf(copy.source.config, locale);
  const action = `/inbox/c/${encodeURIComponent(h.id)}/kb`;
  return html`<section class="card" aria-labelledby="kb-h">
  <h2 id="kb-h">${t.addToKb}</h2>
  ${done === undefined ? null : html`<p role="status">${done}</p>`}
  <form method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="action" value="example">
    <h3>${t.addAsExample}</h3>
    <label for="kb-question">${t.question}</label>
    <input id="kb-question" name="question" value="${question}" required maxlength="500">
    <label for="kb-entry">${t.entry}</label>
    <select id="kb-entry" name="path" required>
      <option value=""${preselected ? null : html` selected`}>${t.chooseEntry}</option>${entries.map(
        (e) =>
          html`<option value="${e.path}"${e.fields?.id === suggested ? html` selected` : null}>${e.fields?.title} (${e.fields?.id})${e.fields?.id === suggested ? ` – ${t.suggested}` : ''}</option>`,
      )}
    </select>
    <p><button type="submit" class="secondary">${t.addExample}</button></p>
  </form>
  <form method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="action" value="draft">
    <input type="hidden" name="question" value="${question}">
    <h3>${t.createFromReply}</h3>
    <label for="kb-title">${t.title}</label>
    <input id="kb-title" name="title" value="${question.slice(0, 120)}" required maxlength="200">
    <label for="kb-topic">${t.topic}</label>
    <select id="kb-topic" name="topic">${topics.map(
      (x) =>
        html`<option value="${x.id}"${x.id === (h.topic ?? decided?.topic) ? html` selected` : null}>${x.name}</option>`,
    )}</select>
    <label for="kb-answer">${t.answer}</label>
    <textarea id="kb-answer" name="answer" required>${options.reply ?? ''}</textarea>
    <p><button type="submit" class="secondary">${t.createDraft}</button></p>
  </form>
</section>`;
}

/** `POST /inbox/c/:id/kb`: stores the proposal as a draft and goes back to the conversation. */
export function registerAddToKbRoute(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/inbox/c/:id/kb', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const h = await deps.store.getHandoff(c.req.param('id'));
    if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
    const agent = c.get('agent') as AgentRow;
    const locale = pickLocale(c);
    const t = kbMessagesFor(locale);
    const question = (form.get('question') ?? '').trim().slice(0, 500);
    if (question === '') {
      return apiError(
        c,
        400,
        'invalid_request',
        'question: the visitor’s question is empty.',
        'question',
      );
    }
    const copy = await deps.knowledgeBase.workingCopy(h.siteKey);
    let path: string;
    let text: string;
    if (form.get('action') === 'draft') {
      const title = (form.get('title') ?? '').trim().slice(0, 200) || question.slice(0, 120);
      const topic = form.get('topic') ?? '';
      const locale = h.locale ?? 'de';
      const taken = new Set(workingEntries(copy).map((e) => e.fields?.id));
      let id = slugify(title);
      for (let n = 2; taken.has(id); n++) id = `${slugify(title).slice(0, 55)}-${n}`;
      path = entryPath({ id, topic, locale });
      text = writeEntryFile({
        id,
        title,
        topic,
        locale,
        examples: [question],
        answer: (form.get('answer') ?? '').trim(),
      });
    } else {
      path = form.get('path') ?? '';
      const current = isEntryFile(path) ? fileText(copy.source, path) : null;
      const fields = current === null ? undefined : readEntryFile(current);
      if (fields === undefined) {
        return localizedApiError(c, locale, 400, 'invalid_request', t.entryNotChosen, 'path');
      }
      if (!fields.examples.includes(question)) fields.examples.push(question);
      text = writeEntryFile(fields);
    }
    const [problem] = changeIssues(copy.source, path, text);
    if (problem !== undefined) {
      return localizedApiError(
        c,
        locale,
        400,
        'invalid_request',
        proposalProblem(problem, path, copy, locale).slice(0, 1000),
        'question',
      );
    }
    const saved = await deps.knowledgeBase.saveDraft(
      h.siteKey,
      path,
      text,
      textHash(fileText(copy.source, path)),
      agent.email,
    );
    if (!saved.saved) {
      return apiError(
        c,
        409,
        'conflict',
        'Someone changed this entry meanwhile; try again.',
        'path',
      );
    }
    // A code and the entry's path, not its text: the page looks the title up itself.
    const done = form.get('action') === 'draft' ? 'draft' : `example:${path}`;
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}?kb=${encodeURIComponent(done)}`, 303);
  });
}

/**
 * Why a proposal is refused, in the agent's language: the field of the proposed entry, or, for a
 * problem it brings about in another entry (the build names the later path of two that share an
 * example), that entry by title and id.
 */
function proposalProblem(
  issue: KnowledgeBaseIssue,
  path: string,
  copy: WorkingCopy,
  locale: PageLocale,
): string {
  const t = kbMessagesFor(locale);
  const { where, message } = describeIssue(issue, locale);
  if (issue.file === path) return where === null ? message : `${where}: ${message}`;
  const other = workingEntries(copy).find((e) => e.path === issue.file)?.fields;
  const entry =
    other === undefined ? issue.file : fill(t.otherEntry, { title: other.title, id: other.id });
  return `${entry}${where === null ? '' : `, ${where}`}: ${message}`;
}
