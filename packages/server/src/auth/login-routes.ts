import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../agents/password.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { html } from '../pages/html.js';
import { type Messages, messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { sha256 } from '../secrets.js';
import type { RateRule } from '../store/store.js';
import {
  checkCsrf,
  clientHashOf,
  endSession,
  expectedLoginCsrf,
  issueLoginCsrf,
  knownDevice,
  LOGIN_RATE_RULES,
  readForm,
  rememberDevice,
  requireAgent,
  startSession,
} from './sessions.js';

/** Shortest password an agent may choose (NIST SP 800-63B asks for at least 8; we ask 12). */
export const MIN_PASSWORD_LENGTH = 12;

// A hash to verify against when the account does not exist, so both cases cost the same time.
let dummyHash: Promise<string> | undefined;

/** Where to go after signing in: only our own agent pages (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  if (typeof next === 'string' && /^\/(inbox|dashboard|admin)\/[^\s\\]*$/.test(next)) return next;
  return '/inbox/';
}

function loginPage(
  c: AppContext,
  deps: AppDeps,
  t: Messages,
  locale: PageLocale,
  next: string,
  failed?: { error: string; email: string; status: 401 | 403 | 429 },
): Response {
  const csrf = issueLoginCsrf(c, deps);
  // After a failure the address stays and the password field takes the focus: one more try
  // is typing the password again (not for a deactivated account, whose password was right).
  const retry = failed !== undefined && failed.email !== '' && failed.status !== 403;
  const body = html`<form method="post" action="/login" class="card">
  ${failed === undefined ? null : html`<p class="error" id="login-error" role="alert">${failed.error}</p>`}
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="next" value="${next}">
  <label for="email">${t.email}</label>
  <input id="email" name="email" type="email" autocomplete="username" value="${failed?.email ?? ''}" required>
  <label for="password">${t.password}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${retry ? html` aria-invalid="true" aria-describedby="login-error" autofocus` : null}>
  <p><button type="submit">${t.signIn}</button></p>
</form>`;
  return sendPage(c, { t, locale, title: t.signInTitle, body }, failed?.status ?? 200);
}

/** `/login`, `/logout` and the one-time password links `/invite/:token`. */
export function registerLoginRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/login', (c) => {
    const locale = pickLocale(c);
    return loginPage(c, deps, messagesFor(locale), locale, safeNext(c.req.query('next')));
  });

  app.post('/login', async (c) => {
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const read = await readForm(c);
    if (!read.ok) return read.response;
    const { form } = read;
    const denied = checkCsrf(c, deps, form, expectedLoginCsrf(c, deps));
    if (denied !== undefined) return denied;
    const next = safeNext(form.get('next'));
    const email = (form.get('email') ?? '').trim().toLowerCase().slice(0, 320);
    const password = form.get('password') ?? '';
    const now = deps.now();
    const device = knownDevice(c, deps, email);
    const buckets: [string, RateRule][] =
      device === undefined
        ? [
            [`login-client:${await clientHashOf(c, deps)}`, LOGIN_RATE_RULES.client],
            [`login-account:${sha256(email)}`, LOGIN_RATE_RULES.account],
          ]
        : [[`login-device:${device}`, LOGIN_RATE_RULES.device]];
    const taken = [];
    for (const [key, rule] of buckets) taken.push(await deps.store.takeToken(key, rule, now));
    if (taken.some((x) => !x.allowed)) {
      const wait = Math.max(...taken.map((x) => x.retryAfterMs));
      c.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
      const minutes = String(Math.max(1, Math.ceil(wait / 60_000)));
      const error = t.tooManyLogins.replace('{minutes}', minutes);
      return loginPage(c, deps, t, locale, next, { error, email, status: 429 });
    }
    const agent = await deps.store.getAgentByEmail(email);
    dummyHash ??= hashPassword(randomUUID());
    const ok = await verifyPassword(password, agent?.passwordHash ?? (await dummyHash));
    if (agent === undefined || !ok) {
      return loginPage(c, deps, t, locale, next, { error: t.badLogin, email, status: 401 });
    }
    // Only whoever knows the password learns that the account is deactivated: with a wrong one the
    // answer above is the same as for any address, so it reveals no more than before.
    if (agent.deactivatedAt !== undefined) {
      return loginPage(c, deps, t, locale, next, {
        error: t.accountDeactivated,
        email,
        status: 403,
      });
    }
    // Only failed attempts count: a team behind one address signing in on new devices, or one
    // agent on several, is never locked out by its own sign-ins.
    for (const [key, rule] of buckets) await deps.store.giveBackToken(key, rule, now);
    await startSession(c, deps, agent);
    rememberDevice(c, deps, email);
    return c.redirect(next, 303);
  });

  app.post('/logout', requireAgent(deps), async (c) => {
    const read = await readForm(c);
    if (!read.ok) return read.response;
    const denied = checkCsrf(c, deps, read.form, c.get('session')?.csrf ?? '');
    if (denied !== undefined) return denied;
    await endSession(c, deps);
    return c.redirect('/login', 303);
  });

  const invitePage = (c: AppContext, token: string, error?: string, status: 200 | 400 = 200) => {
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const csrf = issueLoginCsrf(c, deps);
    const body = html`<form method="post" action="/invite/${encodeURIComponent(token)}" class="card">
  ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="password">${t.password}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
  <p><button type="submit">${t.setPassword}</button></p>
</form>`;
    return sendPage(c, { t, locale, title: t.setPassword, body }, status);
  };

  app.get('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const invitation = await deps.store.getInvitation(sha256(token), deps.now());
    if (invitation === undefined) {
      const locale = pickLocale(c);
      const t = messagesFor(locale);
      return sendPage(
        c,
        { t, locale, title: t.setPassword, body: html`<p class="error">${t.invalidLink}</p>` },
        404,
      );
    }
    return invitePage(c, token);
  });

  app.post('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const locale = pickLocale(c);
    const t = messagesFor(locale);
    const read = await readForm(c);
    if (!read.ok) return read.response;
    const denied = checkCsrf(c, deps, read.form, expectedLoginCsrf(c, deps));
    if (denied !== undefined) return denied;
    const password = read.form.get('password') ?? '';
    if ([...password].length < MIN_PASSWORD_LENGTH)
      return invitePage(c, token, t.passwordTooShort, 400);
    const passwordHash = await hashPassword(password);
    const invitation = await deps.store.useInvitation(sha256(token), deps.now());
    if (invitation === undefined) {
      return apiError(c, 404, 'not_found', 'This link is invalid or has expired.', 'token');
    }
    // An invitation creates an account; only a reset link (the CLI's) sets an existing one's
    // password, so an invitation to a colleague's address cannot take their account over.
    const created =
      invitation.kind === 'invite' &&
      (await deps.store.insertAgent({
        id: randomUUID(),
        email: invitation.email,
        passwordHash,
        role: invitation.role,
        createdAt: deps.now(),
      }));
    if (!created) {
      const reset =
        invitation.kind === 'reset' &&
        (await deps.store.setAgentPassword(invitation.email, passwordHash));
      if (!reset) {
        // An invitation for an address that has an account; a reset for one deleted meanwhile.
        const why = invitation.kind === 'invite' ? t.accountExists : t.invalidLink;
        const body = html`<p class="error" role="alert">${why}</p><p><a href="/login">${t.signIn}</a></p>`;
        return sendPage(c, { t, locale, title: t.setPassword, body }, 409);
      }
    }
    await deps.store.voidInvitations(invitation.email, deps.now());
    // A reset sets a deactivated account's password but does not reactivate it: only an admin does.
    const deactivated =
      !created && (await deps.store.getAgentByEmail(invitation.email))?.deactivatedAt !== undefined;
    return sendPage(c, {
      t,
      locale,
      title: t.setPassword,
      body: html`<p>${deactivated ? t.passwordSetDeactivated : t.passwordSet}</p><p><a href="/login">${t.signIn}</a></p>`,
    });
  });
}
