import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createInvitation } from '../auth/invitations.js';
import { escapeHtml } from '../pages/html.js';
import { messagesFor } from '../pages/i18n.js';
import { handoffRow } from '../test-support/fixtures.js';
import { cookiesOf, csrfOf, form, logIn, submitLogin } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import { adminMessagesFor } from './admin-messages.js';

const ADMIN = 'admin@example.com';
const PASSWORD = 'test-password';
const INA = 'ina@example.com';
const INA_ID = '00000000-0000-4000-8000-0000000000a1';
const en = { ...messagesFor('en'), ...adminMessagesFor('en') };
const de = { ...messagesFor('de'), ...adminMessagesFor('de') };

describeStores('administration of agents', (target) => {
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer(target);
    // Ina signs in with the admin's test password (its hash, copied).
    await t.server.store.insertAgent({
      id: INA_ID,
      email: INA,
      passwordHash: (await t.server.store.getAgentByEmail(ADMIN))!.passwordHash,
      role: 'agent',
      createdAt: 0,
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const adminId = async () => (await t.server.store.getAgentByEmail(ADMIN))!.id;
  /** The page's `role="alert"` or `role="status"` paragraph. */
  const notice = (text: string) => /role="(?:alert|status)">([^<]*)</.exec(text)?.[1];

  it('deactivates an agent: its session ends at once, sign-in is refused, reactivation lets it in', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const ina = await logIn(t.url, INA, PASSWORD);
    expect((await ina.get('/inbox/')).status).toBe(200);

    const done = await admin.post(`/admin/agents/${INA_ID}/deactivate`);
    expect(done.status).toBe(200);
    expect(notice(done.text)).toContain(`${INA} is deactivated and signed out everywhere.`);
    expect(done.text).toContain(`${en.reactivate}<span class="visually-hidden"> ${INA}</span>`);

    // The session she holds is refused on her very next request, page or post.
    const page = await ina.get('/inbox/');
    expect(page.status).toBe(302);
    expect(page.headers.location).toMatch(/^\/login\?next=/);
    expect((await ina.post('/logout')).status).toBe(401);

    // The right password: told neutrally, no session, no known device.
    const right = await submitLogin(t.url, INA, PASSWORD);
    expect(right.response.status).toBe(403);
    expect(notice(right.response.text)).toBe(en.accountDeactivated);
    expect(right.cookies.lotse_session).toBeUndefined();
    expect(right.cookies.lotse_device).toBeUndefined();
    // A wrong password: the answer anyone gets for any address, so nothing more is revealed.
    const wrong = await submitLogin(t.url, INA, 'wrong password');
    const unknown = await submitLogin(t.url, 'nobody@example.com', 'wrong password');
    expect(wrong.response.status).toBe(401);
    expect(notice(wrong.response.text)).toBe(en.badLogin);
    expect(notice(unknown.response.text)).toBe(notice(wrong.response.text));

    const back = await admin.post(`/admin/agents/${INA_ID}/reactivate`);
    expect(back.status).toBe(200);
    expect(notice(back.text)).toBe(`${INA} is active again and can sign in.`);
    expect((await (await logIn(t.url, INA, PASSWORD)).get('/inbox/')).status).toBe(200);
    // The old session stays gone.
    expect((await ina.get('/inbox/')).status).toBe(302);
  });

  it('keeps a deactivated agent’s history and shows its open conversations to hand over', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const { handoff } = await t.server.store.insertHandoff(handoffRow());
    await t.server.store.updateHandoff(handoff.id, { assignee: INA_ID });
    expect((await admin.post(`/admin/agents/${INA_ID}/deactivate`)).status).toBe(200);

    expect((await t.server.store.getHandoff(handoff.id))?.assignee).toBe(INA_ID);
    const page = (await admin.get('/admin/?lang=de')).text;
    expect(page).toMatch(
      /<td>deaktiviert seit <time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d<\/time>/,
    );
    expect(page).toContain(
      `<a href="/inbox/?agent=${INA_ID}">Noch zugewiesene offene Gespräche: 1<span class="visually-hidden"> ${INA}</span></a>`,
    );
    // The inbox still names her as the assignee.
    expect((await admin.get(`/inbox/?agent=${INA_ID}`)).text).toContain(INA);
  });

  it('offers a deactivated agent nothing to take over: no hand-over, no assignment', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const { handoff } = await t.server.store.insertHandoff(handoffRow());
    const conversation = `/inbox/c/${handoff.id}`;
    expect((await admin.get(conversation)).text).toContain(`<option value="${INA_ID}">`);
    expect((await admin.post(`/admin/agents/${INA_ID}/deactivate`)).status).toBe(200);

    expect((await admin.get(conversation)).text).not.toContain(`<option value="${INA_ID}">`);
    const handover = await admin.post(`${conversation}/handover`, { agent: INA_ID, note: 'Bitte' });
    expect(handover.status).toBe(400);
    const assign = await admin.post(`${conversation}/assign`, { agent: INA_ID });
    expect(assign.status).toBe(400);
    expect((await t.server.store.getHandoff(handoff.id))?.assignee).toBeNull();
    expect(await t.server.store.listNotes(handoff.id)).toEqual([]);
  });

  it('lets a reset link set a deactivated agent’s password without reactivating it', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    expect((await admin.post(`/admin/agents/${INA_ID}/deactivate`)).status).toBe(200);
    const link = await createInvitation({
      store: t.server.store,
      email: INA,
      role: 'agent',
      kind: 'reset',
      now: Date.now(),
      baseUrl: t.url,
    });
    const path = new URL(link).pathname;
    const page = await t.get(path);
    const set = await send(t.url + path, {
      method: 'POST',
      headers: {
        cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: csrfOf(page.text), password: 'ein neues Passwort' }),
    });
    expect(set.status).toBe(200);
    expect(set.text).toContain(en.passwordSetDeactivated);
    expect((await submitLogin(t.url, INA, 'ein neues Passwort')).response.status).toBe(403);
    expect((await t.server.store.getAgentByEmail(INA))?.deactivatedAt).toBeTypeOf('number');
  });

  it('changes a role, in force from the next request of a session already open', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const ina = await logIn(t.url, INA, PASSWORD);
    expect((await ina.get('/admin/kb/')).status).toBe(403);

    const editor = await admin.post(`/admin/agents/${INA_ID}/role`, { role: 'editor' });
    expect(editor.status).toBe(200);
    expect(notice(editor.text)).toBe(
      `${INA} now has the role “${en.roleEditor}”, from the next page ${INA} opens.`,
    );
    expect((await ina.get('/admin/kb/')).status).toBe(200);
    expect((await ina.get('/admin/')).status).toBe(403);

    expect((await admin.post(`/admin/agents/${INA_ID}/role`, { role: 'admin' })).status).toBe(200);
    expect((await ina.get('/admin/')).status).toBe(200);
    expect((await admin.post(`/admin/agents/${INA_ID}/role`, { role: 'agent' })).status).toBe(200);
    expect((await ina.get('/admin/kb/')).status).toBe(403);
    expect((await t.server.store.getAgentById(INA_ID))?.role).toBe('agent');
  });

  it('refuses to deactivate or demote one’s own account, in the admin’s language', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const me = await adminId();
    for (const [path, fields] of [
      [`/admin/agents/${me}/deactivate`, {}],
      [`/admin/agents/${me}/role`, { role: 'editor' }],
    ] as const) {
      const r = await admin.post(path, fields);
      expect(r.status, path).toBe(409);
      expect(r.json.error).toMatchObject({ code: 'own_account', field: 'id' });
    }
    const browser = await send(`${t.url}/admin/agents/${me}/deactivate?lang=de`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: admin.csrf }),
    });
    expect(browser.status).toBe(409);
    expect(browser.text).toContain(`<p class="card error" role="alert">${de.ownAccount}</p>`);
    // Keeping the own role is no demotion; the account is unchanged.
    expect((await admin.post(`/admin/agents/${me}/role`, { role: 'admin' })).status).toBe(200);
    expect(await t.server.store.getAgentById(me)).toMatchObject({ role: 'admin' });
    expect(await t.server.store.getAgentById(me)).not.toHaveProperty('deactivatedAt');
    // The own row offers no control to do it.
    const own = (await admin.get('/admin/')).text;
    expect(own).not.toContain(`/admin/agents/${me}/`);
    expect(own).toContain(`<td>${ADMIN}</td><td>${en.roleAdmin} (${en.you})</td>`);
  });

  it('never leaves the last active admin: two admins demoting each other, one wins', async () => {
    await t.server.store.changeAgent(INA_ID, { role: 'admin' }, 0);
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const ina = await logIn(t.url, INA, PASSWORD);
    const [a, b] = await Promise.all([
      admin.post(`/admin/agents/${INA_ID}/role`, { role: 'agent' }),
      ina.post(`/admin/agents/${await adminId()}/deactivate`),
    ]);
    // The second either finds its own admin rights gone (403) or the other the last admin (409).
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    for (const r of [a, b].filter((x) => x.status !== 200)) {
      expect([403, 409]).toContain(r.status);
      if (r.status === 409) expect(r.json.error.code).toBe('last_admin');
    }
    const admins = (await t.server.store.listAgents()).filter(
      (x) => x.role === 'admin' && x.deactivatedAt === undefined,
    );
    expect(admins).toHaveLength(1);
  });

  it('refuses a role that is not one of the four with 400 naming the field', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    for (const [path, fields] of [
      ['/admin/invitations', { email: 'udo@example.com', role: 'superuser' }],
      ['/admin/invitations', { email: 'udo@example.com' }],
      [`/admin/agents/${INA_ID}/role`, { role: 'superuser' }],
      [`/admin/agents/${INA_ID}/role`, { role: 'Admin' }],
      [`/admin/agents/${INA_ID}/role`, {}],
    ] as const) {
      const r = await admin.post(path, fields);
      expect(r.status, path).toBe(400);
      expect(r.json.error, path).toEqual({
        code: 'invalid_request',
        message: 'role: must be one of agent, editor, reviewer, admin',
        field: 'role',
      });
    }
    for (const [lang, text] of [
      [
        'de',
        'Rolle: „superuser“ gibt es nicht. Wählen Sie eine dieser Rollen: Mitarbeiter, Mitarbeiter mit Wissensdatenbank-Rechten, Mitarbeiter, der Gespräche bewertet, Administrator.',
      ],
      [
        'en',
        'Role: “superuser” does not exist. Choose one of these roles: Agent, Agent with knowledge-base rights, Agent who reviews conversations, Admin.',
      ],
    ] as const) {
      const page = await send(`${t.url}/admin/invitations?lang=${lang}`, {
        method: 'POST',
        headers: {
          cookie: admin.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form({ _csrf: admin.csrf, email: 'udo@example.com', role: 'superuser' }),
      });
      expect(page.status).toBe(400);
      expect(notice(page.text)).toBe(text);
      expect(page.text).not.toContain('invite-link');
    }
    expect(await t.server.store.getAgentByEmail('udo@example.com')).toBeUndefined();
    expect((await t.server.store.getAgentById(INA_ID))?.role).toBe('agent');
  });

  it('honours CSRF: no token, a wrong one or another origin changes nothing', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const ina = await logIn(t.url, INA, PASSWORD);
    for (const [path, fields] of [
      [`/admin/agents/${INA_ID}/deactivate`, {}],
      [`/admin/agents/${INA_ID}/role`, { role: 'admin' }],
    ] as const) {
      for (const [csrf, origin] of [
        [undefined, undefined],
        ['wrong', undefined],
        [admin.csrf, 'http://evil.test'],
      ] as const) {
        const r = await send(t.url + path, {
          method: 'POST',
          headers: {
            cookie: admin.cookie,
            'content-type': 'application/x-www-form-urlencoded',
            ...(origin === undefined ? {} : { origin }),
          },
          body: form({ ...fields, ...(csrf === undefined ? {} : { _csrf: csrf }) }),
        });
        expect(r.status, `${path} ${csrf} ${origin}`).toBe(403);
        expect(r.json.error.code).toBe('csrf_failed');
      }
    }
    expect(await t.server.store.getAgentById(INA_ID)).toMatchObject({ role: 'agent' });
    expect((await ina.get('/inbox/')).status).toBe(200);
    // An agent may not do it with its own valid token either; an unknown agent is 404.
    expect((await ina.post(`/admin/agents/${await adminId()}/deactivate`)).status).toBe(403);
    expect((await admin.post('/admin/agents/nobody/deactivate')).json.error).toMatchObject({
      code: 'not_found',
      field: 'id',
    });
  });

  it('names the agent in every control of its row, in German and English', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    for (const [lang, m] of [
      ['de', de],
      ['en', en],
    ] as const) {
      const page = (await admin.get(`/admin/?lang=${lang}`)).text;
      expect(page).toContain(
        `<label for="role-${INA_ID}" class="visually-hidden">${m.roleOf.replace('{email}', INA)}</label>`,
      );
      expect(page).toMatch(
        new RegExp(`<select id="role-${INA_ID}" name="role"><option value="agent" selected>`),
      );
      expect(page).toContain(
        `${m.changeRole}<span class="visually-hidden"> ${INA}</span></button>`,
      );
      expect(page).toContain(
        `${m.deactivate}<span class="visually-hidden"> ${INA}</span></button>`,
      );
      expect(page).toContain(`<th scope="col">${m.status}</th><th scope="col">${m.actions}</th>`);
    }
  });
});

