// The knowledge-base editor's pages, rendered on the server like the inbox: every value goes through
// the escaping `html` tag, answers are previewed from the safe AST.
import { compileMarkdown, type EntryFields, type KnowledgeBaseIssue } from '@lotse/triage';
import { diffLines } from 'diff';
import type { AppContext } from '../http/deps.js';
import { type HtmlValue, html, type SafeHtml } from '../pages/html.js';
import { messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import { answerHtml } from './answer-html.js';
import { describeCheckFailure } from './describe-check-failure.js';
import { describeIssue } from './describe-issue.js';
import { fill, type KbMessages, kbMessagesFor } from './kb-messages.js';
import type { FailedCheck, KbVersionInfo } from './kb-queries.js';
import { CHECKS_FILE, fileText, type KbSource, type SourceReview } from './kb-source.js';
import type { TopicChoice, WorkingEntry } from './working-entries.js';

/** What every knowledge-base page needs: the language, its copy and the form token. */
export interface KbPageContext {
  c: AppContext;
  locale: PageLocale;
  t: KbMessages;
  csrf: string;
  /** The site's time zone, for the times its pages show; UTC until the site is known. */
  timeZone?: string | undefined;
}

/** The page context of a request. */
export function kbPageContext(c: AppContext): KbPageContext {
  const locale = pickLocale(c);
  return { c, locale, t: kbMessagesFor(locale), csrf: c.get('session')?.csrf ?? '' };
}

/** The statuses a knowledge-base page is sent with. */
export type KbPageStatus = 200 | 400 | 404 | 409;

/** Sends a knowledge-base page with the editor script. */
export function sendKbPage(
  p: KbPageContext,
  title: string,
  body: SafeHtml,
  status: KbPageStatus = 200,
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
      scripts: ['/ui/kb.js'],
    },
    status,
  );
}

const csrfField = (p: KbPageContext) => html`<input type="hidden" name="_csrf" value="${p.csrf}">`;

/** A status or error line above a page's content. */
export function notice(text: HtmlValue, kind: 'status' | 'alert' = 'status'): SafeHtml {
  return html`<div class="card${kind === 'alert' ? ' error' : ''}" role="${kind}">${text}</div>`;
}

/** `/admin/kb/`: the sites to edit. */
export function sitesBody(p: KbPageContext, sites: { key: string; title: string }[]): SafeHtml {
  if (sites.length === 0) return html`<p>${p.t.noSites}</p>`;
  return html`<ul>${sites.map(
    (s) =>
      html`<li><a href="/admin/kb/${encodeURIComponent(s.key)}/">${s.title} (${s.key})</a></li>`,
  )}</ul>`;
}

/** The filters of the entry list. */
export interface EntryFilter {
  q: string;
  topic: string;
  level: string;
  locale: string;
}

function stateName(t: KbMessages, state: WorkingEntry['state']): string {
  return { published: t.published, changed: t.changed, added: t.added, deleted: t.deleted }[state];
}

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : null}>${label}</option>`;
}

/** `/admin/kb/:site/`: search, the entries, the drafts and the publish form. */
export function entriesBody(
  p: KbPageContext,
  site: string,
  options: {
    /** This page's entries of those the filter finds. */
    entries: WorkingEntry[];
    /** Where this page is among all that the filter finds, with the links to the pages beside it. */
    paging: { total: number; first: number; last: number; previous?: string; next?: string };
    topics: TopicChoice[];
    filter: EntryFilter;
    drafts: { path: string; state: string; by: string; at: number }[];
    published: KbVersionInfo | undefined;
    locales: string[];
    top?: SafeHtml | undefined;
    /** What the publish form's message field shows again after a refused publish. */
    message?: string | undefined;
    /** What keeps the working copy from being published, while there are drafts. */
    review?: SourceReview | undefined;
    /** The working copy's state the publish form is based on (see `workingCopyState`). */
    state: string;
  },
): SafeHtml {
  const { t } = p;
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  const { filter, published, paging } = options;
  const levelOf = (e: WorkingEntry) =>
    e.fields?.level ?? options.topics.find((x) => x.id === e.fields?.topic)?.level ?? '–';
  const rows = options.entries.map(
    (e) => html`<tr>
  <td><a href="${base}/entry?path=${encodeURIComponent(e.path)}">${e.fields?.title || e.path}</a></td>
  <td>${e.fields?.id ?? '–'}</td>
  <td>${e.fields?.topic ?? '–'}</td>
  <td>${levelOf(e)}</td>
  <td>${e.fields?.locale ?? '–'}</td>
  <td>${e.fields?.examples.length ?? 0}</td>
  <td>${stateName(t, e.state)}</td>
