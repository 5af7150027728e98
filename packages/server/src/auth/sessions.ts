import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { type AppContext, type AppDeps, type AppEnv, ownOrigin } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { readBody } from '../http/read-body.js';
import { clientAddress } from '../privacy/client-address.js';
import { sha256 } from '../secrets.js';
import type { AgentRow, RateRule } from '../store/store.js';

/** Name of the session cookie (HttpOnly, SameSite=Lax, Secure on https). */
export const SESSION_COOKIE = 'lotse_session';

/** Name of the pre-login cookie that the login form's CSRF token is bound to. */
export const LOGIN_COOKIE = 'lotse_login';

/** A session lasts one working day at most (OWASP: absolute timeouts of 4–8 h for office use, plus slack). */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Name of the known-device cookie a successful sign-in sets (HttpOnly, SameSite=Strict, path /login). */
export const DEVICE_COOKIE = 'lotse_device';

/** A device stays known for 90 days after its last successful sign-in. */
export const DEVICE_TTL_MS = 90 * 86_400_000;

/**
 * Failed login attempts: 10 per client address and 5 per account, each refilled over 15 minutes —
 * enough for typos, far too few to guess a password (OWASP Authentication Cheat Sheet); a
 * successful sign-in gives its tokens back. A device on which
 * the account signed in before has a bucket of its own instead of the address's and the account's
 * (OWASP: throttle without letting an attacker lock the owner out), so whoever knows an agent's
 * e-mail address can slow down sign-ins only on devices the agent never used.
 */
export const LOGIN_RATE_RULES: { client: RateRule; account: RateRule; device: RateRule } = {
  client: { capacity: 10, refillPerSecond: 10 / 900 },
  account: { capacity: 5, refillPerSecond: 5 / 900 },
  device: { capacity: 5, refillPerSecond: 5 / 900 },
};

function deviceMac(deps: AppDeps, email: string, nonce: string): string {
  return createHmac('sha256', deps.secret)
    .update(`device:${sha256(email)}:${nonce}`)
    .digest('base64url');
}

/** Marks this browser as a known device of the account `email` (after a successful sign-in). */
export function rememberDevice(c: AppContext, deps: AppDeps, email: string): void {
  const nonce = randomBytes(32).toString('base64url');
  setCookie(c, DEVICE_COOKIE, `${nonce}.${deviceMac(deps, email, nonce)}`, {
    path: '/login',
    httpOnly: true,
    sameSite: 'Strict',
    secure: isSecureRequest(c, deps),
    maxAge: DEVICE_TTL_MS / 1000,
  });
}

/**
 * The known-device id of this browser for `email` (a hash, to key its rate limit), or undefined
 * when its cookie is missing, for another account, or forged.
 */
export function knownDevice(c: AppContext, deps: AppDeps, email: string): string | undefined {
  const [nonce = '', mac = '', ...rest] = (getCookie(c, DEVICE_COOKIE) ?? '').split('.');
  if (rest.length > 0 || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) return undefined;
  return sameText(mac, deviceMac(deps, email, nonce)) ? sha256(nonce) : undefined;
}

/** Largest form body of the forms anyone may post (sign-in, invitation, mail rating) and sign-out. */
const FORM_LIMIT = 64 * 1024;
// A reply of MAX_REPLY_LENGTH characters in a script such as Chinese takes 9 bytes a character in
// a form body (3 UTF-8 bytes, each as %XX): 90 KB; a knowledge-base answer may be longer.
const AGENT_FORM_LIMIT = 256 * 1024;

/** Whether cookies must be `Secure`: the public URL or the request is https. */
export function isSecureRequest(c: AppContext, deps: AppDeps): boolean {
  return ownOrigin(c, deps).startsWith('https:');
}

/** Hash of the client address, as the collector keys its rate limits. */
export async function clientHashOf(c: AppContext, deps: AppDeps): Promise<string> {
  const address = clientAddress(
    c.env?.incoming?.socket.remoteAddress,
    c.req.header('x-forwarded-for'),
    deps.options.trustedProxies,
  );
  return deps.addresses.hash(address, deps.now());
}

/** Starts a session for the agent and sets its cookie. */
export async function startSession(c: AppContext, deps: AppDeps, agent: AgentRow): Promise<void> {
  // A session this browser still holds ends here: every sign-in gets a fresh id (no fixation).
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous !== undefined && previous.length <= 100) {
    await deps.store.deleteSession(sha256(previous));
  }
  const id = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.store.insertSession({
    idHash: sha256(id),
    agentId: agent.id,
    csrf: randomBytes(32).toString('base64url'),
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c, deps),
    maxAge: SESSION_TTL_MS / 1000,
  });
  // Expired rows are swept at sign-in, so no timer is needed (and any instance may do it).
  await deps.store.deleteExpiredSessions(now);
}

/** Ends the current session, if any, and clears its cookie. */
export async function endSession(c: AppContext, deps: AppDeps): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id !== undefined) {
    await deps.store.deleteSession(sha256(id));
    // Its live event streams end now (on this and, by the hub, on the other processes).
    deps.live?.endSession(sha256(id));
  }
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecureRequest(c, deps) });
}

