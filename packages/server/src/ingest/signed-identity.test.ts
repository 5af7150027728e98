import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashToken } from '../secrets.js';
import { signUserId } from '../sites/identity.js';
import { handoffRequest } from '../test-support/fixtures.js';
import {
  SHOP_IDENTITY_SECRET,
  SHOP_ORIGIN,
  send,
  startTestServer,
  type TestServer,
} from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

/** The headers the SDK sends after `identify({ userId, signature })`. */
const signedIn = (userId: string, signature = signUserId(SHOP_IDENTITY_SECRET, userId)) => ({
  'x-lotse-user': userId,
  'x-lotse-signature': signature,
});

describeStores('signed identify', (target) => {
  let t: TestServer;
  let clock = 1_764_000_000_000;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => (clock += 1000) });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists a signed-in visitor’s conversations on another device, with tokens that open them', async () => {
    const first = await t.post('/v1/handoffs', handoffRequest(), signedIn('u-1001'));
    const second = await t.post(
      '/v1/handoffs',
      handoffRequest({ message: 'Und noch etwas' }),
      signedIn('u-1001'),
    );
    expect([first.status, second.status]).toEqual([201, 201]);
    // Someone else's, and an anonymous one: neither is listed.
    await t.post('/v1/handoffs', handoffRequest(), signedIn('u-2002'));
    await t.post('/v1/handoffs', handoffRequest());
    const stored = await t.server.store.getHandoffByTokenHash(
      hashToken(first.json.conversationToken),
    );
    expect(stored?.userId).toBe('u-1001');

    const r = await t.get('/v1/sites/demo/conversations', {
      origin: SHOP_ORIGIN,
      ...signedIn('u-1001'),
    });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(r.json.conversations.map((c: { ticketId: string }) => c.ticketId)).toEqual([
      second.json.ticketId,
      first.json.ticketId,
    ]);
    expect(r.json.conversations[1]).toEqual({
      ticketId: first.json.ticketId,
      status: 'open',
      messages: [
        {
          id: expect.any(String),
          from: 'visitor',
          text: handoffRequest().message,
          ts: expect.any(Number),
        },
      ],
      conversationToken: first.json.conversationToken,
      createdAt: expect.any(Number),
    });
    // The listed token is the conversation's own: it reads, replies and reopens like the first device's.
    const reply = await t.post(
      `/v1/conversations/${r.json.conversations[1].conversationToken}/messages`,
      { id: randomUUID(), text: 'Vom Handy aus' },
    );
    expect(reply.status).toBe(201);
  });

  it.each([
    ['no identity', {}, 'identity_required', 'x-lotse-user'],
    [
      'a signature for another user',
      signedIn('u-1001', signUserId(SHOP_IDENTITY_SECRET, 'u-2002')),
      'invalid_identity',
      'x-lotse-signature',
    ],
    [
      'a signature under another secret',
      signedIn('u-1001', signUserId(`${SHOP_IDENTITY_SECRET}x`, 'u-1001')),
      'invalid_identity',
      'x-lotse-signature',
    ],
    [
      'a user without a signature',
      { 'x-lotse-user': 'u-1001' },
      'invalid_identity',
      'x-lotse-signature',
    ],
    [
      'a malformed signature',
      signedIn('u-1001', 'not-hex'),
      'invalid_identity',
      'x-lotse-signature',
    ],
  ])('answers %s with 401 and reads nothing', async (_name, headers, code, field) => {
    const created = await t.post('/v1/handoffs', handoffRequest(), signedIn('u-1001'));
    const r = await t.get('/v1/sites/demo/conversations', headers);
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ code, field });
    expect(r.text).not.toContain(created.json.ticketId);
    expect(r.text).not.toContain(created.json.conversationToken);
  });

  it('lists nothing on a site without an identity secret', async () => {
    await t.post('/v1/handoffs', handoffRequest({ siteKey: 'other' }), signedIn('u-1001'));
    const r = await t.get('/v1/sites/other/conversations', {
      origin: 'http://other.test',
      ...signedIn('u-1001'),
    });
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ code: 'invalid_identity', field: 'identitySecret' });
  });

  it('refuses a foreign origin even with a valid signature', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest(), signedIn('u-1001'));
    const r = await t.get('/v1/sites/demo/conversations', {
      origin: 'http://evil.test',
      ...signedIn('u-1001'),
    });
    expect(r.status).toBe(403);
    expect(r.text).not.toContain(created.json.ticketId);
  });

  it('takes a handoff whose signature does not verify, without filing it under the user', async () => {
    const created = await t.post(
      '/v1/handoffs',
      handoffRequest(),
      signedIn('u-1001', signUserId('someone-guessing-the-secret-wrongly', 'u-1001')),
    );
    expect(created.status).toBe(201);
    const r = await t.get('/v1/sites/demo/conversations', signedIn('u-1001'));
    expect(r.status).toBe(200);
    expect(r.json.conversations).toEqual([]);
  });

  it('lets the signed headers and the idempotency key through CORS preflight', async () => {
    const r = await send(`${t.url}/v1/sites/demo/conversations`, {
      method: 'OPTIONS',
      headers: {
        origin: SHOP_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers':
          'content-type,idempotency-key,x-lotse-user,x-lotse-signature',
      },
    });
    expect(r.status).toBe(204);
    const allowed = String(r.headers['access-control-allow-headers']).toLowerCase();
    expect(allowed).toContain('x-lotse-user');
    expect(allowed).toContain('x-lotse-signature');
    expect(allowed).toContain('idempotency-key');
  });
});
