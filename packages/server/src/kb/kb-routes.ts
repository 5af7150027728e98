import { type EntryFields, type KnowledgeBaseIssue, writeEntryFile } from '@lotse/triage';
import type { Hono } from 'hono';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import { fill, kbMessagesFor } from './kb-messages.js';
import {
  entriesBody,
  entryFormBody,
  failedChecksTable,
  issueList,
  type KbPageContext,
  type KbPageStatus,
  kbPageContext,
  notice,
  previewHtml,
  rawFormBody,
  sendKbPage,
  sitesBody,
  sourceDiff,
  versionBody,
  versionsBody,
} from './kb-pages.js';
import { changeIssues, fileText, isKbPath, reviewSource, textHash } from './kb-source.js';
import {
  type PublishResult,
  type WorkingCopy,
  type WorkingCopyChanges,
  workingCopyState,
} from './knowledge-base.js';
import {
  entryPath,
  isRawFile,
  localesOf,
  searchText,
  topicsOf,
  workingEntries,
} from './working-entries.js';

// Served from our origin for the pages' `script-src 'self'`. Progressive enhancement: the preview
// is also rendered with every page load and save.
const editorJs = `(function(){
var ta=document.querySelector('textarea[data-preview]');var out=document.getElementById('preview');
if(!ta||!out)return;var form=ta.form;var timer=0;var seq=0;
ta.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(function(){
  var n=++seq;var body=new URLSearchParams();body.set('_csrf',form.elements._csrf.value);body.set('answer',ta.value);
  fetch(ta.getAttribute('data-preview'),{method:'POST',credentials:'same-origin',body:body}).then(function(r){return r.ok?r.text():null;})
  .then(function(text){if(text!==null&&n===seq){out.innerHTML=text;}});
},300);});
})();
`;

// Entries a page of the list shows; the inbox shows 50 conversations, entries are shorter rows.
const PAGE_SIZE = 100;

/** An entry id or topic: lower-case words joined by hyphens. */
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * What the entry form gets wrong, in the page's language: a new entry's id, required fields left
 * empty. Checked before the compiler's own (English) findings, and all named at once.
 */
function formIssues(fields: EntryFields, locale: PageLocale, isNew: boolean): KnowledgeBaseIssue[] {
  const t = kbMessagesFor(locale);
  const checks = [
    ['id', isNew && !SLUG.test(fields.id), t.idInvalid],
    ['title', fields.title === '', t.titleMissing],
    ['examples', fields.examples.length === 0, t.examplesMissing],
    ['answer', fields.answer.trim() === '', t.answerMissing],
  ] as const;
  return checks
    .filter(([, wrong]) => wrong)
    .map(([field, , message]) => ({ file: '', line: 1, field, message }));
}

/** Reads the entry form's fields. */
function fieldsOf(form: URLSearchParams): EntryFields {
  const list = (name: string) =>
    (form.get(name) ?? '')
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const level = Number(form.get('level'));
  const keywords = list('keywords');
  const playbook = list('playbook');
  return {
    id: (form.get('id') ?? '').trim(),
    title: (form.get('title') ?? '').trim(),
    topic: (form.get('topic') ?? '').trim(),
    ...(level >= 1 && level <= 3 ? { level } : {}),
    locale: (form.get('locale') ?? '').trim(),
    examples: list('examples'),
    ...(keywords.length > 0 ? { keywords } : {}),
    ...(playbook.length > 0 ? { playbook } : {}),
    answer: form.get('answer') ?? '',
  };
}

/**
 * `/admin/kb/`: owners and editors list, search and edit entries, the config and the check suite as
 * drafts, publish them through the check gate, and read and restore versions.
 */
