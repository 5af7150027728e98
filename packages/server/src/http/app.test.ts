import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('health and pages', (target) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(target);
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers /healthz once ready', async () => {
    const r = await t.get('/healthz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok' });
  });

  it('serves the demo shop page of examples/site with the one-line embed', async () => {
    const r = await t.get('/demo/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.text).toContain('Nordlicht Outdoor');
    expect(r.text).toContain('<script async src="/lotse.js" data-site="demo"></script>');
    expect((await t.get('/demo')).status).toBe(308);
    expect((await t.get('/demo/styles.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    // The example's package files are not part of the page.
    expect((await t.get('/demo/package.json')).status).toBe(404);
    expect((await t.get('/demo/README.md')).status).toBe(404);
  });

  it('answers unknown routes in the error shape', async () => {
    const r = await t.get('/v1/nothing');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      error: { code: 'not_found', message: 'No route for GET /v1/nothing.' },
    });
    expect((await t.get('/demo/../../package.json')).status).toBe(404);
  });

  it('creates the first admin once, with a scrypt hash', async () => {
    const admin = await t.server.store.getAgentByEmail('admin@example.com');
    expect(admin?.role).toBe('admin');
    expect(admin?.passwordHash).toMatch(/^scrypt\$/);
    expect(await t.server.store.countAgents()).toBe(1);
  });
});
