import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashToken } from '../secrets.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { SHOP_ORIGIN, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('POST /v1/handoffs', (target) => {
  let t: TestServer;
  // Wednesday 2026-11-25 16:00 in Berlin (15:00 UTC): one business hour left that day.
  const now = Date.parse('2026-11-25T15:00:00Z');

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates a ticket with a token and the promised time in business minutes', async () => {
    const body = handoffRequest();
    const r = await t.post('/v1/handoffs', body, { origin: SHOP_ORIGIN });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({
      ticketId: expect.stringMatching(/^T-[0-9A-Z]{10}$/),
      conversationToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      respondWithinMinutes: 240,
      // 60 minutes on Wednesday, 180 from Thursday 09:00 Berlin.
      respondBy: '2026-11-26T11:00:00.000Z',
    });
    expect(r.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    const stored = await t.server.store.getHandoffByTokenHash(hashToken(r.json.conversationToken));
    expect(stored).toMatchObject({
      id: body.id,
      ticketId: r.json.ticketId,
      level: 2,
      topic: 'shipping',
    });
    // Only the hash of the token is stored.
    expect(JSON.stringify(stored)).not.toContain(r.json.conversationToken);
  });

  it('uses the response time of the level', async () => {
    const body = handoffRequest({
      classification: { level: 3, signals: ['complaint'], confidence: 0.9, reasons: ['complaint'] },
    });
    const r = await t.post('/v1/handoffs', body);
    expect(r.json.respondWithinMinutes).toBe(960);
    // 60 min Wednesday, 480 Thursday, 420 Friday → Friday 16:00 Berlin.
    expect(r.json.respondBy).toBe('2026-11-27T15:00:00.000Z');
  });

  it('answers a repeated id with the same reply and stores one handoff', async () => {
    const body = handoffRequest();
    const first = await t.post('/v1/handoffs', body);
    const second = await t.post('/v1/handoffs', body);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(await t.server.store.countHandoffs()).toBe(1);
  });

  it('refuses the same id with different content', async () => {
    const body = handoffRequest();
    await t.post('/v1/handoffs', body);
    const r = await t.post('/v1/handoffs', { ...body, message: 'Something else' });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: 'conflict', field: 'id' });
  });

  it.each([
    ['a missing e-mail', { email: undefined }, 'email'],
    ['no consent', { consent: false }, 'consent'],
    ['an unknown field', { phone: '123' }, 'phone'],
    [
      'a bad level',
      { classification: { level: 4, signals: [], confidence: 1, reasons: [] } },
      'classification.level',
    ],
  ])('names the field for %s', async (_name, overrides, field) => {
    const r = await t.post('/v1/handoffs', handoffRequest(overrides));
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'invalid_request', field });
    expect(await t.server.store.countHandoffs()).toBe(0);
  });

  it('refuses unknown sites, foreign origins and malformed JSON', async () => {
    expect(
      (await t.post('/v1/handoffs', handoffRequest({ siteKey: 'nope' }))).json.error.code,
    ).toBe('unknown_site');
    const foreign = await t.post('/v1/handoffs', handoffRequest(), { origin: 'http://evil.test' });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('origin_not_allowed');
    const malformed = await t.post('/v1/handoffs', '{"id":', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('invalid_json');
    expect(await t.server.store.countHandoffs()).toBe(0);
  });
});