describeStores('administration of site settings', (target) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(target);
  });
  afterEach(async () => {
    await t.close();
  });

  /** Posts a site settings form as a browser does, in a language. */
  const postPage = (
    admin: { cookie: string; csrf: string },
    path: string,
    settings: string,
    lang: 'de' | 'en',
  ) =>
    send(`${t.url}${path}?lang=${lang}`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ _csrf: admin.csrf, settings }),
    });
  const notice = (text: string) => /role="(?:alert|status)">([^<]*)</.exec(text)?.[1];
  /** The textarea of a form, as the page holds it (escaped). */
  const textareaOf = (page: string, key: string) =>
    new RegExp(`<textarea id="site-${key}"([^>]*)>([^<]*)</textarea>`).exec(page);
  const issuesOf = (page: string, key: string) =>
    [
      ...(
        new RegExp(`<div id="site-${key}-issues" class="error">(.*?)</div>`, 's').exec(page)?.[1] ??
        ''
      ).matchAll(/<li><code>([^<]*)<\/code>: ([^<]*)<\/li>/g),
    ].map((m) => `${m[1]}: ${m[2]}`);

  it('refuses a new site under a key that exists with 409, keeping the site and the admin’s JSON', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const before = (await t.server.store.getSite('demo'))!.settings;
    const typed = JSON.stringify(
      {
        key: 'demo',
        title: 'Overwritten',
        allowedOrigins: [],
        responseMinutes: { '1': 1, '2': 1, '3': 1 },
        timeZone: 'UTC',
      },
      null,
      2,
    );
    const api = await admin.post('/admin/sites/new', { settings: typed });
    expect(api.status).toBe(409);
    expect(api.json.error).toEqual({
      code: 'site_exists',
      field: 'settings.key',
      message:
        'settings.key: “demo” exists already. Choose another key, or change the settings of “demo” in its own text field.',
    });
    for (const [lang, m, issue] of [
      [
        'de',
        de,
        'key: „demo“ gibt es schon. Wählen Sie einen anderen Schlüssel, oder ändern Sie die Einstellungen von „demo“ in deren eigenem Textfeld.',
      ],
      [
        'en',
        en,
        'key: “demo” exists already. Choose another key, or change the settings of “demo” in its own text field.',
      ],
    ] as const) {
      const page = await postPage(admin, '/admin/sites/new', typed, lang);
      expect(page.status).toBe(409);
      expect(notice(page.text)).toBe(
        m.settingsNotSaved.replace('{form}', `${m.settings}: ${m.newSite}`),
      );
      expect(issuesOf(page.text, 'new')).toEqual([escapeHtml(issue)]);
      const field = textareaOf(page.text, 'new');
      expect(field?.[2]).toBe(escapeHtml(typed));
      expect(field?.[1]).toContain(
        ' aria-describedby="site-new-issues" aria-invalid="true" autofocus',
      );
      // The demo site's own form still shows what is stored.
      expect(textareaOf(page.text, 'demo')?.[2]).toBe(escapeHtml(JSON.stringify(before, null, 2)));
    }
    expect((await t.server.store.getSite('demo'))!.settings).toEqual(before);
    expect((await t.server.sites.get('demo'))?.identitySecret).toBeTypeOf('string');
    // A key nobody has is created; the form's own address is no key.
    const fresh = JSON.stringify({ ...JSON.parse(typed), key: 'fresh' });
    expect((await admin.post('/admin/sites/new', { settings: fresh })).status).toBe(200);
    expect((await t.server.sites.get('fresh'))?.title).toBe('Overwritten');
    const reserved = await admin.post('/admin/sites/new', {
      settings: JSON.stringify({ ...JSON.parse(typed), key: 'new' }),
    });
    expect(reserved.status).toBe(400);
    expect(reserved.json.error.field).toBe('settings.key');
    expect(await t.server.store.getSite('new')).toBeUndefined();
  });

  it('creates a new site once when two admins send one key at the same moment: the other gets 409', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const other = await logIn(t.url, ADMIN, PASSWORD);
    // Any look-up of the key is slowed, so that both requests look before either writes.
    const getSite = t.server.store.getSite.bind(t.server.store);
    const slowed = vi.spyOn(t.server.store, 'getSite').mockImplementation(async (key) => {
      const found = await getSite(key);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return found;
    });
    const settings = (title: string) =>
      JSON.stringify({
        key: 'twin',
        title,
        allowedOrigins: [],
        responseMinutes: { '1': 1, '2': 1, '3': 1 },
        timeZone: 'UTC',
      });
    try {
      const answers = await Promise.all([
        admin.post('/admin/sites/new', { settings: settings('First') }),
        other.post('/admin/sites/new', { settings: settings('Second') }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const lost = answers.find((r) => r.status === 409)!;
      expect(lost.json.error.code).toBe('site_exists');
      const won = answers[0]!.status === 200 ? 'First' : 'Second';
      expect(((await t.server.store.getSite('twin'))!.settings as { title: string }).title).toBe(
        won,
      );
    } finally {
      slowed.mockRestore();
    }
  });

  it('shows each wrong field on the page in the admin’s language, keeping the JSON in its field', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    const stored = (await t.server.store.getSite('other'))!.settings as Record<string, unknown>;
    const typed = JSON.stringify({
      ...stored,
      title: undefined,
      allowedOrigins: ['https://shop.example.com/path'],
      responseMinutes: { '1': -5, '2': 1.5, '3': 60 },
      holidays: ['2026-13-01'],
      colour: 'blue',
    });
    for (const [lang, expected] of [
      [
        'de',
        [
          'title: fehlt',
          'allowedOrigins.0: muss ein Origin wie „https://shop.example.com“ sein (Schema, Host, wahlweise Port; kein Pfad)',
          'responseMinutes.1: muss mindestens 0 sein',
          'responseMinutes.2: muss eine ganze Zahl sein',
          'holidays.0: muss ein Datum wie 2026-12-24 sein (JJJJ-MM-TT)',
          'colour: gibt es nicht (vertippt?)',
        ],
      ],
      [
        'en',
        [
          'title: is missing',
          'allowedOrigins.0: must be an origin such as "https://shop.example.com" (scheme, host, optional port; no path)',
          'responseMinutes.1: must be at least 0',
          'responseMinutes.2: must be a whole number',
          'holidays.0: must be a date such as 2026-12-24 (YYYY-MM-DD)',
          'colour: is not a setting (a typo?)',
        ],
      ],
    ] as const) {
      const page = await postPage(admin, '/admin/sites/other', typed, lang);
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('[lotse]');
      expect(notice(page.text)).toBe(
        adminMessagesFor(lang).settingsNotSaved.replace(
          '{form}',
          `${messagesFor(lang).settings}: other`,
        ),
      );
      expect(issuesOf(page.text, 'other')).toEqual(expected.map(escapeHtml));
      const field = textareaOf(page.text, 'other');
      expect(field?.[2]).toBe(escapeHtml(typed));
      expect(field?.[1]).toContain(
        'aria-describedby="site-other-issues sitefile-other" aria-invalid="true" autofocus',
      );
      // Only the field with problems is marked.
      expect(textareaOf(page.text, 'demo')?.[1]).not.toContain('aria-invalid');
    }

    // Not an object, not JSON: said so at the whole, never as a site "undefined".
    for (const [text, line] of [
      ['[]', 'Einstellungen: muss ein Objekt in { } sein'],
      ['{"key": "other",', /^Einstellungen: ist kein gültiges JSON \(.+\)$/],
    ] as const) {
      const page = await postPage(admin, '/admin/sites/new', text, 'de');
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('undefined');
      const [only, ...rest] = issuesOf(page.text, 'new');
      expect(rest).toEqual([]);
      expect(only).toMatch(line);
      expect(textareaOf(page.text, 'new')?.[2]).toBe(escapeHtml(text));
    }

    // Other clients: one JSON error naming the first wrong field, every problem in its message.
    const api = await admin.post('/admin/sites/other', { settings: typed });
    expect(api.status).toBe(400);
    expect(api.json.error.code).toBe('invalid_request');
    expect(api.json.error.field).toBe('settings.title');
    expect(api.json.error.message).toMatch(
      /^settings\.title: is missing; settings\.allowedOrigins\.0: must be an origin .*; settings\.colour: is not a setting \(a typo\?\)$/,
    );
    const moved = await admin.post('/admin/sites/other', {
      settings: JSON.stringify({ ...stored, key: 'elsewhere' }),
    });
    expect(moved.json.error).toMatchObject({ code: 'invalid_request', field: 'settings.key' });
    expect((await t.server.store.getSite('other'))!.settings).toEqual(stored);
    expect(await t.server.store.getSite('elsewhere')).toBeUndefined();
  });

  it('names every landmark of the page differently', async () => {
    const admin = await logIn(t.url, ADMIN, PASSWORD);
    for (const lang of ['de', 'en']) {
      const page = (await admin.get(`/admin/?lang=${lang}`)).text;
      const textOf = (id: string) =>
        new RegExp(`id="${id}"[^>]*>(.*?)</`, 's').exec(page)?.[1]?.trim() ?? `#${id}`;
      const names = [
        ...page.matchAll(/<(?:section|[a-z]+ [^>]*role="region")[^>]*aria-labelledby="([^"]+)"/g),
      ].map((m) => textOf(m[1] ?? ''));
      expect(names.length, lang).toBeGreaterThanOrEqual(3);
      expect(new Set(names).size, `${lang}: ${names.join(' | ')}`).toBe(names.length);
    }
  });
});