</tr>`,
  );
  const checks =
    published === undefined
      ? html`<p>${t.noVersion}</p>`
      : published.checksFailed.length === 0
        ? html`<p>${fill(t.allChecksPass, { total: published.checksTotal })}</p>`
        : failedChecksTable(p, 'published-failing', t.failingChecks, published.checksFailed);
  return html`${options.top ?? null}
<p class="actions">
  <a href="${base}/entry?new=1">${t.newEntry}</a>
  <a href="${base}/entry?path=lotse.config.json">${t.config}</a>
  <a href="${base}/entry?path=${CHECKS_FILE}">${t.checkSuite}</a>
  <a href="${base}/versions">${t.versions}</a>
</p>
<section class="card" aria-labelledby="drafts-h">
  <h2 id="drafts-h">${t.drafts}</h2>
  ${
    options.drafts.length === 0
      ? html`<p>${t.noDrafts}</p>`
      : html`<ul>${options.drafts.map(
          (d) =>
            html`<li><a href="${base}/entry?path=${encodeURIComponent(d.path)}">${d.path}</a>: ${d.state}, ${t.draftBy} ${d.by}, <time datetime="${new Date(d.at).toISOString()}">${formatTime(d.at, p.locale, p.timeZone)}</time></li>`,
        )}</ul>
  ${options.review === undefined ? null : reviewBlock(p, site, options.review)}
  <form method="post" action="${base}/publish">
    ${csrfField(p)}
    <input type="hidden" name="state" value="${options.state}">
    <label for="publish-message">${t.publishMessage}</label>
    <input id="publish-message" name="message" required maxlength="500" size="60" value="${options.message ?? ''}">
    <p>${t.publishHint}</p>
    <p><button type="submit">${t.publish}</button></p>
  </form>`
  }
</section>
<section class="card" aria-labelledby="checks-h">
  <h2 id="checks-h">${t.checkSuite}</h2>
  ${checks}
</section>
<section aria-labelledby="entries-h">
  <h2 id="entries-h">${t.entries}</h2>
  <form method="get" action="${base}/" class="filters" role="search">
    <div><label for="f-q">${t.searchLabel}</label><input id="f-q" name="q" type="search" value="${filter.q}"></div>
    <div><label for="f-topic">${t.topic}</label><select id="f-topic" name="topic">${option('', t.all, filter.topic)}${options.topics.map((x) => option(x.id, x.name, filter.topic))}</select></div>
    <div><label for="f-level">${t.level}</label><select id="f-level" name="level">${option('', t.all, filter.level)}${['1', '2', '3'].map((l) => option(l, l, filter.level))}</select></div>
    <div><label for="f-locale">${t.locale}</label><select id="f-locale" name="locale">${option('', t.all, filter.locale)}${options.locales.map((l) => option(l, l, filter.locale))}</select></div>
    <div><button type="submit">${t.search}</button></div>
  </form>
  ${
    rows.length === 0
      ? html`<p>${t.noEntries}</p>`
      : tableRegion(
          'entries-caption',
          `${t.entries} (${paging.total})${paging.first === 1 && paging.last === paging.total ? '' : ` · ${fill(t.range, { from: paging.first, to: paging.last, total: paging.total })}`}`,
          html`<thead><tr><th scope="col">${t.title}</th><th scope="col">${t.id}</th><th scope="col">${t.topic}</th><th scope="col">${t.level}</th><th scope="col">${t.locale}</th><th scope="col">${t.examples}</th><th scope="col">${t.state}</th></tr></thead>`,
          html`<tbody>${rows}</tbody>`,
        )
  }
  ${
    paging.previous === undefined && paging.next === undefined
      ? null
      : html`<nav class="paging" aria-label="${t.paging}"><ul>
    ${paging.previous === undefined ? null : html`<li><a href="${paging.previous}" rel="prev">${t.previous}</a></li>`}
    ${paging.next === undefined ? null : html`<li><a href="${paging.next}" rel="next">${t.next}</a></li>`}
  </ul></nav>`
  }
