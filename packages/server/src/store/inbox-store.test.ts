import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventRow, handoffRow } from '../test-support/fixtures.js';
import { describeStores } from '../test-support/stores.js';
import type { AgentRow, Store } from './store.js';

const agent = (overrides: Partial<AgentRow> = {}): AgentRow => ({
  id: 'a1',
  email: 'Ina@Example.com',
  passwordHash: 'scrypt$old',
  role: 'agent',
  createdAt: 1,
  ...overrides,
});

describeStores('agents, sessions and inbox in the store', (target) => {
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

  it('finds agents by id and changes passwords by e-mail', async () => {
    await store.insertAgent(agent());
    expect((await store.getAgentById('a1'))?.email).toBe('ina@example.com');
    expect(await store.setAgentPassword('INA@example.com', 'scrypt$new')).toBe(true);
    expect((await store.getAgentByEmail('ina@example.com'))?.passwordHash).toBe('scrypt$new');
    expect(await store.setAgentPassword('nobody@example.com', 'x')).toBe(false);
    expect((await store.listAgents()).map((a) => a.id)).toEqual(['a1']);
  });

  it('keeps sessions until they expire or are deleted', async () => {
    await store.insertAgent(agent());
    await store.insertSession({
      idHash: 'h1',
      agentId: 'a1',
      csrf: 'c1',
      createdAt: 10,
      expiresAt: 100,
    });
    const found = await store.getSession('h1', 50);
    expect(found?.session).toEqual({
      idHash: 'h1',
      agentId: 'a1',
      csrf: 'c1',
      createdAt: 10,
      expiresAt: 100,
    });
    expect(found?.agent.email).toBe('ina@example.com');
    expect(await store.getSession('h1', 100)).toBeUndefined();
    expect(await store.getSession('other', 50)).toBeUndefined();
    expect(await store.deleteExpiredSessions(100)).toBe(1);
    await store.insertSession({
      idHash: 'h2',
      agentId: 'a1',
      csrf: 'c',
      createdAt: 10,
      expiresAt: 100,
    });
    await store.deleteSession('h2');
    expect(await store.getSession('h2', 50)).toBeUndefined();
  });

  it('hands out an invitation once and never after it expired', async () => {
    const row = {
      tokenHash: 't1',
      email: 'neu@example.com',
      role: 'agent' as const,
      kind: 'invite' as const,
      createdAt: 1,
      expiresAt: 100,
      usedAt: null,
    };
    await store.insertInvitation(row);
    await store.insertInvitation({ ...row, tokenHash: 't2' });
    expect(await store.getInvitation('t1', 50)).toEqual(row);
    expect(await store.useInvitation('t1', 50)).toEqual({ ...row, usedAt: 50 });
    expect(await store.useInvitation('t1', 51)).toBeUndefined();
    expect(await store.getInvitation('t1', 51)).toBeUndefined();
    expect(await store.useInvitation('t2', 100)).toBeUndefined();
  });

  it('lists handoffs newest first and patches their inbox state', async () => {
    const older = handoffRow({ createdAt: 1 });
    const newer = handoffRow({ createdAt: 2, siteKey: 'other' });
    await store.insertHandoff(older);
    await store.insertHandoff(newer);
    expect((await store.listHandoffs()).map((h) => h.id)).toEqual([newer.id, older.id]);
    expect((await store.listHandoffs({ siteKey: 'demo' })).map((h) => h.id)).toEqual([older.id]);
    await store.updateHandoff(older.id, { assignee: 'a1', firstReplyAt: 5 });
    await store.updateHandoff(older.id, { status: 'closed', closedAt: 9 });
    const got = await store.getHandoff(older.id);
    expect(got).toMatchObject({ assignee: 'a1', firstReplyAt: 5, closedAt: 9, status: 'closed' });
    await store.updateHandoff(older.id, { assignee: null, closedAt: null, status: 'open' });
    expect(await store.getHandoff(older.id)).toMatchObject({
      assignee: null,
      firstReplyAt: 5,
      closedAt: null,
      status: 'open',
    });
    expect((await store.listHandoffs({ status: 'open' })).length).toBe(2);
    expect(await store.getHandoff('missing')).toBeUndefined();
  });

  it('lists a site events by client time in a half-open range', async () => {
    const rows = [
      eventRow({ ts: 100 }),
      eventRow({ ts: 200 }),
      eventRow({ ts: 300 }),
      eventRow({ ts: 150, siteKey: 'other' }),
    ];
    await store.insertEvents(rows);
    const got = await store.listEventsBetween('demo', 100, 300);
    expect(got.map((e) => e.ts)).toEqual([100, 200]);
    expect(got[0]).toEqual(rows[0]);
  });

  it('reads only the metric props of events, booleans and numbers intact', async () => {
    const e = eventRow({
      ts: 100,
      type: 'answer.rated',
      conversationId: 'c-1',
      props: {
        entryId: 'returns',
        helpful: false,
        topic: 'returns',
        level: 2,
        score: 4,
        extra: 'x',
      },
    });
    const yes = eventRow({ ts: 101, props: { helpful: true, text: 'Wo ist [email]?' } });
    await store.insertEvents([e, yes]);
    const [a, b] = await store.listMetricEvents('demo', 0, 1000);
    expect(a).toEqual({
      ...e,
      clientHash: null,
      props: { entryId: 'returns', helpful: false, topic: 'returns', level: 2, score: 4 },
    });
    expect(b?.props).toEqual({ helpful: true, text: 'Wo ist [email]?' });
    const version = await store.eventsVersion('demo');
    await store.insertEvents([eventRow({ receivedAt: 1_764_000_009_999 })]);
    expect(await store.eventsVersion('demo')).not.toBe(version);
  });
});
