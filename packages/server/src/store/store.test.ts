import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventRow, handoffRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';
import type { Store } from './store.js';

describeStores('store', (target) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const opened = await target.open();
    store = opened.store;
    cleanup = opened.cleanup;
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('applies migrations once', async () => {
    expect(await store.migrate()).toBe(0);
  });

  it('stores a batch and counts a replayed id as a duplicate', async () => {
    const a = eventRow({ conversationId: 'T-1', props: { nested: { ü: 'ß' } } });
    const b = eventRow();
    expect(await store.insertEvents([a, b])).toEqual({ accepted: 2, duplicates: 0 });
    expect(await store.insertEvents([b, eventRow({ id: a.id }), eventRow()])).toEqual({
      accepted: 1,
      duplicates: 2,
    });
    expect(await store.countEvents('demo')).toBe(3);
    const stored = await store.listEvents({ siteKey: 'demo' });
    expect(stored.find((e) => e.id === a.id)).toEqual(a);
    expect([...(await store.hasEvents([a.id, 'missing']))]).toEqual([a.id]);
  });

  it('counts the same id twice in one batch once', async () => {
    const a = eventRow();
    expect(await store.insertEvents([a, a])).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('keeps the first handoff for an id and finds it by token hash', async () => {
    const h = handoffRow();
    const first = await store.insertHandoff(h);
    expect(first).toEqual({ inserted: true, handoff: h });
    const again = await store.insertHandoff({ ...h, message: 'other', ticketId: 'T-other' });
    expect(again).toEqual({ inserted: false, handoff: h });
    expect(await store.getHandoffByTokenHash(h.tokenHash)).toEqual(h);
    expect(await store.getHandoffByTokenHash('nope')).toBeUndefined();
    await store.setHandoffStatus(h.id, 'closed');
    expect((await store.getHandoffByTokenHash(h.tokenHash))?.status).toBe('closed');
  });

  it('stores messages idempotently in order', async () => {
    const h = handoffRow();
    await store.insertHandoff(h);
    const m1 = { id: 'm1', handoffId: h.id, from: 'visitor' as const, text: 'Hallo?', ts: 2 };
    const m2 = { id: 'm2', handoffId: h.id, from: 'agent' as const, text: 'Guten Tag', ts: 3 };
    await store.insertMessage(m2);
    expect(await store.insertMessage(m1)).toEqual({ inserted: true, message: m1 });
    expect(await store.insertMessage({ ...m1, text: 'changed' })).toEqual({
      inserted: false,
      message: m1,
    });
    expect(await store.listMessages(h.id)).toEqual([m1, m2]);
  });

  it('upserts sites and agents', async () => {
    await store.upsertSite('demo', { title: 'A' }, 1);
    await store.upsertSite('demo', { title: 'B' }, 2);
    expect(await store.getSite('demo')).toEqual({
      key: 'demo',
      settings: { title: 'B' },
      updatedAt: 2,
    });
    expect((await store.listSites()).map((s) => s.key)).toEqual(['demo']);
    const agent = {
      id: 'a1',
      email: 'Admin@Example.com',
      passwordHash: 'x',
      role: 'admin' as const,
      createdAt: 1,
    };
    expect(await store.insertAgent(agent)).toBe(true);
    expect(await store.insertAgent({ ...agent, id: 'a2' })).toBe(false);
    expect(await store.countAgents()).toBe(1);
    expect((await store.getAgentByEmail('admin@example.com'))?.id).toBe('a1');
  });

  it('keeps the first meta value and deletes old ones by prefix', async () => {
    expect(await store.getOrSetMeta('salt:1', 'a')).toBe('a');
    expect(await store.getOrSetMeta('salt:1', 'b')).toBe('a');
    await store.getOrSetMeta('salt:2', 'c');
    expect(await store.deleteMetaByPrefix('salt:', 'salt:2')).toBe(1);
    expect(await store.getOrSetMeta('salt:1', 'd')).toBe('d');
  });

  it('refills token buckets over time', async () => {
    const rule = { capacity: 2, refillPerSecond: 1 };
    expect(await store.takeToken('k', rule, 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await store.takeToken('k', rule, 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await store.takeToken('k', rule, 1250)).toEqual({ allowed: false, retryAfterMs: 750 });
    expect(await store.takeToken('k', rule, 2000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await store.takeToken('other', rule, 2000)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('deletes events received before the cutoff', async () => {
    await store.insertEvents([
      eventRow({ receivedAt: 100 }),
      eventRow({ receivedAt: 200, siteKey: 'other' }),
      eventRow({ receivedAt: 300 }),
    ]);
    expect(await store.deleteEventsBefore(250)).toBe(2);
    expect((await store.listEvents()).map((e) => e.receivedAt)).toEqual([300]);
  });

  it('exports and deletes one visitor by e-mail or anonymous id', async () => {
    const h = handoffRow({ email: 'Eva@Example.com' });
    await store.insertHandoff(h);
    await store.insertMessage({ id: 'm', handoffId: h.id, from: 'visitor', text: 'x', ts: 1 });
    const mine = eventRow({ anonymousId: h.anonymousId! });
    const other = eventRow();
    await store.insertEvents([mine, other]);

    const data = await store.exportVisitor({ email: 'eva@example.com' });
    expect(data.events.map((e) => e.id)).toEqual([mine.id]);
    expect(data.handoffs.map((x) => x.id)).toEqual([h.id]);
    expect(data.handoffs[0]).not.toHaveProperty('tokenHash');
    expect(data.messages.map((m) => m.id)).toEqual(['m']);
    expect((await store.exportVisitor({ anonymousId: h.anonymousId! })).handoffs).toHaveLength(1);

    expect(await store.deleteVisitor({ email: 'EVA@example.com' })).toEqual({
      events: 1,
      handoffs: 1,
      messages: 1,
    });
    expect(await store.exportVisitor({ email: 'eva@example.com' })).toEqual({
      events: [],
      handoffs: [],
      messages: [],
    });
    expect(await store.countEvents()).toBe(1);
  });
});