</section>`;
}

/**
 * What keeps the working copy from being published (files the drafts leave invalid, a config
 * change that breaks entries) and checks that can never pass, each file linked to its editor.
 */
export function reviewBlock(p: KbPageContext, site: string, review: SourceReview): HtmlValue {
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  const list = (issues: readonly KnowledgeBaseIssue[]) => {
    const files = [...new Set(issues.map((i) => i.file))];
    return html`<ul>${files.map(
      (file) =>
        html`<li><a href="${base}/entry?path=${encodeURIComponent(file)}"><code>${file}</code></a>${issueList(
          p,
          issues.filter((i) => i.file === file),
        )}</li>`,
    )}</ul>`;
  };
  return html`${
    review.problems.length === 0
      ? null
      : notice(html`<p>${p.t.notPublishable}</p>${list(review.problems)}`, 'alert')
  }${
    review.danglingChecks.length === 0
      ? null
      : notice(html`<p>${p.t.danglingChecks}</p>${list(review.danglingChecks)}`, 'alert')
  }`;
}

/**
 * Issues in the page's language, each with the field's label or the line; with `file` (the one
 * being edited), an issue the change brings about in another file also names that file.
 */
export function issueList(
  p: KbPageContext,
  issues: readonly KnowledgeBaseIssue[],
  id?: string,
  file?: string,
): SafeHtml {
  return html`<ul${id === undefined ? null : html` id="${id}"`}>${issues.map((issue) => {
    const { where, message } = describeIssue(issue, p.locale);
    const elsewhere = file !== undefined && issue.file !== '' && issue.file !== file;
    const place = elsewhere
      ? html`<code>${issue.file}</code>${where === null ? null : `, ${where}`}`
      : where;
    return html`<li>${place === null ? null : html`<strong>${place}</strong>: `}${message}</li>`;
  })}</ul>`;
}

/** A table of failing checks with expected and actual outcome. */
export function failedChecksTable(
  p: KbPageContext,
  id: string,
  caption: string,
  failed: readonly FailedCheck[],
): SafeHtml {
  const { t } = p;
  return tableRegion(
    id,
    caption,
    html`<thead><tr><th scope="col">${t.check}</th><th scope="col">${t.locale}</th><th scope="col">${t.question}</th><th scope="col">${t.whatDiffers}</th></tr></thead>`,
    html`<tbody>${failed.map(
      (f) =>
        html`<tr><td>${f.id}</td><td>${f.locale}</td><td>${f.question}</td><td><ul>${f.failures.map((x) => html`<li>${describeCheckFailure(x, p.locale)}</li>`)}</ul></td></tr>`,
    )}</tbody>`,
  );
}

/** The answer's preview: the safe AST as visitors get it, and what the Markdown may not hold. */
export function previewHtml(markdown: string, locale: PageLocale): SafeHtml {
  const problems: string[] = [];
  const nodes = compileMarkdown(markdown, {
    onIssue: (issue) => {
      const { message } = describeIssue(
        { file: '', line: issue.line, field: null, message: issue.message },
        locale,
      );
      problems.push(`${fill(kbMessagesFor(locale).lineN, { line: issue.line })}: ${message}`);
    },
  });
  return html`${answerHtml(nodes)}${
    problems.length === 0
      ? null
      : html`<ul class="error">${problems.map((x) => html`<li>${x}</li>`)}</ul>`
  }`;
}

/** What the entry form shows: the fields, where they came from and what is wrong with them. */
export interface EntryForm {
  /** Empty for a new entry. */
  path: string;
  base: string;
  fields: EntryFields;
  issues: readonly KnowledgeBaseIssue[];
  /**
   * The file the form saves to (a new entry's path once its fields name it), to tell its own
   * issues from those the change brings about in other files. @default path
   */
  file?: string;
  /** Another person's saved text, on a conflict. */
  theirs?: string | null;
}

const lines = (items: readonly string[] | undefined) => (items ?? []).join('\n');

/** The entry editor. */
export function entryFormBody(
  p: KbPageContext,
  site: string,
  form: EntryForm,
  topics: TopicChoice[],
  locales: string[],
): SafeHtml {
  const { t } = p;
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  const f = form.fields;
  const isNew = form.path === '';
  const file = form.file ?? form.path;
  const invalid = (field: string) =>
    form.issues.some(
      (i) =>
        (i.file === '' || i.file === file) &&
        (i.field === field || i.field?.startsWith(`${field}[`)),
    )
      ? html` aria-invalid="true" aria-describedby="form-issues"`
      : null;
  const topicLevel = topics.find((x) => x.id === f.topic)?.level;
  return html`${issuesBlock(p, form.issues, file)}${theirsBlock(p, form.theirs)}
<form method="post" action="${base}/entry" class="card" id="entry-form">
  ${csrfField(p)}
  <input type="hidden" name="path" value="${form.path}">
  <input type="hidden" name="base" value="${form.base}">
  ${isNew ? null : html`<p>${t.rawFile}: <code>${form.path}</code></p>`}
  <label for="e-title">${t.title}</label>
  <input id="e-title" name="title" value="${f.title}" required maxlength="200" size="60"${invalid('title')}>
  <label for="e-id">${t.id}</label>
  <input id="e-id" name="id" value="${f.id}" required maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*"${invalid('id')}>
  <label for="e-topic">${t.topic}</label>
  <select id="e-topic" name="topic"${invalid('topic')}>${topics.map((x) => option(x.id, `${x.name} (${x.id})`, f.topic))}</select>
  <label for="e-level">${t.level}</label>
  <select id="e-level" name="level"${invalid('level')}>${option('', `${t.topicLevel}${topicLevel === undefined ? '' : ` (${topicLevel})`}`, f.level === undefined ? '' : String(f.level))}${['1', '2', '3'].map((l) => option(l, l, f.level === undefined ? '' : String(f.level)))}</select>
  <label for="e-locale">${t.locale}</label>
  ${
    isNew
      ? html`<select id="e-locale" name="locale"${invalid('locale')}>${locales.map((l) => option(l, l, f.locale))}</select>`
      : html`<input id="e-locale" name="locale" value="${f.locale}" readonly>`
  }
  <label for="e-examples">${t.examples}</label>
  <p id="e-examples-hint">${t.examplesHint}</p>
  <textarea id="e-examples" name="examples" required aria-describedby="e-examples-hint"${invalid('examples')}>${lines(f.examples)}</textarea>
  <label for="e-answer">${t.answer}</label>
  <p id="e-answer-hint">${t.answerHint}</p>
  <textarea id="e-answer" name="answer" required aria-describedby="e-answer-hint" data-preview="${base}/preview"${invalid('answer')}>${f.answer}</textarea>
  <label for="e-keywords">${t.keywords}</label>
  <textarea id="e-keywords" name="keywords" class="short"${invalid('keywords')}>${lines(f.keywords)}</textarea>
  <label for="e-playbook">${t.playbook}</label>
  <textarea id="e-playbook" name="playbook" class="short"${invalid('playbook')}>${lines(f.playbook)}</textarea>
  <p class="actions"><button type="submit" name="action" value="save">${t.saveDraft}</button>${
    isNew
      ? null
      : html`<button type="submit" name="action" value="delete" class="secondary">${t.deleteEntry}</button>`
  }</p>
</form>
<section class="card" aria-labelledby="preview-h">
  <h2 id="preview-h">${t.preview}</h2>
  <p>${t.previewHint}</p>
  <div id="preview" class="answer-preview">${previewHtml(f.answer, p.locale)}</div>
</section>`;
}

/** The editor of the config or the check suite: the file as text. */
export function rawFormBody(
  p: KbPageContext,
  site: string,
  file: { path: string; text: string; base: string },
  problems: readonly KnowledgeBaseIssue[],
  theirs?: string | null,
): SafeHtml {
  const { t } = p;
  return html`${
    problems.length === 0
      ? null
      : notice(html`<p>${t.invalid}</p>${issueList(p, problems, 'form-issues')}`, 'alert')
  }${theirsBlock(p, theirs)}
<form method="post" action="/admin/kb/${encodeURIComponent(site)}/entry" class="card">
  ${csrfField(p)}
  <input type="hidden" name="path" value="${file.path}">
  <input type="hidden" name="base" value="${file.base}">
  <label for="raw-text">${t.rawFile}: <code>${file.path}</code></label>
  <textarea id="raw-text" name="text" class="tall" spellcheck="false"${problems.length > 0 ? html` aria-invalid="true" aria-describedby="form-issues"` : null}>${file.text}</textarea>
  <p><button type="submit" name="action" value="save">${t.saveDraft}</button></p>
</form>`;
}

function issuesBlock(
  p: KbPageContext,
  issues: readonly KnowledgeBaseIssue[],
  file: string,
): HtmlValue {
  if (issues.length === 0) return null;
  return notice(html`<p>${p.t.invalid}</p>${issueList(p, issues, 'form-issues', file)}`, 'alert');
}

function theirsBlock(p: KbPageContext, theirs: string | null | undefined): HtmlValue {
  if (theirs === undefined) return null;
  return html`${notice(p.t.conflict, 'alert')}
<section class="card" aria-labelledby="theirs-h">
  <h2 id="theirs-h">${p.t.theirVersion}</h2>
  <pre class="msg">${theirs ?? `(${p.t.deleted})`}</pre>
</section>
<h2>${p.t.yourVersion}</h2>`;
}

/** `/admin/kb/:site/versions`: every version with its checks. */
export function versionsBody(
  p: KbPageContext,
  site: string,
  versions: readonly KbVersionInfo[],
  top?: SafeHtml,
): SafeHtml {
  const { t } = p;
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  if (versions.length === 0) return html`${top ?? null}<p>${t.noVersion}</p>`;
  return html`${top ?? null}${tableRegion(
    'versions-caption',
    t.versions,
    html`<thead><tr><th scope="col">${t.version}</th><th scope="col">${t.date}</th><th scope="col">${t.author}</th><th scope="col">${t.publishMessage}</th><th scope="col">${t.checks}</th><th scope="col">${t.override}</th></tr></thead>`,
    html`<tbody>${versions.map(
      (v) => html`<tr>
  <td><a href="${base}/versions/${v.version}">${v.version}</a></td>
  <td><time datetime="${new Date(v.createdAt).toISOString()}">${formatTime(v.createdAt, p.locale, p.timeZone)}</time></td>
  <td>${v.author ?? t.imported}</td>
  <td>${versionMessage(t, v)}</td>
  <td>${checksCell(v)}</td>
  <td>${v.overrideReason ?? '–'}</td>
</tr>`,
    )}</tbody>`,
  )}`;
}

/**
 * A version's message as the page shows it. The server writes its own messages in English (the CLI
 * and logs read them too); they are shown in the page's language, and an import's folder, a path on
 * the server, is not shown at all.
 */
function versionMessage(t: KbMessages, v: KbVersionInfo): string {
  const rebuilt = /^Rebuilt for triage engine (\S+) \(was (\S+)\)$/.exec(v.message);
  if (v.author === null && rebuilt !== null) {
    return fill(t.rebuiltMessage, { engine: rebuilt[1] ?? '', was: rebuilt[2] ?? '' });
  }
  if (v.importedFrom !== null) return t.importedMessage;
  if (v.restoredFrom !== null && v.message === `Restored version ${v.restoredFrom}`) {
    return fill(t.restoredMessage, { version: v.restoredFrom });
  }
  return v.restoredFrom === null
    ? v.message
    : `${v.message} (${fill(t.restoredFrom, { version: v.restoredFrom })})`;
}

function checksCell(v: KbVersionInfo): string {
  if (v.checksTotal === 0) return '–';
  const passed = v.checksTotal - v.checksFailed.length;
  return `${passed}/${v.checksTotal} (${Math.round((passed / v.checksTotal) * 100)} %)`;
}

/** Every file that differs between two sources, with its line diff. */
export function sourceDiff(before: KbSource | undefined, after: KbSource): FileDiff[] {
  const paths = new Set<string>(['lotse.config.json', CHECKS_FILE]);
  for (const f of [...(before?.files ?? []), ...after.files]) paths.add(f.path);
  const out: FileDiff[] = [];
  for (const path of [...paths].sort()) {
    const a = before === undefined ? null : fileText(before, path);
    const b = fileText(after, path);
    if (a === b) continue;
    out.push({
      path,
      kind: a === null ? 'added' : b === null ? 'removed' : 'changed',
      before: a ?? '',
      after: b ?? '',
    });
  }
  return out;
}

/** One changed file of a version. */
export interface FileDiff {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: string;
  after: string;
}

/** `/admin/kb/:site/versions/:version`: what the version changed, and the restore button. */
export function versionBody(
  p: KbPageContext,
  site: string,
  version: KbVersionInfo,
  diffs: readonly FileDiff[],
  isNewest: boolean,
): SafeHtml {
  const { t } = p;
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  const kindName = { added: t.fileAdded, removed: t.fileRemoved, changed: t.fileChanged };
  return html`<p><a href="${base}/versions">${t.versions}</a></p>
${versionsBody(p, site, [version])}
${
  version.checksFailed.length === 0
    ? null
    : failedChecksTable(p, 'version-failing', t.failingChecks, version.checksFailed)
}
${
  isNewest
    ? null
    : html`<form method="post" action="${base}/versions/${version.version}/restore" class="card">${csrfField(p)}<button type="submit">${t.restore}</button></form>`
}
<section aria-labelledby="changes-h">
  <h2 id="changes-h">${t.changes}</h2>
  ${
    diffs.length === 0
      ? html`<p>${t.noChanges}</p>`
      : diffs.map(
          (d) => html`<section class="card">
  <h3><code>${d.path}</code>: ${kindName[d.kind]}</h3>
  <pre class="diff">${diffLines(d.before, d.after).map((part) =>
    part.added
      ? html`<ins aria-label="${t.lineAdded}">${prefixLines(part.value, '+ ')}</ins>`
      : part.removed
        ? html`<del aria-label="${t.lineRemoved}">${prefixLines(part.value, '- ')}</del>`
        : prefixLines(part.value, '  '),
  )}</pre>
</section>`,
        )
  }
</section>`;
}

function prefixLines(text: string, prefix: string): string {
  return text.replace(/^(?=.)/gm, prefix);
}

/** A time in the page's language and the site's time zone, as the inbox and dashboard show it. */
export function formatTime(ms: number, locale: PageLocale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: timeZone ?? 'UTC',
  }).format(ms);
}