export function registerKbRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const kb = deps.knowledgeBase;
  app.get('/ui/kb.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(editorJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.use('/admin/kb', requireAgent(deps, 'editor'));
  app.use('/admin/kb/*', requireAgent(deps, 'editor'));
  app.get('/admin/kb', (c) => c.redirect('/admin/kb/', 301));

  app.get('/admin/kb/', async (c) => {
    const p = kbPageContext(c);
    const sites = deps.sites.all().map((s) => ({ key: s.key, title: s.settings.title }));
    return sendKbPage(p, p.t.knowledgeBase, sitesBody(p, sites));
  });

  const timeZoneOf = async (site: string) => (await deps.sites.get(site))?.hours.timeZone;

  /** The site of the path, or the 404 answer. */
  const siteOf = async (c: AppContext) => {
    const key = c.req.param('site') ?? '';
    const site = await deps.sites.get(key);
    return site === undefined
      ? apiError(c, 404, 'not_found', `There is no site "${key.slice(0, 64)}".`)
      : site.key;
  };

  const entriesPage = async (
    c: AppContext,
    context: KbPageContext,
    site: string,
    top?: ReturnType<typeof notice>,
    message?: string,
    status: KbPageStatus = 200,
  ) => {
    const p = { ...context, timeZone: await timeZoneOf(site) };
    const copy = await kb.workingCopy(site);
    const q = (c.req.query('q') ?? '').trim().toLowerCase().slice(0, 200);
    const filter = {
      q: c.req.query('q')?.slice(0, 200) ?? '',
      topic: c.req.query('topic')?.slice(0, 80) ?? '',
      level: c.req.query('level')?.slice(0, 1) ?? '',
      locale: c.req.query('locale')?.slice(0, 5) ?? '',
    };
    const topics = topicsOf(copy.source.config, p.locale);
    const entries = workingEntries(copy)
      .filter((e) => q === '' || searchText(e).includes(q))
      .filter((e) => filter.topic === '' || e.fields?.topic === filter.topic)
      .filter(
        (e) =>
          filter.level === '' ||
          String(e.fields?.level ?? topics.find((x) => x.id === e.fields?.topic)?.level) ===
            filter.level,
      )
      .filter((e) => filter.locale === '' || e.fields?.locale === filter.locale);
    const total = entries.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const pageUrl = (n: number) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
      if (n > 1) query.set('page', String(n));
      const text = query.toString();
      return `/admin/kb/${encodeURIComponent(site)}/${text === '' ? '' : `?${text}`}`;
    };
    const shown = entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const stateOf = (path: string, text: string | null) =>
      text === null
        ? p.t.deleted
        : copy.published === undefined || fileText(copy.published.source, path) === null
          ? p.t.added
          : p.t.changed;
    return sendKbPage(
      p,
      `${p.t.knowledgeBase}: ${site}`,
      entriesBody(p, site, {
        entries: shown,
        paging: {
          total,
          first: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
          last: (page - 1) * PAGE_SIZE + shown.length,
          ...(page > 1 ? { previous: pageUrl(page - 1) } : {}),
          ...(page < pages ? { next: pageUrl(page + 1) } : {}),
        },
        topics,
        filter,
        drafts: copy.drafts.map((d) => ({
          path: d.path,
          state: stateOf(d.path, d.text),
          by: d.updatedBy,
          at: d.updatedAt,
        })),
        published: copy.published,
        locales: localesOf(copy.source.config),
        top,
        message,
        // Only drafts make the working copy differ from what was published and checked.
        review: copy.drafts.length === 0 ? undefined : reviewSource(copy.source),
        state: workingCopyState(copy),
      }),
      status,
    );
  };

  app.get('/admin/kb/:site/', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const p = kbPageContext(c);
    const version = Number(c.req.query('published'));
    const top =
      Number.isInteger(version) && version > 0
        ? notice(fill(p.t.published_, { version }))
        : c.req.query('saved') === '1'
          ? notice(p.t.saved)
          : undefined;
    return entriesPage(c, p, site, top);
  });
  app.get('/admin/kb/:site', (c) =>
    c.redirect(`/admin/kb/${encodeURIComponent(c.req.param('site'))}/`, 301),
  );

  /** The editor of one file, blank for a new entry. */
  const editPage = (
    p: KbPageContext,
    site: string,
    copy: WorkingCopy,
    form: {
      path: string;
      base: string;
      fields?: EntryFields | undefined;
      text?: string;
      issues?: KnowledgeBaseIssue[];
      /** The file the form saves to, when it is not `path` (a new entry's). */
      file?: string;
      theirs?: string | null;
    },
    status: 200 | 400 | 409 = 200,
  ) => {
    const title = `${p.t.knowledgeBase}: ${site}`;
    if (isRawFile(form.path)) {
      const body = rawFormBody(
        p,
        site,
        {
          path: form.path,
          text: form.text ?? fileText(copy.source, form.path) ?? '',
          base: form.base,
        },
        form.issues ?? [],
        form.theirs,
      );
      return sendKbPage(p, title, body, status);
    }
    const fields = form.fields ?? {
      id: '',
      title: '',
      topic: '',
      locale: p.locale,
      examples: [],
      answer: '',
    };
    const body = entryFormBody(
      p,
      site,
      {
        path: form.path,
        base: form.base,
        fields,
        issues: form.issues ?? [],
        ...(form.file === undefined ? {} : { file: form.file }),
        ...(form.theirs === undefined ? {} : { theirs: form.theirs }),
      },
      topicsOf(copy.source.config, p.locale),
      localesOf(copy.source.config),
    );
    return sendKbPage(p, title, body, status);
  };

  app.get('/admin/kb/:site/entry', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const p = kbPageContext(c);
    const copy = await kb.workingCopy(site);
    if (c.req.query('new') !== undefined) {
      const question = (c.req.query('question') ?? '').trim().slice(0, 500);
      const locale = c.req.query('locale') ?? p.locale;
      const topic = c.req.query('topic') ?? '';
      return editPage(p, site, copy, {
        path: '',
        base: textHash(null),
        fields: {
          id: '',
          title: question.slice(0, 120),
          topic,
          locale,
          examples: question === '' ? [] : [question],
          answer: (c.req.query('answer') ?? '').slice(0, 20_000),
        },
      });
    }
    let path = c.req.query('path') ?? '';
    const id = c.req.query('id');
    if (id !== undefined) {
      const locale = c.req.query('locale');
      const found = workingEntries(copy).find(
        (e) => e.fields?.id === id && (locale === undefined || e.fields.locale === locale),
      );
      path = found?.path ?? '';
    }
    const text = isKbPath(path) ? fileText(copy.source, path) : null;
    if (text === null && !isRawFile(path)) {
      return sendKbPage(p, p.t.knowledgeBase, notice(p.t.notFound, 'alert'), 404);
    }
    const entry = workingEntries(copy).find((e) => e.path === path);
    return editPage(p, site, copy, {
      path,
      base: textHash(text),
      fields: entry?.fields,
      ...(isRawFile(path) ? { text: text ?? '' } : {}),
    });
  });

  app.post('/admin/kb/:site/entry', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const p = kbPageContext(c);
    const copy = await kb.workingCopy(site);
    const base = form.get('base') ?? '';
    const deleting = form.get('action') === 'delete';
    let path = form.get('path') ?? '';
    let text: string | null;
    let fields: EntryFields | undefined;
    if (isRawFile(path)) {
      text = (form.get('text') ?? '').replace(/\r\n?/g, '\n');
    } else {
      fields = fieldsOf(form);
      if (path === '') {
        const issues = formIssues(fields, p.locale, true);
        if (issues.length > 0) {
          return editPage(p, site, copy, { path: '', base, fields, issues }, 400);
        }
        const topic = SLUG.test(fields.topic) ? fields.topic : 'new';
        const locale = /^[a-z]{2}$/.test(fields.locale) ? fields.locale : p.locale;
        path = entryPath({ id: fields.id, topic, locale });
      } else if (!isKbPath(path)) {
        return apiError(
          c,
          400,
          'invalid_request',
          'path: not a file of the knowledge base.',
          'path',
        );
      }
      text = deleting ? null : writeEntryFile(fields);
    }
    const wrong = fields === undefined || deleting ? [] : formIssues(fields, p.locale, false);
    const issues = wrong.length > 0 ? wrong : changeIssues(copy.source, path, text);
    if (issues.length > 0) {
      return editPage(
        p,
        site,
        copy,
        {
          path: form.get('path') ?? '',
          base,
          fields,
          ...(text === null ? {} : { text }),
          issues,
          file: path,
        },
        400,
      );
    }
    const agent = c.get('agent')?.email ?? 'unknown';
    const saved = await kb.saveDraft(site, path, text, base, agent);
    if (!saved.saved) {
      // Both versions on one page: theirs as saved, mine in the form, based on theirs now.
      return editPage(
        p,
        site,
        copy,
        {
          path,
          base: textHash(saved.current),
          fields,
          ...(text === null ? {} : { text }),
          theirs: saved.current,
        },
        409,
      );
    }
    return c.redirect(`/admin/kb/${encodeURIComponent(site)}/?saved=1`, 303);
  });

  app.post('/admin/kb/:site/preview', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    c.header('Cache-Control', 'no-store');
    return c.html(previewHtml(form.get('answer') ?? '', kbPageContext(c).locale).value);
  });

  app.post('/admin/kb/:site/publish', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const p = kbPageContext(c);
    const message = (form.get('message') ?? '').trim().slice(0, 500);
    // A refusal is answered with the page and a 4xx status: nothing was published, and the
    // form's `state` keeps a reload (which sends the form again) from publishing anything else.
    if (message === '') {
      return entriesPage(c, p, site, notice(p.t.publishMessageMissing, 'alert'), undefined, 400);
    }
    const overriding = form.has('overrideReason');
    const overrideReason = (form.get('overrideReason') ?? '').trim().slice(0, 1000);
    const basedOn = form.get('state') ?? '';
    const result = await kb.publish(site, {
      author: c.get('agent')?.email ?? 'unknown',
      message,
      ...(overrideReason === '' ? {} : { overrideReason }),
      // An override answers the refusal it was given on: the drafts that were built there (a form
      // without that state publishes nothing) and the failing checks it showed, no others.
      ...(basedOn !== '' || overriding ? { basedOn } : {}),
      ...(overriding ? { overrideChecks: form.getAll('check') } : {}),
    });
    if (result.ok) {
      return c.redirect(
        `/admin/kb/${encodeURIComponent(site)}/?published=${result.version.version}`,
        303,
      );
    }
    // An override sent with a blank reason is refused again, with the checks and the form.
    const noReason =
      result.code === 'checks_regressed' && form.has('overrideReason') && overrideReason === '';
    const refused = refusal(p, site, message, result);
    const top = noReason ? html`${notice(p.t.overrideReasonMissing, 'alert')}${refused}` : refused;
    return entriesPage(c, p, site, top, message, 409);
  });

  app.get('/admin/kb/:site/versions', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const p = { ...kbPageContext(c), timeZone: await timeZoneOf(site) };
    const restored = Number(c.req.query('restored'));
    const from = Number(c.req.query('from'));
    const top =
      Number.isInteger(restored) && restored > 0
        ? notice(fill(p.t.restored, { from, version: restored }))
        : undefined;
    return sendKbPage(
      p,
      `${p.t.versions}: ${site}`,
      versionsBody(p, site, await deps.store.listKbVersions(site), top),
    );
  });

  app.get('/admin/kb/:site/versions/:version', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const p = kbPageContext(c);
    const number = Number(c.req.param('version'));
    const version = Number.isInteger(number)
      ? await deps.store.getKbVersion(site, number)
      : undefined;
    if (version === undefined) {
      return sendKbPage(p, p.t.versions, notice(p.t.notFound, 'alert'), 404);
    }
    const [before, newest] = await Promise.all([
      number > 1 ? deps.store.getKbVersion(site, number - 1) : undefined,
      deps.store.listKbVersions(site),
    ]);
    const { source, ...info } = version;
    return sendKbPage(
      p,
      `${p.t.version} ${number}: ${site}`,
      versionBody(p, site, info, sourceDiff(before?.source, source), newest[0]?.version === number),
    );
  });

  app.post('/admin/kb/:site/versions/:version/restore', async (c) => {
    const site = await siteOf(c);
    if (site instanceof Response) return site;
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const p = kbPageContext(c);
    const number = Number(c.req.param('version'));
    if (!Number.isInteger(number) || number < 1) {
      return apiError(c, 400, 'invalid_request', 'version: a version number.', 'version');
    }
    const result = await kb.restore(site, number, c.get('agent')?.email ?? 'unknown');
    if (!result.ok) {
      return sendKbPage(p, p.t.versions, refusal(p, site, '', result, number), 409);
    }
    return c.redirect(
      `/admin/kb/${encodeURIComponent(site)}/versions?restored=${result.version.version}&from=${number}`,
      303,
    );
  });
}

