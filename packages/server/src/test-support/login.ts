import { send, type TestResponse } from './server.js';

/** Cookies from a response's `Set-Cookie` headers, as `name=value` pairs. */
export function cookiesOf(r: TestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.headers['set-cookie'] ?? []) {
    const [pair = ''] = line.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** The first `_csrf` hidden field of a page. */
export function csrfOf(page: string): string {
  return /name="_csrf" value="([^"]*)"/.exec(page)?.[1] ?? '';
}

/** Form-encodes fields. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A signed-in agent as the tests drive one: its cookie header and the session's CSRF token. */
export interface AgentSession {
  cookie: string;
  csrf: string;
  get(pathname: string, headers?: Record<string, string>): Promise<TestResponse>;
  /** Posts a form with the session's CSRF token (unless `_csrf` is given). */
  post(pathname: string, fields?: Record<string, string>): Promise<TestResponse>;
}

/** Posts the login form the way a browser does; returns the answer and the cookie jar. */
export async function submitLogin(
  baseUrl: string,
  email: string,
  password: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ response: TestResponse; cookies: Record<string, string> }> {
  const page = await send(`${baseUrl}/login`);
  const pre = cookiesOf(page);
  const response = await send(`${baseUrl}/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...extraHeaders,
      // A cookie among the extra headers (e.g. a known device) goes with the pre-login one.
      cookie: [`lotse_login=${pre.lotse_login}`, extraHeaders.cookie].filter(Boolean).join('; '),
    },
    body: form({ _csrf: csrfOf(page.text), email, password, next: '/inbox/' }),
  });
  return { response, cookies: { ...pre, ...cookiesOf(response) } };
}

/** Signs in and returns a session to drive the agent pages with. */
export async function logIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<AgentSession> {
  const { response, cookies } = await submitLogin(baseUrl, email, password);
  if (response.status !== 303 || cookies.lotse_session === undefined) {
    throw new Error(`login failed: ${response.status} ${response.text.slice(0, 200)}`);
  }
  const cookie = `lotse_session=${cookies.lotse_session}`;
  const inbox = await send(`${baseUrl}/inbox/`, { headers: { cookie } });
  const csrf = csrfOf(inbox.text);
  return {
    cookie,
    csrf,
    get: (pathname, headers = {}) => send(baseUrl + pathname, { headers: { cookie, ...headers } }),
    post: (pathname, fields = {}) =>
      send(baseUrl + pathname, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ _csrf: csrf, ...fields }),
      }),
  };
}
