import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookiesOf, csrfOf, form, logIn, submitLogin } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores, sqliteTarget } from '../test-support/stores.js';
import { createInvitation } from './invitations.js';
import { safeNext } from './login-routes.js';

const ADMIN = 'admin@example.com';
const PASSWORD = 'test-password';

describeStores('agent login and sessions', (target) => {
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer(target);
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows the login form with the documented German and English names', async () => {
    const de = await t.get('/login', { 'accept-language': 'de-DE,de;q=0.9' });
    expect(de.status).toBe(200);
    expect(de.text).toContain('<label for="email">E-Mail</label>');
    expect(de.text).toContain('<label for="password">Passwort</label>');
    expect(de.text).toContain('>Anmelden</button>');
    expect(de.headers['content-security-policy']).toContain("script-src 'self'");
    const en = await t.get('/login', { 'accept-language': 'en-US' });
    expect(en.text).toContain('<label for="email">Email</label>');
    expect(en.text).toContain('<label for="password">Password</label>');
    expect(en.text).toContain('>Sign in</button>');
    expect((await t.get('/login?lang=de')).text).toContain('Anmelden');
  });

  it('signs in with an HttpOnly, SameSite=Lax session cookie kept in the store', async () => {
    const { response } = await submitLogin(t.url, ADMIN, PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/inbox/');
    const line = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('lotse_session='));
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).not.toMatch(/Secure/i);
    const cookie = line!.split(';')[0]!;
    expect((await t.get('/inbox/', { cookie })).status).toBe(200);
  });

  it('refuses a wrong password without a session, keeping the address for the next try', async () => {
    const { response } = await submitLogin(t.url, ADMIN, 'wrong-password');
    expect(response.status).toBe(401);
    expect(cookiesOf(response).lotse_session).toBeUndefined();
    expect(response.text).toContain(`value="${ADMIN}" required>`);
    expect(response.text).toMatch(
      /<input id="password"[^>]* required aria-invalid="true" aria-describedby="login-error" autofocus>/,
    );
    expect(response.text).toContain('<p class="error" id="login-error" role="alert">');
    expect((await t.get('/login')).text).not.toContain('autofocus');
    const unknown = await submitLogin(t.url, 'nobody@example.com', PASSWORD);
    expect(unknown.response.status).toBe(401);
  });

  it('answers no inbox, dashboard or admin page or API without a session', async () => {
    for (const path of ['/inbox/', '/inbox/c/x', '/dashboard/', '/admin/']) {
      const r = await t.get(path);
      expect(r.status, path).toBe(302);
      expect(r.headers.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of ['/dashboard/api/metrics?site=demo', '/dashboard/export.csv?site=demo']) {
      const r = await t.get(path);
      expect(r.status, path).toBe(401);
      expect(r.json.error.code).toBe('login_required');
    }
    for (const path of ['/inbox/c/x/reply', '/inbox/c/x/close', '/admin/sites/demo', '/logout']) {
      const r = await send(t.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'text=hi',
      });
      expect(r.status, path).toBe(401);
    }
    const forged = await t.get('/inbox/', { cookie: `lotse_session=${'A'.repeat(43)}` });
    expect(forged.status).toBe(302);
  });

  it('refuses form posts without the right CSRF token or from another origin', async () => {
    const noToken = await send(`${t.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ email: ADMIN, password: PASSWORD }),
    });
    expect(noToken.status).toBe(403);
    expect(noToken.json.error.code).toBe('csrf_failed');
    const foreign = await submitLogin(t.url, ADMIN, PASSWORD, { origin: 'http://evil.test' });
    expect(foreign.response.status).toBe(403);

    const agent = await logIn(t.url, ADMIN, PASSWORD);
    expect(agent.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const token of ['', 'wrong']) {
      const r = await agent.post('/logout', { _csrf: token });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('csrf_failed');
    }
    const cross = await send(`${t.url}/logout`, {
      method: 'POST',
      headers: {
        cookie: agent.cookie,
        origin: 'http://evil.test',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: agent.csrf }),
    });
    expect(cross.status).toBe(403);
    expect((await agent.get('/inbox/')).status).toBe(200);
  });

  it('gives every sign-in a fresh session and ends the one the browser held', async () => {
    const first = await logIn(t.url, ADMIN, PASSWORD);
    const again = await submitLogin(t.url, ADMIN, PASSWORD, { cookie: first.cookie });
    expect(again.response.status).toBe(303);
    const fresh = `lotse_session=${cookiesOf(again.response).lotse_session}`;
    expect(fresh).not.toBe(first.cookie);
    expect((await t.get('/inbox/', { cookie: fresh })).status).toBe(200);
    expect((await first.get('/inbox/')).status).toBe(302);
  });

  it('signs out for good', async () => {
    const agent = await logIn(t.url, ADMIN, PASSWORD);
    const r = await agent.post('/logout');
    expect(r.status).toBe(303);
    expect((await agent.get('/inbox/')).status).toBe(302);
  });

  it('slows password guessing per account on new devices, but lets the owner in from a known one', async () => {
    // The owner signed in on this browser before: it keeps a signed known-device cookie.
    const first = await submitLogin(t.url, ADMIN, PASSWORD);
    const device = cookiesOf(first.response).lotse_device;
    expect(device).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    const line = (first.response.headers['set-cookie'] ?? []).find((c) =>
      c.startsWith('lotse_device='),
    );
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    expect(line).toMatch(/Path=\/login/i);

    // Someone who only knows the address guesses from elsewhere (another device, any address);
    // the owner's sign-in above did not count.
    for (let i = 0; i < 5; i++) {
      expect((await submitLogin(t.url, ADMIN, `wrong-${i}`)).response.status).toBe(401);
    }
    // Even the right password is slowed down now on a device the account never used ...
    const blocked = await submitLogin(t.url, ADMIN, PASSWORD);
    expect(blocked.response.status).toBe(429);
    expect(Number(blocked.response.headers['retry-after'])).toBeGreaterThan(0);
    expect(cookiesOf(blocked.response).lotse_session).toBeUndefined();
    // ... and for an address that has no account the answer is the same (no enumeration).
    for (let i = 0; i < 5; i++) await submitLogin(t.url, 'nobody@example.com', `wrong-${i}`);
    const unknown = await submitLogin(t.url, 'nobody@example.com', 'wrong');
    expect(unknown.response.status).toBe(429);
    // The same page but for the address typed and the wait (a matter of milliseconds).
    const page = (r: { response: { text: string } }) =>
      r.response.text
        .replace(/name="_csrf" value="[^"]*"/, '')
        .replace(/name="email" type="email" autocomplete="username" value="[^"]*"/, '')
        .replace(/in \d+ (Min\.|min)/, '');
    expect(page(unknown)).toBe(page(blocked));
    expect(blocked.response.text).toMatch(/try again in \d+ min\.|in \d+ Min\. erneut/);

    // The owner's known device still signs in with the right password.
    const owner = await submitLogin(t.url, ADMIN, PASSWORD, { cookie: `lotse_device=${device}` });
    expect(owner.response.status).toBe(303);
    expect(cookiesOf(owner.response).lotse_session).toBeDefined();
    // A forged or another account's device cookie buys nothing.
    const [nonce] = device!.split('.');
    for (const forged of [
      `${nonce}.${'A'.repeat(43)}`,
      `${'B'.repeat(43)}.${device!.split('.')[1]}`,
    ]) {
      const r = await submitLogin(t.url, ADMIN, PASSWORD, { cookie: `lotse_device=${forged}` });
      expect(r.response.status).toBe(429);
    }
  });

  it('limits guessing on a known device too', async () => {
    const device = cookiesOf((await submitLogin(t.url, ADMIN, PASSWORD)).response).lotse_device;
    const cookie = { cookie: `lotse_device=${device}` };
    for (let i = 0; i < 5; i++) {
      expect((await submitLogin(t.url, ADMIN, `wrong-${i}`, cookie)).response.status).toBe(401);
    }
    expect((await submitLogin(t.url, ADMIN, PASSWORD, cookie)).response.status).toBe(429);
  });

  it('answers a NUL in a form field or the address as bad input, not a server error', async () => {
    expect((await submitLogin(t.url, 'a\0b@example.com', 'x')).response.status).toBe(401);
    for (const path of ['/v1/sites/%00/model.json', '/login?next=%00', '/inbox/c/%00']) {
      const r = await t.get(path);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'invalid_request', field: 'url' });
    }
  });

  it('counts failed sign-ins only: a team on one address signs in on new devices as often as it needs', async () => {
    for (let i = 0; i < 12; i++) {
      const r = await submitLogin(t.url, ADMIN, PASSWORD);
      expect(r.response.status).toBe(303);
    }
    // Failures still count, from the same address and for the same account.
    for (let i = 0; i < 5; i++) {
      expect((await submitLogin(t.url, ADMIN, `wrong-${i}`)).response.status).toBe(401);
    }
    expect((await submitLogin(t.url, ADMIN, PASSWORD)).response.status).toBe(429);
  });

  it('limits login attempts per client address across accounts on new devices', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await submitLogin(t.url, `user${i}@example.com`, 'x')).response.status).toBe(401);
    }
    expect((await submitLogin(t.url, ADMIN, PASSWORD)).response.status).toBe(429);
  });

  it('invites an agent who sets a password once and cannot change sites', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const invited = await admin.post('/admin/invitations', {
      email: 'ina@example.com',
      role: 'agent',
    });
    expect(invited.status).toBe(200);
    const link = /class="invite-link">([^<]+)</.exec(invited.text)?.[1] ?? '';
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const path = new URL(link).pathname;
    const page = await t.get(path);
    expect(page.status).toBe(200);
    const pre = cookiesOf(page).lotse_login;
    const setPassword = (password: string) =>
      send(t.url + path, {
        method: 'POST',
        headers: {
          cookie: `lotse_login=${pre}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form({ _csrf: csrfOf(page.text), password }),
      });
    expect((await setPassword('short')).status).toBe(400);
    expect((await setPassword('ein langes Passwort')).status).toBe(200);
    expect((await setPassword('ein anderes Passwort')).status).toBe(404);

    const agent = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
    expect((await agent.get('/inbox/')).status).toBe(200);
    expect((await agent.get('/dashboard/')).status).toBe(200);
    expect((await agent.get('/admin/')).status).toBe(403);
    const site = (await t.server.store.getSite('other'))!.settings as Record<string, unknown>;
    const changed = JSON.stringify({ ...site, title: 'Hacked' });
    const denied = await agent.post('/admin/sites/other', { settings: changed });
    expect(denied.status).toBe(403);
    expect(((await t.server.store.getSite('other'))!.settings as { title: string }).title).toBe(
      'Other',
    );
    const allowed = await admin.post('/admin/sites/other', { settings: changed });
    expect(allowed.status).toBe(200);
    expect((await t.server.sites.get('other'))?.title).toBe('Hacked');
    const invalid = await admin.post('/admin/sites/other', { settings: '{"key":"other"}' });
    expect(invalid.status).toBe(400);
    const fresh = JSON.stringify({ ...site, key: 'fresh', title: 'Fresh' });
    expect((await agent.post('/admin/sites/new', { settings: fresh })).status).toBe(403);
    expect((await admin.post('/admin/sites/new', { settings: fresh })).status).toBe(200);
    expect((await t.server.sites.get('fresh'))?.title).toBe('Fresh');
    // A site its settings file seeds at every start says so beside its settings.
    const adminPage = (await admin.get('/admin/?lang=en')).text;
    expect(adminPage).toMatch(/<p id="sitefile-other">This site is loaded from \S+ at every start/);
    expect(adminPage).toContain('aria-describedby="sitefile-other"');
    expect(adminPage).not.toContain('sitefile-fresh');
  });

  const linkOf = (text: string) =>
    new URL(/class="invite-link">([^<]+)</.exec(text)?.[1] ?? 'http://x/none').pathname;
  const setPassword = async (path: string, password: string) => {
    const page = await t.get(path);
    if (page.status !== 200) return page;
    return send(t.url + path, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), password }),
    });
  };

  it('never takes an existing account over, and a used link voids the address’s others', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const invite = (email: string) =>
      admin.post('/admin/invitations?lang=en', { email, role: 'admin' });
    const first = linkOf((await invite('ina@example.com')).text);
    const second = linkOf((await invite('ina@example.com')).text);
    expect(second).not.toBe(first);
    expect((await setPassword(first, 'Inas eigenes Passwort')).status).toBe(200);
    // The second link would have set Ina's password again, whoever held it.
    expect((await t.get(second)).status).toBe(404);
    expect((await setPassword(second, 'übernommen 123456')).status).toBe(404);
    await logIn(t.url, 'ina@example.com', 'Inas eigenes Passwort');

    // An existing address gets no invitation at all, with the way to a new password.
    for (const email of [ADMIN, 'INA@example.com']) {
      const refused = await invite(email);
      expect(refused.status, email).toBe(409);
      expect(refused.text).toMatch(/role="alert">This address has an account already/);
      expect(refused.text).not.toContain('invite-link');
    }
    expect((await t.server.store.getAgentByEmail('ina@example.com'))?.role).toBe('admin');
  });

  it('refuses an invitation to an address that got an account after it was sent', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const link = linkOf(
      (await admin.post('/admin/invitations', { email: 'bo@example.com', role: 'agent' })).text,
    );
    // The account is made another way (here: directly) while the link waits.
    await t.server.store.insertAgent({
      id: '00000000-0000-4000-8000-0000000000b0',
      email: 'bo@example.com',
      passwordHash: (await t.server.store.getAgentByEmail(ADMIN))!.passwordHash,
      role: 'agent',
      createdAt: 0,
    });
    // A reset link waits too (the CLI's); the refused invitation must not void it.
    const reset = await createInvitation({
      store: t.server.store,
      email: 'bo@example.com',
      role: 'agent',
      kind: 'reset',
      now: Date.now(),
      baseUrl: t.url,
    });
    const r = await setPassword(link, 'ein neues Passwort');
    expect(r.status).toBe(409);
    expect(r.text).toContain('role="alert"');
    await logIn(t.url, 'bo@example.com', PASSWORD);
    expect((await setPassword(new URL(reset).pathname, 'Bos neues Passwort')).status).toBe(200);
    await logIn(t.url, 'bo@example.com', 'Bos neues Passwort');
  });
});

describe('sign-in details', () => {
  it('redirects after sign-in only to the agent pages', () => {
    expect(safeNext('/dashboard/?site=demo')).toBe('/dashboard/?site=demo');
    for (const bad of [
      '//evil.test/inbox/',
      'https://evil.test/',
      '/inbox',
      '/\\evil.test',
      null,
    ]) {
      expect(safeNext(bad)).toBe('/inbox/');
    }
  });

  it('marks the session cookie Secure behind an https public URL', async () => {
    const t = await startTestServer(sqliteTarget, { publicUrl: 'https://help.example.com' });
    try {
      const { response } = await submitLogin(t.url, ADMIN, PASSWORD);
      expect(response.status).toBe(303);
      const line = (response.headers['set-cookie'] ?? []).find((c) =>
        c.startsWith('lotse_session='),
      );
      expect(line).toMatch(/;\s*Secure/i);
    } finally {
      await t.close();
    }
  });
});
