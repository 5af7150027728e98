import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sdkEvent } from '../test-support/fixtures.js';
import { SHOP_ORIGIN, send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('POST /v1/events', (target) => {
  let t: TestServer;
  const now = 1_764_000_123_456;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  async function assertStillServing() {
    const r = await t.post('/v1/events', { events: [sdkEvent()] });
    expect(r.status).toBe(202);
  }

  it('stores a valid batch with the server receive time', async () => {
    const events = [sdkEvent(), sdkEvent({ type: 'nps.submitted', props: { score: 9 } })];
    const r = await t.post('/v1/events', { events });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const stored = await t.server.store.listEvents({ siteKey: 'demo' });
    expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(stored.every((e) => e.receivedAt === now && e.ts === 1_764_000_000_000)).toBe(true);
  });

  it('counts a replayed batch once', async () => {
    const events = [sdkEvent(), sdkEvent()];
    await t.post('/v1/events', { events });
    const again = await t.post('/v1/events', { events: [...events, sdkEvent()] });
    expect(again.json).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await t.server.store.countEvents()).toBe(3);
  });

  it('accepts a text/plain body as sendBeacon sends it', async () => {
    const r = await t.post('/v1/events', JSON.stringify({ events: [sdkEvent()] }), {
      'content-type': 'text/plain;charset=UTF-8',
      origin: SHOP_ORIGIN,
    });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(1);
  });

  it('rejects invalid events one by one and keeps the valid ones', async () => {
    const good = sdkEvent();
    const r = await t.post('/v1/events', {
      events: [
        sdkEvent({ type: 'csat.submitted', props: { score: 9, conversationId: 'T-1' } }),
        good,
        'not an event',
        sdkEvent({ type: 'no.such.type' }),
        sdkEvent({ id: 'not-a-uuid' }),
        sdkEvent({ extra: 1 }),
        sdkEvent({ siteKey: 'other' }),
      ],
    });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, code: 'out_of_range', field: 'props.score' },
        { index: 2, code: 'invalid_event', field: '' },
        { index: 3, code: 'unknown_type', field: 'type' },
        { index: 4, code: 'invalid_field', field: 'id' },
        { index: 5, code: 'unknown_field', field: 'extra' },
        { index: 6, code: 'invalid_field', field: 'siteKey' },
      ],
    });
    expect((await t.server.store.listEvents()).map((e) => e.id)).toEqual([good.id]);
  });

  it.each([
    ['malformed JSON', '{"events": [', 400, 'invalid_json'],
    ['JSON that is not a batch', '[1,2,3]', 400, 'invalid_request'],
    ['an empty batch', '{"events": []}', 400, 'invalid_request'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'invalid_json'],
  ])('answers %s with %i %s and stores nothing', async (_name, body, status, code) => {
    const r = await send(`${t.url}/v1/events`, {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(typeof r.json.error.message).toBe('string');
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it('refuses a body over 64 KB by Content-Length before reading it', async () => {
    const events = Array.from({ length: 90 }, () => sdkEvent({ props: { trigger: 'launcher' } }));
    const body = JSON.stringify({ events, pad: 'x'.repeat(70_000) });
    const r = await send(`${t.url}/v1/events`, { body });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('payload_too_large');
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it('refuses a chunked body over 64 KB while it streams in', async () => {
    const events = Array.from({ length: 100 }, () => sdkEvent());
    const body = JSON.stringify({ events, pad: 'x'.repeat(200_000) });
    const r = await send(`${t.url}/v1/events`, { body, chunked: true });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('payload_too_large');
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it('refuses more than 100 events', async () => {
    const events = Array.from({ length: 101 }, () => sdkEvent());
    const r = await t.post('/v1/events', { events });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'too_many_events', field: 'events' });
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it('refuses an unknown site key', async () => {
    const r = await t.post('/v1/events', { events: [sdkEvent({ siteKey: 'nope' })] });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({ code: 'unknown_site', field: 'siteKey' });
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it('refuses a foreign origin, also one allowed for another site', async () => {
    for (const origin of ['http://evil.test', 'http://other.test']) {
      const r = await t.post('/v1/events', { events: [sdkEvent()] }, { origin });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('origin_not_allowed');
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(r.headers.vary).toContain('Origin');
    }
    expect(await t.server.store.countEvents()).toBe(0);
    await assertStillServing();
  });

  it("accepts the site's origins, the server's own origin and requests without Origin", async () => {
    const allowed = await t.post('/v1/events', { events: [sdkEvent()] }, { origin: SHOP_ORIGIN });
    expect(allowed.status).toBe(202);
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(allowed.headers.vary).toContain('Origin');
    const own = await t.post('/v1/events', { events: [sdkEvent()] }, { origin: t.url });
    expect(own.status).toBe(202);
    const server = await t.post('/v1/events', { events: [sdkEvent()] });
    expect(server.status).toBe(202);
    expect(server.headers['access-control-allow-origin']).toBeUndefined();
    expect(await t.server.store.countEvents()).toBe(3);
  });

  it('never stores the client address', async () => {
    await t.post('/v1/events', { events: [sdkEvent({ anonymousId: randomUUID() })] });
    const [e] = await t.server.store.listEvents();
    expect(e?.clientHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(e)).not.toContain('127.0.0.1');
  });
});

describeStores('POST /v1/events with odd strings', (target) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(target);
  });
  afterEach(async () => {
    await t.close();
  });

  it('stores NUL and lone surrogates as U+FFFD instead of failing', async () => {
    const event = sdkEvent({
      type: 'query.unanswered',
      props: { text: 'Wo\u0000ist \ud800mein Paket?' },
    });
    const r = await t.post('/v1/events', JSON.stringify({ events: [event] }), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(1);
    const [stored] = await t.server.store.listEvents();
    expect(stored?.props).toEqual({ text: 'Wo\ufffdist \ufffdmein Paket?' });
  });
});
