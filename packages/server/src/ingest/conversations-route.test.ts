import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { handoffRequest } from '../test-support/fixtures.js';
import { SHOP_ORIGIN, startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('conversation routes', (target) => {
  let t: TestServer;
  let token: string;
  let ticketId: string;
  let request: { id: string; from: 'visitor'; text: string; ts: number };
  let clock = 1_764_000_000_000;

  beforeEach(async () => {
    t = await startTestServer(target, { now: () => clock++ });
    const sent = handoffRequest();
    const r = await t.post('/v1/handoffs', sent);
    token = r.json.conversationToken;
    ticketId = r.json.ticketId;
    const [stored] = await t.server.store.listHandoffs();
    request = {
      id: String(sent.id),
      from: 'visitor',
      text: String(sent.message),
      ts: stored!.createdAt,
    };
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows the conversation, starting with the request, to the holder of the token', async () => {
    const r = await t.get(`/v1/conversations/${token}`, { origin: SHOP_ORIGIN });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ticketId, status: 'open', messages: [request] });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('adds visitor messages idempotently', async () => {
    const id = randomUUID();
    const first = await t.post(`/v1/conversations/${token}/messages`, { id, text: 'Noch da?' });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ id, from: 'visitor', text: 'Noch da?', ts: expect.any(Number) });
    const again = await t.post(`/v1/conversations/${token}/messages`, { id, text: 'Noch da?' });
    expect(again.json).toEqual(first.json);
    const conflict = await t.post(`/v1/conversations/${token}/messages`, { id, text: 'Anders' });
    expect(conflict.status).toBe(409);
    const r = await t.get(`/v1/conversations/${token}`);
    expect(r.json.messages).toEqual([request, first.json]);
  });

  it('reopens a closed conversation', async () => {
    const handoff = (await t.server.store.exportVisitor({ email: 'kundin@example.com' }))
      .handoffs[0]!;
    await t.server.store.setHandoffStatus(handoff.id, 'closed');
    expect((await t.get(`/v1/conversations/${token}`)).json.status).toBe('closed');
    const r = await t.post(`/v1/conversations/${token}/reopen`, { id: randomUUID() });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ticketId, status: 'open', messages: [request] });
    expect((await t.get(`/v1/conversations/${token}`)).json.status).toBe('open');
  });

  it('reopens a closed conversation when the visitor writes to it', async () => {
    const handoff = (await t.server.store.exportVisitor({ email: 'kundin@example.com' }))
      .handoffs[0]!;
    await t.server.store.setHandoffStatus(handoff.id, 'closed');
    const id = randomUUID();
    const r = await t.post(`/v1/conversations/${token}/messages`, { id, text: 'Noch eine Frage' });
    expect(r.status).toBe(201);
    expect((await t.get(`/v1/conversations/${token}`)).json.status).toBe('open');
    const reopens = (await t.server.store.listEvents()).filter(
      (e) => e.type === 'conversation.reopened',
    );
    expect(reopens.map((e) => e.props)).toEqual([{ ticketId, by: 'visitor' }]);
    // The same message again after a later close reopens nothing: it was written before.
    await t.server.store.updateHandoff(handoff.id, { status: 'closed', closedAt: clock++ });
    await t.post(`/v1/conversations/${token}/messages`, { id, text: 'Noch eine Frage' });
    expect((await t.get(`/v1/conversations/${token}`)).json.status).toBe('closed');
    const reopened = async () =>
      (await t.server.store.listEvents()).filter((e) => e.type === 'conversation.reopened');
    expect(await reopened()).toHaveLength(1);
    // A message stored after the close whose reopen failed: its retry reopens.
    const stored = { id: randomUUID(), text: 'Hallo?' };
    const row = { ...stored, handoffId: handoff.id, from: 'visitor' as const, ts: clock++ };
    await t.server.store.insertMessage(row);
    await t.post(`/v1/conversations/${token}/messages`, stored);
    expect((await t.get(`/v1/conversations/${token}`)).json.status).toBe('open');
    expect(await reopened()).toHaveLength(2);
  });

  it.each([
    ['a wrong token', 'A'.repeat(43)],
    ['a malformed token', 'not-a-token'],
    ['a token with one character changed', 'flip'],
  ])('answers %s with 404 not_found on every route', async (_name, bad) => {
    const wrong = bad === 'flip' ? `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` : bad;
    const responses = [
      await t.get(`/v1/conversations/${wrong}`),
      await t.post(`/v1/conversations/${wrong}/messages`, { id: randomUUID(), text: 'hi' }),
      await t.post(`/v1/conversations/${wrong}/reopen`, { id: randomUUID() }),
    ];
    for (const r of responses) {
      expect(r.status).toBe(404);
      expect(r.json.error).toMatchObject({ code: 'not_found', field: 'token' });
    }
    expect((await t.get(`/v1/conversations/${token}`)).json.messages).toEqual([request]);
  });

  it('answers a missing token with 404', async () => {
    const r = await t.get('/v1/conversations/');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
  });

  it('refuses a foreign origin even with the right token', async () => {
    const r = await t.get(`/v1/conversations/${token}`, { origin: 'http://evil.test' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('origin_not_allowed');
    expect(r.text).not.toContain(ticketId);
  });

  it('validates the message body', async () => {
    const r = await t.post(`/v1/conversations/${token}/messages`, { id: randomUUID(), text: '' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'invalid_request', field: 'text' });
  });
});