/** Why a publish or restore did not happen, with the override form where an owner may override. */
function refusal(
  p: KbPageContext,
  site: string,
  message: string,
  result: Exclude<PublishResult, { ok: true }>,
  restoring?: number,
) {
  const { t } = p;
  switch (result.code) {
    case 'nothing_to_publish':
      return notice(t.nothingToPublish, 'alert');
    case 'conflict':
      return notice(t.publishConflict, 'alert');
    case 'stale':
      return notice(
        html`<p>${t.stale}</p>${result.changes === undefined ? null : changesList(p, site, result.changes)}`,
        'alert',
      );
    case 'invalid':
      if (result.issues !== undefined) {
        return notice(html`<p>${t.buildFailed}</p>${issueList(p, result.issues)}`, 'alert');
      }
      if (restoring !== undefined && result.message === `there is no version ${restoring}`) {
        return notice(fill(t.noSuchVersion, { version: restoring }), 'alert');
      }
      return notice(html`<p>${t.buildFailed}</p><pre class="msg">${result.message}</pre>`, 'alert');
    case 'checks_regressed':
      return html`${notice(fill(t.regressed, { count: result.regressions.length }), 'alert')}
${
  result.notOverridden.length === 0
    ? null
    : notice(
        html`<p>${t.notOverridden}</p><ul>${result.notOverridden.map((f) => html`<li>${f.id}</li>`)}</ul>`,
        'alert',
      )
}
${failedChecksTable(p, 'regressions', t.brokenChecks, result.regressions)}
<form method="post" action="/admin/kb/${encodeURIComponent(site)}/publish" class="card">
  <input type="hidden" name="_csrf" value="${p.csrf}">
  <input type="hidden" name="message" value="${message}">
  <input type="hidden" name="state" value="${result.state}">
  ${result.regressions.map((f) => html`<input type="hidden" name="check" value="${f.id}">`)}
  <label for="override-reason">${t.overrideReason}</label>
  <textarea id="override-reason" name="overrideReason" required maxlength="1000" class="short"></textarea>
  <p><button type="submit">${t.overrideButton}</button></p>
</form>`;
  }
}

/** What changed in the drafts since the refused page was loaded, each draft linked to its editor. */
function changesList(p: KbPageContext, site: string, changes: WorkingCopyChanges): SafeHtml {
  const { t } = p;
  const base = `/admin/kb/${encodeURIComponent(site)}`;
  const drafts = (label: string, paths: readonly string[]) =>
    paths.map(
      (path) =>
        html`<li>${label}: <a href="${base}/entry?path=${encodeURIComponent(path)}"><code>${path}</code></a></li>`,
    );
  return html`<ul>${
    changes.published === undefined
      ? null
      : html`<li>${fill(t.publishedSince, { version: changes.published })}</li>`
  }${drafts(t.draftAddedSince, changes.added)}${drafts(t.draftChangedSince, changes.changed)}${drafts(t.draftGoneSince, changes.removed)}</ul>`;
}
