import { afterEach, expect, it } from 'vitest';
import { sdkEvent } from '../test-support/fixtures.js';
import { SHOP_ORIGIN, send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('security', (target) => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('limits each client with 429 and Retry-After, and lets it back in after refill', async () => {
    let clock = 1_764_000_000_000;
    t = await startTestServer(target, {
      now: () => clock,
      rateLimit: { client: { capacity: 2, refillPerSecond: 0.5 }, site: false },
    });
    expect((await t.post('/v1/events', { events: [sdkEvent()] })).status).toBe(202);
    expect((await t.post('/v1/events', { events: [sdkEvent()] })).status).toBe(202);
    const limited = await t.post('/v1/events', { events: [sdkEvent()] }, { origin: SHOP_ORIGIN });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBe('2');
    // The widget must be able to read the 429 and its Retry-After.
    expect(limited.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(limited.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(await t.server.store.countEvents()).toBe(2);
    clock += 2000;
    expect((await t.post('/v1/events', { events: [sdkEvent()] })).status).toBe(202);
  });

  it('limits each site separately', async () => {
    t = await startTestServer(target, {
      now: () => 1_764_000_000_000,
      rateLimit: { client: false, site: { capacity: 1, refillPerSecond: 0.1 } },
    });
    expect((await t.post('/v1/events', { events: [sdkEvent()] })).status).toBe(202);
    const limited = await t.post('/v1/events', { events: [sdkEvent()] });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('10');
    const other = await t.post('/v1/events', { events: [sdkEvent({ siteKey: 'other' })] });
    expect(other.status).toBe(202);
  });

  it('answers CORS preflights for allowed origins only, with Vary: Origin', async () => {
    t = await startTestServer(target);
    const ok = await send(`${t.url}/v1/events`, {
      method: 'OPTIONS',
      headers: {
        origin: SHOP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(ok.headers['access-control-allow-methods']).toContain('POST');
    expect(ok.headers['access-control-allow-headers']).toContain('Content-Type');
    expect(ok.headers.vary).toContain('Origin');
    const denied = await send(`${t.url}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('origin_not_allowed');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect(denied.headers.vary).toContain('Origin');
    const anonymous = await send(`${t.url}/v1/events`, { method: 'OPTIONS' });
    expect(anonymous.status).toBe(403);
    expect(anonymous.json.error.message).toBe('A preflight request needs an Origin header.');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    t = await startTestServer(target, {
      rateLimit: { client: { capacity: 1, refillPerSecond: 0.001 }, site: false },
    });
    const a = await t.post(
      '/v1/events',
      { events: [sdkEvent()] },
      { 'x-forwarded-for': '203.0.113.1' },
    );
    const b = await t.post(
      '/v1/events',
      { events: [sdkEvent()] },
      { 'x-forwarded-for': '203.0.113.2' },
    );
    expect(a.status).toBe(202);
    // A spoofed header does not buy a fresh bucket.
    expect(b.status).toBe(429);
    const hashes = new Set((await t.server.store.listEvents()).map((e) => e.clientHash));
    expect(hashes.size).toBe(1);
  });

  it('uses X-Forwarded-For behind a trusted proxy, right-most untrusted hop first', async () => {
    t = await startTestServer(target, {
      trustedProxies: ['127.0.0.1', '10.0.0.5'],
      rateLimit: { client: { capacity: 1, refillPerSecond: 0.001 }, site: false },
    });
    const a = await t.post(
      '/v1/events',
      { events: [sdkEvent()] },
      { 'x-forwarded-for': '203.0.113.1' },
    );
    const b = await t.post(
      '/v1/events',
      { events: [sdkEvent()] },
      { 'x-forwarded-for': '198.51.100.7, 203.0.113.2, 10.0.0.5' },
    );
    // Same client as b (the spoofed left-most hop is ignored): limited.
    const c = await t.post(
      '/v1/events',
      { events: [sdkEvent()] },
      { 'x-forwarded-for': '192.0.2.99, 203.0.113.2' },
    );
    expect([a.status, b.status, c.status]).toEqual([202, 202, 429]);
    const stored = await t.server.store.listEvents();
    expect(new Set(stored.map((e) => e.clientHash)).size).toBe(2);
    expect(JSON.stringify(stored)).not.toMatch(/203\.0\.113|198\.51\.100/);
  });
});
