import type { Context } from 'hono';
import type { AgentRow } from '../store/store.js';
import { type HtmlValue, html, type SafeHtml } from './html.js';
import type { Messages, PageLocale } from './i18n.js';

/**
 * Content-Security-Policy of every agent page: scripts and styles only from our own files (no inline
 * code), no framing, forms only to ourselves.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Options of {@link renderPage}. */
export interface PageOptions {
  t: Messages;
  locale: PageLocale;
  title: string;
  body: SafeHtml;
  /** The signed-in agent; without one there is no navigation. */
  agent?: AgentRow | undefined;
  /** The session's CSRF token, for the sign-out form. */
  csrf?: string | undefined;
  /** Extra script files (own origin only). */
  scripts?: readonly string[];
  /** Extra stylesheets (own origin only). */
  styles?: readonly string[];
  /** Where the page's live updates start (`LiveHub.startPoint`, taken before its data was read). */
  liveAfter?: string | undefined;
  /** Where the language links lead (with `?lang=`). @default the page itself */
  languageHref?: string | undefined;
}

/** The security headers of every agent page (beside the app's own). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CSP,
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

/** Sends an agent page with its security headers. */
export function sendPage(
  c: Context,
  options: PageOptions,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429 = 200,
): Response {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  return c.html(renderPage(options).value, status);
}

/** One full HTML document of the inbox, dashboard or login. */
export function renderPage(options: PageOptions): SafeHtml {
  const { t, locale, agent } = options;
  const here = options.languageHref ?? '';
  const nav: HtmlValue =
    agent === undefined
      ? null
      : html`<nav aria-label="${t.mainNav}">
  <ul>
    <li><a href="/inbox/">${t.inbox}</a></li>
    <li><a href="/dashboard/">${t.dashboard}</a></li>
    <li><a href="/scorecards/">${t.scorecards}</a></li>
    ${agent.role === 'admin' || agent.role === 'editor' ? html`<li><a href="/admin/kb/">${t.knowledgeBase}</a></li>` : null}
    ${agent.role === 'admin' ? html`<li><a href="/admin/">${t.admin}</a></li>` : null}
  </ul>
  <form method="post" action="/logout">
    <input type="hidden" name="_csrf" value="${options.csrf ?? ''}">
    <span class="who">${agent.email}</span>
    <button type="submit">${t.signOut}</button>
  </form>
</nav>`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Lotse</title>
<link rel="stylesheet" href="/ui/app.css">
${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
<script src="/ui/app.js" defer></script>
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header>
  <a class="brand" href="/inbox/">Lotse</a>
  ${nav}
  <p class="lang">${t.language}: <a href="${here}?lang=de" lang="de"${locale === 'de' ? html` aria-current="true"` : null}>Deutsch</a> · <a href="${here}?lang=en" lang="en"${locale === 'en' ? html` aria-current="true"` : null}>English</a></p>
</header>
<main id="main"${options.liveAfter === undefined ? null : html` data-live-after="${options.liveAfter}"`}>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`;
}
