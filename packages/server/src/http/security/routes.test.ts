import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressHasher } from '../../privacy/address-hasher.js';
import { handoffRequest, sdkEvent } from '../../test-support/fixtures.js';
import { blns, expectInertPage, h5sc } from '../../test-support/hostile.js';
import { type AgentSession, cookiesOf, csrfOf, form, logIn } from '../../test-support/login.js';
import {
  SHOP_IDENTITY_SECRET,
  SHOP_ORIGIN,
  send,
  startTestServer,
  type TestResponse,
  type TestServer,
} from '../../test-support/server.js';
import { describeStores, sqliteTarget } from '../../test-support/stores.js';
import { createApp } from '../app.js';
import { ROUTE_TABLE, type RouteRow } from './route-table.js';

/** Every H5SC vector and every 16th BLNS string: each route gets all of them (≈ 180 requests). */
const hostile = [...h5sc, ...blns.filter((_, i) => i % 16 === 0)].filter((s) => s.trim() !== '');

const securityMd = readFileSync(path.resolve(import.meta.dirname, '../../../SECURITY.md'), 'utf8');
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const isSignedIn = (r: RouteRow) =>
  r.access === 'agent' || r.access === 'editor' || r.access === 'reviewer' || r.access === 'admin';

/** A second app on a test server's parts (or `sites` instead), to look at or extend its routes. */
function appOf(t: TestServer, sites = t.server.sites) {
  const s = t.server;
  return createApp({
    store: s.store,
    sites,
    models: s.models,
    knowledgeBase: s.knowledgeBase,
    options: s.options,
    secret: Buffer.alloc(32),
    addresses: createAddressHasher(s.store),
    now: Date.now,
    isReady: () => true,
  });
}

describe('route table', () => {
  it('names exactly the routes the app registers, and SECURITY.md lists each of them', async () => {
    const t = await startTestServer(sqliteTarget);
    try {
      const app = appOf(t);
      const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map(key));
      expect([...registered].sort()).toEqual(ROUTE_TABLE.map(key).sort());
    } finally {
      await t.close();
    }
    const documented = [...securityMd.matchAll(/^\| (GET|POST) +\| `([^`]+)` +\|/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(documented.sort()).toEqual(ROUTE_TABLE.map(key).sort());
    // Each documented row names the caller the table gives it.
    for (const row of ROUTE_TABLE) {
      const line = securityMd
        .split('\n')
        .find((l) =>
          new RegExp(`^\\| ${row.method} +\\| \`${escapeRegExp(row.path)}\` +\\|`).test(l),
        );
      expect(line?.split('|')[3]?.trim(), key(row)).toBe(row.access);
    }
  });
});

