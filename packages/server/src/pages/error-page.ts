// A failed navigation or form post of an agent page answers with a page in the agent's language,
// not with the API's JSON: the status and the reason stay, the way back is named.
import type { MiddlewareHandler } from 'hono';
import { isApiPath } from '../auth/sessions.js';
import type { AppEnv } from '../http/deps.js';
import type { ErrorBody } from '../http/errors.js';
import { html } from './html.js';
import { type Messages, messagesFor, pickLocale } from './i18n.js';
import { PAGE_HEADERS, renderPage } from './layout.js';

/** What went wrong, in the agent's words: by the error's code, else by its status. */
function reasonOf(t: Messages, status: number, code: string): string {
  if (code === 'csrf_failed') return t.errorForm;
  if (status === 401) return t.errorLogin;
  if (status === 403) return t.errorForbidden;
  if (status === 404) return t.errorNotFound;
  if (status === 409) return t.errorConflict;
  if (status === 413) return t.errorTooLarge;
  if (status === 429) return t.errorTooMany;
  if (status >= 500) return t.errorServer;
  return t.errorInput;
}

/** The part of the product the failed address belongs to, as the way on. */
function wayOn(t: Messages, path: string, status: number): { href: string; name: string } {
  const section = (): { href: string; name: string } => {
    if (/^\/(login|logout|invite)(\/|$)/.test(path)) return { href: '/login', name: t.signIn };
    // A refused section would refuse again: the inbox is open to every agent.
    if (status === 403) return { href: '/inbox/', name: t.inbox };
    if (path.startsWith('/dashboard/')) return { href: '/dashboard/', name: t.dashboard };
    if (path.startsWith('/scorecards/')) return { href: '/scorecards/', name: t.scorecards };
    if (path.startsWith('/admin/kb/')) return { href: '/admin/kb/', name: t.knowledgeBase };
    if (path.startsWith('/admin/')) return { href: '/admin/', name: t.admin };
    return { href: '/inbox/', name: t.inbox };
  };
  const way = section();
  if (status !== 401 || way.href === '/login') return way;
  return {
    href: `/login?next=${encodeURIComponent(formPageOf(path) ?? way.href)}`,
    name: t.signIn,
  };
}

/**
 * The page a conversation's form was on (`/inbox/c/:id` for a post to `/inbox/c/:id/reply`), so a
 * sign-in after the session ended leads back to it, where the page's script still holds the unsent
 * reply; a path of our own, never a URL from the request's headers (pages send no Referer).
 */
function formPageOf(path: string): string | undefined {
  const id = /^\/inbox\/c\/([^/?#\\\s]+)\/[a-z-]+$/.exec(path)?.[1];
  return id === undefined ? undefined : `/inbox/c/${encodeURIComponent(id)}`;
}

/** The agents' side: its pages, their forms, sign-in and invitations (not the mail-rating page). */
const AGENT_PATH = /^\/(inbox|dashboard|admin|scorecards|login|logout|invite)(\/|$)/;

/** Headers of the failed answer that the page keeps (a language cookie, when to retry). */
const KEPT_HEADERS = ['retry-after', 'connection', 'vary'];

/**
 * Turns a JSON error of an agent page into an HTML page when a browser asked for one (`Accept:
 * text/html`, as navigations and form posts send) on the agents' side; the `/v1` API, the pages'
 * own JSON routes and other clients get JSON as ever. Registered before the routes it wraps.
 */
export function errorPages(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const path = c.req.path;
    if (c.res.status < 400 || !AGENT_PATH.test(path) || isApiPath(path)) return;
    // The same address answers JSON or a page, by Accept.
    c.header('Vary', 'Accept', { append: true });
    if (
      !(c.res.headers.get('content-type') ?? '').startsWith('application/json') ||
      !(c.req.header('accept') ?? '').includes('text/html')
    ) {
      return;
    }
    let body: ErrorBody | undefined;
    try {
      body = (await c.res.clone().json()) as ErrorBody;
    } catch {
      return;
    }
    // Before the answer is read for its headers: `?lang=` sets the language cookie on it.
    const locale = pickLocale(c);
    const res = c.res;
    const { code = '', message = '', field } = body?.error ?? {};
    const t = messagesFor(locale);
    const way = wayOn(t, path, res.status);
    const detail = field === undefined ? message : `${message} (${field})`;
    // Most details are English; a route that words one in the agent's language says so.
    const detailLanguage = res.headers.get('content-language') ?? 'en';
    const posted = c.req.method === 'POST';
    const page = renderPage({
      t,
      locale,
      title: t.errorTitle,
      agent: c.get('agent'),
      csrf: c.get('session')?.csrf,
      // A failed post's address answers no GET: the language links lead on instead.
      languageHref: posted ? way.href.replace(/\?.*$/, '') : undefined,
      body: html`<p class="error" role="alert">${reasonOf(t, res.status, code)}</p>
${detail === '' ? null : html`<p>${t.errorDetail}: ${detailLanguage === locale ? detail : html`<span lang="${detailLanguage}">${detail}</span>`}</p>`}
${posted ? html`<p>${t.errorBack}</p>` : null}
<p>${t.errorGoTo}: <a href="${way.href}">${way.name}</a></p>`,
    });
    const headers = new Headers({ 'Content-Type': 'text/html; charset=UTF-8', ...PAGE_HEADERS });
    for (const name of KEPT_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    for (const cookie of res.headers.getSetCookie()) headers.append('Set-Cookie', cookie);
    // Unset first: assigning over a response would copy its headers (its length among them).
    c.res = undefined;
    c.res = new Response(page.value, { status: res.status, headers });
  };
}
