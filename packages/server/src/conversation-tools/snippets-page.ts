// `/inbox/snippets`: the team's reply snippets per site. Every agent reads them (and uses them in a
// conversation); admins and editors create, change and delete them.
import { createHash, randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { readAgentForm } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { textareaText, time } from '../inbox/inbox-format.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { type ToolsMessages, toolsMessagesFor } from './conversation-tools-messages.js';
import type { SnippetRow } from './conversation-tools-queries.js';

/** Longest snippet title and text (a reply is at most 10 000 characters). */
export const MAX_SNIPPET_TITLE = 120;
export const MAX_SNIPPET_TEXT = 10_000;

const LOCALES = ['de', 'en'] as const;

/** Whether the signed-in agent may change snippets. */
function mayEdit(c: AppContext): boolean {
  const role = c.get('agent')?.role;
  return role === 'admin' || role === 'editor';
}

function forbidden(c: AppContext): Response {
  return apiError(c, 403, 'forbidden', 'Only an admin or an editor may do this.');
}

/** The snippet fields of a form, or what is wrong with them. */
function readSnippet(
  form: URLSearchParams,
):
  | { ok: true; title: string; text: string; locale: string | null }
  | { ok: false; field: string; message: string } {
  const title = (form.get('title') ?? '').trim();
  const text = textareaText(form.get('text'));
  const locale = form.get('locale') ?? '';
  if (title === '' || [...title].length > MAX_SNIPPET_TITLE) {
    return { ok: false, field: 'title', message: `title: 1 to ${MAX_SNIPPET_TITLE} characters` };
  }
  if (text === '' || text.length > MAX_SNIPPET_TEXT) {
    return { ok: false, field: 'text', message: `text: 1 to ${MAX_SNIPPET_TEXT} characters` };
  }
  if (locale !== '' && !(LOCALES as readonly string[]).includes(locale)) {
    return { ok: false, field: 'locale', message: 'locale: de, en or empty for all languages' };
  }
  return { ok: true, title, text, locale: locale === '' ? null : locale };
}

/**
 * The version of a snippet an edit form shows, which its save names: a digest of what a save
 * changes (the time alone would not do: two saves may fall in one millisecond).
 */
export function snippetVersion(s: SnippetRow): string {
  return createHash('sha256')
    .update(JSON.stringify([s.updatedAt, s.title, s.text, s.locale]))
    .digest('base64url')
    .slice(0, 22);
}

function snippetForm(
  tt: ToolsMessages,
  options: {
    action: string;
    csrf: string;
    /** The fields' values: the snippet's, or what the agent typed. */
    snippet?: { title: string; text: string; locale: string | null };
    /** The version the save is made over (an edit form's). */
    version?: string;
    prefix: string;
  },
): SafeHtml {
  const s = options.snippet;
  const p = options.prefix;
  return html`<form method="post" action="${options.action}">
    <input type="hidden" name="_csrf" value="${options.csrf}">
    ${options.version === undefined ? null : html`<input type="hidden" name="version" value="${options.version}">`}
    <label for="${p}-title">${tt.title}</label>
    <input id="${p}-title" name="title" required maxlength="${MAX_SNIPPET_TITLE}" value="${s?.title ?? ''}">
    <label for="${p}-locale">${tt.language}</label>
    <select id="${p}-locale" name="locale">
      <option value=""${s?.locale == null ? html` selected` : null}>${tt.allLanguages}</option>
      ${LOCALES.map((l) => html`<option value="${l}"${s?.locale === l ? html` selected` : null}>${l === 'de' ? 'Deutsch' : 'English'}</option>`)}
    </select>
    <label for="${p}-text">${tt.text}</label>
    <textarea id="${p}-text" name="text" required maxlength="${MAX_SNIPPET_TEXT}">${s?.text ?? ''}</textarea>
    <p><button type="submit">${tt.save}</button></p>
  </form>`;
}

/** The snippets routes: the list, the edit page, create, change and delete. */
export function registerSnippetRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/inbox/snippets', async (c) => {
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const tt = toolsMessagesFor(locale);
    const csrf = c.get('session')?.csrf ?? '';
    const sites = deps.sites.all();
    const asked = c.req.query('site') ?? '';
    const site = sites.find((s) => s.key === asked) ?? sites[0];
    const snippets = site === undefined ? [] : await deps.store.listSnippets(site.key);
    const timeZone = site?.hours.timeZone ?? 'UTC';
    const done = c.req.query('done');
    const editor = mayEdit(c);
    const body = html`<p><a href="/inbox/">${t.back}</a></p>
${done === 'saved' || done === 'deleted' ? html`<p role="status">${done === 'saved' ? tt.savedSnippet : tt.deletedSnippet}</p>` : null}
<form method="get" action="/inbox/snippets" class="filters">
  <div><label for="snippet-site">${tt.site}</label>
  <select id="snippet-site" name="site">${sites.map((s) => html`<option value="${s.key}"${s.key === site?.key ? html` selected` : null}>${s.title}</option>`)}</select></div>
  <button type="submit" class="secondary">${tt.show}</button>
</form>
${
  snippets.length === 0
    ? html`<p>${tt.noSnippets}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="snippets-caption"><table>
  <caption id="snippets-caption">${tt.snippetsTitle}: ${site?.title ?? ''}</caption>
  <thead><tr><th scope="col">${tt.title}</th><th scope="col">${tt.text}</th><th scope="col">${tt.language}</th><th scope="col">${tt.updated}</th>${editor ? html`<th scope="col">${tt.edit}</th>` : null}</tr></thead>
  <tbody>${snippets.map(
    (s) =>
      html`<tr><th scope="row">${s.title}</th><td class="msg">${s.text}</td><td>${s.locale ?? tt.allLanguages}</td><td>${time(s.updatedAt, locale, timeZone)} · ${s.updatedBy}</td>${
        editor
          ? html`<td><a href="/inbox/snippets/${encodeURIComponent(s.id)}" aria-label="${tt.edit}: ${s.title}">${tt.edit}</a></td>`
          : null
      }</tr>`,
  )}</tbody></table></div>`
}
${
  site === undefined
    ? null
    : editor
      ? html`<section class="card" aria-labelledby="new-snippet-h"><h2 id="new-snippet-h">${tt.newSnippet}</h2>
  ${snippetForm(tt, { action: `/inbox/snippets?site=${encodeURIComponent(site.key)}`, csrf, prefix: 'new' })}</section>`
      : html`<p>${tt.onlyEditors}</p>`
}`;
    return sendPage(c, { t, locale, title: tt.snippetsTitle, body, agent: c.get('agent'), csrf });
  });

  app.post('/inbox/snippets', async (c) => {
    if (!mayEdit(c)) return forbidden(c);
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const site = await deps.sites.get(c.req.query('site') ?? form.get('site') ?? '');
    if (site === undefined)
      return apiError(c, 400, 'invalid_request', 'site: no such site', 'site');
    const read = readSnippet(form);
    if (!read.ok) return apiError(c, 400, 'invalid_request', read.message, read.field);
    await deps.store.saveSnippet({
      id: randomUUID(),
      siteKey: site.key,
      title: read.title,
      text: read.text,
      locale: read.locale,
      updatedBy: c.get('agent')!.email,
      updatedAt: deps.now(),
    });
    return c.redirect(`/inbox/snippets?site=${encodeURIComponent(site.key)}&done=saved`, 303);
  });

  /**
   * The edit page of a snippet; after a refused save, with what the agent typed in the form (made
   * over the snippet as it is now) and the saved version beside it.
   */
  const editPage = async (
    c: AppContext,
    s: SnippetRow,
    typed?: { title: string; text: string; locale: string | null },
  ): Promise<Response> => {
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const tt = toolsMessagesFor(locale);
    const csrf = c.get('session')?.csrf ?? '';
    const action = `/inbox/snippets/${encodeURIComponent(s.id)}`;
    const timeZone = (await deps.sites.get(s.siteKey))?.hours.timeZone ?? 'UTC';
    const by = { agent: s.updatedBy, time: time(s.updatedAt, locale, timeZone) };
    const form = snippetForm(tt, {
      action,
      csrf,
      snippet: typed ?? s,
      version: snippetVersion(s),
      prefix: 'edit',
    });
    const body = html`<p><a href="/inbox/snippets?site=${encodeURIComponent(s.siteKey)}">${tt.snippetsTitle}</a></p>
${typed === undefined ? null : html`<p class="card error" role="alert">${fill(tt.snippetChanged, by)}</p>`}
<section class="card" aria-labelledby="edit-h"><h2 id="edit-h">${typed === undefined ? s.title : tt.yourVersion}</h2>
${form}
<form method="post" action="${action}/delete">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" class="secondary">${tt.deleteSnippet}</button>
</form></section>
${
  typed === undefined
    ? null
    : html`<section class="card" aria-labelledby="saved-h"><h2 id="saved-h">${fill(tt.savedVersion, by)}</h2>
<dl>
  <dt>${tt.title}</dt><dd>${s.title}</dd>
  <dt>${tt.language}</dt><dd>${s.locale ?? tt.allLanguages}</dd>
  <dt>${tt.text}</dt><dd class="msg">${s.text}</dd>
</dl></section>`
}`;
    return sendPage(
      c,
      { t, locale, title: tt.editSnippet, body, agent: c.get('agent'), csrf },
      typed === undefined ? 200 : 409,
    );
  };

  app.get('/inbox/snippets/:snippetId', async (c) => {
    if (!mayEdit(c)) return forbidden(c);
    const s = await deps.store.getSnippet(c.req.param('snippetId'));
    if (s === undefined) return apiError(c, 404, 'not_found', 'No such snippet.', 'snippetId');
    return editPage(c, s);
  });

  app.post('/inbox/snippets/:snippetId', async (c) => {
    if (!mayEdit(c)) return forbidden(c);
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const s = await deps.store.getSnippet(c.req.param('snippetId'));
    if (s === undefined) return apiError(c, 404, 'not_found', 'No such snippet.', 'snippetId');
    const read = readSnippet(form);
    if (!read.ok) return apiError(c, 400, 'invalid_request', read.message, read.field);
    // The version the form showed; a save over another one would silently drop what a colleague
    // saved since, so it is refused and the agent sees both. A post without one (a page from
    // before) saves over what it finds, as it always did.
    const version = form.get('version');
    const saved =
      (version === null || version === snippetVersion(s)) &&
      (await deps.store.replaceSnippet(
        {
          ...s,
          title: read.title,
          text: read.text,
          locale: read.locale,
          updatedBy: c.get('agent')!.email,
          updatedAt: deps.now(),
        },
        s,
      ));
    if (!saved) {
      const now = await deps.store.getSnippet(s.id);
      if (now === undefined) return apiError(c, 404, 'not_found', 'No such snippet.', 'snippetId');
      if ((c.req.header('accept') ?? '').includes('text/html')) return editPage(c, now, read);
      return apiError(
        c,
        409,
        'conflict',
        `version: the snippet was changed by ${now.updatedBy} since; post again with version=${snippetVersion(now)} to replace it.`,
        'version',
      );
    }
    return c.redirect(`/inbox/snippets?site=${encodeURIComponent(s.siteKey)}&done=saved`, 303);
  });

  app.post('/inbox/snippets/:snippetId/delete', async (c) => {
    if (!mayEdit(c)) return forbidden(c);
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const s = await deps.store.getSnippet(c.req.param('snippetId'));
    if (s === undefined) return apiError(c, 404, 'not_found', 'No such snippet.', 'snippetId');
    await deps.store.deleteSnippet(s.id);
    return c.redirect(`/inbox/snippets?site=${encodeURIComponent(s.siteKey)}&done=deleted`, 303);
  });
}