describe('security headers', () => {
  it('go out also with a Response a route builds itself, not through the context', async () => {
    const t = await startTestServer(sqliteTarget);
    try {
      const app = appOf(t);
      app.get('/v1/raw-test', () => new Response('plain', { headers: { 'X-Own': 'kept' } }));
      const r = await app.request('/v1/raw-test', { headers: { origin: SHOP_ORIGIN } });
      expect(await r.text()).toBe('plain');
      expect(r.headers.get('x-own')).toBe('kept');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      // And the CORS headers of an allowed origin, as every /v1 answer, once.
      expect(r.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
      expect(r.headers.get('vary')).toBe('Origin');
    } finally {
      await t.close();
    }
  });

  it('let a page read the answer when its site allows an origin the up-front check did not know', async () => {
    const t = await startTestServer(sqliteTarget);
    try {
      // As just after another instance added the origin: the registry's cache has not seen it.
      const app = appOf(t, { ...t.server.sites, anyAllows: () => false });
      const path = '/v1/sites/demo/model.json';
      const r = await app.request(path, { headers: { origin: SHOP_ORIGIN } });
      expect(r.status).not.toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
      expect(r.headers.get('access-control-expose-headers')).toContain('ETag');
      // A page of an origin that the site does not allow gets neither, even when some site does.
      const other = appOf(t, { ...t.server.sites, anyAllows: () => true });
      const foreign = await other.request(path, { headers: { origin: 'http://evil.test' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      expect(foreign.headers.get('access-control-expose-headers')).toBeNull();
      expect(foreign.headers.get('vary')).toBe('Origin');
    } finally {
      await t.close();
    }
  });
});

/** The example with its path parameter replaced by `value`, or undefined without one. */
function withParam(row: RouteRow, example: string, value: string): string | undefined {
  const i = row.path.split('/').findIndex((part) => part.startsWith(':'));
  if (i < 0 || example.includes('?')) return undefined;
  const parts = example.split('/');
  parts[i] = value;
  return parts.join('/');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits a CSV line as a spreadsheet does (quotes honoured) on `separator`. */
function csvCells(line: string, separator: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === separator) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

/** Asserts that an HTML answer carries no markup a hostile string could have added. */
function expectInert(r: TestResponse, label: string): void {
  if (String(r.headers['content-type'] ?? '').startsWith('text/html'))
    expectInertPage(r.text, label);
}

describeStores('security: every route of the table', (target) => {
  let t: TestServer;
  let admin: AgentSession;
  let agent: AgentSession;
  let reviewer: AgentSession;
  let token: string;
  let handoffId: string;
  let invite: string;

  const fill = (example: string) =>
    example.replace('{token}', token).replace('{id}', handoffId).replace('{invite}', invite);
  const rows = (...access: RouteRow['access'][]) =>
    ROUTE_TABLE.filter((r) => access.includes(r.access));

  /** An invitation link's path, created by the admin. */
  async function invitation(email: string, role: 'agent' | 'reviewer' | 'admin'): Promise<string> {
    const page = await admin.post('/admin/invitations', { email, role });
    const link = /class="invite-link">([^<]+)</.exec(page.text)?.[1] ?? '';
    return new URL(link).pathname;
  }

  beforeAll(async () => {
    t = await startTestServer(target);
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
    for (const [email, role] of [
      ['ina@example.com', 'agent'],
      ['rita@example.com', 'reviewer'],
    ] as const) {
      const invitePath = await invitation(email, role);
      const page = await t.get(invitePath);
      const set = await send(t.url + invitePath, {
        method: 'POST',
        headers: {
          cookie: `lotse_login=${cookiesOf(page).lotse_login}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form({ _csrf: csrfOf(page.text), password: 'ein langes Passwort' }),
      });
      expect(set.status).toBe(200);
    }
    agent = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
    reviewer = await logIn(t.url, 'rita@example.com', 'ein langes Passwort');
    invite = (await invitation('udo@example.com', 'agent')).slice('/invite/'.length);
    const request = handoffRequest();
    const reply = await t.post('/v1/handoffs', request, {
      'x-lotse-user': 'user-1',
      'x-lotse-signature': createHmac('sha256', SHOP_IDENTITY_SECRET)
        .update('user-1')
        .digest('hex'),
    });
    expect(reply.status).toBe(201);
    token = reply.json.conversationToken;
    handoffId = String(request.id);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A valid body for a route, with `text` in its free-text fields when given. */
  function bodyOf(row: RouteRow, text?: string): unknown {
    const s = text ?? 'Hallo';
    switch (row.path) {
      case '/v1/events':
        return { events: [sdkEvent({ type: 'query.unanswered', props: { text: s } })] };
      case '/v1/handoffs':
        return handoffRequest({
          message: s,
          transcript: [{ from: 'visitor', text: s, ts: 1 }],
        });
      case '/v1/conversations/:token/messages':
        return { id: randomUUID(), text: s };
      case '/v1/conversations/:token/events':
        return {
          events: [sdkEvent({ type: 'csat.submitted', props: { score: 4, conversationId: s } })],
        };
      default:
        return { id: randomUUID() };
    }
  }

  /** Form fields of a route, every one set to `text` when given. */
  function fieldsOf(row: RouteRow, text?: string): Record<string, string> {
    const names: Record<string, string[]> = {
      '/login': ['email', 'password', 'next'],
      '/invite/:token': ['password'],
      '/inbox/c/:id/reply': ['text', 'id'],
      '/inbox/c/:id/note': ['text'],
      '/inbox/c/:id/tags': ['tags'],
      '/inbox/c/:id/assign': ['agent', 'assigned', 'takeover'],
      '/inbox/c/:id/kb': ['question', 'title', 'answer'],
      '/inbox/views': ['name', 'query'],
      '/inbox/c/:id/playbook': ['step'],
      '/inbox/c/:id/handover': ['agent', 'note'],
      '/inbox/snippets': ['title', 'text', 'locale'],
      '/inbox/snippets/:snippetId': ['title', 'text', 'locale', 'version'],
      '/admin/invitations': ['email', 'role'],
      '/admin/sites/:key': ['settings'],
      '/admin/kb/:site/entry': ['path', 'id', 'title', 'topic', 'examples', 'answer'],
      '/admin/kb/:site/preview': ['answer'],
      '/admin/kb/:site/publish': ['message'],
      '/scorecards/new': ['name', 'site', 'topic', 'sample', 'label_0', 'scale_0', 'weight_0'],
      '/scorecards/s/:id': ['name', 'site', 'topic', 'sample', 'label_0', 'scale_0', 'weight_0'],
      '/scorecards/s/:id/archive': ['archived'],
      '/scorecards/settings': ['team'],
      '/scorecards/c/:id/review': ['scorecard', 'score_c1', 'comment_c1'],
    };
    return Object.fromEntries((names[row.path] ?? []).map((n) => [n, text ?? 'x']));
  }

  it('sends every agent and admin route without a session to the login (pages) or 401 (APIs, posts)', async () => {
    for (const row of rows('agent', 'editor', 'reviewer', 'admin')) {
      for (const cookie of [undefined, `lotse_session=${'A'.repeat(43)}`]) {
        const url = t.url + fill(row.example);
        const headers: Record<string, string> = cookie === undefined ? {} : { cookie };
        const r =
          row.method === 'GET'
            ? await send(url, { headers })
            : await send(url, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                body: form(fieldsOf(row)),
              });
        const label = `${key(row)} ${cookie ?? 'no cookie'}`;
        if (
          row.method === 'GET' &&
          !/\/api\/|\.csv$|^\/inbox\/events$|^\/inbox\/attachments\//.test(row.path)
        ) {
          expect(r.status, label).toBe(302);
          expect(r.headers.location, label).toMatch(/^\/login\?next=/);
        } else {
          expect(r.status, label).toBe(401);
          expect(r.json.error.code, label).toBe('login_required');
        }
      }
    }
  });

  it('refuses every admin, editor and reviewer route to an agent with 403', async () => {
    for (const row of rows('admin', 'editor', 'reviewer')) {
      const r =
        row.method === 'GET'
          ? await agent.get(fill(row.example))
          : await agent.post(fill(row.example), fieldsOf(row));
      expect(r.status, key(row)).toBe(403);
      expect(r.json.error.code, key(row)).toBe('forbidden');
    }
  });

  it('refuses every admin and editor route to a reviewer with 403, and lets it reach its own', async () => {
    for (const row of rows('admin', 'editor')) {
      const r =
        row.method === 'GET'
          ? await reviewer.get(fill(row.example))
          : await reviewer.post(fill(row.example), fieldsOf(row));
      expect(r.status, key(row)).toBe(403);
      expect(r.json.error.code, key(row)).toBe('forbidden');
    }
    for (const row of rows('reviewer', 'agent').filter((r) => r.method === 'GET')) {
      const r = await reviewer.get(fill(row.example));
      expect(r.status, key(row)).not.toBe(403);
    }
  });

  it('refuses every form post without the CSRF token, with a wrong one, or from another origin', async () => {
    const before = await t.server.store.getHandoff(handoffId);
    for (const row of ROUTE_TABLE.filter((r) => r.body === 'form')) {
      const session = isSignedIn(row) ? admin : undefined;
      // The login and invitation forms: their page sets the pre-login cookie and its token.
      const pre = session === undefined ? await t.get(fill(row.example)) : undefined;
      const cookie = session?.cookie ?? `lotse_login=${cookiesOf(pre!).lotse_login}`;
      const good = session?.csrf ?? csrfOf(pre!.text);
      for (const [csrf, origin] of [
        [undefined, undefined],
        ['wrong', undefined],
        [good, 'http://evil.test'],
      ] as const) {
        const r = await send(t.url + fill(row.example), {
          method: 'POST',
          headers: {
            cookie,
            'content-type': 'application/x-www-form-urlencoded',
            ...(origin === undefined ? {} : { origin }),
          },
          body: form({ ...fieldsOf(row), ...(csrf === undefined ? {} : { _csrf: csrf }) }),
        });
        expect(r.status, `${key(row)} csrf=${csrf} origin=${origin}`).toBe(403);
        expect(r.json.error.code).toBe('csrf_failed');
      }
    }
    // Nothing happened: the session lives, the conversation is unchanged, the invitation unused.
    expect((await admin.get('/inbox/')).status).toBe(200);
    expect(await t.server.store.getHandoff(handoffId)).toEqual(before);
    expect((await t.get(`/invite/${invite}`)).status).toBe(200);
  });

  it('answers every token route with the same 404 for a wrong token', async () => {
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const row of rows('token')) {
      for (const bad of [wrong, 'x', '-'.repeat(43)]) {
        const url = t.url + row.example.replace('{token}', bad);
        const r = row.method === 'GET' ? await send(url) : await send(url, { body: bodyOf(row) });
        expect(r.status, `${key(row)} ${bad}`).toBe(404);
        expect(r.json.error.code, `${key(row)} ${bad}`).toBe('not_found');
      }
    }
    expect(await t.server.store.listMessages(handoffId)).toEqual([]);
  });

  it('refuses every site route for an unknown site and from a foreign origin', async () => {
    for (const row of rows('site', 'signed-visitor')) {
      const call = (site: string, headers: Record<string, string>) => {
        const body = bodyOf(row) as Record<string, unknown>;
        if (row.method === 'GET')
          return send(t.url + row.example.replace('demo', site), { headers });
        const withSite =
          row.path === '/v1/events'
            ? { events: [sdkEvent({ siteKey: site })] }
            : { ...body, siteKey: site };
        return send(t.url + row.example, { body: withSite, headers });
      };
      const unknown = await call('nosuchsite', {});
      expect(unknown.status, key(row)).toBe(403);
      expect(unknown.json.error.code, key(row)).toBe('unknown_site');
      const foreign = await call('demo', { origin: 'http://evil.test' });
      expect(foreign.status, key(row)).toBe(403);
      expect(foreign.json.error.code, key(row)).toBe('origin_not_allowed');
      expect(foreign.headers['access-control-allow-origin'], key(row)).toBeUndefined();
    }
  });

  it('lists a visitor’s conversations only with a valid signature', async () => {
    const [row] = rows('signed-visitor');
    const url = t.url + row!.example;
    expect((await send(url, { headers: { origin: SHOP_ORIGIN } })).json.error.code).toBe(
      'identity_required',
    );
    const forged = await send(url, {
      headers: { 'x-lotse-user': 'user-1', 'x-lotse-signature': '0'.repeat(64) },
    });
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe('invalid_identity');
    const signed = await send(url, {
      headers: {
        'x-lotse-user': 'user-1',
        'x-lotse-signature': createHmac('sha256', SHOP_IDENTITY_SECRET)
          .update('user-1')
          .digest('hex'),
      },
    });
    expect(signed.json.conversations).toHaveLength(1);
  });

  it('refuses bodies over the limit on every route that reads one', async () => {
    const big = 'x'.repeat(1_100_000);
    for (const row of ROUTE_TABLE.filter((r) => r.body !== 'none')) {
      const session = isSignedIn(row) ? admin : undefined;
      const r = await send(t.url + fill(row.example), {
        method: 'POST',
        headers: {
          ...(session === undefined ? {} : { cookie: session.cookie }),
          'content-type':
            row.body === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        },
        body: row.body === 'form' ? `_csrf=${session?.csrf ?? ''}&text=${big}` : big,
        chunked: true,
      });
      expect(r.status, key(row)).toBe(413);
      expect(r.json.error.code, key(row)).toBe('payload_too_large');
    }
    expect((await admin.get('/inbox/')).status).toBe(200);
  });

  it('answers hostile text in every path, query and body without a 5xx, and renders it inert', async () => {
    for (const row of ROUTE_TABLE) {
      for (const [n, text] of hostile.entries()) {
        const param = encodeURIComponent(text);
        const example = fill(row.example);
        // In the file name of a folder route, in a path parameter (for the first 40), else in the query.
        const inParam = n < 40 ? withParam(row, example, param) : undefined;
        const url =
          t.url +
          (row.path.endsWith('*')
            ? `${example.replace(/[^/]*$/, '')}${param}`
            : (inParam ?? `${example}${example.includes('?') ? '&' : '?'}q=${param}`));
        // Agent routes are called signed in, so the hostile text reaches their handlers.
        const session = isSignedIn(row) ? admin : undefined;
        const headers: Record<string, string> =
          session === undefined ? { origin: SHOP_ORIGIN } : { cookie: session.cookie };
        let r: TestResponse;
        if (row.method === 'GET') r = await send(url, { headers });
        else if (row.body === 'json') r = await send(url, { headers, body: bodyOf(row, text) });
        else if (row.path === '/logout' || session === undefined) {
          // Without the CSRF token (signing out or in is not what this walk is after).
          r = await send(url, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: form(fieldsOf(row, text)),
          });
        } else r = await session.post(fill(row.example), fieldsOf(row, text));
        const label = `${key(row)} ${JSON.stringify(text).slice(0, 80)}`;
        expect(r.status, label).toBeLessThan(500);
        expect(r.headers['x-content-type-options'], label).toBe('nosniff');
        expect(r.headers['referrer-policy'], label).toBe('no-referrer');
        expectInert(r, label);
      }
    }
    // What was stored is shown inert in the inbox and dashboard, and exported without formulas
    // (the fixtures' events are of November 2025).
    const window = `?site=demo&from=${Date.parse('2025-11-01')}&to=${Date.parse('2025-12-01')}`;
    const pages = [
      await admin.get('/inbox/'),
      await admin.get(`/inbox/c/${handoffId}`),
      await admin.get(`/dashboard/${window}`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expectInert(page, 'rendered page');
    }
    const csv = await admin.get(`/dashboard/export.csv${window}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('content_gap');
    for (const line of csv.text.split('\r\n')) {
      for (const separator of [',', ';']) {
        for (const cell of csvCells(line, separator)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  }, 600_000);
});

describe('transport', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(sqliteTarget);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends raw bytes and resolves with what comes back until the server closes (at most 10 s). */
  function raw(request: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(t.server.port, '127.0.0.1');
      socket.setTimeout(10_000, () => socket.destroy());
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (/\r\n\r\n/.test(received)) socket.end();
      });
      socket.on('error', () => resolve(received));
      socket.on('close', () => resolve(received));
      socket.write(request);
    });
  }

  it('refuses a request that declares both Content-Length and Transfer-Encoding (smuggling)', async () => {
    const answer = await raw(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await t.server.store.countEvents()).toBe(0);
  });

  it('serves no file outside the built folders, whatever the path', async () => {
    const variants = [
      '../package.json',
      '..%2fpackage.json',
      '%2e%2e/%2e%2e/package.json',
      '..%5c..%5cpackage.json',
      '....//....//package.json',
      '%252e%252e%252fpackage.json',
      '/etc/passwd',
      '..%00/package.json',
    ];
    for (const prefix of ['/widget/', '/panel/', '/demo/', '/ui/']) {
      for (const v of variants) {
        // Raw, because an HTTP client would resolve the dots before sending.
        const answer = await raw(
          `GET ${prefix}${v} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        expect(answer, prefix + v).toMatch(/^HTTP\/1\.1 (400|404) /);
        expect(answer).not.toContain('"@lotse/');
        expect(answer).not.toContain('root:');
      }
    }
  });

  it('keeps the login form’s next to our own agent pages', async () => {
    for (const next of [
      '//evil.test/inbox/',
      'https://evil.test/',
      '/\\evil.test',
      'javascript:alert(1)',
    ]) {
      const page = await t.get(`/login?next=${encodeURIComponent(next)}`);
      expect(page.text).toContain('name="next" value="/inbox/"');
    }
  });
});
