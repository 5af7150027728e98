import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../options.js';
import { sha256 } from '../secrets.js';
import { handoffRequest, handoffRow } from '../test-support/fixtures.js';
import { h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { SHOP_ORIGIN, send, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';
import {
  type EventStreamClient,
  openEventStream,
  type StreamEvent,
} from './event-stream-client.js';
import { createLiveHub, LIVE_CLOCK_SKEW_MS } from './live-hub.js';

const change = (kind: string, handoffId?: string) => (e: StreamEvent) =>
  e.event === 'change' &&
  JSON.parse(e.data).kind === kind &&
  (handoffId === undefined || JSON.parse(e.data).handoffId === handoffId);

describeStores('live event streams', (target) => {
  let t: TestServer;
  let admin: AgentSession;
  const open: EventStreamClient[] = [];
  const stream = async (path: string, headers: Record<string, string> = {}) => {
    const s = await openEventStream(t.url + path, headers);
    open.push(s);
    return s;
  };
  const newHandoff = async () => {
    const r = await t.post('/v1/handoffs', handoffRequest(), { origin: SHOP_ORIGIN });
    const id = (await t.server.store.listHandoffs()).find(
      (h) => h.ticketId === r.json.ticketId,
    )!.id;
    return { id, token: r.json.conversationToken as string, ticketId: r.json.ticketId as string };
  };

  beforeEach(async () => {
    t = await startTestServer(target, { liveHeartbeatMs: 100 });
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await t.close();
  });

  it('refuses the agents stream without a session (401) and without Accept: text/event-stream (406)', async () => {
    for (const cookie of [undefined, `lotse_session=${'A'.repeat(43)}`]) {
      const r = await send(`${t.url}/inbox/events`, {
        headers: { accept: 'text/event-stream', ...(cookie === undefined ? {} : { cookie }) },
      });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('login_required');
    }
    const plain = await admin.get('/inbox/events');
    expect(plain.status).toBe(406);
    expect(plain.json.error).toMatchObject({ code: 'not_acceptable', field: 'accept' });
  });

  it('tells a signed-in agent of new conversations, visitor messages, replies and changes, with ids only', async () => {
    const s = await stream('/inbox/events', { cookie: admin.cookie });
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    await s.next((e) => e.event === 'hello');
    const h = await newHandoff();
    await s.next(change('created', h.id));
    await t.post(
      `/v1/conversations/${h.token}/messages`,
      { id: randomUUID(), text: 'Visitor text' },
      { origin: SHOP_ORIGIN },
    );
    const visitor = await s.next(change('message', h.id));
    expect(JSON.parse(visitor.data)).toEqual({ kind: 'message', handoffId: h.id, from: 'visitor' });
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Agent reply text' });
    await s.next((e) => e.event === 'change' && JSON.parse(e.data).from === 'agent');
    const note = `Secret note ${h5sc[0]}`;
    await admin.post(`/inbox/c/${h.id}/note`, { text: note });
    await admin.post(`/inbox/c/${h.id}/close`);
    await s.next(change('status', h.id));
    expect(s.events.filter(change('changed', h.id))).toHaveLength(1);
    // Ids and kinds only: no visitor, reply or note text travels in the stream.
    for (const text of ['Visitor text', 'Agent reply text', 'Secret note', 'Paket']) {
      expect(s.raw()).not.toContain(text);
    }
    // A failed post (no CSRF token) changes nothing and tells nobody.
    const before = s.events.length;
    const refused = await admin.post(`/inbox/c/${h.id}/tags`, { _csrf: 'wrong', tags: 'x' });
    expect(refused.status).toBe(403);
    await admin.post(`/inbox/c/${h.id}/assign`, { agent: '' });
    const last = await s.next((e) => s.events.indexOf(e) >= before && change('changed', h.id)(e));
    expect(s.events.slice(before)).toEqual([last]);
  });

  it('tells agents when a conversation comes due within the hour, from the one scheduled timer', async () => {
    const s = await stream('/inbox/events', { cookie: admin.cookie });
    await s.next((e) => e.event === 'hello');
    const h = handoffRow({ respondBy: new Date(Date.now() + 3_600_000 + 5000).toISOString() });
    await t.server.store.insertHandoff(h);
    t.server.live.publish({ kind: 'created', handoffId: h.id });
    const due = await s.next(change('sla', h.id));
    expect(JSON.parse(due.data)).toEqual({ kind: 'sla', handoffId: h.id, sla: 'due_soon' });
  });

  it('replays what a reconnecting agent missed after Last-Event-ID, and asks for a reload when it cannot', async () => {
    const s = await stream('/inbox/events', { cookie: admin.cookie });
    const a = await newHandoff();
    const first = await s.next(change('created', a.id));
    s.close();
    const b = await newHandoff();
    const again = await stream('/inbox/events', {
      cookie: admin.cookie,
      'last-event-id': first.id!,
    });
    const missed = await again.next(change('created', b.id));
    expect(missed.id).not.toBe(first.id);
    expect(again.events.some((e) => e.event === 'reset')).toBe(false);
    const unknown = await stream('/inbox/events', { cookie: admin.cookie, 'last-event-id': 'x-1' });
    await unknown.next((e) => e.event === 'reset');
  });

  it('replays to an inbox page what changed while it was on its way, from the point its render took (?after=)', async () => {
    const page = await admin.get('/inbox/');
    const after = /<main id="main" data-live-after="([^"]+)">/.exec(page.text)?.[1];
    expect(after).toMatch(/^[0-9a-f]{8}-\d+-\d+$/);
    // Published after the page read its data, before its script opened the stream.
    const h = await newHandoff();
    const s = await stream(`/inbox/events?after=${encodeURIComponent(after!)}`, {
      cookie: admin.cookie,
    });
    await s.next(change('created', h.id));
    expect(s.events.some((e) => e.event === 'reset')).toBe(false);
    // A conversation page takes its point the same way; one unknown here asks for a reload.
    const conversation = await admin.get(`/inbox/c/${h.id}`);
    expect(conversation.text).toMatch(/<main id="main" data-live-after="[0-9a-f]{8}-\d+-\d+">/);
    const unknown = await stream('/inbox/events?after=elsewhere-1', { cookie: admin.cookie });
    await unknown.next((e) => e.event === 'reset');
  });

  it('ends the agents stream when the agent signs out', async () => {
    const s = await stream('/inbox/events', { cookie: admin.cookie });
    await s.next((e) => e.event === 'hello');
    const out = await admin.post('/logout');
    expect(out.status).toBe(303);
    await s.ended;
    expect(s.events.at(-1)).toMatchObject({ event: 'end' });
    // And it cannot be reopened with the old cookie.
    const r = await send(`${t.url}/inbox/events`, {
      headers: { accept: 'text/event-stream', cookie: admin.cookie },
    });
    expect(r.status).toBe(401);
  });

  it('ends the agents stream when its session expires, and when it is deleted elsewhere', async () => {
    const agent = (await t.server.store.getAgentByEmail('admin@example.com'))!;
    const cookieOf = async (expiresAt: number) => {
      const id = randomBytes(32).toString('base64url');
      await t.server.store.insertSession({
        idHash: sha256(id),
        agentId: agent.id,
        csrf: 'c',
        createdAt: Date.now(),
        expiresAt,
      });
      return { id, cookie: `lotse_session=${id}` };
    };
    // Seconds for the insert and the stream's own session check before it expires.
    const short = await cookieOf(Date.now() + 5000);
    const expiring = await stream('/inbox/events', { cookie: short.cookie });
    expect(expiring.status).toBe(200);
    await expiring.ended;
    expect(expiring.events.at(-1)).toMatchObject({ event: 'end' });

    // Deleted by another process (no hub message here): the heartbeat's session check notices.
    const other = await cookieOf(Date.now() + 3_600_000);
    const s = await stream('/inbox/events', { cookie: other.cookie });
    await s.next((e) => e.event === 'hello');
    await t.server.store.deleteSession(sha256(other.id));
    await s.ended;
    expect(s.events.at(-1)).toMatchObject({ event: 'end' });
  });

  it('requires the conversation token for the visitor stream, and Accept: text/event-stream', async () => {
    const h = await newHandoff();
    const wrong = `${h.token.slice(0, -1)}${h.token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [wrong, 'x']) {
      const r = await send(`${t.url}/v1/conversations/${bad}/stream`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe('not_found');
    }
    const plain = await t.get(`/v1/conversations/${h.token}/stream`);
    expect(plain.status).toBe(406);
    const foreign = await send(`${t.url}/v1/conversations/${h.token}/stream`, {
      headers: { accept: 'text/event-stream', origin: 'http://evil.test' },
    });
    expect(foreign.status).toBe(403);
  });

  it('brings the agent reply to the visitor at once, never a note, with CORS for the site', async () => {
    const h = await newHandoff();
    const s = await stream(`/v1/conversations/${h.token}/stream`, { origin: SHOP_ORIGIN });
    expect(s.status).toBe(200);
    expect(s.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    await s.next((e) => e.event === 'hello');
    const note = `Internal only ${h5sc[1]}`;
    await admin.post(`/inbox/c/${h.id}/note`, { text: note });
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Ihr Paket ist unterwegs.' });
    const reply = await s.next((e) => e.event === 'message');
    expect(JSON.parse(reply.data)).toEqual({
      id: expect.any(String),
      from: 'agent',
      text: 'Ihr Paket ist unterwegs.',
      ts: expect.any(Number),
    });
    expect(reply.id).toBe(JSON.parse(reply.data).id);
    await admin.post(`/inbox/c/${h.id}/close`);
    const closed = await s.next((e) => e.event === 'status');
    expect(JSON.parse(closed.data)).toEqual({ status: 'closed' });
    await admin.post(`/inbox/c/${h.id}/note`, { text: `${note} again` });
    await admin.post(`/inbox/c/${h.id}/reopen`);
    await s.next((e) => e.event === 'status' && JSON.parse(e.data).status === 'open');
    expect(s.raw()).not.toContain('Internal only');
    expect(s.events.filter((e) => e.event === 'message')).toHaveLength(1);
  });

  it('sends a reconnecting visitor the messages after Last-Event-ID (or ?after=), and nothing twice', async () => {
    const h = await newHandoff();
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Erste Antwort' });
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Zweite Antwort' });
    const [m1] = await t.server.store.listMessages(h.id);
    const s = await stream(`/v1/conversations/${h.token}/stream?after=${m1!.id}`);
    const second = await s.next((e) => e.event === 'message');
    expect(JSON.parse(second.data).text).toBe('Zweite Antwort');
    const resumed = await stream(`/v1/conversations/${h.token}/stream`, {
      'last-event-id': m1!.id,
    });
    await resumed.next((e) => e.event === 'message');
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Dritte Antwort' });
    await s.next((e) => e.event === 'message' && JSON.parse(e.data).text === 'Dritte Antwort');
    expect(
      s.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text),
    ).toEqual(['Zweite Antwort', 'Dritte Antwort']);
  });

  it('says hello to a visitor only once its stream has read where it starts, so a reply written after hello is never taken for an old one', async () => {
    const h = await newHandoff();
    const store = t.server.store;
    const list = store.listMessages.bind(store);
    let reading!: () => void;
    const read = new Promise<void>((resolve) => {
      reading = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = true;
    // The stream's first read of the conversation waits until the test lets it go.
    store.listMessages = async (handoffId) => {
      if (held) {
        held = false;
        reading();
        await released;
      }
      return list(handoffId);
    };
    const s = await stream(`/v1/conversations/${h.token}/stream`);
    await read;
    // Heartbeats flow while the read is held; `hello` must not have gone before them.
    await expect.poll(() => s.raw().includes(': ping')).toBe(true);
    expect(s.events.some((e) => e.event === 'hello')).toBe(false);
    release();
    await s.next((e) => e.event === 'hello');
    await admin.post(`/inbox/c/${h.id}/reply`, { text: 'Gleich nach hello' });
    await s.next((e) => e.event === 'message');
    expect(
      s.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text),
    ).toEqual(['Gleich nach hello']);
  });

  if (target.kind === 'postgres') {
    it('brings changes made by another server process on the same database (LISTEN/NOTIFY)', async () => {
      const other = createLiveHub({
        store: t.server.store,
        logger: silentLogger,
        databaseUrl: t.server.options.databaseUrl,
        // Its clock runs ahead by the skew allowed, so that its start point below lies after this
        // server began to listen (a server up for less than that cannot vouch for it: reset).
        now: () => Date.now() + LIVE_CLOCK_SKEW_MS,
      });
      await other.ready;
      try {
        const s = await stream('/inbox/events', { cookie: admin.cookie });
        await s.next((e) => e.event === 'hello');
        const h = await newHandoff();
        const fromThere: string[] = [];
        other.subscribe((e) => fromThere.push(e.change.handoffId));
        // This server's change reaches the other process …
        await admin.post(`/inbox/c/${h.id}/assign`, { agent: '' });
        // … and the other process's change reaches this server's streams, visitor's too.
        const visitor = await stream(`/v1/conversations/${h.token}/stream`);
        await visitor.next((e) => e.event === 'hello');
        await t.server.store.insertMessage({
          id: randomUUID(),
          handoffId: h.id,
          from: 'agent',
          text: 'Von der anderen Instanz',
          ts: Date.now(),
        });
        other.publish({ kind: 'message', handoffId: h.id, from: 'agent' });
        await s.next((e) => change('message', h.id)(e));
        const m = await visitor.next((e) => e.event === 'message');
        expect(JSON.parse(m.data).text).toBe('Von der anderen Instanz');
        await expect.poll(() => fromThere.includes(h.id)).toBe(true);
        // A page the other process rendered opens its stream here (a load balancer): what came
        // after its start point is replayed by time, without a reload.
        const point = other.startPoint();
        other.publish({ kind: 'status', handoffId: h.id });
        await s.next(change('status', h.id));
        const page = await stream(`/inbox/events?after=${point}`, { cookie: admin.cookie });
        await page.next(change('status', h.id));
        expect(page.events.some((e) => e.event === 'reset')).toBe(false);
        // A sign-out there ends this server's streams of that session.
        const idHash = sha256(admin.cookie.slice('lotse_session='.length));
        other.endSession(idHash);
        await s.ended;
      } finally {
        await other.close();
      }
    });
  }
});
