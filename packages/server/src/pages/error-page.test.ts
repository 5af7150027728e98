import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import { handoffRow } from '../test-support/fixtures.js';
import { h5sc } from '../test-support/hostile.js';
import { type AgentSession, form, logIn } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { sqliteTarget } from '../test-support/stores.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let t: TestServer;
let admin: AgentSession;
beforeAll(async () => {
  t = await startTestServer(sqliteTarget);
  admin = await logIn(t.url, 'admin@example.com', 'test-password');
});
afterAll(async () => {
  await t.close();
});

const post = (path: string, fields: Record<string, string>, headers: Record<string, string>) =>
  send(t.url + path, {
    method: 'POST',
    headers: {
      cookie: admin.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: form(fields),
  });

it("answers a browser's failed form post with a page in the agent's language, keeping the status", async () => {
  const h = handoffRow();
  await t.server.store.insertHandoff(h);
  const empty = await post(
    `/inbox/c/${h.id}/reply`,
    { _csrf: admin.csrf, text: ' ' },
    { accept: BROWSER, 'accept-language': 'de-DE,de;q=0.9' },
  );
  expect(empty.status).toBe(400);
  expect(empty.headers['content-type']).toMatch(/^text\/html/);
  expect(empty.headers['content-security-policy']).toContain("script-src 'self'");
  expect(empty.headers['x-content-type-options']).toBe('nosniff');
  expect(empty.text).toContain('<html lang="de">');
  expect(empty.text).toContain('role="alert">Die Eingabe wurde nicht angenommen.');
  expect(empty.text).toMatch(/Einzelheiten: <span lang="en">text: 1 to \d+ characters \(text\)/);
  expect(empty.text).toContain('Zurück');
  expect(empty.text).toContain('Weiter zu: <a href="/inbox/">Posteingang</a>');
  // The post's address answers no GET: the language links lead to the section instead.
  expect(empty.text).toContain('<a href="/inbox/?lang=en" lang="en">English</a>');
  expect(String(empty.headers.vary)).toContain('Accept');
  // The signed-in agent keeps the navigation.
  expect(empty.text).toContain('href="/dashboard/"');

  // A detail the route worded in the agent's language is not marked English.
  const chosen = await post(
    `/inbox/c/${h.id}/kb`,
    { _csrf: admin.csrf, question: 'Wo ist mein Paket?', action: 'example', path: '' },
    { accept: BROWSER, 'accept-language': 'de-DE,de;q=0.9' },
  );
  expect(chosen.status).toBe(400);
  expect(chosen.text).toMatch(/Einzelheiten: [^<]*Eintrag/);
  expect(chosen.text).not.toMatch(/Einzelheiten: <span lang/);

  const stale = await post(
    `/inbox/c/${h.id}/note`,
    { _csrf: 'stale', text: 'x' },
    { accept: BROWSER, 'accept-language': 'en' },
  );
  expect(stale.status).toBe(403);
  expect(stale.text).toContain('The form has expired.');

  // Signed out meanwhile: sign in again, the typed text is still behind Back.
  const signedOut = await send(`${t.url}/inbox/c/${h.id}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER },
    body: form({ text: 'Hallo' }),
  });
  expect(signedOut.status).toBe(401);
  expect(signedOut.text).toContain(
    `<a href="/login?next=${encodeURIComponent(`/inbox/c/${h.id}`)}">Sign in</a>`,
  );
  expect(signedOut.text).toContain('Back button');
});

it('leads a signed-out form post back to the page its form was on, a path of our own', async () => {
  const h = handoffRow();
  await t.server.store.insertHandoff(h);
  const signedOut = (path: string) =>
    send(t.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER },
      body: form({ text: 'Hallo' }),
    });
  for (const action of ['reply', 'note', 'tags', 'close']) {
    const page = await signedOut(`/inbox/c/${h.id}/${action}`);
    expect(page.status).toBe(401);
    expect(page.text).toContain(`href="/login?next=%2Finbox%2Fc%2F${h.id}"`);
  }
  // Not a conversation's form: the section, as before.
  expect((await signedOut('/inbox/views')).text).toContain('href="/login?next=%2Finbox%2F"');
  // Whatever the address carries stays one encoded path segment under /inbox/c/.
  const odd = await signedOut(`/inbox/c/${encodeURIComponent('//evil.example')}/reply`);
  expect(odd.text).not.toContain('evil.example%2F');
  expect(odd.text).not.toMatch(/next=%2F%2F/);
});

it('names a missing page and the way on, and never renders the reason as HTML', async () => {
  const missing = await admin.get(`/dashboard/${encodeURIComponent(h5sc[0]!)}`, {
    accept: BROWSER,
    'accept-language': 'en',
  });
  expect(missing.status).toBe(404);
  expect(missing.text).toContain('This does not exist (any more).');
  expect(missing.text).toContain('Go to: <a href="/dashboard/">Dashboard</a>');
  // A GET's page switches language in place.
  expect(missing.text).toContain('<a href="?lang=de" lang="de">Deutsch</a>');
  expect(missing.text).not.toContain(h5sc[0]);
  const conversation = await admin.get('/inbox/c/no-such-conversation', { accept: BROWSER });
  expect(conversation.status).toBe(404);
  expect(conversation.headers['content-type']).toMatch(/^text\/html/);
});

it('sends an agent whose role is refused on to the inbox, with the navigation kept', async () => {
  const passwordHash = await hashPassword('agent-password');
  await t.server.store.insertAgent({
    id: 'error-page-agent',
    email: 'ines@example.com',
    passwordHash,
    role: 'agent',
    createdAt: 0,
  });
  const ines = await logIn(t.url, 'ines@example.com', 'agent-password');
  const refused = await ines.get('/admin/', { accept: BROWSER, 'accept-language': 'de' });
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('Dafür fehlt Ihnen die Berechtigung.');
  expect(refused.text).toContain('Weiter zu: <a href="/inbox/">Posteingang</a>');
  expect(refused.text).toContain('ines@example.com');
});

it('leaves the JSON of API clients, the /v1 API and the pages’ own JSON routes as it was', async () => {
  const h = handoffRow();
  await t.server.store.insertHandoff(h);
  const plain = await admin.post(`/inbox/c/${h.id}/reply`, { text: '' });
  expect(plain.status).toBe(400);
  expect(plain.json).toMatchObject({ error: { code: 'invalid_request', field: 'text' } });
  const api = await send(`${t.url}/v1/handoffs`, { body: {}, headers: { accept: BROWSER } });
  expect(api.headers['content-type']).toMatch(/^application\/json/);
  // Outside the agents' side (a visitor's mistyped address) nothing changes either.
  const elsewhere = await send(`${t.url}/nowhere`, { headers: { accept: BROWSER } });
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.headers['content-type']).toMatch(/^application\/json/);
  const pageApi = await admin.get('/inbox/api/none', { accept: BROWSER });
  expect(pageApi.status).toBe(404);
  expect(pageApi.headers['content-type']).toMatch(/^application\/json/);
});
