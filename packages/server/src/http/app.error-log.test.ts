import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../kb/knowledge-base.js';
import { createModelRegistry } from '../kb/model-registry.js';
import { resolveServerOptions } from '../options.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { Store } from '../store/store.js';
import { createApp } from './app.js';

/** A token as the server issues them: 32 random bytes, base64url (43 characters). */
const newToken = () => randomBytes(32).toString('base64url');

/** A store whose every call rejects with a fresh `error()`, as a database that went away mid-request. */
function failingStore(error: () => Error): Store {
  return new Proxy({} as Store, {
    get: () => () => Promise.reject(error()),
  });
}

const noSites: SiteRegistry = {
  get: async () => undefined,
  all: () => [],
  anyAllows: () => false,
  refresh: async () => {},
  close() {},
};

/** Sends one request to an app on `store` and returns every error line the app logged, as printed. */
async function loggedErrors(
  store: Store,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; lines: string[] }> {
  const lines: string[] = [];
  // util.format prints the error as console.error would: message, stack, cause and own fields.
  const logger = {
    info() {},
    warn() {},
    error: (m: string, e?: unknown) => lines.push(format(m, e)),
  };
  const models = createModelRegistry({ store, logger });
  const app = createApp({
    store,
    sites: noSites,
    models,
    knowledgeBase: createKnowledgeBase({
      store,
      models,
      build: () => Promise.reject(new Error('unused')),
      logger,
      now: Date.now,
      watch: false,
    }),
    options: resolveServerOptions({ logger, rateLimit: { client: false, site: false } }),
    secret: Buffer.alloc(32),
    addresses: { hash: async () => 'client-hash' },
    now: Date.now,
    isReady: () => true,
  });
  const response = await app.request(path, init);
  return { status: response.status, lines };
}

describe('error log', () => {
  it.each([
    ['GET', '/v1/conversations/TOKEN', 'a conversation token'],
    ['POST', '/v1/conversations/TOKEN/events', 'a conversation token'],
    ['GET', '/invite/TOKEN', 'a reset or invitation token'],
  ])('keeps the token of %s %s (%s) out of the log', async (method, path, _kind) => {
    const token = newToken();
    const store = failingStore(() => new Error('Connection terminated unexpectedly'));
    const { status, lines } = await loggedErrors(store, path.replace('TOKEN', token), {
      method,
      ...(method === 'POST' && { body: '{"events":[]}' }),
    });
    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Connection terminated unexpectedly');
    expect(lines[0]).not.toContain(token);
  });

  it('keeps a token out of the log when the error message, stack or cause quotes it', async () => {
    const token = newToken();
    const store = failingStore(
      () =>
        new Error(`lookup of conversation ${token} failed`, {
          cause: new Error(`socket closed while reading ${token}`),
        }),
    );
    const { status, lines } = await loggedErrors(store, `/v1/conversations/${token}`);
    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^GET \/v1\/conversations\/… failed Error: lookup of conversation … failed\n/,
    );
    // Blanked, not dropped: the stack and the cause are still there.
    expect(lines[0]).toMatch(/\n +at /);
    expect(lines[0]).toContain('[cause]: Error: socket closed while reading …');
    expect(lines[0]).not.toContain(token);
  });

  it('keeps a session cookie value out of the log when the error quotes it', async () => {
    const session = newToken();
    const store = failingStore(() => new Error(`session ${session} could not be read`));
    const { status, lines } = await loggedErrors(store, '/inbox/', {
      headers: { cookie: `lotse_session=${session}` },
    });
    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('could not be read');
    expect(lines[0]).not.toContain(session);
  });
});
