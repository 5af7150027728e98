import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import {
  CONVERSATION_EVENT_TYPES,
  EVENT_TYPES,
  PUBLIC_EVENT_TYPES,
  SERVER_EVENT_TYPES,
} from '@lotse/sdk/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../http/app.js';
import { createAddressHasher } from '../privacy/address-hasher.js';
import { createPostgresStore } from '../store/postgres-store.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { eventRow, handoffRequest, sdkEvent } from '../test-support/fixtures.js';
import { logIn } from '../test-support/login.js';
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

  it('refuses a time past year 9999, and the dashboard reads one stored before that bound', async () => {
    const farFuture = 8_639_999_999_000_000;
    const type = 'query.submitted';
    const props = { locale: 'de', channel: 'widget', length: 12 };
    const r = await t.post('/v1/events', { events: [sdkEvent({ ts: farFuture, type, props })] });
    expect(r.json.rejected).toEqual([{ index: 0, code: 'out_of_range', field: 'ts' }]);
    // Accepted by an earlier version: its conversation's local day lies past the Date range.
    await t.server.store.insertEvents([eventRow({ ts: farFuture, type, props })]);
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const metrics = await agent.get(
      `/dashboard/api/metrics?site=demo&from=${now - 7 * 86_400_000}&to=${now}`,
    );
    expect(metrics.status).toBe(200);
    expect(metrics.json.conversations).toBe(0);
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

describe('event types by sender', () => {
  it('splits every event type into public, server-only and conversation ratings', () => {
    const all = [...PUBLIC_EVENT_TYPES, ...SERVER_EVENT_TYPES, ...CONVERSATION_EVENT_TYPES];
    expect([...all].sort()).toEqual([...EVENT_TYPES].sort());
    expect(new Set(all).size).toBe(all.length);
  });
});

describeStores('events only from those who may send them', (target) => {
  let t: TestServer;
  // The real clock: the dashboard caches by the latest receive time, which a frozen clock never moves.
  const now = Date.now();
  const url = `/dashboard/api/metrics?site=demo&from=${now - 7 * 86_400_000}&to=${now + 86_400_000}`;

  beforeEach(async () => {
    t = await startTestServer(target);
  });
  afterEach(async () => {
    await t.close();
  });

  /** A visitor's session that ends in a handoff; returns its ids, ticket and conversation token. */
  async function handedOff(): Promise<{
    sessionId: string;
    anonymousId: string;
    ticketId: string;
    token: string;
  }> {
    const sessionId = randomUUID();
    const anonymousId = randomUUID();
    const at = (ms: number, type: string, props: Record<string, unknown>) =>
      sdkEvent({ ts: now - 60_000 + ms, sessionId, anonymousId, type, props });
    const events = [
      at(0, 'widget.opened', { trigger: 'launcher' }),
      at(1000, 'query.submitted', { channel: 'widget', length: 20 }),
      at(2000, 'triage.decided', {
        kind: 'handoff',
        level: 2,
        topic: 'shipping',
        confidence: 0.8,
        signals: ['wants-human'],
      }),
    ];
    expect((await t.post('/v1/events', { events })).json.accepted).toBe(3);
    const r = await t.post('/v1/handoffs', handoffRequest({ anonymousId, sessionId }));
    expect(r.status).toBe(201);
    const handoff = at(3000, 'handoff.created', {
      ticketId: r.json.ticketId,
      level: 2,
      topic: 'shipping',
      channel: 'widget',
    });
    expect((await t.post('/v1/events', { events: [handoff] })).json.accepted).toBe(1);
    return { sessionId, anonymousId, ticketId: r.json.ticketId, token: r.json.conversationToken };
  }

  it('refuses server types and ratings of a conversation without its token: nothing stored, no figure moves', async () => {
    const mine = await handedOff();
    const theirs = await handedOff();
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const before = (await agent.get(url)).json;
    expect(before.conversations).toBe(2);
    expect(before.csat.responses).toBe(0);
    const storedBefore = await t.server.store.countEvents();

    // The forger holds the public site key, their own conversation and the other one's ids (as
    // its visitor would), not the other one's token.
    const forged = (type: string, props: Record<string, unknown>) =>
      sdkEvent({
        ts: now,
        type,
        props,
        sessionId: theirs.sessionId,
        anonymousId: theirs.anonymousId,
        conversationId: theirs.ticketId,
      });
    const r = await t.post(
      '/v1/events',
      {
        events: [
          forged('agent.replied', { ticketId: theirs.ticketId, first: true, channel: 'widget' }),
          forged('conversation.closed', { ticketId: theirs.ticketId, by: 'agent', level: 2 }),
          forged('conversation.reopened', { ticketId: theirs.ticketId, by: 'visitor' }),
          forged('csat.submitted', { score: 1, conversationId: theirs.ticketId }),
          forged('ces.submitted', { score: 7, conversationId: theirs.ticketId }),
        ],
      },
      { origin: SHOP_ORIGIN },
    );
    expect(r.status).toBe(202);
    expect(r.json).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [
        { index: 0, code: 'server_only_type', field: 'type' },
        { index: 1, code: 'server_only_type', field: 'type' },
        { index: 2, code: 'server_only_type', field: 'type' },
        { index: 3, code: 'conversation_token_required', field: 'type' },
        { index: 4, code: 'conversation_token_required', field: 'type' },
      ],
    });
    // Their own token does not let them rate the other conversation either.
    const other = await t.post(`/v1/conversations/${mine.token}/events`, {
      events: [forged('csat.submitted', { score: 1, conversationId: theirs.ticketId })],
    });
    expect(other.status).toBe(202);
    expect(other.json.rejected).toEqual([
      { index: 0, code: 'other_conversation', field: 'props.conversationId' },
    ]);
    const server = await t.post(`/v1/conversations/${theirs.token}/events`, {
      events: [forged('agent.replied', { ticketId: theirs.ticketId, first: true })],
    });
    expect(server.json.rejected).toEqual([
      { index: 0, code: 'not_conversation_type', field: 'type' },
    ]);

    expect(await t.server.store.countEvents()).toBe(storedBefore);
    expect((await agent.get(url)).json).toEqual(before);

    // The token's holder may rate: the same answer then counts.
    const rated = await t.post(`/v1/conversations/${theirs.token}/events`, {
      events: [forged('csat.submitted', { score: 1, conversationId: theirs.ticketId })],
    });
    expect(rated.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const after = (await agent.get(url)).json;
    expect(after.csat.responses).toBe(1);

    // One CSAT and one CES a conversation: more answers with new ids are duplicates of the first.
    const again = await t.post(`/v1/conversations/${theirs.token}/events`, {
      events: [
        ...Array.from({ length: 3 }, () =>
          forged('csat.submitted', { score: 5, conversationId: theirs.ticketId }),
        ),
        forged('ces.submitted', { score: 7, conversationId: theirs.ticketId }),
      ],
    });
    expect(again.json).toEqual({ accepted: 1, duplicates: 3, rejected: [] });
    const last = (await agent.get(url)).json;
    expect([last.csat.responses, last.csat.value, last.ces.responses]).toEqual([1, 0, 1]);
  });

  it('answers an unknown conversation token with 404, storing nothing', async () => {
    const r = await t.post(`/v1/conversations/${'A'.repeat(43)}/events`, {
      events: [sdkEvent({ type: 'csat.submitted', props: { score: 5, conversationId: 'T-1' } })],
    });
    expect(r.status).toBe(404);
    expect(await t.server.store.countEvents()).toBe(0);
  });
});

describeStores('a session at its event cap', (target) => {
  // Small enough to cross in one request; the real cap (SESSION_EVENT_CAP) is 100 000.
  const CAP = 5;
  let t: TestServer;
  let store: Store;
  let listener: ServerType;
  let url: string;

  // The server opens its store without a cap option, so the app runs here on a second, capped
  // store over the same database, with the test server's sites and options.
  beforeEach(async () => {
    t = await startTestServer(target);
    const { dataDir, databaseUrl } = t.server.options;
    store =
      databaseUrl === undefined
        ? createSqliteStore({ file: path.join(dataDir, 'lotse.db'), maxSessionEvents: CAP })
        : createPostgresStore({ url: databaseUrl, maxSessionEvents: CAP });
    await store.migrate();
    const app = createApp({
      store,
      sites: t.server.sites,
      models: t.server.models,
      knowledgeBase: t.server.knowledgeBase,
      options: t.server.options,
      secret: Buffer.alloc(32, 7),
      addresses: createAddressHasher(store),
      now: Date.now,
      isReady: () => true,
    });
    listener = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => listener.once('listening', resolve));
    url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    // Keep-alive sockets of the test requests would hold close() open.
    if ('closeAllConnections' in listener) listener.closeAllConnections();
    await closed;
    await store.close();
    await t.close();
  });

  const post = (pathname: string, body: unknown) => send(url + pathname, { body });
  const idsOf = async (sessionId: string) =>
    (await store.listEvents())
      .filter((e) => e.sessionId === sessionId)
      .map((e) => e.id)
      .sort();

  it('stores a session up to the cap and answers the rest as session_full by index', async () => {
    const full = randomUUID();
    const other = randomUUID();
    const inFull = Array.from({ length: 7 }, () => sdkEvent({ sessionId: full }));
    const inOther = [sdkEvent({ sessionId: other }), sdkEvent({ sessionId: other })];
    const r = await post('/v1/events', {
      events: [
        inFull[0],
        sdkEvent({ sessionId: full, id: 'not-a-uuid' }),
        inFull[1],
        inOther[0],
        inFull[2],
        inFull[3],
        inFull[4],
        inFull[5],
        inOther[1],
        inFull[6],
      ],
    });
    expect(r.status).toBe(202);
    // The invalid event does not count towards the cap; the 6th and 7th of the session do not fit.
    expect(r.json).toEqual({
      accepted: 7,
      duplicates: 0,
      rejected: [
        { index: 1, code: 'invalid_field', field: 'id' },
        { index: 7, code: 'session_full', field: 'sessionId' },
        { index: 9, code: 'session_full', field: 'sessionId' },
      ],
    });
    expect(await idsOf(full)).toEqual(
      inFull
        .slice(0, CAP)
        .map((e) => String(e.id))
        .sort(),
    );

    // Later events of the full session are refused, the other session still takes events, and a
    // replayed stored event still counts as a duplicate.
    const later = sdkEvent({ sessionId: full });
    const more = sdkEvent({ sessionId: other });
    const again = await post('/v1/events', { events: [later, more, inFull[0]] });
    expect(again.json).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [{ index: 0, code: 'session_full', field: 'sessionId' }],
    });
    expect(await idsOf(full)).toEqual(
      inFull
        .slice(0, CAP)
        .map((e) => String(e.id))
        .sort(),
    );
    expect(await idsOf(other)).toEqual([...inOther, more].map((e) => String(e.id)).sort());
  });

  it('answers a rating beyond the cap as session_full on the conversation route', async () => {
    const sessionId = randomUUID();
    const anonymousId = randomUUID();
    const created = await post('/v1/handoffs', handoffRequest({ sessionId, anonymousId }));
    expect(created.status).toBe(201);
    const { ticketId, conversationToken } = created.json;
    const filler = Array.from({ length: CAP - 1 }, () => sdkEvent({ sessionId, anonymousId }));
    expect((await post('/v1/events', { events: filler })).json.accepted).toBe(CAP - 1);

    const rating = (type: string, score: number) =>
      sdkEvent({
        sessionId,
        anonymousId,
        type,
        conversationId: ticketId,
        props: { score, conversationId: ticketId },
      });
    const csat = rating('csat.submitted', 5);
    const ces = rating('ces.submitted', 2);
    const r = await post(`/v1/conversations/${conversationToken}/events`, { events: [csat, ces] });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, code: 'session_full', field: 'sessionId' }],
    });
    // The rating is stored under its conversation's CSAT id (one a conversation), the rest as sent.
    const stored = (await store.listEvents()).filter((e) => e.sessionId === sessionId);
    expect(stored.filter((e) => e.type === 'csat.submitted')).toHaveLength(1);
    expect(
      stored
        .filter((e) => e.type !== 'csat.submitted')
        .map((e) => e.id)
        .sort(),
    ).toEqual(filler.map((e) => String(e.id)).sort());
  });
});
