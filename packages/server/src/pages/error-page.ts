// A failed navigation or form post of an agent page answers with a page in the agent's language,
// not with the API's JSON: the status and the reason stay, the way back is named.
import type { MiddlewareHandler } from 'hono';
import { isApiPath } from '../auth/sessions.js';
import type { AppEnv } from '../http/deps.js';
import type { ErrorBody } from '../http/errors.js';
import { html } from './html.js';
import { type Messages, messagesFor, pickLocale } from './i18n.js';
import { PAGE_CSP, renderPage } from './layout.js';

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
  if (status === 401) return { href: '/login', name: t.signIn };
  if (path.startsWith('/dashboard/')) return { href: '/dashboard/', name: t.dashboard };
  if (path.startsWith('/scorecards/')) return { href: '/scorecards/', name: t.scorecards };
  if (path.startsWith('/admin/kb/')) return { href: '/admin/kb/', name: t.knowledgeBase };
  if (path.startsWith('/admin/')) return { href: '/admin/', name: t.admin };
  return { href: '/inbox/', name: t.inbox };
}

/** Headers of the failed answer that the page keeps (a language cookie, when to retry). */
const KEPT_HEADERS = ['retry-after', 'connection'];

/**
 * Turns a JSON error of an agent page into an HTML page when a browser asked for one (`Accept:
 * text/html`, as navigations and form posts send); the `/v1` API and the pages' own JSON routes
 * answer JSON as ever. Registered before the routes it wraps.
 */
export function errorPages(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    const path = c.req.path;
    if (
      res.status < 400 ||
      !(res.headers.get('content-type') ?? '').startsWith('application/json') ||
      !(c.req.header('accept') ?? '').includes('text/html') ||
      path.startsWith('/v1/') ||
      isApiPath(path)
    ) {
      return;
    }
    let body: ErrorBody | undefined;
    try {
      body = (await res.clone().json()) as ErrorBody;
    } catch {
      return;
    }
    const { code = '', message = '', field } = body?.error ?? {};
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const way = wayOn(t, path, res.status);
    const detail = field === undefined ? message : `${message} (${field})`;
    const page = renderPage({
      t,
      locale,
      title: t.errorTitle,
      agent: c.get('agent'),
      csrf: c.get('session')?.csrf,
      body: html`<p class="error" role="alert">${reasonOf(t, res.status, code)}</p>
${detail === '' ? null : html`<p>${t.errorDetail}: <span lang="en">${detail}</span></p>`}
${c.req.method === 'POST' && res.status !== 401 ? html`<p>${t.errorBack}</p>` : null}
<p><a href="${way.href}">${way.name}</a></p>`,
    });
    const headers = new Headers({
      'Content-Type': 'text/html; charset=UTF-8',
      'Content-Security-Policy': PAGE_CSP,
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
    });
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