/**
 * Whether an agents' path is a JSON API, a download or a stream (401 without a session, JSON errors)
 * rather than a page (redirect to the login form, error pages).
 */
export function isApiPath(path: string): boolean {
  return (
    /^\/(inbox|dashboard|admin)\/api\//.test(path) ||
    path.startsWith('/inbox/attachments/') ||
    path.endsWith('.csv') ||
    path === '/inbox/events'
  );
}

/**
 * Requires a signed-in agent (and `role` or admin, when given): pages without a session redirect to
 * `/login`, APIs answer 401 `login_required`; a wrong role gets 403 `forbidden`.
 */
export function requireAgent(
  deps: AppDeps,
  role?: 'admin' | 'editor' | 'reviewer',
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const found =
      id === undefined || id.length > 100
        ? undefined
        : await deps.store.getSession(sha256(id), deps.now());
    if (found === undefined) {
      c.header('Cache-Control', 'no-store');
      if (isApiPath(c.req.path) || c.req.method !== 'GET') {
        return apiError(c, 401, 'login_required', 'Sign in first.');
      }
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    // Set before the role check: a refusal's page (pages/error-page.ts) keeps the navigation.
    c.set('agent', found.agent);
    c.set('session', found.session);
    // An admin may do whatever an editor or a reviewer may.
    const allowed = role === undefined || found.agent.role === role || found.agent.role === 'admin';
    if (!allowed) {
      return apiError(
        c,
        403,
        'forbidden',
        role === 'admin'
          ? 'Only an admin may do this.'
          : `Only an admin or ${role === 'editor' ? 'an editor' : 'a reviewer'} may do this.`,
      );
    }
    await next();
  };
}

/** Reads a signed-in agent's form post and checks its CSRF token: the form, or the error answer. */
export async function readAgentForm(
  c: AppContext,
  deps: AppDeps,
): Promise<URLSearchParams | Response> {
  const read = await readForm(c, AGENT_FORM_LIMIT);
  if (!read.ok) return read.response;
  return checkCsrf(c, deps, read.form, c.get('session')?.csrf ?? '') ?? read.form;
}

/** Reads an `application/x-www-form-urlencoded` body (at most 64 KB, or `limit`). */
export async function readForm(
  c: AppContext,
  limit = FORM_LIMIT,
): Promise<{ ok: true; form: URLSearchParams } | { ok: false; response: Response }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return {
      ok: false,
      response: apiError(
        c,
        415,
        'unsupported_media_type',
        'Send the form as application/x-www-form-urlencoded.',
      ),
    };
  }
  const body = await readBody(c.env?.incoming, c.req.raw, limit);
  if (!body.ok) {
    const status =
      body.code === 'payload_too_large' ? 413 : body.code === 'request_timeout' ? 408 : 400;
    if (status !== 400) c.header('Connection', 'close');
    return { ok: false, response: apiError(c, status, body.code, body.message) };
  }
  // NUL as U+FFFD, as the JSON reader does: PostgreSQL's text refuses it.
  const text = body.text.replaceAll('\0', '\ufffd').replaceAll('%00', '%EF%BF%BD');
  return { ok: true, form: new URLSearchParams(text) };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Refuses a cross-site post: an `Origin` other than our own, or a missing or wrong CSRF token. */
export function checkCsrf(
  c: AppContext,
  deps: AppDeps,
  form: URLSearchParams,
  expected: string,
): Response | undefined {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== 'null' && origin !== ownOrigin(c, deps)) {
    return apiError(c, 403, 'csrf_failed', 'Cross-site form posts are refused.', 'origin');
  }
  const token = form.get('_csrf') ?? '';
  if (expected === '' || !sameText(token, expected)) {
    return apiError(
      c,
      403,
      'csrf_failed',
      'The form is missing its CSRF token or it is wrong; reload the page.',
      '_csrf',
    );
  }
  return undefined;
}

/** Token of the login form: an HMAC of the pre-login cookie's nonce (signed double submit). */
export function loginCsrfToken(deps: AppDeps, nonce: string): string {
  return createHmac('sha256', deps.secret).update(`login:${nonce}`).digest('base64url');
}

/** Sets (or keeps) the pre-login cookie and returns the login form's CSRF token. */
export function issueLoginCsrf(c: AppContext, deps: AppDeps): string {
  let nonce = getCookie(c, LOGIN_COOKIE);
  if (nonce === undefined || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    setCookie(c, LOGIN_COOKIE, nonce, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: isSecureRequest(c, deps),
      maxAge: 3600,
    });
  }
  return loginCsrfToken(deps, nonce);
}

/** The login form's expected CSRF token from the pre-login cookie ('' without one). */
export function expectedLoginCsrf(c: AppContext, deps: AppDeps): string {
  const nonce = getCookie(c, LOGIN_COOKIE);
  return nonce === undefined ? '' : loginCsrfToken(deps, nonce);
}
